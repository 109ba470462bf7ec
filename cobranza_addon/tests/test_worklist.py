from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CobranzaCommon


class WorklistCommon(CobranzaCommon):
    """A customer of the collector with overdue invoices, a dispute and a call due."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.today()
        cls.collector.company_ids = cls.company
        cls.debtor = cls.env["res.partner"].create(
            {
                "name": "Worklist Customer SA",
                "email": "worklist@example.com",
                "phone": "+34 600 000 111",
                "lang": "en_US",
            }
        )
        cls.debtor.with_company(cls.company).cobranza_collector_id = cls.collector
        cls.inv_big = cls.invoice(
            cls.debtor,
            900,
            today - timedelta(days=50),
            invoice_date=today - timedelta(80),
        )
        cls.inv_big.sudo().write(
            {
                "cobranza_level_id": cls.level_call.id,
                "cobranza_last_date": today - timedelta(days=15),
                "cobranza_next_date": cls.inv_big.invoice_date_due + timedelta(days=45),
            }
        )
        cls.inv_disputed = cls.invoice(
            cls.debtor,
            300,
            today - timedelta(days=12),
            invoice_date=today - timedelta(42),
        )
        cls.inv_disputed.sudo().write(
            {
                "cobranza_dispute": True,
                "cobranza_dispute_reason": "Goods arrived damaged",
            }
        )
        cls.call = cls.debtor.activity_schedule(
            "mail.mail_activity_data_call",
            summary="Call about the overdue invoice",
            user_id=cls.collector.id,
            date_deadline=today,
        )

    def worklist(self, user=None):
        env = self.env(user=user) if user else self.env
        return env["cobranza.worklist"].search([("partner_id", "=", self.debtor.id)])


@tagged("post_install", "-at_install")
class TestWorklist(WorklistCommon):
    def test_rows_say_why_and_are_sorted_by_amount_at_risk(self):
        today = fields.Date.today()
        other = self.env["res.partner"].create({"name": "Promise Customer"})
        promised = self.invoice(
            other, 5000, today - timedelta(days=8), invoice_date=today - timedelta(38)
        )
        promise = self.env["cobranza.promise"].create(
            {
                "partner_id": other.id,
                "invoice_ids": [Command.set(promised.ids)],
                "amount": 5000,
                "promise_date": today,
                "user_id": self.collector.id,
            }
        )
        blocked = (
            self.env["cobranza.action"]
            .sudo()
            .create(
                {
                    "partner_id": self.debtor.id,
                    "level_id": self.level_formal.id,
                    "invoice_ids": [Command.set(self.inv_big.ids)],
                    "amount_due": 900,
                    "collector_id": self.collector.id,
                    "state": "blocked",
                    "compliance_rules": "CO-HOURS",
                }
            )
        )
        rows = (
            self.env["cobranza.worklist"]
            .with_user(self.collector)
            .search([("user_id", "=", self.collector.id)])
        )
        by_reason = {row.reason: row for row in rows}
        self.assertEqual(set(by_reason), {"promise_due", "blocked", "call", "dispute"})
        self.assertEqual(rows[0].promise_id, promise, "the largest amount comes first")
        self.assertEqual(
            rows.mapped("amount"), sorted(rows.mapped("amount"), reverse=True)
        )
        self.assertEqual(by_reason["blocked"].action_id, blocked)
        self.assertIn("CO-HOURS", by_reason["blocked"].detail)
        self.assertIn("promised for today", by_reason["promise_due"].detail)
        self.assertIn("Goods arrived damaged", by_reason["dispute"].detail)
        self.assertEqual(by_reason["call"].detail, "Call about the overdue invoice")
        self.assertEqual(by_reason["call"].amount, 1200.0)
        # A broken promise stays on the list for the collector to call back.
        with self.subTest("broken promise"):
            # recorded nine days ago: history, written as the system
            promise = (
                self.env["cobranza.promise"]
                .sudo()
                .create(
                    {
                        "partner_id": other.id,
                        "invoice_ids": [Command.set(promised.ids)],
                        "amount": 100,
                        "date": today - timedelta(days=9),
                        "promise_date": today - timedelta(days=5),
                        "user_id": self.collector.id,
                    }
                )
            )
            promise._refresh_payments(today)
            self.assertEqual(promise.state, "broken")
            reasons = (
                self.env["cobranza.worklist"]
                .search([("partner_id", "=", other.id)])
                .mapped("reason")
            )
            self.assertIn("promise_broken", reasons)

    def test_the_worklist_is_read_only_and_opens_the_source(self):
        row = self.worklist(self.collector).filtered(lambda r: r.reason == "dispute")
        action = row.action_open_source()
        self.assertEqual(
            (action["res_model"], action["res_id"]),
            ("account.move", self.inv_disputed.id),
        )
        customer = row.action_open_customer()
        self.assertEqual(customer["res_id"], self.debtor.id)


@tagged("post_install", "-at_install")
class TestCustomerCollectionView(WorklistCommon):
    def test_one_screen_holds_the_customer(self):
        partner = self.debtor.with_user(self.collector)
        self.assertEqual(
            partner.cobranza_open_invoice_ids, self.inv_big | self.inv_disputed
        )
        self.assertEqual(partner.cobranza_dispute_invoice_ids, self.inv_disputed)
        self.assertEqual(partner.cobranza_oldest_days, 50)
        self.assertEqual(self.inv_big.cobranza_aging_bucket, "31_60")
        self.assertEqual(self.inv_disputed.cobranza_aging_bucket, "1_30")
        self.assertIn("Formal demand on", partner.cobranza_next_followup)

    def test_log_a_call_records_the_contact_and_closes_the_task(self):
        wizard = (
            self.env["cobranza.call.wizard"]
            .with_user(self.collector)
            .create(
                {
                    "partner_id": self.debtor.id,
                    "outcome": "promise",
                    "promise_date": fields.Date.today() + timedelta(days=3),
                    "promise_amount": 900,
                    "note": "Treasurer pays on Friday",
                }
            )
        )
        wizard.action_log()
        contact = self.env["cobranza.contact"].search(
            [("partner_id", "=", self.debtor.id)]
        )
        self.assertEqual(contact.channel, "call")
        self.assertEqual(contact.tags, "effective_contact")
        self.assertFalse(self.call.exists() and self.call.active)
        promise = self.env["cobranza.promise"].search(
            [("partner_id", "=", self.debtor.id)]
        )
        self.assertEqual(promise.invoice_ids, self.inv_big)
        self.assertIn(
            "Treasurer pays on Friday", " ".join(self.debtor.message_ids.mapped("body"))
        )
        # The promise is told in the invoice's chatter as well.
        self.assertIn(
            "Promise to pay", " ".join(self.inv_big.message_ids.mapped("body"))
        )

    def test_send_follow_up_now_from_the_customer(self):
        self.debtor.with_user(self.collector).action_cobranza_send_now()
        action = self.env["cobranza.action"].search(
            [("partner_id", "=", self.debtor.id), ("state", "=", "done")]
        )
        self.assertEqual(action.level_id, self.level_formal)
        self.assertEqual(self.inv_big.cobranza_level_id, self.level_formal)
        # Nothing else is due: the button says so instead of sending twice.
        with self.assertRaises(UserError):
            self.debtor.with_user(self.collector).action_cobranza_send_now()

    def test_overdue_list_finds_invoices_by_customer_name(self):
        found = self.env["account.move"].search(
            [("partner_id", "child_of", "Worklist Customer")]
        )
        self.assertEqual(found, self.inv_big | self.inv_disputed)


@tagged("post_install", "-at_install")
class TestCollectorDayFixes(WorklistCommon):
    def test_a_collector_recomputes_the_preview(self):
        run = self.env["cobranza.run"].with_user(self.collector).create({})
        run.action_preview()
        self.assertTrue(run.action_ids)
        run.action_preview()
        self.assertEqual(run.state, "preview")

    def test_every_state_change_says_why_in_the_chatter(self):
        run = self.env["cobranza.run"].with_user(self.collector).create({})
        run.action_preview()
        action = run.action_ids.filtered(lambda a: a.partner_id == self.debtor)
        action.action_exclude()
        body = action.message_ids[:1].body
        self.assertIn("To send → Excluded", body)
        self.assertIn("Carla Collector", body)
        action.sudo().write(
            {"state": "blocked", "note": "Not sent, blocked by the rules CO-HOURS."}
        )
        self.assertIn("CO-HOURS", action.message_ids[:1].body)

    def test_promise_states_agree_in_gender(self):
        labels = dict(
            self.env["cobranza.promise"]
            .with_context(lang="en_US")
            ._fields["state"]
            ._description_selection(self.env)
        )
        self.assertEqual(labels["broken"], "Not kept")
