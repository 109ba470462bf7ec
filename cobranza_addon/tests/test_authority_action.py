from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import TODAY
from .test_compliance_run import MONDAY_0700_BOGOTA, CompliancePartners

RPC_CONTEXT = {"cobranza_plan_saving": True, "active_test": False}


@tagged("post_install", "-at_install")
class TestAuthorityAction(CompliancePartners):
    """Collection actions as a collector's RPC client would try them."""

    def _values(self, action):
        action.invalidate_recordset()
        return {
            name: action[name]
            for name in (
                "state",
                "override_rules",
                "override_user_id",
                "override_justification",
                "collector_id",
                "not_before",
            )
        }

    def _blocked_action(self):
        self.co_debtor.cobranza_authorized_channels = False
        self.invoice(self.co_debtor, 300, TODAY - timedelta(days=10))
        run = self.run_followup()
        action = self.action_of(run, self.co_debtor)
        self.assertEqual(action.state, "blocked")
        return action

    def test_collector_cannot_override_a_rule_by_writing_the_fields(self):
        with freeze_time(MONDAY_0700_BOGOTA + timedelta(hours=2)):
            action = self._blocked_action()
            before = self._values(action)
            with self.assertRaises(AccessError):
                action.with_user(self.collector).with_context(**RPC_CONTEXT).write(
                    {
                        "override_rules": "CO-CHANNEL",
                        "override_user_id": self.manager.id,
                        "override_justification": "Approved",
                        "state": "proposed",
                    }
                )
            self.assertEqual(self._values(action), before)
            self.assertFalse(self.sent_mails(self.co_debtor))
            # Even a manager goes through the override method (and block
            # rules are never overridden).
            with self.assertRaises(AccessError):
                action.with_user(self.manager).write({"override_rules": "CO-CHANNEL"})
            with self.assertRaises(UserError):
                action.with_user(self.manager).action_override(["CO-CHANNEL"], "Ok")
            self.assertEqual(self._values(action), before)

    def test_blocked_action_cannot_be_marked_sent(self):
        with freeze_time(MONDAY_0700_BOGOTA + timedelta(hours=2)):
            action = self._blocked_action()
            before = self._values(action)
            for user in (self.collector, self.manager):
                with self.subTest(user=user.login), self.assertRaises(AccessError):
                    action.with_user(user).with_context(**RPC_CONTEXT).write(
                        {"state": "done"}
                    )
            self.assertEqual(self._values(action), before)
            # The legitimate ways: retry (rules checked anew) or dismiss.
            self.co_debtor.cobranza_authorized_channels = "email"
            action.with_user(self.collector).action_retry()
            self.assertEqual(action.state, "done")
            self.assertTrue(self.sent_mails(self.co_debtor))

    @freeze_time(TODAY)
    def test_collector_cannot_hand_make_an_escalation(self):
        not_due = self.invoice(self.customer, 500, TODAY + timedelta(days=20))
        with self.assertRaises(AccessError):
            self.env["cobranza.action"].with_user(self.collector).with_context(
                **RPC_CONTEXT
            ).create(
                {
                    "partner_id": self.customer.id,
                    "level_id": self.level_formal.id,
                    "invoice_ids": [Command.set(not_due.ids)],
                    "state": "proposed",
                }
            )
        self.assertFalse(self.env["cobranza.action"].search([]))
        self.assertFalse(self.sent_mails(self.customer))
        # The legitimate way: the run proposes what the policy says (nothing
        # for an invoice due in 20 days).
        run = self.run_followup(send=False)
        self.assertFalse(
            run.action_ids.filtered(lambda a: a.level_id == self.level_formal)
        )

    @freeze_time(TODAY)
    def test_only_a_manager_reassigns_an_action(self):
        self.invoice(self.customer, 500, TODAY - timedelta(days=6))
        action = self.run_followup(send=False).action_ids
        self.assertEqual(action.state, "proposed")
        with self.assertRaises(AccessError):
            action.with_user(self.collector).write({"collector_id": self.manager.id})
        self.assertEqual(action.collector_id, self.collector)
        action.with_user(self.manager).write({"collector_id": self.manager.id})
        self.assertEqual(action.collector_id, self.manager)
        # The collector works the worklist through the buttons.
        action.with_user(self.collector).action_exclude()
        self.assertEqual(action.state, "excluded")
        action.with_user(self.collector).action_include()
        self.assertEqual(action.state, "proposed")

    @freeze_time(TODAY)
    def test_sent_or_blocked_actions_are_not_deleted(self):
        self.invoice(self.customer, 500, TODAY - timedelta(days=6))
        action = self.run_followup().action_ids
        self.assertEqual(action.state, "done")
        with self.assertRaises(UserError):
            action.with_user(self.manager).unlink()
        self.assertTrue(action.exists())

    @freeze_time(TODAY)
    def test_a_run_by_hand_cannot_be_dated_ahead(self):
        self.invoice(self.customer, 500, TODAY + timedelta(days=20))
        Run = self.env["cobranza.run"].with_user(self.collector)
        for vals in (
            {"date": TODAY + timedelta(days=90)},
            {"state": "done"},
            {"trigger": "cron"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                Run.with_context(**RPC_CONTEXT).create(
                    {"company_id": self.company.id, **vals}
                )
        self.assertFalse(self.env["cobranza.run"].search([]))
        run = Run.create({"company_id": self.company.id})
        with self.assertRaises(AccessError):
            run.write({"date": TODAY + timedelta(days=90)})
        run.action_preview()
        self.assertEqual(run.state, "preview")
        self.assertFalse(
            run.action_ids.filtered(lambda a: a.level_id == self.level_formal)
        )
