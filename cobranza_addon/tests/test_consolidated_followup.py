from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import html2plaintext

from .common import TODAY, CobranzaCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestConsolidatedFollowup(CobranzaCommon):
    """One right message per customer; stages forward only; live figures."""

    def _mails(self, partner=None):
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", (partner or self.customer).ids)]
        )

    def _sms(self):
        return self.env["sms.sms"].search([("partner_id", "=", self.customer.id)])

    def test_one_action_lists_invoices_at_three_levels(self):
        friendly = self.invoice(self.customer, 100, TODAY - timedelta(days=6))
        call = self.invoice(self.customer, 200, TODAY - timedelta(days=25))
        formal = self.invoice(self.customer, 300, TODAY - timedelta(days=50))
        later = self.invoice(self.customer, 40, TODAY + timedelta(days=10))
        run = self.run_followup(send=False)
        action = run.action_ids
        self.assertEqual(len(action), 1, "one message per customer")
        self.assertEqual(action.level_id, self.level_formal, "the highest level due")
        self.assertEqual(action.invoice_ids, friendly + call + formal + later)
        self.assertEqual(
            [(ln.move_id, ln.level_id, ln.days_overdue) for ln in action.line_ids],
            [
                (formal, self.level_formal, 50),
                (call, self.level_call, 25),
                (friendly, self.level_friendly, 6),
                (later, self.env["cobranza.level"], -10),
            ],
            "overdue first, each invoice with its own level; not yet due listed",
        )
        self.assertAlmostEqual(action.amount_due, 600)
        self.assertAlmostEqual(action.amount_overdue, 600)
        self.assertAlmostEqual(action.amount_not_due, 40)
        self.assertEqual(action.max_days_overdue, 50)
        self.assertAlmostEqual(action.fee_amount, 15)
        self.assertEqual(action._overdue_invoices(), formal + call + friendly)
        self.assertEqual(action._not_due_invoices(), later)
        self.assertEqual(
            action._totals_by_currency("not_due"), [(later.currency_id, 40.0)]
        )
        self.assertEqual(
            action._totals_by_currency("overdue"), [(later.currency_id, 600.0)]
        )
        run.action_send()
        self.deliver()
        self.assertEqual(action.state, "done")
        mail = self._mails()
        self.assertEqual(len(mail), 1)
        for invoice in friendly + call + formal + later:
            self.assertIn(invoice.name, mail.body_html)
        self.assertEqual(friendly.cobranza_level_id, self.level_friendly)
        self.assertEqual(call.cobranza_level_id, self.level_call)
        self.assertEqual(formal.cobranza_level_id, self.level_formal)
        self.assertFalse(later.cobranza_level_id, "listed, not escalated")
        self.assertEqual(friendly.cobranza_stage_id, self.stage_admin)
        self.assertEqual(formal.cobranza_stage_id, self.stage_extra)
        self.assertEqual(later.cobranza_stage_id, self.stage_current)
        self.assertEqual(later.cobranza_last_date, TODAY, "it was in the message")
        self.assertIn("Listed in the follow-up", later.message_ids[0].body)

    def test_one_message_per_level_when_the_policy_asks(self):
        self.policy.one_message_per_level = True
        first = self.invoice(self.customer, 100, TODAY - timedelta(days=6))
        second = self.invoice(self.customer, 250, TODAY - timedelta(days=8))
        third = self.invoice(self.customer, 70, TODAY - timedelta(days=50))
        run = self.run_followup(send=False)
        self.assertEqual(len(run.action_ids), 2)
        friendly = run.action_ids.filtered(lambda a: a.level_id == self.level_friendly)
        self.assertEqual(friendly.invoice_ids, first + second)
        self.assertAlmostEqual(friendly.amount_due, 350)
        self.assertEqual((run.action_ids - friendly).invoice_ids, third)

    def test_one_action_per_currency(self):
        other = self.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        local = self.invoice(self.customer, 100, TODAY - timedelta(days=6))
        euro = self.invoice(
            self.customer, 100, TODAY - timedelta(days=6), currency=other
        )
        actions = self.run_followup(send=False).action_ids
        self.assertEqual(len(actions), 2)
        self.assertEqual(
            {a.invoice_currency_id: a.invoice_ids for a in actions},
            {local.currency_id: local, other: euro},
        )

    def test_pre_due_reminder_never_sent_for_an_overdue_invoice(self):
        overdue = self.invoice(self.customer, 100, TODAY - timedelta(days=3))
        self.assertFalse(
            self.run_followup(send=False).action_ids,
            "3 days overdue: too late for the pre-due reminder, too early for "
            "the first overdue level",
        )
        self.env["cobranza.run"].search([]).action_cancel()
        soon = self.invoice(self.customer, 50, TODAY + timedelta(days=2))
        run = self.run_followup(send=False)
        action = run.action_ids
        self.assertEqual(action.level_id, self.level_pre)
        self.assertEqual(
            {ln.move_id: ln.level_id for ln in action.line_ids},
            {overdue: self.env["cobranza.level"], soon: self.level_pre},
        )
        self.assertAlmostEqual(action.amount_due, 50, msg="what falls due")
        self.assertAlmostEqual(action.amount_overdue, 100)
        run.action_send()
        self.deliver()
        self.assertFalse(overdue.cobranza_level_id)
        self.assertEqual(overdue.cobranza_stage_id, self.stage_current)
        self.assertEqual(soon.cobranza_level_id, self.level_pre)

    def test_pre_due_reminder_dropped_once_the_invoice_is_overdue(self):
        self.invoice(self.customer, 50, TODAY + timedelta(days=2))
        run = self.run_followup(send=False)
        action = run.action_ids
        self.assertEqual(action.level_id, self.level_pre)
        with freeze_time(TODAY + timedelta(days=4)):
            run.action_send()
            self.deliver()
        self.assertEqual(action.state, "cancelled")
        self.assertFalse(self._mails())

    def test_manual_escalation_is_not_undone(self):
        invoice = self.invoice(self.customer, 100, TODAY - timedelta(days=25))
        invoice.with_user(self.collector).write(
            {"cobranza_stage_id": self.stage_extra.id}
        )
        self.assertTrue(invoice.cobranza_stage_manual)
        # A client cannot pass its move off as the run's.
        invoice.with_user(self.collector).with_context(cobranza_stage_by=True).write(
            {"cobranza_stage_manual": False}
        )
        self.assertTrue(invoice.cobranza_stage_manual)
        self.assertFalse(
            self.run_followup(send=False).action_ids,
            "no milder level after a formal escalation",
        )
        self.assertEqual(invoice.cobranza_stage_id, self.stage_extra)
        self.env["cobranza.run"].search([]).action_cancel()
        with freeze_time(TODAY + timedelta(days=25)):
            run = self.run_followup()
        self.assertEqual(run.action_ids.level_id, self.level_formal)
        self.assertEqual(invoice.cobranza_level_id, self.level_formal)
        self.assertEqual(invoice.cobranza_stage_id, self.stage_extra)

    def test_run_moves_a_manual_stage_forward_only_if_allowed(self):
        invoice = self.invoice(self.customer, 100, TODAY - timedelta(days=50))
        invoice.with_user(self.collector).cobranza_stage_id = self.stage_pre_due
        self.company.cobranza_forward_after_manual = False
        self.run_followup()
        self.assertEqual(invoice.cobranza_level_id, self.level_formal)
        self.assertEqual(invoice.cobranza_stage_id, self.stage_pre_due, "respected")
        other = self.invoice(self.customer, 100, TODAY - timedelta(days=50))
        other.with_user(self.collector).cobranza_stage_id = self.stage_pre_due
        self.company.cobranza_forward_after_manual = True
        self.run_followup()
        self.assertEqual(other.cobranza_stage_id, self.stage_extra)
        self.assertFalse(other.cobranza_stage_manual, "the run moved it last")

    def test_amounts_recomputed_after_an_invoice_is_removed(self):
        kept = self.invoice(self.customer, 8512.22, TODAY - timedelta(days=6))
        removed = self.invoice(self.customer, 5154.46, TODAY - timedelta(days=8))
        action = self.run_followup(send=False).action_ids
        self.assertAlmostEqual(action.amount_due, 13666.68)
        action.with_user(self.collector).write(
            {"invoice_ids": [Command.unlink(removed.id)]}
        )
        self.assertEqual(action.line_ids.move_id, kept)
        self.assertAlmostEqual(action.amount_due, 8512.22)
        action.action_send_now()
        sms = self._sms()
        self.assertEqual(len(sms), 1)
        self.assertIn("8,512.22", sms.body)
        self.assertNotIn("13,666.68", sms.body)
        self.assertNotIn(removed.name, self._mails().body_html)
        self.assertFalse(removed.cobranza_level_id)
        with self.assertRaises(UserError):
            action.with_user(self.collector).write(
                {"invoice_ids": [Command.link(removed.id)]}
            )

    def test_a_collector_removes_a_line_in_the_form(self):
        """What the form sends when a collector removes an invoice from the
        list (a delete command on ``line_ids``) is allowed; adding or
        changing a line is not, whoever calls."""
        kept = self.invoice(self.customer, 100, TODAY - timedelta(days=6))
        removed = self.invoice(self.customer, 50, TODAY - timedelta(days=6))
        action = self.run_followup(send=False).action_ids
        line = action.line_ids.filtered(lambda ln: ln.move_id == removed)
        as_collector = action.with_user(self.collector)
        with self.assertRaises(AccessError):
            as_collector.write(
                {"line_ids": [Command.update(line.id, {"level_id": False})]}
            )
        with self.assertRaises(AccessError):
            as_collector.write(
                {
                    "line_ids": [
                        Command.create({"move_id": removed.id, "days_overdue": 1})
                    ]
                }
            )
        as_collector.write({"line_ids": [Command.delete(line.id)]})
        self.assertEqual(action.invoice_ids, kept)
        self.assertEqual(action.line_ids.move_id, kept)
        self.assertAlmostEqual(action.amount_due, 100)

    def test_removing_a_line_removes_the_invoice(self):
        self.invoice(self.customer, 100, TODAY - timedelta(days=6))
        removed = self.invoice(self.customer, 50, TODAY - timedelta(days=6))
        action = self.run_followup(send=False).action_ids
        action.line_ids.filtered(lambda ln: ln.move_id == removed).with_user(
            self.collector
        ).unlink()
        self.assertNotIn(removed, action.invoice_ids)
        self.assertAlmostEqual(action.amount_due, 100)
        action.action_send_now()
        self.assertEqual(action.state, "done")
        with self.assertRaises(UserError):
            action.line_ids.with_user(self.collector).unlink()
        with self.assertRaises(UserError):
            action.with_user(self.collector).write(
                {"invoice_ids": [Command.unlink(action.invoice_ids[:1].id)]}
            )
        with self.assertRaises(AccessError):
            self.env["cobranza.action.line"].with_user(self.collector).create(
                {"action_id": action.id, "move_id": removed.id}
            )

    def test_payment_after_preview_reaches_the_message(self):
        paid = self.invoice(self.customer, 100, TODAY - timedelta(days=6))
        self.invoice(self.customer, 30, TODAY - timedelta(days=7))
        action = self.run_followup(send=False).action_ids
        self.pay(paid, 100)
        self.assertAlmostEqual(action.amount_due, 30)
        action.action_send_now()
        self.assertNotIn(paid, action.invoice_ids)
        self.assertNotIn(paid.name, self._mails().body_html)

    def test_fee_change_reaches_the_pending_action(self):
        self.invoice(self.customer, 200, TODAY - timedelta(days=50))
        action = self.run_followup(send=False).action_ids
        self.assertAlmostEqual(action.fee_amount, 15)
        self.level_formal.write({"fee_fixed": 20, "fee_percent": 10})
        self.assertAlmostEqual(action.fee_amount, 40)
        action.action_send_now()
        self.level_formal.fee_fixed = 0
        self.assertAlmostEqual(action.fee_amount, 40, msg="a sent action is history")

    def test_preview_shows_the_message_that_is_sent(self):
        invoice = self.invoice(self.customer, 120, TODAY - timedelta(days=6))
        action = self.run_followup(send=False).action_ids
        result = action.with_user(self.collector).action_preview_message()
        self.assertEqual(result["res_id"], action.id)
        preview = action.with_user(self.collector)
        self.assertIn("email", preview.preview_channels)
        self.assertIn("SMS", preview.preview_channels)
        self.assertIn(invoice.name, preview.preview_email)
        self.assertIn("120.00", preview.preview_sms)
        self.assertFalse(preview.preview_letter)
        subject, body, sms_body = (
            preview.preview_subject,
            str(preview.preview_email),
            preview.preview_sms,
        )
        action.action_send_now()
        mail = self._mails()
        self.assertEqual(mail.subject, subject)
        sent = html2plaintext(mail.body_html)
        for line in filter(None, html2plaintext(body).splitlines()):
            self.assertIn(line.strip(), sent)
        self.assertEqual(self._sms().body, sms_body)

    def test_preview_of_a_letter_without_email(self):
        self.invoice(self.customer_no_email, 80, TODAY - timedelta(days=50))
        action = self.run_followup(send=False).action_ids
        self.assertIn("letter", action.preview_channels)
        self.assertIn("Ferretería Sin Correo", action.preview_letter)
        self.assertFalse(action.preview_email)

    def test_statement_of_account_attached_to_the_follow_up(self):
        self.invoice(self.customer, 120, TODAY - timedelta(days=6))
        self.invoice(self.customer, 80, TODAY + timedelta(days=10))
        self.level_friendly.attach_statement = True
        self.run_followup()
        mail = self._mails()
        self.assertEqual(len(mail), 1, "one message per customer")
        names = mail.attachment_ids.mapped("name")
        statements = [n for n in names if n.startswith("Statement of account")]
        self.assertEqual(len(statements), 1, names)
        statement = mail.attachment_ids.filtered(lambda a: a.name == statements[0])
        self.assertEqual(
            (statement.res_model, statement.res_id), ("res.partner", self.customer.id)
        )
        # the level without it sends no statement
        self.level_friendly.attach_statement = False
        other = self.env["res.partner"].create(
            {"name": "Sin Estado SA", "email": "sin@estado.example", "lang": "en_US"}
        )
        self.invoice(other, 50, TODAY - timedelta(days=6))
        self.run_followup()
        self.assertFalse(
            [
                n
                for n in self._mails(other).attachment_ids.mapped("name")
                if n.startswith("Statement of account")
            ]
        )
