from datetime import datetime, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import TODAY
from .test_case_costs import CaseCommon
from .test_payment_plan import FIRST
from .test_plan_reminders import PlanReminderCommon


@tagged("post_install", "-at_install")
class TestCaseContactStop(CaseCommon):
    def record(self, case, event, user=None, day=None):
        wizard = (
            self.env["cobranza.case.event.wizard"]
            .with_user(user or self.env.user)
            .create(
                {
                    "case_id": case.id,
                    "event": event,
                    "date": day or TODAY - timedelta(days=1),
                    "note": "Letter of 2026-03-15",
                }
            )
        )
        wizard.action_confirm()

    def test_a_collector_sees_the_event_buttons_not_the_status_ones(self):
        """A collector may record events on a case but not change its
        status: the form shows her only what she may press, and the event
        dialog has a title."""

        def buttons(user):
            Case = self.env["cobranza.case"].with_user(user)
            arch = Case.get_views([(False, "form")])["views"]["form"]["arch"]
            return {
                node.get("name")
                for node in etree.fromstring(arch).iter("button")
                if node.get("name")
            }

        status = {
            "action_in_court",
            "action_settled",
            "action_won",
            "action_lost",
            "action_write_off",
            "action_reopen",
        }
        self.assertFalse(status & buttons(self.collector))
        self.assertIn("action_open_event_wizard", buttons(self.collector))
        self.assertLessEqual(status, buttons(self.manager))
        case = self.open_case(self.invoice(self.customer, 100, TODAY))
        action = (
            case.with_user(self.collector)
            .with_context(cobranza_case_event="lawsuit_served")
            .action_open_event_wizard()
        )
        self.assertEqual(action["name"], "Record an event")
        self.assertEqual(action["context"]["default_event"], "lawsuit_served")

    def customer_actions(self, run):
        return run.action_ids.filtered(lambda a: a.partner_id == self.customer)

    def test_a_cease_request_stops_every_channel_for_every_invoice(self):
        handed = self.invoice(self.customer, 1000, TODAY - timedelta(days=60))
        # Not handed over: 6 days overdue, friendly level by email and SMS.
        other = self.invoice(self.customer, 120, TODAY - timedelta(days=6))
        formal = self.invoice(self.customer, 300, TODAY - timedelta(days=50))
        case = self.open_case(handed)
        run = self.run_followup(send=False)
        actions = self.customer_actions(run)
        self.assertEqual(actions.invoice_ids, other | formal)
        self.assertEqual(set(actions.mapped("state")), {"proposed"})

        # The customer writes to stop all contact; a collector records it.
        self.assertFalse(case.contact_stop)
        self.record(case, "cease_request_written", user=self.collector)
        event = self.env["cobranza.contact"].search(
            [("res_model", "=", "cobranza.case"), ("res_id", "=", case.id)]
        )
        self.assertEqual(event.event, "cease_request_written")
        self.assertEqual(event.partner_id, self.customer)
        self.assertEqual(case.event_ids, event)
        self.assertIn("written request to stop contact", case.contact_stop)

        # The preview made before it sends nothing, on any channel, and says why.
        run.action_send()
        self.deliver()
        for action in actions:
            self.assertEqual(action.state, "skipped")
            self.assertIn("Contact stopped", action.note)
            self.assertIn("written request to stop contact", action.note)
            self.assertIn(case.name, action.note)
            self.assertFalse(
                action.channel_email
                or action.channel_sms
                or action.channel_letter
                or action.channel_activity
            )
        self.assertFalse(
            self.env["mail.mail"].search([("recipient_ids", "in", self.customer.ids)])
        )
        self.assertFalse(
            self.env["sms.sms"].search([("partner_id", "=", self.customer.id)])
        )
        self.assertFalse(self.customer.activity_ids)
        # A new run proposes nothing for this customer, whatever the invoice.
        self.assertFalse(self.customer_actions(self.run_followup(send=False)))
        # Manual emails are held with the reason.
        (decision,) = self.env["cobranza.contact"]._evaluate_emails(
            [(self.customer, "Hello", "<p>Please pay</p>")], datetime(2026, 3, 16, 12)
        )
        self.assertEqual(decision.outcome, "block")
        reason = self.env["cobranza.contact"]._decision_reasons(decision)
        self.assertIn("CASE-STOP", reason)
        self.assertIn("Contact is stopped: a written request to stop contact", reason)

        # No call task either, even scheduled by hand.
        with self.assertRaisesRegex(UserError, "Contact stopped"):
            self.customer.activity_schedule(
                "mail.mail_activity_data_call", user_id=self.collector.id
            )
        self.customer.activity_schedule("mail.mail_activity_data_todo")

        # Closed case: the house stop ends (the jurisdiction's rules still apply).
        case.action_settled()
        self.assertFalse(
            self.env["cobranza.case"]._cobranza_contact_stops(self.company)
        )
        self.assertTrue(self.customer_actions(self.run_followup(send=False)))

    def test_a_manual_sms_is_refused_to_a_stopped_customer(self):
        handed = self.invoice(self.customer, 1000, TODAY - timedelta(days=60))
        case = self.open_case(handed)
        self.record(case, "cease_request_written", user=self.collector)
        Composer = self.env["sms.composer"].with_user(self.collector)
        for record in (self.customer, handed):
            composer = Composer.with_context(
                active_model=record._name, active_id=record.id
            ).create({"body": "Recuerde su pago"})
            with self.assertRaisesRegex(UserError, "Contact stopped"):
                composer.action_send_sms()
        self.assertFalse(
            self.env["sms.sms"].search([("partner_id", "=", self.customer.id)])
        )

    def test_a_refusal_to_pay_alone_leaves_it_to_the_rules(self):
        handed = self.invoice(self.customer, 1000, TODAY - timedelta(days=60))
        other = self.invoice(self.customer, 120, TODAY - timedelta(days=6))
        case = self.open_case(handed)
        self.record(case, "refusal_to_pay_written")
        self.assertFalse(case.contact_stop)
        self.assertEqual(
            self.customer_actions(self.run_followup(send=False)).invoice_ids, other
        )
        self.record(case, "lawsuit_served")
        self.assertIn("collection lawsuit served", case.contact_stop)
        self.assertFalse(self.customer_actions(self.run_followup(send=False)))

    def test_recording_events_is_checked_in_the_model(self):
        invoice = self.invoice(self.customer, 1000, TODAY - timedelta(days=60))
        case = self.open_case(invoice)
        outsider = self.env["res.users"].create(
            {
                "name": "Outsider",
                "login": "outsider_case",
                "groups_id": [Command.set([self.env.ref("base.group_user").id])],
            }
        )
        with self.assertRaises(AccessError):
            case.with_user(outsider).action_record_event("cease_request_written", TODAY)
        with self.assertRaisesRegex(UserError, "future"):
            case.action_record_event(
                "lawsuit_served", fields.Date.today() + timedelta(days=3)
            )
        with self.assertRaises(UserError):
            case.action_record_event("notice_sent", TODAY)
        self.assertFalse(case.event_ids)


@tagged("post_install", "-at_install")
class TestCasePlanReminders(PlanReminderCommon):
    def _case(self, invoices):
        agency = self.env["res.partner"].create({"name": "Agencia Sur"})
        return (
            self.env["cobranza.case"]
            .sudo()
            .create(
                {
                    "partner_id": self.customer.id,
                    "invoice_ids": [Command.set(invoices.ids)],
                    "party_id": agency.id,
                }
            )
        )

    def test_no_installment_reminder_under_an_open_case(self):
        with freeze_time(TODAY):
            plan = self._plan(installment_count=2)
            plan.action_approve()
        with freeze_time(FIRST - timedelta(days=3)):
            run = self._preview()
            reminder = run.action_ids.filtered("plan_line_id")
            self.assertEqual(len(reminder), 1)
            # The plan's invoice is handed to an agency before the run is sent.
            case = self._case(self.inv_600)
            run.action_send()
            self.deliver()
            self.assertEqual(reminder.state, "skipped")
            self.assertIn("held by an agency or legal case", reminder.note)
            self.assertFalse(self._emails_to(self.customer, "Reminder: installment"))
            self.assertFalse(plan.line_ids.sorted("due_date")[0].reminder_pre_sent)
            # No new reminder while the case is open.
            self.assertFalse(self._preview().action_ids.filtered("plan_line_id"))
            case.action_settled()
            self.assertTrue(self._preview().action_ids.filtered("plan_line_id"))

    def test_no_installment_reminder_for_a_customer_who_asked_to_stop(self):
        other = self._invoice(50.0, TODAY)
        with freeze_time(TODAY):
            plan = self._plan(installment_count=2)
            plan.action_approve()
            # A case on another invoice of the customer records a cease request.
            case = self._case(other)
            case.action_record_event("cease_request_written", TODAY)
        with freeze_time(FIRST - timedelta(days=3)):
            self.assertFalse(self._preview().action_ids.filtered("plan_line_id"))
        self.assertIn("written request to stop contact", case.contact_stop)
