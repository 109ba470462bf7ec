import os
import subprocess
import tempfile
from datetime import timedelta

from odoo import Command
from odoo.tools import file_open
from odoo.tools.translate import TranslationImporter

from .common import TODAY, CobranzaCommon


def pdf_pages(content):
    """The text of each page of a PDF (pdftotext, form feed separated)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", pdf.name, "-"],
            check=True,
            capture_output=True,
        ).stdout.decode()
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        # pdftotext ends every page with a form feed: drop what follows the
        # last one, then the pages are the PDF's pages.
        pages = pages[:-1]
    return pages


class ReportCommon(CobranzaCommon):
    # HttpCase (mixed in by the test classes): wkhtmltopdf fetches the report
    # assets from the test server, which must share the test transaction.
    """A Colombian creditor, a Peruvian person, a Colombian company and a US
    customer; Spanish loaded as a real database has it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.env["ir.module.module"]._load_module_terms(["base"], ["es_ES"])
        cls.load_spanish(cls.env)
        ref = cls.env.ref
        cls.company.write(
            {
                "name": "Cobranza Andina S.A.S.",
                "street": "Carrera 7 # 71-21",
                "city": "Bogotá",
                "country_id": ref("base.co").id,
                "vat": "900123456-7",
                "phone": "+57 601 555 0100",
                "email": "cartera@andina.example",
            }
        )
        cls.lucia = cls.env["res.partner"].create(
            {
                "name": "Lucía Fernández",
                "street": "Av. Arequipa 1234",
                "city": "Lima",
                "country_id": ref("base.pe").id,
                "email": "lucia@example.pe",
                "lang": "es_ES",
            }
        )
        cls.co_company = cls.env["res.partner"].create(
            {
                "name": "Distribuidora Pacífico S.A.S.",
                "is_company": True,
                "street": "Calle 80 # 10-20",
                "city": "Medellín",
                "country_id": ref("base.co").id,
                "email": "tesoreria@pacifico.example",
                "lang": "es_ES",
                "vat": "901234567-8",
            }
        )
        cls.us_customer = cls.env["res.partner"].create(
            {
                "name": "Harbor Supplies Inc.",
                "is_company": True,
                "street": "100 Ocean Drive",
                "city": "Miami",
                "zip": "33139",
                "state_id": ref("base.state_us_10").id,
                "country_id": ref("base.us").id,
                "email": "ap@harbor.example",
                "lang": "en_US",
            }
        )
        # Contact authorised on every channel (CO-CHANNEL), any time of day.
        (cls.lucia | cls.co_company | cls.us_customer).write(
            {"cobranza_authorized_channels": "email, letter, sms, call, activity"}
        )

    @staticmethod
    def load_spanish(env):
        """Load i18n/es.po as it is, not merged with the .pot (Odoo's reader
        drops the entries a stale .pot does not list yet)."""
        importer = TranslationImporter(env.cr, verbose=False)
        with (
            file_open("cobranza_addon/i18n/es.po", "rb") as po,
            tempfile.NamedTemporaryFile(suffix=".po-unmerged") as copy,
        ):
            copy.write(po.read())
            copy.flush()
            copy.seek(0)
            importer.load(copy, "po", "es_ES")
        importer.save(overwrite=True)

    def render_pdf(self, report_ref, records, data=None):
        content, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report_ref, records.ids, data=data)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))
        self.keep_pdf(content)
        return content

    def keep_pdf(self, content):
        """With COBRANZA_REPORT_DIR set, keep the PDF to look at it."""
        folder = os.environ.get("COBRANZA_REPORT_DIR")
        if folder:
            os.makedirs(folder, exist_ok=True)
            path = os.path.join(folder, f"{self._testMethodName}.pdf")
            with open(path, "wb") as pdf:
                pdf.write(content)

    def assertPagesNotBlank(self, pages):
        self.assertTrue(pages, "the PDF has pages")
        for number, page in enumerate(pages, 1):
            self.assertTrue(page.strip(), f"page {number} of {len(pages)} is blank")

    def formal_action(self, partner, amount=155.26, days=50):
        """The formal demand (a letter) for one overdue invoice."""
        invoice = self.invoice(partner, amount, TODAY - timedelta(days=days))
        run = self.run_followup(send=False)
        action = run.action_ids.filtered(lambda a: a.partner_id == partner)
        self.assertEqual(len(action), 1)
        return action, invoice

    def two_one_page_letters(self):
        """A previewed run whose actions for the US customer and for Lucía
        are one-page letters, in the order of their ids."""
        self.invoice(self.us_customer, 250, TODAY - timedelta(days=50))
        self.invoice(self.lucia, 155.26, TODAY - timedelta(days=50))
        run = self.run_followup(send=False)
        actions = run.action_ids.filtered(
            lambda a: a.partner_id in (self.us_customer | self.lucia)
        ).sorted("id")
        self.assertEqual(len(actions), 2)
        return run, actions

    @staticmethod
    def plan_vals(partner, invoices, first_date):
        return {
            "partner_id": partner.id,
            "invoice_ids": [Command.set(invoices.ids)],
            "installment_count": 3,
            "frequency": "monthly",
            "first_date": first_date,
        }
