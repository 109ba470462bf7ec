from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, tagged

from .common import TODAY
from .report_common import ReportCommon, pdf_pages


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestStatement(ReportCommon, HttpCase):
    """Statement of account: figures, PDF, sending through the gate."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.inv_old = cls.invoice(cls.co_company, 700.0, TODAY - timedelta(days=95))
        cls.inv_mid = cls.invoice(cls.co_company, 300.0, TODAY - timedelta(days=40))
        cls.inv_new = cls.invoice(cls.co_company, 250.0, TODAY - timedelta(days=5))
        cls.inv_future = cls.invoice(cls.co_company, 125.0, TODAY + timedelta(days=10))
        cls.pay(cls.inv_mid, 100.0, TODAY - timedelta(days=3))
        cls.promise = cls.env["cobranza.promise"].create(
            {
                "partner_id": cls.co_company.id,
                "invoice_ids": [(6, 0, cls.inv_new.ids)],
                "amount": 250.0,
                "promise_date": TODAY + timedelta(days=7),
            }
        )
        # Someone else's debt never shows.
        cls.invoice(cls.lucia, 999.0, TODAY - timedelta(days=20))

    def _statement(self, partner):
        values = self.env[
            "report.cobranza_addon.report_cobranza_statement"
        ]._get_report_values(partner.ids)
        return values["statements"][partner.id]

    def test_totals_equal_the_aging_report(self):
        st = self._statement(self.co_company)
        Aging = self.env["cobranza.aging.report"]
        domain = [
            ("partner_id", "=", self.co_company.id),
            ("company_id", "=", self.company.id),
        ]
        columns = [
            "amount_residual",
            "amount_not_due",
            "amount_1_30",
            "amount_31_60",
            "amount_61_90",
            "amount_91_120",
            "amount_over_120",
        ]
        [row] = Aging._read_group(domain, [], [f"{c}:sum" for c in columns])
        aging = dict(zip(columns, row, strict=True))
        self.assertAlmostEqual(st["total"], aging["amount_residual"])
        self.assertAlmostEqual(st["total"], 700 + 200 + 250 + 125)
        for key, amount in st["buckets"].items():
            self.assertAlmostEqual(amount, aging[f"amount_{key}"], msg=key)
        self.assertAlmostEqual(st["overdue"], 700 + 200 + 250)
        self.assertAlmostEqual(st["payments_total"], 100.0)
        self.assertEqual(st["promises"], self.promise)
        self.assertEqual(
            {item.move_id for item in st["items"]},
            set(self.inv_old | self.inv_mid | self.inv_new | self.inv_future),
        )

    def test_statement_pdf_in_spanish(self):
        attachment = self.co_company.with_context(
            force_report_rendering=True
        )._cobranza_statement_pdf()
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertEqual(attachment.res_model, "res.partner")
        self.assertEqual(attachment.res_id, self.co_company.id)
        self.assertIn("Distribuidora Pacífico S.A.S.", attachment.name)
        self.keep_pdf(attachment.raw)
        pages = pdf_pages(attachment.raw)
        self.assertPagesNotBlank(pages)
        text = "\n".join(pages)
        self.assertNotIn("Ã", text)
        self.assertIn("Estado de cuenta", text)
        self.assertIn("Distribuidora Pacífico S.A.S.", text)
        self.assertIn("Medellín", text)
        self.assertIn("1.275,00", text, "total open")
        self.assertIn("1.150,00", text, "overdue")
        self.assertIn("100,00", text, "payment received")
        self.assertIn("91-120 días", text)
        for invoice in self.inv_old | self.inv_mid | self.inv_new | self.inv_future:
            self.assertIn(invoice.name, text)
        self.assertNotIn("999", text)

    def test_statement_email_in_spanish_to_a_company(self):
        template = self.env.ref("cobranza_addon.mail_template_cobranza_statement")
        body = template._render_field(
            "body_html", self.co_company.ids, compute_lang=True
        )[self.co_company.id]
        self.assertIn("Estimados señores", body)
        subject = template._render_field(
            "subject", self.co_company.ids, compute_lang=True
        )[self.co_company.id]
        self.assertTrue(subject.startswith("Estado de cuenta"))

    def test_send_from_the_customer_passes_the_gate_and_is_logged(self):
        action = self.co_company.with_context(
            force_report_rendering=True
        ).action_cobranza_send_statement()
        composer = Form(
            self.env["mail.compose.message"].with_context(**action["context"])
        ).save()
        self.assertIn(self.co_company, composer.partner_ids)
        self.assertEqual(len(composer.attachment_ids), 1)
        composer._action_send_mail()
        message = self.co_company.message_ids[:1]
        self.assertEqual(message.attachment_ids.mimetype, "application/pdf")
        ledger = self.env["cobranza.contact"].search(
            [("partner_id", "=", self.co_company.id), ("origin", "=", "manual")]
        )
        self.assertEqual(len(ledger), 1)

    def test_send_refused_when_the_rules_forbid_it(self):
        # A consumer in Colombia who authorised SMS only (CO-CHANNEL), on a
        # Sunday evening (CO-HOURS): no email now.
        self.co_company.write(
            {"cobranza_debtor_type": "consumer", "cobranza_authorized_channels": "sms"}
        )
        action = self.co_company.with_context(
            force_report_rendering=True
        ).action_cobranza_send_statement()
        composer = Form(
            self.env["mail.compose.message"].with_context(**action["context"])
        ).save()
        with self.assertRaisesRegex(UserError, "compliance rules"):
            composer._action_send_mail()

    def test_bulk_send_from_a_list_in_batches(self):
        blocked = self.env["res.partner"].create(
            {
                "name": "Camilo Ríos",
                "country_id": self.env.ref("base.co").id,
                "email": "optica@example.co",
                "cobranza_authorized_channels": "sms",
            }
        )
        self.invoice(blocked, 80.0, TODAY - timedelta(days=10))
        no_email = self.customer_no_email
        partners = self.co_company | self.us_customer | blocked | no_email
        result = partners.action_cobranza_send_statements()
        self.assertIn("Ferretería Sin Correo", result["params"]["message"])
        self.assertTrue(self.co_company.cobranza_statement_queued)
        self.assertFalse(no_email.cobranza_statement_queued)
        self.env["res.partner"].with_context(
            force_report_rendering=True
        )._cron_send_statements()
        self.assertFalse(
            self.env["res.partner"].search([("cobranza_statement_queued", "=", True)])
        )
        sent = self.env["mail.mail"].search(
            [("recipient_ids", "in", (self.co_company | self.us_customer).ids)]
        )
        self.assertEqual(len(sent), 2)
        for mail in sent:
            self.assertEqual(mail.attachment_ids.mimetype, "application/pdf")
        self.assertFalse(
            self.env["mail.mail"].search([("recipient_ids", "in", blocked.ids)])
        )
        self.assertIn("not sent", blocked.message_ids[:1].body)
