import io
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import file_open
from odoo.tools.translate import TranslationImporter

from ..cobranza_core import compliance
from ..models.mail_template import block_tags, html_text
from .common import TODAY
from .report_common import ReportCommon, pdf_pages
from .test_compliance_templates import JURISDICTIONS

REPORT = "cobranza_addon.action_report_cobranza_certified_letter"
#: The letter's own Spanish, until it is merged into i18n/es.po.
FRAGMENT = "cobranza_addon/i18n/es_certified_letter.po.fragment"


def load_fragment(env, langs=("es_ES",)):
    try:
        with file_open(FRAGMENT, "rb") as po:
            data = io.BytesIO(po.read())
    except FileNotFoundError:
        return  # merged into es.po (loaded by ReportCommon)
    data.name = "es_certified_letter.po.as-is"
    importer = TranslationImporter(env.cr, verbose=False)
    for lang in langs:
        data.seek(0)
        importer.load(data, "po", lang)
    importer.save(overwrite=True)


@tagged("post_install", "-at_install")
@freeze_time(datetime(2026, 3, 16, 15, 0))
class TestCertifiedLetterPdf(ReportCommon, HttpCase):
    """The certified letter rendered to a real PDF, and its content checked
    against every shipped jurisdiction's content rules."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_fragment(cls.env)
        cls.co_company.cobranza_authorized_channels = "email, letter, sms, call"

    def _letter(self, partner, amount=155.26, purpose="demand"):
        invoice = self.invoice(partner, amount, TODAY - timedelta(days=50))
        letter = self.env["cobranza.certified.letter"].create(
            {
                "partner_id": partner.id,
                "invoice_ids": [Command.set(invoice.ids)],
                "purpose": purpose,
                "carrier": "Servientrega",
                "tracking_number": "SV-2026-0001",
            }
        )
        return letter, invoice

    def test_spanish_certified_letter_keeps_its_accents(self):
        letter, invoice = self._letter(self.co_company, purpose="pre_report")
        letter.with_context(force_report_rendering=True).action_send()
        stored = letter.letter_attachment_id
        self.assertEqual(stored.mimetype, "application/pdf")
        pages = pdf_pages(stored.raw)
        self.keep_pdf(stored.raw)
        self.assertEqual(len(pages), 1)
        text = pages[0]
        self.assertNotIn("Ã", text)
        self.assertIn("Señores:", text)
        self.assertIn("Días vencidos", text)
        self.assertIn("días", text.lower())
        self.assertIn("Distribuidora Pacífico S.A.S.", text)
        self.assertIn("Carta certificada", text)
        self.assertIn("Aviso previo al reporte", text)
        self.assertIn("Fecha límite de pago", text)
        self.assertIn("26 de marzo de 2026", text)
        self.assertIn("155,26", text)
        self.assertIn(invoice.name, text)
        self.assertIn("SV-2026-0001", text)
        # Letterhead in the body.
        self.assertIn("Cobranza Andina S.A.S.", text)
        self.assertIn("900123456-7", text)
        self.assertNotIn("Formal demand", text)

    def test_english_certified_mail_to_a_us_customer(self):
        letter, _invoice = self._letter(self.us_customer, 1234.5, "agency_referral")
        pages = pdf_pages(self.render_pdf(REPORT, letter))
        self.assertEqual(len(pages), 1)
        text = pages[0]
        self.assertIn("Certified mail", text)
        self.assertIn("Notice of referral to a collection agency or lawyer", text)
        self.assertIn("Dear Sir or Madam,", text)
        self.assertIn("1,234.50", text)
        self.assertIn("March 26, 2026", text)

    def test_letter_passes_every_jurisdictions_content_checks(self):
        """Like the shipped level templates (test_compliance_templates): the
        letter as rendered, each purpose, English and Spanish, creditor and
        agency, against the content rules of MX CO PE CL AR ES EU US."""
        rules = self.env["cobranza.rule"]._core_rules(self.company, None)
        checked = 0
        for partner in (self.us_customer, self.co_company, self.lucia):
            for purpose in ("demand", "pre_report", "agency_referral"):
                letter, _invoice = self._letter(partner, purpose=purpose)
                for actor in ("creditor", "agency"):
                    self.company.cobranza_actor_type = actor
                    html = letter._content_html()
                    tags = block_tags(html)
                    self.assertTrue(
                        {"amount_due", "payment_terms", "creditor_identity"} <= tags
                    )
                    if actor == "agency":
                        self.assertIn("mini_miranda", tags)
                    for code in JURISDICTIONS:
                        reasons = compliance.lint_template(
                            channel="letter",
                            tags=tags,
                            body_text=html_text(html),
                            envelope_text=partner._cobranza_envelope_text(),
                            rules=rules,
                            jurisdiction=code,
                            actor_type=actor,
                        )
                        self.assertFalse(
                            reasons, f"{partner.name} {purpose} {actor} {code}"
                        )
                        checked += 1
        self.assertEqual(checked, 3 * 3 * 2 * len(JURISDICTIONS))
