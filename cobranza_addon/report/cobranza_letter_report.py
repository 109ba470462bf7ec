import re

from odoo import api, models
from odoo.tools import format_date


def letter_date(env, value, lang):
    """A date as written in a letter: "16 de marzo de 2026", "March 16, 2026"."""
    return format_date(env, value, lang_code=lang, date_format="long")


#: The fragment that ends a letter's reference link: ``#COB-0000123``.
LETTER_REFERENCE = re.compile(r"#COB-(\d+)$")


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
                    "body": bodies.get(action.id) or "",
                    "date": letter_date(self.env, action.date, lang),
                    "place": company.partner_id.city or "",
                    "reference": letter_reference(action),
                    "reference_url": (
                        action._cobranza_pay_url() + "#" + letter_reference(action)
                    ),
                }
        return result

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
