from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import DeliveryHelpers
from .test_payment_plan import FIRST, TODAY, PaymentPlanCommon

#: 2026-04-12 is a Sunday, three days before the first installment (FIRST).
SUNDAY_10_BOGOTA = datetime(2026, 4, 12, 15, 0)
MONDAY_0700_BOGOTA = datetime(2026, 4, 13, 12, 0)


class PlanReminderCommon(DeliveryHelpers, PaymentPlanCommon):
    """The company's policy reminds installments 3 days before (email) and
    2 days after the due date (email and SMS)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.policy = cls.env["cobranza.policy"].create(
            {
                "name": "Policy with plan reminders",
                "level_ids": [
                    Command.create(
                        {
                            "name": "Friendly",
                            "offset_days": 5,
                            "mail_template_id": ref(
                                "cobranza_addon.mail_template_cobranza_overdue_friendly"
                            ).id,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Installment due soon",
                            "plan_reminder": "pre_due",
                            "offset_days": -3,
                            "mail_template_id": ref(
                                "cobranza_addon.mail_template_cobranza_installment_pre_due"
                            ).id,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Installment overdue",
                            "plan_reminder": "overdue",
                            "offset_days": 2,
                            "use_sms": True,
                            "mail_template_id": ref(
                                "cobranza_addon.mail_template_cobranza_installment_overdue"
                            ).id,
                            "sms_template_id": ref(
                                "cobranza_addon.sms_template_cobranza_installment_overdue"
                            ).id,
                        }
                    ),
                ],
            }
        )
        cls.level_plan_pre = cls.policy.level_ids.filtered(
            lambda lv: lv.plan_reminder == "pre_due"
        )
        cls.level_plan_overdue = cls.policy.level_ids.filtered(
            lambda lv: lv.plan_reminder == "overdue"
        )
        cls.company.cobranza_policy_id = cls.policy
        cls.customer.mobile = "+34600999888"

    def _preview(self):
        run = self.env["cobranza.run"].create({})
        run.action_preview()
        return run

    def _emails_to(self, partner, text):
        return self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("message_type", "=", "comment"),
                ("subject", "ilike", text),
            ]
        )


@tagged("post_install", "-at_install")
class TestPlanReminders(PlanReminderCommon):
    def test_reminders_are_run_actions_sent_once_per_kind(self):
        with freeze_time(TODAY):
            plan = self._plan(installment_count=2)
            plan.action_approve()
            # Nothing is due yet: the preview has no reminder.
            self.assertFalse(self._preview().action_ids.filtered("plan_line_id"))
        first = plan.line_ids.sorted("due_date")[0]

        with freeze_time(FIRST - timedelta(days=3)):
            run = self._preview()
            # The reminder is in the preview, like any other action; the
            # plan's invoices themselves are paused.
            self.assertEqual(len(run.action_ids), 1)
            reminder = run.action_ids
            self.assertEqual(reminder.plan_line_id, first)
            self.assertEqual(reminder.plan_id, plan)
            self.assertEqual(reminder.level_id, self.level_plan_pre)
            self.assertEqual(reminder.amount_due, 500.0)
            self.assertEqual(reminder.state, "proposed")
            run.action_send()
            self.deliver()
            self.assertEqual(reminder.state, "done")
            self.assertTrue(reminder.channel_email)
            self.assertTrue(first.reminder_pre_sent)
            mail = self._emails_to(self.customer, "Reminder: installment")
            self.assertEqual(len(mail), 1)
            self.assertIn(plan.name, mail.subject)
            self.assertIn(plan.name, mail.body)
            self.assertIn("500.00", mail.body)
            self.assertIn("/my/payment_plans/", mail.body)
            self.assertIn(
                "Installment due soon",
                " ".join(plan.message_ids.mapped("body")),
                "The plan's chatter says which reminder went out",
            )
            # Once per installment and kind: a second run proposes nothing.
            self.assertFalse(self._preview().action_ids)

        with freeze_time(FIRST + timedelta(days=1)):
            # The overdue reminder waits for its two days.
            self.assertFalse(self._preview().action_ids.filtered("plan_line_id"))
            self.env["cobranza.run"].search([("state", "=", "preview")]).action_cancel()

        with freeze_time(FIRST + timedelta(days=2)):
            # The daily run sends it on its own, by email and SMS.
            self.daily()
            overdue = self.env["cobranza.action"].search(
                [("plan_line_id", "=", first.id), ("plan_reminder", "=", "overdue")]
            )
            self.assertEqual(overdue.state, "done")
            self.assertTrue(overdue.channel_email and overdue.channel_sms)
            self.assertTrue(first.reminder_overdue_sent)
            self.assertEqual(len(self._emails_to(self.customer, "overdue")), 1)
            sms = self.env["sms.sms"].search([("partner_id", "=", self.customer.id)])
            self.assertIn(plan.name, sms.body)
            # The reminder did not move the invoices up the follow-up ladder.
            self.assertNotEqual(self.inv_600.cobranza_level_id, self.level_plan_overdue)
            run = self._preview()
            self.assertFalse(run.action_ids.filtered("plan_line_id"))

    def test_without_email_the_collector_gets_a_call_task(self):
        self.customer.email = False
        with freeze_time(TODAY):
            plan = self._plan(installment_count=2, user_id=self.collector.id)
            plan.action_approve()
        with freeze_time(FIRST - timedelta(days=2)):
            run = self._preview()
            run.action_send()
            self.deliver()
        reminder = run.action_ids.filtered("plan_line_id")
        self.assertTrue(reminder.channel_activity)
        self.assertFalse(reminder.channel_email)
        task = self.customer.activity_ids
        self.assertEqual(task.user_id, self.collector)
        self.assertIn(plan.name, str(task.note))
        self.assertIn("Installment 1", str(task.note))

    def test_a_reminder_paid_before_it_goes_is_not_sent(self):
        with freeze_time(TODAY):
            plan = self._plan(installment_count=2)
            plan.action_approve()
        with freeze_time(FIRST - timedelta(days=3)):
            run = self._preview()
            self._pay(self.inv_600, 500.0)
            run.action_send()
            self.deliver()
        reminder = run.action_ids
        self.assertEqual(reminder.state, "cancelled")
        self.assertFalse(self._emails_to(self.customer, "Reminder: installment"))
        self.assertFalse(plan.line_ids.sorted("due_date")[0].reminder_pre_sent)

    def test_plan_reminder_levels_are_not_invoice_levels(self):
        # Same offset as a ladder level: allowed, they are not compared.
        self.level_plan_overdue.offset_days = 5
        with self.assertRaises(ValidationError):
            self.level_plan_pre.offset_days = 2
        with freeze_time(TODAY):
            run = self._preview()
        # Invoices 70 and 40 days overdue get the ladder level, never a
        # plan reminder level.
        self.assertEqual(
            run.action_ids.level_id,
            self.policy.level_ids.filtered(lambda lv: not lv.plan_reminder),
        )


@tagged("post_install", "-at_install")
class TestPlanRemindersCompliance(PlanReminderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write(
            {
                "country_id": cls.env.ref("base.co").id,
                "cobranza_authorized_channels": "email, sms, letter, activity",
            }
        )

    def test_reminder_on_a_colombian_sunday_is_deferred_then_sent(self):
        self.assertEqual(self.customer.cobranza_jurisdiction, "CO")
        with freeze_time(TODAY):
            plan = self._plan(installment_count=2)
            plan.action_approve()
        first = plan.line_ids.sorted("due_date")[0]
        with freeze_time(SUNDAY_10_BOGOTA):
            run = self._preview()
            reminder = run.action_ids.filtered("plan_line_id")
            run.action_send()
            self.deliver()
            self.assertEqual(reminder.state, "deferred")
            self.assertEqual(reminder.not_before, MONDAY_0700_BOGOTA)
            self.assertIn("CO-HOURS", reminder.compliance_rules)
            self.assertFalse(first.reminder_pre_sent)
            self.assertFalse(self._emails_to(self.customer, "Reminder: installment"))
            ledger = self.env["cobranza.contact"].search(
                [("action_id", "=", reminder.id)]
            )
            self.assertEqual(ledger.mapped("outcome"), ["deferred"])
            # Waiting: not proposed a second time.
            self.assertFalse(self._preview().action_ids.filtered("plan_line_id"))
        with freeze_time(MONDAY_0700_BOGOTA + timedelta(minutes=5)):
            self.env["cobranza.action"]._cron_send_deferred()
            self.deliver()
            self.assertEqual(reminder.state, "done")
            self.assertTrue(first.reminder_pre_sent)
            self.assertEqual(
                len(self._emails_to(self.customer, "Reminder: installment")), 1
            )

    def test_broken_message_on_a_sunday_waits_for_the_collector(self):
        with freeze_time(TODAY):
            plan = self._plan(installment_count=2, user_id=self.collector.id)
            plan.action_approve()
        # Broken on Sunday 26 April (more than 5 days after 15 April).
        with freeze_time(datetime(2026, 4, 26, 15, 0)):
            self.Plan._cron_update_plans()
        self.assertEqual(plan.state, "broken")
        self.assertFalse(
            plan.message_ids.filtered(
                lambda m: "no longer in force" in (m.subject or "")
            )
        )
        held = self.env["cobranza.contact"].search(
            [("res_model", "=", plan._name), ("res_id", "=", plan.id)]
        )
        self.assertEqual(held.outcome, "deferred")
        self.assertIn("CO-HOURS", held.rule_ids_text)
        task = plan.activity_ids.filtered(lambda a: a.summary.startswith("Send:"))
        self.assertEqual(task.user_id, self.collector)
        self.assertEqual(task.date_deadline, date(2026, 4, 27))

    def test_broken_promise_message_on_a_sunday_is_held(self):
        with freeze_time(TODAY):
            promise = self.env["cobranza.promise"].create(
                {
                    "partner_id": self.customer.id,
                    "invoice_ids": [Command.set(self.inv_600.ids)],
                    "amount": 300.0,
                    "promise_date": TODAY + timedelta(days=3),
                    "user_id": self.collector.id,
                }
            )
        # The grace period ends on a Sunday in Bogotá: broken, but the
        # "promise not kept" email waits for Monday 07:00 (CO-HOURS).
        with freeze_time(SUNDAY_10_BOGOTA):
            self.env["cobranza.promise"]._cron_update_promises()
        self.assertEqual(promise.state, "broken")
        self.assertFalse(
            promise.message_ids.filtered(
                lambda m: "Your payment promised" in (m.subject or "")
            )
        )
        held = self.env["cobranza.contact"].search(
            [("res_model", "=", promise._name), ("res_id", "=", promise.id)]
        )
        self.assertEqual(held.outcome, "deferred")
        self.assertIn("CO-HOURS", held.rule_ids_text)
        task = promise.activity_ids.filtered(lambda a: a.summary.startswith("Send:"))
        self.assertEqual(task.user_id, self.collector)
