from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import TODAY
from .test_compliance_run import CompliancePartners

# Monday 2026-03-16, 10:00 in Bogotá.
MONDAY_10_BOGOTA = datetime(2026, 3, 16, 15, 0)


@tagged("post_install", "-at_install")
class TestCallOutcome(CompliancePartners):
    def setUp(self):
        super().setUp()
        self.co_debtor.with_company(self.company).cobranza_collector_id = self.collector
        self.invoice(self.co_debtor, 500, TODAY - timedelta(days=25))
        with freeze_time(MONDAY_10_BOGOTA):
            run = self.run_followup()
        self.assertEqual(self.action_of(run, self.co_debtor).level_id, self.level_call)
        self.task = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.co_debtor.id)]
        )
        self.assertEqual(self.task.user_id, self.collector)

    def log(self, outcome, at):
        with freeze_time(at):
            wizard = (
                self.env["cobranza.call.outcome.wizard"]
                .with_user(self.collector)
                .create({"activity_id": self.task.id, "outcome": outcome})
            )
            return wizard.action_confirm()

    def email_decision(self, at):
        with freeze_time(at):
            (decision,) = self.env["cobranza.contact"]._evaluate_emails(
                [(self.co_debtor, "Reminder", "<p>Reminder</p>")], at
            )
        return decision

    def test_reached_is_an_effective_contact_counted_by_CO_FREQ(self):
        self.assertTrue(self.task.cobranza_call_task)
        self.log("reached", MONDAY_10_BOGOTA + timedelta(minutes=30))
        self.assertFalse(self.task.exists(), "the task is done")
        (row,) = self.ledger(self.co_debtor, channel="activity")
        self.assertEqual(row.call_outcome, "reached", "the run's row gets the outcome")
        self.assertEqual(row.tags, "effective_contact,conversation")
        self.assertEqual(row.user_id, self.collector)
        # An email the same afternoon: CO-FREQ allows no second contact that day.
        decision = self.email_decision(MONDAY_10_BOGOTA + timedelta(hours=5))
        self.assertEqual(decision.outcome, "defer")
        self.assertIn("CO-FREQ", {r.rule_id for r in decision.reasons})
        # Another channel in the same ISO week is not allowed either: next
        # week, and Monday 23 is a holiday (San José): Tuesday 07:00 in Bogotá.
        self.assertEqual(
            decision.not_before.replace(tzinfo=None), datetime(2026, 3, 24, 12, 0)
        )
        self.assertIn(
            "Frequency cap",
            self.env["cobranza.contact"]._decision_reasons(decision),
        )

    def test_no_answer_is_not_an_effective_contact(self):
        self.log("no_answer", MONDAY_10_BOGOTA + timedelta(minutes=30))
        (row,) = self.ledger(self.co_debtor, channel="activity")
        self.assertEqual(row.call_outcome, "no_answer")
        self.assertFalse(row.tags)
        decision = self.email_decision(MONDAY_10_BOGOTA + timedelta(hours=5))
        self.assertEqual(decision.outcome, "allow")

    def test_promise_opens_the_promise_form_and_dispute_the_wizard(self):
        action = self.log("promise", MONDAY_10_BOGOTA + timedelta(minutes=30))
        self.assertEqual(action["res_model"], "cobranza.promise")
        self.assertEqual(action["context"]["default_partner_id"], self.co_debtor.id)
        self.assertTrue(action["context"]["default_invoice_ids"])
        row = self.ledger(self.co_debtor, channel="activity")
        self.assertIn("effective_contact", row.tags)

    def test_dispute_opens_the_dispute_wizard(self):
        action = self.log("dispute", MONDAY_10_BOGOTA + timedelta(minutes=30))
        self.assertEqual(action["res_model"], "cobranza.dispute.wizard")
        self.assertTrue(action["context"]["active_ids"])

    def test_a_call_without_a_run_task_gets_its_own_row(self):
        self.log("reached", MONDAY_10_BOGOTA + timedelta(minutes=30))
        other = self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": self.co_debtor.id,
                "user_id": self.collector.id,
                "summary": "Call back",
            }
        )
        self.task = other
        self.log("wrong_number", MONDAY_10_BOGOTA + timedelta(hours=1))
        row = self.ledger(self.co_debtor, channel="call")
        self.assertEqual((row.call_outcome, row.tags), ("wrong_number", "wrong_number"))

    def test_someone_else_cannot_close_the_collectors_task(self):
        outsider = new_test_user(
            self.env,
            login="outsider",
            groups="base.group_user",
            company_id=self.company.id,
        )
        with self.assertRaises(AccessError):
            self.env["cobranza.call.outcome.wizard"].with_user(outsider).create(
                {"activity_id": self.task.id, "outcome": "reached"}
            )
