from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import TODAY
from .report_common import ReportCommon, pdf_pages


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestReportsPdf(ReportCommon, HttpCase):
    """Letters and agreements rendered to real PDF by wkhtmltopdf."""

    def test_spanish_letter_to_a_person_in_peru(self):
        action, invoice = self.formal_action(self.lucia)
        pages = pdf_pages(
            self.render_pdf("cobranza_addon.action_report_cobranza_letter", action)
        )
        self.assertEqual(len(pages), 1, "one page, no blank page after it")
        self.assertPagesNotBlank(pages)
        text = pages[0]
        # UTF-8 all the way (no "LucÃ­a"): the standard report wrapper.
        self.assertIn("Lucía Fernández", text)
        self.assertNotIn("Ã", text)
        self.assertIn("Perú", text, "the customer's country, in Spanish")
        self.assertIn("días", text.lower())
        # Letterhead in the body: name, address, tax id.
        self.assertIn("Cobranza Andina S.A.S.", text)
        self.assertIn("Carrera 7 # 71-21", text)
        self.assertIn("900123456-7", text)
        # The template's own subject, never the internal level name.
        self.assertIn("Requerimiento formal de pago", text)
        self.assertNotIn("Formal demand", text)
        # Dates and amounts as a Spanish reader writes them.
        self.assertIn("16 de marzo de 2026", text)
        self.assertIn("155,26", text)
        self.assertIn(invoice.name, text)

    def test_english_letter_to_a_us_customer(self):
        action, _invoice = self.formal_action(self.us_customer, amount=1234.5)
        pages = pdf_pages(
            self.render_pdf("cobranza_addon.action_report_cobranza_letter", action)
        )
        self.assertEqual(len(pages), 1)
        text = pages[0]
        self.assertIn("Harbor Supplies Inc.", text)
        self.assertIn("Formal demand for payment", text)
        self.assertIn("March 16, 2026", text)
        self.assertIn("1,234.50", text)
        # The creditor's country in the customer's language (not "Colombia"
        # would be the same word: check the tax id label is not Spanish).
        self.assertIn("Colombia", text)
        self.assertIn("United States", text)
        self.assertNotIn("Estados Unidos", text)

    def test_letters_of_several_customers_one_page_each(self):
        first, _ = self.formal_action(self.co_company)
        second, _ = self.formal_action(self.us_customer)
        pages = pdf_pages(
            self.render_pdf(
                "cobranza_addon.action_report_cobranza_letter", first | second
            )
        )
        self.assertEqual(len(pages), 2)
        self.assertPagesNotBlank(pages)
        self.assertIn("Requerimiento formal de pago", pages[0] + pages[1])
        self.assertIn("Formal demand for payment", pages[0] + pages[1])

    def _approved_plan(self):
        invoices = self.invoice(
            self.lucia, 600.0, TODAY - timedelta(days=60)
        ) | self.invoice(self.lucia, 400.0, TODAY - timedelta(days=30))
        plan = self.env["cobranza.payment.plan"].create(
            self.plan_vals(self.lucia, invoices, TODAY + timedelta(days=30))
        )
        plan.action_approve()
        return plan, invoices

    def test_agreement_shows_terms_as_approved_and_current_status(self):
        plan, invoices = self._approved_plan()
        self.assertEqual(plan.approved_terms["amount_covered"], 1000.0)
        self.pay(invoices[0], 250.0)
        plan._refresh_payments(TODAY)
        self.assertEqual(
            [inv["amount"] for inv in plan.approved_terms["invoices"]],
            [600.0, 400.0],
            "the snapshot does not follow the payments",
        )
        pages = pdf_pages(
            self.render_pdf("cobranza_addon.action_report_cobranza_payment_plan", plan)
        )
        self.assertPagesNotBlank(pages)
        text = "\n".join(pages)
        self.assertIn("Lucía Fernández", text)
        self.assertNotIn("Ã", text)
        terms, status = text.split("2. Estado de la cuenta", 1)
        # The terms as approved: the invoices add up to the covered amount.
        self.assertIn("600,00", terms)
        self.assertIn("400,00", terms)
        self.assertIn("1.000,00", terms)
        self.assertNotIn("350,00", terms, "the paid invoice keeps its agreed amount")
        # The current status, in its own section: 250 paid, 750 remaining.
        self.assertIn("250,00", status)
        self.assertIn("750,00", status)

    def test_approved_terms_cannot_be_written_over_rpc(self):
        plan, _invoices = self._approved_plan()
        with self.assertRaises(AccessError):
            plan.with_user(self.collector).write({"approved_terms": {"lines": []}})
        with self.assertRaises(AccessError):
            plan.write({"approved_terms": {"lines": []}})
        self.assertEqual(len(plan.approved_terms["lines"]), 3)
