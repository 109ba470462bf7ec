from datetime import date, timedelta
from decimal import Decimal

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .test_payment_plan import TODAY, PaymentPlanCommon

PROMISED = TODAY + timedelta(days=7)


@tagged("post_install", "-at_install")
class TestPromise(PaymentPlanCommon):
    def _promise(self, user=None, **vals):
        env = self.env(user=user) if user else self.env
        return env["cobranza.promise"].create(
            {
                "partner_id": self.customer.id,
                "invoice_ids": [Command.set(self.inv_600.ids)],
                "amount": 300.0,
                "promise_date": PROMISED,
                **vals,
            }
        )

    @freeze_time(TODAY)
    def test_promise_pauses_followup_until_date_plus_grace(self):
        promise = self._promise(user=self.collector)
        self.assertEqual(promise.user_id, self.collector)
        self.assertEqual(promise.pause_until, PROMISED + timedelta(days=2))
        self.assertEqual(
            self.inv_600.cobranza_paused_until, PROMISED + timedelta(days=2)
        )
        self.assertFalse(self.inv_400.cobranza_paused_until)
        promise.action_cancel()
        self.assertFalse(self.inv_600.cobranza_paused_until)

    def test_kept_from_reconciled_payments(self):
        with freeze_time(TODAY):
            promise = self._promise()
        with freeze_time(TODAY + timedelta(days=3)):
            self._pay(self.inv_600, 200.0)
            self.assertEqual(promise.state, "open")
            self.assertEqual(promise.amount_paid, 200.0)
            self._pay(self.inv_600, 100.0)
            self.assertEqual(promise.state, "kept")
            self.assertFalse(self.inv_600.cobranza_paused_until)

    def test_broken_after_grace_escalates(self):
        stage = self.env["cobranza.stage"].create(
            {"name": "Escalated", "code": "extrajudicial"}
        )
        self.company.cobranza_promise_break_stage_id = stage
        with freeze_time(TODAY):
            promise = self._promise(user=self.collector)
        with freeze_time(PROMISED + timedelta(days=1)):
            self._pay(self.inv_600, 100.0)
        with freeze_time(PROMISED + timedelta(days=2)):
            self.env["cobranza.promise"]._cron_update_promises()
            self.assertEqual(promise.state, "open")
        with freeze_time(PROMISED + timedelta(days=3)):
            self.env["cobranza.promise"]._cron_update_promises()
            self.assertEqual(promise.state, "broken")
            self.assertEqual(promise.amount_paid, 100.0)
            self.assertFalse(self.inv_600.cobranza_paused_until)
            self.assertEqual(self.inv_600.cobranza_stage_id, stage)
            self.assertEqual(promise.activity_ids.user_id, self.collector)
            mail = promise.message_ids.filtered(
                lambda m: "Your payment promised" in (m.subject or "")
            )
            self.assertEqual(mail.partner_ids, self.customer)
        with self.assertRaises(UserError):
            promise.amount = 10.0

    @freeze_time(TODAY)
    def test_promise_and_plan_pauses_combine(self):
        plan = self._plan()
        plan.action_approve()  # paused until the first installment, April 15
        self._promise(promise_date=date(2026, 5, 1))
        self.assertEqual(self.inv_600.cobranza_paused_until, date(2026, 5, 3))
        self.assertEqual(self.inv_400.cobranza_paused_until, date(2026, 4, 15))

    @freeze_time(TODAY)
    def test_bad_promises_are_refused(self):
        cases = [
            ({"amount": 0.0}, "greater than zero"),
            ({"promise_date": TODAY - timedelta(days=1)}, "in the past"),
            (
                {
                    "invoice_ids": [
                        Command.set(
                            self._invoice(
                                10.0, date(2026, 1, 1), partner=self.partner_b
                            ).ids
                        )
                    ]
                },
                "customer invoices of",
            ),
        ]
        for vals, message in cases:
            with self.subTest(vals=vals):
                with self.assertRefused(ValidationError, message):
                    self._promise(**vals)
        self.assertFalse(self.env["cobranza.promise"].search([]))
        self.assertFalse(self.inv_600.cobranza_paused_until)

    def test_kept_rate_per_collector(self):
        other = new_test_user(
            self.env, login="cb_collector2", groups="cobranza_addon.cobranza_group_user"
        )
        with freeze_time(TODAY):
            kept = self._promise(user=self.collector, amount=50.0)
            self._promise(user=self.collector, amount=500.0)
            self._promise(
                user=other, amount=500.0, invoice_ids=[Command.set(self.inv_400.ids)]
            )
            self._pay(self.inv_600, 50.0)
            self.assertEqual(kept.state, "kept")
        with freeze_time(PROMISED + timedelta(days=10)):
            self.env["cobranza.promise"]._cron_update_promises()
        rates = self.env["cobranza.promise"]._kept_rate_by_collector()
        self.assertEqual(rates[self.collector], (1, 2, Decimal("50.00")))
        self.assertEqual(rates[other], (0, 1, Decimal("0.00")))

    @freeze_time(TODAY)
    def test_promise_access(self):
        promise = self._promise(user=self.collector)
        with self.assertRaises(AccessError):
            promise.with_user(self.collector).unlink()
        billing = new_test_user(
            self.env, login="cb_billing_p", groups="account.group_account_invoice"
        )
        with self.assertRaises(AccessError):
            self.env["cobranza.promise"].with_user(billing).search([])
        promise.with_user(self.manager).unlink()
