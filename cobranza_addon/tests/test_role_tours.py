from datetime import date, timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.account_payment.tests.common import AccountPaymentCommon
from odoo.addons.payment.tests.http_common import PaymentHttpCommon

from .common import CobranzaCommon
from .test_payment_plan import PaymentPlanCommon
from .test_worklist import WorklistCommon


@tagged("post_install", "-at_install")
class TestCollectorWorklistTour(WorklistCommon, HttpCase):
    def test_collector_works_the_worklist_and_logs_a_call(self):
        self.start_tour(
            "/odoo/action-cobranza_addon.cobranza_worklist_action",
            "cobranza_worklist_tour",
            login=self.collector.login,
            timeout=180,
        )
        contact = self.env["cobranza.contact"].search(
            [("partner_id", "=", self.debtor.id)]
        )
        self.assertEqual(contact.channel, "call")
        self.assertIn("transfer next week", contact.reason)
        self.assertFalse(self.call.exists() and self.call.active)
        reasons = self.worklist(self.collector).mapped("reason")
        self.assertNotIn("call", reasons, "the logged call leaves the worklist")
        self.assertIn("dispute", reasons)


@tagged("post_install", "-at_install")
class TestManagerTour(CobranzaCommon, HttpCase):
    def test_manager_approves_a_plan_and_sends_the_agreement(self):
        today = fields.Date.today()
        manager = new_test_user(
            self.env,
            login="tour_manager",
            name="Mónica Manager",
            email="monica@example.com",
            groups="base.group_user,cobranza_addon.cobranza_group_manager",
            company_id=self.company.id,
        )
        self.collector.company_ids = self.company
        debtor = self.env["res.partner"].create(
            {"name": "Manager Tour Debtor SL", "email": "debtor@example.com"}
        )
        invoices = self.invoice(
            debtor, 600, today - timedelta(days=70), invoice_date=today - timedelta(100)
        ) | self.invoice(
            debtor, 400, today - timedelta(days=40), invoice_date=today - timedelta(70)
        )
        plan = (
            self.env["cobranza.payment.plan"]
            .with_user(self.collector)
            .create(
                {
                    "partner_id": debtor.id,
                    "invoice_ids": [Command.set(invoices.ids)],
                    "installment_count": 4,
                    "frequency": "monthly",
                    "first_date": today + timedelta(days=10),
                    "reduction_type": "percent",
                    "reduction_percent": 10.0,
                }
            )
        )
        plan.action_submit()
        self.assertEqual(plan.state, "to_approve")
        self.start_tour(
            "/odoo/action-cobranza_addon.cobranza_payment_plan_action",
            "cobranza_manager_tour",
            login=manager.login,
            timeout=180,
        )
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.approved_by_id, manager)
        sent = plan.message_ids.filtered(
            lambda m: "payment agreement" in (m.subject or "")
        )
        self.assertEqual(sent.partner_ids, debtor)


@tagged("post_install", "-at_install")
class TestPortalTour(PaymentPlanCommon, AccountPaymentCommon, PaymentHttpCommon):
    def test_portal_customer_pays_an_installment(self):
        # The test provider hands the customer to the payment status page.
        self.provider.redirect_form_view_id.arch = (
            '<form action="/payment/status" method="get"></form>'
        )
        self.env["res.users"].create(
            {
                "name": "Portal Customer",
                "login": "cb_tour_portal",
                "password": "cb_tour_portal",
                "partner_id": self.customer.id,
                "groups_id": [Command.set(self.env.ref("base.group_portal").ids)],
            }
        )
        plan = self._plan(
            installment_count=4, first_date=date.today() + timedelta(days=30)
        )
        plan.action_approve()
        self.start_tour(
            "/my/payment_plans",
            "cobranza_portal_tour",
            login="cb_tour_portal",
            # The payment pages are slow on a busy machine.
            timeout=240,
        )
        tx = self.env["payment.transaction"].search(
            [("invoice_ids", "in", self.inv_600.ids)]
        )
        self.assertEqual(tx.amount, 250.0)
        self.assertEqual(tx.partner_id, self.customer)
        # The provider confirms the payment.
        tx._set_done()
        tx._post_process()
        self.assertEqual(self.inv_600.amount_residual, 350.0)
        self.assertEqual(plan.line_ids.sorted("due_date")[0].state, "paid")
