from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .test_payment_plan import TODAY, PaymentPlanCommon

RPC_CONTEXT = {"cobranza_plan_saving": True, "cobranza_plan_tracking": True}
INVOICE_FIELDS = (
    "cobranza_paused_until",
    "cobranza_level_id",
    "cobranza_dispute",
    "cobranza_dispute_reason",
    "cobranza_excluded",
    "cobranza_next_date",
)


@tagged("post_install", "-at_install")
class TestAuthorityInvoice(PaymentPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = new_test_user(
            cls.env,
            login="cb_billing_a",
            groups="account.group_account_invoice",
        )

    def _values(self, move):
        move.invalidate_recordset()
        return {name: move[name] for name in INVOICE_FIELDS}

    def test_billing_user_cannot_pause_level_or_dispute(self):
        level = self.env["cobranza.level"].search([], limit=1)
        before = self._values(self.inv_600)
        attempts = [
            {"cobranza_paused_until": "2099-12-31"},
            {"cobranza_level_id": level.id},
            {"cobranza_next_date": "2099-12-31"},
            {"cobranza_dispute": True, "cobranza_dispute_reason": "No"},
            {"cobranza_excluded": True},
        ]
        for user in (self.billing, self.collector):
            for vals in attempts:
                with self.subTest(user=user.login, vals=vals):
                    with self.assertRaises(AccessError):
                        self.inv_600.with_user(user).with_context(**RPC_CONTEXT).write(
                            vals
                        )
        self.assertEqual(self._values(self.inv_600), before)

    def test_dispute_and_exclusion_through_their_buttons(self):
        with self.assertRaises(AccessError):
            self.inv_600.with_user(self.billing)._cobranza_open_dispute("No")
        self.assertFalse(self.inv_600.cobranza_dispute)
        wizard = (
            self.env["cobranza.dispute.wizard"]
            .with_user(self.collector)
            .with_context(active_ids=self.inv_600.ids)
            .create({"reason": "Goods damaged"})
        )
        wizard.action_confirm()
        self.assertTrue(self.inv_600.cobranza_dispute)
        self.assertEqual(self.inv_600.cobranza_dispute_reason, "Goods damaged")
        self.inv_600.with_user(self.collector).action_cobranza_resolve_dispute()
        self.assertFalse(self.inv_600.cobranza_dispute)
        self.inv_600.with_user(self.manager).write({"cobranza_excluded": True})
        self.assertTrue(self.inv_600.cobranza_excluded)


@tagged("post_install", "-at_install")
class TestAuthorityPromise(PaymentPlanCommon):
    def _vals(self, **vals):
        return {
            "partner_id": self.customer.id,
            "invoice_ids": [Command.set(self.inv_600.ids)],
            "amount": 300.0,
            "promise_date": TODAY + timedelta(days=7),
            **vals,
        }

    def _create(self, user, **vals):
        return (
            self.env["cobranza.promise"]
            .with_user(user)
            .with_context(**RPC_CONTEXT)
            .create(self._vals(**vals))
        )

    @freeze_time(TODAY)
    def test_promise_cannot_be_created_closed(self):
        for vals in (
            {"state": "kept", "amount": 0.0},
            {"state": "cancelled", "amount": -5.0},
            {"state": "kept"},
            {"amount_paid": 300.0},
            {"date": "2020-01-01"},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                self._create(self.collector, **vals)
        self.assertFalse(self.env["cobranza.promise"].search([]))
        self.assertFalse(self.inv_600.cobranza_paused_until)

    @freeze_time(TODAY)
    def test_promise_state_and_amount_only_through_methods(self):
        promise = self._create(self.collector)
        before = (promise.state, promise.amount, promise.amount_paid)
        for vals in (
            {"state": "kept", "amount": -10.0},
            {"state": "kept"},
            {"amount": 0.01},
            {"amount_paid": 300.0},
        ):
            for user in (self.collector, self.manager):
                with self.subTest(vals=vals, user=user.login):
                    with self.assertRaises(UserError):
                        promise.with_user(user).with_context(**RPC_CONTEXT).write(vals)
        promise.invalidate_recordset()
        self.assertEqual((promise.state, promise.amount, promise.amount_paid), before)
        kpi = self.env["cobranza.promise"]._kept_rate_by_collector()
        self.assertNotIn(self.collector, kpi)
        # The legitimate ways: payments keep it, the button cancels it.
        self._pay(self.inv_600, 300.0)
        self.assertEqual(promise.state, "kept")
        other = self._create(
            self.collector, invoice_ids=[Command.set(self.inv_400.ids)]
        )
        other.with_user(self.collector).action_cancel()
        self.assertEqual(other.state, "cancelled")

    @freeze_time(TODAY)
    def test_promise_horizon_bounds_the_pause(self):
        for day, error in (
            ("2099-01-01", "at most 60 days"),
            ("9999-12-31", "at most 60 days"),
            ("not a date", "not a valid date"),
            (TODAY + timedelta(days=61), "at most 60 days"),
        ):
            with self.subTest(day=day):
                with self.assertRaisesRegex(ValidationError, error):
                    self._create(self.collector, amount=0.01, promise_date=day)
        for amount in ("abc", float("nan"), float("inf"), -1.0):
            with self.subTest(amount=amount), self.assertRaises(ValidationError):
                self._create(self.collector, amount=amount)
        self.assertFalse(self.inv_600.cobranza_paused_until)
        self.company.cobranza_promise_max_days = 90
        promise = self._create(self.collector, promise_date=TODAY + timedelta(days=90))
        self.assertEqual(promise.pause_until, TODAY + timedelta(days=90))
        self.assertEqual(self.inv_600.cobranza_paused_until, TODAY + timedelta(days=90))
        with self.assertRaises(ValidationError):
            promise.write({"promise_date": date(2099, 1, 1)})
