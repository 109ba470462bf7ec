from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_payment_plan import TODAY, PaymentPlanCommon

#: What a JSON-RPC client may put in the context: it must change nothing.
RPC_CONTEXT = {"cobranza_plan_saving": True, "cobranza_plan_tracking": True}


@tagged("post_install", "-at_install")
class TestAuthorityPlan(PaymentPlanCommon):
    """Plans as a collector's RPC client would try them (issue 10)."""

    def _rpc(self, record, user):
        return record.with_user(user).with_context(**RPC_CONTEXT)

    def _snapshot(self, plan):
        plan.invalidate_recordset()
        plan.line_ids.invalidate_recordset()
        return (
            plan.state,
            plan.approved_by_id,
            plan.reduction_percent,
            plan.reduction_amount,
            [
                (line.id, line.principal_amount, line.amount_paid, line.state)
                for line in plan.line_ids.sorted("id")
            ],
        )

    @freeze_time(TODAY)
    def test_collector_cannot_approve_by_writing_the_state(self):
        plan = self._plan(
            user=self.collector, reduction_type="percent", reduction_percent=20
        )
        before = self._snapshot(plan)
        with self.assertRaises(AccessError):
            self._rpc(plan, self.collector).write(
                {"state": "active", "approved_by_id": self.manager.id}
            )
        self.assertEqual(self._snapshot(plan), before)
        self.assertFalse(
            plan.message_ids.filtered(lambda m: "Marcos" in (m.body or "")),
            "no tracking message in the manager's name",
        )
        # The legitimate way: sent for approval, approved by a manager.
        self._rpc(plan, self.collector).action_submit()
        with self.assertRaises(AccessError):
            self._rpc(plan, self.collector).action_approve()
        self.assertEqual(plan.state, "to_approve")
        plan.with_user(self.manager).action_approve()
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.approved_by_id, self.manager)

    @freeze_time(TODAY)
    def test_collector_cannot_create_an_approved_plan(self):
        for vals in (
            {"state": "active"},
            {"approved_by_id": self.manager.id},
            {"state": "cancelled"},
            {"date_start": "2020-01-01"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                self.Plan.with_user(self.collector).with_context(**RPC_CONTEXT).create(
                    self._plan_vals(**vals)
                )
        self.assertFalse(self.Plan.search([]))

    @freeze_time(TODAY)
    def test_approved_plan_cannot_be_cancelled_by_write(self):
        plan = self._plan()
        plan.with_user(self.manager).action_approve()
        before = self._snapshot(plan)
        with self.assertRaises(AccessError):
            self._rpc(plan, self.collector).write({"state": "cancelled"})
        with self.assertRaises(AccessError):
            self._rpc(plan, self.collector).action_cancel()
        self.assertEqual(self._snapshot(plan), before)
        plan.with_user(self.manager).action_cancel()
        self.assertEqual(plan.state, "cancelled")

    @freeze_time(TODAY)
    def test_context_key_does_not_unlock_the_terms(self):
        plan = self._plan(reduction_type="percent", reduction_percent=20)
        plan.with_user(self.manager).action_approve()
        before = self._snapshot(plan)
        for user in (self.collector, self.manager):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                self._rpc(plan, user).write({"reduction_percent": 90})
        self.assertEqual(self._snapshot(plan), before)

    @freeze_time(TODAY)
    def test_installments_cannot_be_paid_changed_or_deleted_by_hand(self):
        plan = self._plan()
        plan.with_user(self.manager).action_approve()
        line = plan.line_ids.sorted("due_date")[0]
        before = self._snapshot(plan)
        attempts = [
            lambda lines: lines.write({"amount_paid": 200.0, "state": "paid"}),
            lambda lines: lines.write({"state": "paid"}),
            lambda lines: lines.write({"principal_amount": 1.0}),
            lambda lines: lines.unlink(),
            lambda lines: lines.create(
                {"plan_id": plan.id, "due_date": TODAY, "principal_amount": 1.0}
            ),
            lambda lines: plan.with_env(lines.env).write(
                {"line_ids": [Command.update(line.id, {"amount_paid": 5.0})]}
            ),
        ]
        for index, attempt in enumerate(attempts):
            with self.subTest(attempt=index), self.assertRaises(UserError):
                attempt(self._rpc(line, self.collector))
        self.assertEqual(self._snapshot(plan), before)
        # The legitimate way: a payment reconciled with the invoices.
        self._pay(self.inv_600, line.amount)
        self.assertEqual(line.state, "paid")
        self.assertEqual(line.amount_paid, line.amount)

    @freeze_time(TODAY)
    def test_draft_installments_still_editable_as_a_whole(self):
        plan = self._plan(user=self.collector, installment_count=2)
        first, second = plan.line_ids.sorted("due_date")
        plan.with_user(self.collector).write(
            {
                "line_ids": [
                    Command.update(first.id, {"principal_amount": 400.0}),
                    Command.update(second.id, {"principal_amount": 600.0}),
                ]
            }
        )
        self.assertEqual(first.principal_amount, 400.0)
        with self.assertRaises(AccessError):
            plan.with_user(self.collector).write(
                {"line_ids": [Command.update(first.id, {"state": "paid"})]}
            )
