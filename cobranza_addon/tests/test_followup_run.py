from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL

from ..models.cobranza_run import RUN_LOCK_KEY
from .common import TODAY, CobranzaCommon
from .report_common import ReportCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestFollowupRun(CobranzaCommon):
    def _emails_to(self, partner):
        return self.env["mail.mail"].search([("recipient_ids", "in", partner.ids)])

    def test_email_sent_with_invoice_pdf_and_logged(self):
        invoice = self.invoice(self.customer, 120, TODAY - timedelta(days=6))
        run = self.run_followup()
        self.assertEqual(run.state, "done")
        action = run.action_ids
        self.assertEqual(action.state, "done")
        self.assertTrue(action.channel_email)
        mail = self._emails_to(self.customer)
        self.assertEqual(len(mail), 1)
        self.assertIn("Payment reminder", mail.subject)
        self.assertIn(invoice.name, mail.body_html)
        self.assertEqual(len(mail.attachment_ids), 1, "the invoice is attached")
        self.assertEqual(mail.attachment_ids.res_id, invoice.id)
        # Logged in both chatters.
        self.assertIn("Friendly", invoice.message_ids[0].body)
        partner_bodies = " ".join(self.customer.message_ids.mapped("body"))
        self.assertIn(invoice.name, partner_bodies)
        self.assertIn(action, invoice.cobranza_action_ids)

    def test_running_twice_the_same_day_sends_once(self):
        self.invoice(self.customer, 120, TODAY - timedelta(days=6))
        self.run_followup()
        second = self.run_followup()
        self.assertFalse(second.action_ids)
        self.assertEqual(len(self._emails_to(self.customer)), 1)

    def test_cron_runs_once_per_day(self):
        self.invoice(self.customer, 120, TODAY - timedelta(days=6))
        runs = self.env["cobranza.run"]
        self.daily()
        self.daily()
        cron_runs = runs.search(
            [("trigger", "=", "cron"), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(len(cron_runs), 1)
        self.assertEqual(len(self._emails_to(self.customer)), 1)

    def test_the_daily_schedule_writes_in_its_user_language(self):
        """A cron runs with an empty context: Odoo's ``_()`` falls back to
        the user's language, translated fields stay in English, and the
        daily run's chatter read "Follow-up Run creado"."""
        self.env["res.lang"]._activate_lang("es_ES")
        ReportCommon.load_spanish(self.env)
        self.env.user.lang = "es_ES"
        self.invoice(self.customer, 120, TODAY - timedelta(days=6))
        cron_env = self.env(context={})
        self.assertFalse(cron_env.lang)
        for _company in self.env["res.company"].search([]):
            cron_env["cobranza.run"]._cron_run_followup()
        run = self.env["cobranza.run"].search(
            [("trigger", "=", "cron"), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(len(run), 1)
        bodies = " ".join(run.message_ids.mapped("body"))
        self.assertIn("Ejecución de seguimiento creado", bodies)
        self.assertNotIn("Follow-up Run", bodies)

    def test_preview_in_another_run_is_not_proposed_twice(self):
        self.invoice(self.customer, 120, TODAY - timedelta(days=6))
        first = self.run_followup(send=False)
        second = self.run_followup(send=False)
        self.assertEqual(len(first.action_ids), 1)
        self.assertFalse(second.action_ids)

    def test_concurrent_run_is_refused(self):
        self.invoice(self.customer, 120, TODAY - timedelta(days=6))
        run = self.env["cobranza.run"].create({"company_id": self.company.id})
        with self.env.registry.cursor() as other_cr:
            other_cr.execute(
                SQL(
                    "SELECT pg_advisory_xact_lock(%s, %s)",
                    RUN_LOCK_KEY,
                    self.company.id,
                )
            )
            with self.assertRaisesRegex(UserError, "Another follow-up run"):
                run.action_preview()
        self.assertEqual(run.state, "draft")
        self.assertFalse(run.action_ids)

    def test_excluding_in_the_preview(self):
        self.invoice(self.customer, 120, TODAY - timedelta(days=6))
        self.invoice(self.customer_no_email, 80, TODAY - timedelta(days=6))
        run = self.run_followup(send=False)
        skipped = run.action_ids.filtered(lambda a: a.partner_id == self.customer)
        skipped.action_exclude()
        run.action_send()
        self.deliver()
        self.assertEqual(skipped.state, "excluded")
        self.assertFalse(self._emails_to(self.customer))

    def test_sms_queued(self):
        self.invoice(self.customer, 120, TODAY - timedelta(days=6))
        run = self.run_followup()
        self.assertTrue(run.action_ids.channel_sms)
        sms = self.env["sms.sms"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.number, "+34600111222")
        self.assertIn("past due", sms.body)

    def test_activity_assigned_to_collector(self):
        self.invoice(self.customer, 120, TODAY - timedelta(days=25))
        run = self.run_followup()
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
        )
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.collector)
        self.assertTrue(run.action_ids.channel_activity)
        # the task is in the collector's activities, not in an email each
        told = self.env["mail.message"].search(
            [("partner_ids", "in", self.collector.partner_id.ids)]
        )
        self.assertFalse(told, "no 'assigned to you' message per call task")

    def test_partner_without_email_gets_a_letter_or_a_call(self):
        no_letter = self.invoice(self.customer_no_email, 50, TODAY - timedelta(days=6))
        run = self.run_followup()
        action = run.action_ids.filtered(lambda a: no_letter in a.invoice_ids)
        self.assertFalse(action.channel_email)
        self.assertTrue(action.channel_activity, "never silently dropped")
        self.assertIn("No email address", action.note)

    def test_letters_rendered_in_one_batch(self):
        first = self.invoice(self.customer, 120, TODAY - timedelta(days=50))
        second = self.invoice(self.customer_no_email, 80, TODAY - timedelta(days=50))
        run = self.run_followup()
        self.assertEqual(len(run.action_ids), 2)
        self.assertTrue(all(run.action_ids.mapped("channel_letter")))
        attachment = run.letter_attachment_id
        self.assertTrue(attachment, "one document for the whole batch")
        html = attachment.raw.decode()
        for invoice in first + second:
            self.assertIn(invoice.name, html)
        self.assertIn("Ferretería Sin Correo", html)
        self.assertIn("formally request payment", html)
        self.assertEqual(html.count("cobranza-letterhead"), 2)

    def test_manual_review_levels_wait_for_a_human(self):
        self.level_formal.manual_review = True
        invoice = self.invoice(self.customer, 120, TODAY - timedelta(days=50))
        self.daily()
        run = self.env["cobranza.run"].search([("trigger", "=", "cron")])
        self.assertEqual(run.state, "preview")
        action = run.action_ids
        self.assertEqual(action.state, "proposed")
        self.assertFalse(invoice.cobranza_level_id)
        action.with_user(self.collector).action_send_now()
        self.assertEqual(action.state, "done")
        self.assertEqual(invoice.cobranza_level_id, self.level_formal)
        self.assertEqual(invoice.cobranza_stage_id, self.stage_extra)

    def test_manual_partner_waits_for_review(self):
        self.customer.with_company(self.company).cobranza_mode = "manual"
        self.invoice(self.customer, 120, TODAY - timedelta(days=6))
        self.daily()
        action = self.env["cobranza.action"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(action.state, "proposed")
        self.assertFalse(self._emails_to(self.customer))

    def test_collector_follows_an_invoice_to_a_sent_reminder(self):
        invoice = self.invoice(self.customer, 120, TODAY - timedelta(days=6))
        run = (
            self.env["cobranza.run"]
            .with_user(self.collector)
            .create({"company_id": self.company.id})
        )
        run.action_preview()
        self.assertEqual(run.action_ids.invoice_ids, invoice)
        run.action_send()
        self.deliver()
        self.assertEqual(invoice.cobranza_level_id, self.level_friendly)
        self.assertTrue(self._emails_to(self.customer))

    def test_manager_invoices_the_collection_fee_once(self):
        invoice = self.invoice(self.customer, 120, TODAY - timedelta(days=50))
        action = self.run_followup().action_ids
        self.assertEqual(action.fee_amount, 15)
        with self.assertRaises(AccessError):
            action.with_user(self.collector).action_invoice_charges()
        action.action_invoice_charges()
        charges = action.charge_move_id
        self.assertEqual(charges.partner_id, self.customer)
        self.assertEqual(charges.state, "draft", "the accountant posts it")
        self.assertEqual(charges.amount_total, 15)
        self.assertIn(invoice.name, charges.invoice_line_ids.name)
        with self.assertRaisesRegex(UserError, "already invoiced"):
            action.action_invoice_charges()
