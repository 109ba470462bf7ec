import base64
import io
import re

from lxml import html as lxml_html
from markupsafe import Markup
from PIL import Image
from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel

from odoo import api, models
from odoo.tools import format_date

from ..cobranza_core.compliance import channel_may_require


def letter_date(env, value, lang):
    """A date as written in a letter: "16 de marzo de 2026", "March 16, 2026"."""
    return format_date(env, value, lang_code=lang, date_format="long")


#: The fragment that ends a letter's reference link: ``#COB-0000123``.
LETTER_REFERENCE = re.compile(r"#COB-(\d+)$")


def qr_png(value, scale=4, border=4):
    """A QR code of ``value`` as a small black-and-white PNG (about 500
    bytes). Drawn from reportlab's encoder with Pillow: Odoo's own
    ``ir.actions.report.barcode`` needs reportlab's bitmap backend, which
    only Debian's package of reportlab ships."""
    code = QRCode(None, QRErrorCorrectLevel.M)
    code.addData(value)
    # One mask pattern, not the best of eight: ``make()`` encodes and scores
    # all eight first, nine tenths of a chunk of letters' QR time. Every
    # mask makes a valid code; the scoring only avoids patterns that may be
    # harder to read. The letter prints the code at 30 mm, where a poor scan
    # reads it whatever the mask: 24 printed letters rasterized at 150 dpi
    # decoded with zbarimg 24 times at 30 mm with this mask, against 20 with
    # the best mask and 17 with this one at 22 mm (all at 200 and 300 dpi).
    code.version = code.calculate_version()
    code.makeImpl(False, 0)
    count = code.getModuleCount()
    size = count + 2 * border
    image = Image.new("1", (size, size), 1)
    pixels = image.load()
    for row in range(count):
        for col in range(count):
            if code.isDark(row, col):
                pixels[col + border, row + border] = 0
    image = image.resize((size * scale, size * scale), Image.NEAREST)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def letter_reference(action):
    """The letter's reference, printed on it: ``COB-0000123`` (the action)."""
    return f"COB-{action.id:07d}"


class ReportCobranzaLetter(models.AbstractModel):
    """The collection letter of an action, in the customer's language.

    The heading is the template's own subject (never the internal level
    name) and the text its body, both rendered in the customer's language.
    """

    _name = "report.cobranza_addon.report_cobranza_letter"
    _description = "Collection letter"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["cobranza.action"].browse(docids)
        if not docids and (data or {}).get("doc_ids"):
            # a batch of a run's letters names its actions in data (see
            # cobranza.run._render_batch); whoever asks must be able to read
            # them, as with the ids of the URL
            docids = data["doc_ids"]
            docs = docs.browse(docids)
            docs.check_access("read")
        return {
            "doc_ids": docids,
            "doc_model": "cobranza.action",
            "docs": docs,
            "letters": self._letters(docs),
        }

    @api.model
    def _letters(self, actions):
        """``{action_id: {subject, body, date, place, reference,
        reference_url}}``, rendered per template. The reference is printed
        on the letter and links to where the customer pays; the link also
        tells where each letter starts in a batch (``_render_split``)."""
        result = {}
        # the pay links' tokens in one statement, not one write per invoice
        actions._cobranza_ensure_pay_tokens()
        keep_opt_out = self._letters_must_say("opt_out")
        by_template = actions.grouped(
            lambda a: a.level_id.letter_template_id or a.level_id.mail_template_id
        )
        for template, template_actions in by_template.items():
            subjects = bodies = {}
            if template:
                subjects = template._render_field(
                    "subject", template_actions.ids, compute_lang=True
                )
                bodies = template._render_field(
                    "body_html",
                    template_actions.ids,
                    compute_lang=True,
                    options={"post_process": True},
                )
            for action in template_actions:
                lang = action.partner_id.lang or self.env.lang or "en_US"
                company = action.company_id
                result[action.id] = {
                    "subject": self._letter_subject(
                        subjects.get(action.id), company, lang
                    ),
                    "body": self._for_paper(
                        bodies.get(action.id), action, lang, keep_opt_out
                    ),
                    "date": letter_date(self.env, action.date, lang),
                    "place": company.partner_id.city or "",
                    "reference": letter_reference(action),
                    "reference_url": (
                        action._cobranza_pay_url() + "#" + letter_reference(action)
                    ),
                }
        return result

    @api.model
    def _for_paper(self, body, action, lang, keep_opt_out=False):
        """The template's body as it reads on paper. What only works on a
        screen leaves the letter: the email opt-out notice (block
        ``opt_out``; the rule packs require it of electronic channels
        only), and the pay link ("click its number") becomes a code to
        scan, with the same link (block ``payment_link``). ``keep_opt_out``:
        a content rule requires the notice on letters
        (:meth:`_letters_must_say`)."""
        if not body or "data-cobranza-block" not in body:
            return body or ""
        root = lxml_html.fragment_fromstring(str(body), create_parent="div")
        for node in root.xpath("//*[@data-cobranza-block]"):
            tags = set(node.get("data-cobranza-block").replace(",", " ").split())
            if "opt_out" in tags and not keep_opt_out:
                node.drop_tree()
            elif "payment_link" in tags:
                self._scan_to_pay(node, action, lang)
        # the fragment's own <div>...</div> wrapper left out
        return Markup(lxml_html.tostring(root, encoding="unicode")[5:-6])

    @api.model
    def _letters_must_say(self, tag):
        """Whether a content rule (any pack, active or not: the safe side)
        that applies to letters can require ``tag``; such a block stays on
        paper (``compliance.channel_may_require``)."""
        rules = (
            self.env["cobranza.rule"]
            .sudo()
            .with_context(active_test=False)
            .search([("kind", "=", "required_content")])
        )
        core = []
        for rule in rules:
            try:
                core.append(rule._to_core())
            except ValueError:
                return True  # unreadable: keep the block
        return channel_may_require(core, "letter", tag)

    @api.model
    def _scan_to_pay(self, node, action, lang):
        """``node`` (the pay link's paragraph) becomes a QR code of the
        action's pay link and a sentence in the customer's language."""
        for child in list(node):
            node.remove(child)
        node.text = None
        png = qr_png(action._cobranza_pay_url())
        image = lxml_html.Element(
            "img",
            src="data:image/png;base64," + base64.b64encode(png).decode(),
            style="width: 30mm; height: 30mm; vertical-align: middle;",
        )
        image.tail = " " + self.with_context(lang=lang).env._(
            "Scan this code to see and pay online, without creating an account."
        )
        node.append(image)

    @api.model
    def _letter_subject(self, subject, company, lang):
        """The subject as the letter's heading: the company is in the
        letterhead already, so a trailing " - Company" is dropped."""
        if subject and company.name:
            subject = re.sub(
                r"\s*[-–—|:]\s*" + re.escape(company.name) + r"\s*$", "", subject
            )
        if subject:
            return subject
        return self.with_context(lang=lang).env._("Payment reminder")
