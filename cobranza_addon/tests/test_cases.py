from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import TODAY, CobranzaCommon


@tagged("post_install", "-at_install")
class TestCollectionCase(CobranzaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agency = cls.env["res.partner"].create(
            {"name": "Recuperaciones del Norte", "is_company": True}
        )

    def open_case(self, invoices, **vals):
        return self.env["cobranza.case"].create(
            {
                "partner_id": self.customer.id,
                "invoice_ids": [Command.set(invoices.ids)],
                "party_id": self.agency.id,
                "commission_percent": 15.0,
                **vals,
            }
        )

    def test_open_case_stops_the_runs_reminders_and_sets_the_stage(self):
        invoice = self.invoice(self.customer, 1000, TODAY - timedelta(days=25))
        case = self.open_case(invoice)
        self.assertEqual(
            invoice.cobranza_stage_id,
            self.env.ref("cobranza_addon.cobranza_stage_agency"),
        )
        self.assertEqual(case.amount_handed_over, 1000)
        run = self.run_followup(send=False)
        self.assertFalse(
            run.action_ids.filtered(lambda a: invoice in a.invoice_ids),
            "no reminder while the agency holds the invoice",
        )
        case.action_in_court()
        self.assertEqual(
            invoice.cobranza_stage_id,
            self.env.ref("cobranza_addon.cobranza_stage_judicial"),
        )
        run = self.run_followup(send=False)
        self.assertFalse(run.action_ids.filtered(lambda a: invoice in a.invoice_ids))
        # Closed: the case no longer holds the invoice, but the ladder only
        # moves forward: the run does not answer a judicial stage with a
        # milder reminder (a person decides what comes next).
        case.action_settled()
        self.assertTrue(case.date_closed)
        self.assertNotIn(
            invoice.id,
            self.env["cobranza.case"]._cobranza_case_blocked_invoice_ids(self.company),
        )
        run = self.run_followup(send=False)
        self.assertFalse(run.action_ids.filtered(lambda a: invoice in a.invoice_ids))

    def test_commission_on_payments_reconciled_after_the_handoff(self):
        invoice = self.invoice(self.customer, 1000, TODAY - timedelta(days=60))
        self.pay(invoice, 100, pay_date=TODAY - timedelta(days=10))
        case = self.open_case(invoice, date_open=TODAY - timedelta(days=5))
        self.assertEqual(case.amount_handed_over, 900)
        self.assertEqual(case.amount_recovered, 0, "paid before the handoff")
        self.pay(invoice, 400, pay_date=TODAY)
        self.assertEqual(case.amount_open, 500)
        self.assertEqual(case.amount_recovered, 400)
        self.assertEqual(case.commission_amount, 60, "15 % of 400")
        self.pay(invoice, 500, pay_date=TODAY)
        self.assertEqual(case.amount_recovered, 900)
        self.assertEqual(case.commission_amount, 135)

    def test_only_managers_open_or_change_cases(self):
        invoice = self.invoice(self.customer, 300, TODAY - timedelta(days=25))
        with self.assertRaises(AccessError):
            self.env["cobranza.case"].with_user(self.collector).create(
                {
                    "partner_id": self.customer.id,
                    "invoice_ids": [Command.set(invoice.ids)],
                    "party_id": self.agency.id,
                }
            )
        case = self.open_case(invoice)
        case.with_user(self.collector).read(["state"])
        with self.assertRaises(AccessError):
            case.with_user(self.collector).action_write_off()
