from datetime import timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CobranzaCommon


@tagged("post_install", "-at_install")
class TestPaymentPlanTour(CobranzaCommon, HttpCase):
    def test_manager_agrees_a_plan_that_is_then_broken(self):
        """Done when: a 6-installment plan with a 10 % reduction is built,
        approved and sent in the browser; two payments pay two installments;
        the third missed beyond the tolerance breaks it and follow-up resumes."""
        today = fields.Date.today()
        manager = new_test_user(
            self.env,
            login="plan_tour_manager",
            name="Mónica Manager",
            email="monica@example.com",
            groups="base.group_user,cobranza_addon.cobranza_group_manager",
            company_id=self.company.id,
        )
        debtor = self.env["res.partner"].create(
            {"name": "Plan Tour Debtor SL", "email": "debtor@example.com"}
        )
        inv_600 = self.invoice(
            debtor,
            600,
            today - timedelta(days=70),
            invoice_date=today - timedelta(100),
            post=False,
        )
        inv_400 = self.invoice(
            debtor,
            400,
            today - timedelta(days=40),
            invoice_date=today - timedelta(70),
            post=False,
        )
        inv_600.ref, inv_400.ref = "PO-TOUR-600", "PO-TOUR-400"
        (inv_600 | inv_400).action_post()
        self.start_tour(
            "/odoo/action-cobranza_addon.cobranza_payment_plan_action/new",
            "cobranza_payment_plan_tour",
            login=manager.login,
        )
        plan = self.env["cobranza.payment.plan"].search(
            [("partner_id", "=", debtor.id)]
        )
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.invoice_ids, inv_600 | inv_400)
        self.assertEqual(plan.approved_by_id, manager)
        self.assertEqual(plan.reduction_amount, 100.0)
        self.assertEqual(plan.line_ids.mapped("amount"), [150.0] * 6)
        sent = plan.message_ids.filtered(
            lambda m: "payment agreement" in (m.subject or "")
        )
        self.assertEqual(sent.partner_ids, debtor)
        self.assertIn("Payment agreement", sent.attachment_ids.name)
        # While the plan is kept, follow-up of its invoices waits.
        self.assertFalse(
            self.run_followup(send=False).action_ids.invoice_ids & plan.invoice_ids
        )

        self.pay(inv_600, 150.0, pay_date=today)
        self.pay(inv_600, 150.0, pay_date=today)
        lines = plan.line_ids.sorted("due_date")
        self.assertEqual(lines.mapped("state")[:3], ["paid", "paid", "pending"])

        tolerance = self.company.cobranza_plan_tolerance_days
        third_due = lines[2].due_date
        self.assertEqual(third_due, plan.first_date + relativedelta(months=2))
        with freeze_time(third_due + timedelta(days=tolerance + 1)):
            self.env["cobranza.payment.plan"]._cron_update_plans()
            self.assertEqual(plan.state, "broken")
            self.assertFalse(inv_600.cobranza_paused_until)
            self.env["cobranza.run"].search([("state", "=", "preview")]).action_cancel()
            run = self.run_followup(send=False)
            self.assertEqual(
                run.action_ids.filtered(lambda a: a.partner_id == debtor).invoice_ids,
                inv_600 | inv_400,
            )
