"""Delivery in committed chunks, exactly once, with real outcomes.

The SMTP side is real: an ``aiosmtpd`` server started by the test on
127.0.0.1 receives what Odoo's mail queue sends, and the tests count what
arrived. Odoo skips SMTP while a test runs (``current_test``): the tests
lift that guard only around ``process_email_queue``.
"""

import socket
from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

import psycopg2
from aiosmtpd.controller import Controller
from freezegun import freeze_time

from odoo import Command, api
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.cobranza_run_dispatch import CobranzaRun as DispatchRun
from .common import TODAY, CobranzaCommon


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sink:
    """An SMTP server that keeps every message (or refuses them all)."""

    def __init__(self, refuse=False):
        self.messages = []
        self.refuse = refuse

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "554 5.7.1 Message refused by policy"
        self.messages.append(envelope)
        return "250 OK"

    def recipients(self):
        return [rcpt for env in self.messages for rcpt in env.rcpt_tos]


@contextmanager
def smtp_sink(port, refuse=False):
    sink = Sink(refuse=refuse)
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDelivery(CobranzaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.port = free_port()
        cls.env["ir.mail_server"].search([]).active = False
        cls.mail_server = cls.env["ir.mail_server"].create(
            {
                "name": "Test sink",
                "smtp_host": "127.0.0.1",
                "smtp_port": cls.port,
                "smtp_encryption": "none",
                "sequence": 1,
            }
        )
        cls.env.user.email = "cobros@example.com"
        cls.email_only = cls.env["res.partner"].create(
            {"name": "Solo Correo SA", "email": "solo@correo.example", "lang": "en_US"}
        )

    # helpers -------------------------------------------------------------
    def mails_to(self, partner):
        return self.env["mail.mail"].search([("recipient_ids", "in", partner.ids)])

    def sms_to(self, partner):
        return self.env["sms.sms"].search([("partner_id", "=", partner.id)])

    def process_mail_queue(self):
        """Odoo's mail queue, for real, towards the test's SMTP port."""
        self.env.flush_all()
        with (
            patch("odoo.modules.module.current_test", None),
            mute_logger("odoo.addons.mail.models.mail_mail"),
        ):
            self.env["mail.mail"].process_email_queue()
        self.env.invalidate_all()

    def sent_run(self):
        run = self.env["cobranza.run"].create({"company_id": self.company.id})
        run.action_preview()
        run.action_send()
        return run

    # 1. Send only queues -------------------------------------------------
    def test_send_only_queues_and_the_cron_delivers(self):
        invoice = self.invoice(self.customer, 120, TODAY - timedelta(days=6))
        cron = self.env.ref("cobranza_addon.cobranza_delivery_cron")
        Trigger = self.env["ir.cron.trigger"].sudo()
        before = Trigger.search_count([("cron_id", "=", cron.id)])
        run = self.sent_run()
        self.assertGreater(
            Trigger.search_count([("cron_id", "=", cron.id)]),
            before,
            "the delivery cron is triggered",
        )
        self.assertEqual(run.state, "sending")
        self.assertEqual(run.action_ids.state, "queued")
        self.assertEqual(run.queued_count, 1)
        self.assertFalse(self.mails_to(self.customer), "nothing in the request")
        self.assertFalse(invoice.cobranza_level_id)
        self.deliver()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.action_ids.state, "done")
        self.assertEqual(run.delivered_count, 1)
        self.assertEqual(run.delivery_progress, 100.0)
        self.assertEqual(len(self.mails_to(self.customer)), 1)
        self.assertEqual(self.mails_to(self.customer).state, "outgoing")
        sms = self.sms_to(self.customer)
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.state, "outgoing", "queued, not sent through IAP")
        deliveries = run.action_ids.delivery_ids
        self.assertEqual(sorted(deliveries.mapped("channel")), ["email", "sms"])
        self.assertEqual(set(deliveries.mapped("state")), {"queued"})
        self.assertEqual(invoice.cobranza_level_id, self.level_friendly)

    # 2. A chunk that dies ------------------------------------------------
    def test_chunk_raising_halfway_sends_nothing_and_retry_sends_once(self):
        second = self.customer.copy(
            {"name": "Segunda SA", "email": "segunda@example.com"}
        )
        self.invoice(self.customer, 120, TODAY - timedelta(days=6))
        self.invoice(second, 80, TODAY - timedelta(days=6))
        run = self.sent_run()
        Run = self.env["cobranza.run"]
        original = DispatchRun._send_sms

        def send_sms_then_die(self_, *args, **kwargs):
            original(self_, *args, **kwargs)
            raise RuntimeError("worker killed after the SMS step")

        ids = Run._cobranza_next_chunk()
        self.assertEqual(len(ids), 2)
        with (
            patch.object(DispatchRun, "_send_sms", send_sms_then_die),
            self.assertRaisesRegex(RuntimeError, "worker killed"),
            self.env.cr.savepoint(),
        ):
            Run._cobranza_deliver_chunk(ids)
        self.env.invalidate_all()
        partners = self.customer | second
        self.assertFalse(self.mails_to(partners), "nothing of the chunk is left")
        self.assertFalse(self.sms_to(self.customer) | self.sms_to(second))
        self.assertEqual(set(run.action_ids.mapped("state")), {"queued"})
        self.assertFalse(run.action_ids.delivery_ids)

        # The retry delivers each message once; a second retry does nothing.
        self.assertEqual(Run._cobranza_deliver_chunk(ids), 2)
        self.assertEqual(Run._cobranza_deliver_chunk(ids), 0)
        self.deliver()
        for partner in partners:
            self.assertEqual(len(self.mails_to(partner)), 1)
            self.assertEqual(len(self.sms_to(partner)), 1)
        with smtp_sink(self.port) as sink:
            self.process_mail_queue()
            self.process_mail_queue()
        arrived = sink.recipients()
        for address in ("pagos@andina.example", "segunda@example.com"):
            self.assertEqual(arrived.count(address), 1, address)
        emails = run.action_ids.delivery_ids.filtered(lambda d: d.channel == "email")
        self.assertEqual(set(emails.mapped("state")), {"sent"})

    def test_a_chunk_that_keeps_failing_fails_its_actions(self):
        self.invoice(self.email_only, 120, TODAY - timedelta(days=6))
        run = self.sent_run()
        Run = self.env["cobranza.run"]

        def broken(*args, **kwargs):
            raise ValueError("template broken")

        with (
            patch.object(DispatchRun, "_send_emails", broken),
            self.assertLogs(
                "odoo.addons.cobranza_addon.models.cobranza_run_delivery", "WARNING"
            ),
        ):
            Run._cron_cobranza_deliver()
            self.assertEqual(run.action_ids.state, "queued", "tried again later")
            Run._cron_cobranza_deliver()
            Run._cron_cobranza_deliver()
        action = run.action_ids
        self.assertEqual(action.state, "failed")
        self.assertIn("template broken", action.note)
        self.assertFalse(self.mails_to(self.email_only))
        self.assertEqual(run.state, "done")

    # 3. A refusing SMTP server ------------------------------------------
    def test_refused_email_fails_the_action_and_retry_delivers(self):
        invoice = self.invoice(self.email_only, 120, TODAY - timedelta(days=6))
        run = self.sent_run()
        self.deliver()
        action = run.action_ids
        self.assertEqual(action.state, "done")
        self.assertEqual(invoice.cobranza_level_id, self.level_friendly)
        # Nobody listens on the port: the connection is refused.
        self.process_mail_queue()
        self.assertEqual(action.state, "failed")
        self.assertTrue(action.delivery_failed)
        delivery = action.delivery_ids
        self.assertEqual(delivery.state, "failed")
        self.assertTrue(delivery.failure_reason)
        self.assertIn("not delivered", action.note)
        self.assertFalse(invoice.cobranza_level_id, "the level is not kept")
        self.assertEqual(invoice.cobranza_stage_id, self.stage_current)
        ledger = self.env["cobranza.contact"].search([("action_id", "=", action.id)])
        self.assertEqual(ledger.mapped("outcome"), ["not_delivered"])
        self.assertEqual(run.failed_count, 1)
        worklist = self.env.ref("cobranza_addon.cobranza_action_action_worklist")
        domain = eval(worklist.domain)  # noqa: S307 - our own XML domain
        self.assertIn(action, self.env["cobranza.action"].search(domain))

        # A server that answers 5xx refuses too.
        with smtp_sink(self.port, refuse=True) as sink:
            action.with_user(self.collector).action_retry_delivery()
            self.process_mail_queue()
        self.assertFalse(sink.messages)
        self.assertEqual(action.state, "failed")

        # The server is back: Retry delivers, once.
        with smtp_sink(self.port) as sink:
            action.with_user(self.collector).action_retry_delivery()
            self.process_mail_queue()
            self.process_mail_queue()
        self.assertEqual(sink.recipients().count("solo@correo.example"), 1)
        self.assertEqual(action.state, "done")
        self.assertFalse(action.delivery_failed)
        self.assertEqual(invoice.cobranza_level_id, self.level_friendly)
        self.assertEqual(
            sorted(action.delivery_ids.mapped("state")),
            ["retried", "retried", "sent"],
        )

    def test_dashboard_counts_deliveries_and_drills_to_them(self):
        """The dashboard's delivery block counts the real outcomes, and each
        count opens exactly the actions behind it."""
        self.invoice(self.email_only, 120, TODAY - timedelta(days=6))
        self.invoice(self.customer, 80, TODAY - timedelta(days=6))
        self.sent_run()
        self.deliver()
        with smtp_sink(self.port, refuse=True):
            self.process_mail_queue()  # both emails refused
        Dashboard = self.env["cobranza.kpi.dashboard"].with_user(self.collector)
        today = self.env.cr.now().date()  # deliveries are dated when created
        filters = {"date_from": str(today), "date_to": str(today)}
        block = self.env["cobranza.kpi.dashboard"].get_dashboard_data(filters)[
            "delivery"
        ]
        by_channel = {row["channel"]: row for row in block["rows"]}
        self.assertEqual(by_channel["email"]["failed"], 2)
        self.assertEqual(by_channel["sms"]["queued"], 1, "the SMS waits in its queue")
        Action = self.env["cobranza.action"]
        for channel, row in by_channel.items():
            for outcome in ("sent", "failed", "bounced", "queued"):
                action = self.env["cobranza.kpi.dashboard"].action_open_deliveries(
                    filters, channel, outcome
                )
                self.assertEqual(
                    Action.search_count(action["domain"]),
                    row[outcome],
                    (channel, outcome),
                )
        # a collector reads the block too
        self.assertIn("delivery", Dashboard.get_dashboard_data(filters))

    def test_failed_sms_and_another_channel(self):
        invoice = self.invoice(self.customer, 120, TODAY - timedelta(days=6))
        run = self.sent_run()
        self.deliver()
        action = run.action_ids
        sms = self.sms_to(self.customer)
        # What the SMS provider's answer does (IAP reports an invalid number).
        sms.sudo()._update_sms_state_and_trackers(
            "error", failure_type="sms_number_format"
        )
        sms_delivery = action.delivery_ids.filtered(lambda d: d.channel == "sms")
        self.assertEqual(sms_delivery.state, "failed")
        self.assertTrue(action.delivery_failed)
        self.assertEqual(action.state, "done", "the email is still on its way")
        self.assertEqual(invoice.cobranza_level_id, self.level_friendly)
        action.with_user(self.collector).action_use_other_channel()
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
        )
        self.assertEqual(len(activity), 1, "a call task instead of the SMS")
        self.assertFalse(action.delivery_failed)

    def test_bounce_fails_a_delivered_email(self):
        invoice = self.invoice(self.email_only, 120, TODAY - timedelta(days=6))
        run = self.sent_run()
        self.deliver()
        with smtp_sink(self.port):
            self.process_mail_queue()
        action = run.action_ids
        self.assertEqual(action.delivery_ids.state, "sent")
        notification = (
            self.env["mail.notification"]
            .sudo()
            .search([("mail_message_id", "=", action.delivery_ids.mail_message_id.id)])
        )
        notification.write(
            {
                "notification_status": "bounce",
                "failure_type": "mail_bounce",
                "failure_reason": "550 mailbox unavailable",
            }
        )
        self.assertEqual(action.delivery_ids.state, "bounced")
        self.assertEqual(action.delivery_ids.failure_reason, "550 mailbox unavailable")
        self.assertEqual(action.state, "failed")
        self.assertFalse(invoice.cobranza_level_id)
        self.assertEqual(run.bounced_count, 1)

    # 4. Stale previews ---------------------------------------------------
    def test_changes_since_the_preview_are_not_sent(self):
        days = TODAY - timedelta(days=6)
        paid = self.invoice(self.customer, 100, days)
        disputed = self.invoice(self.customer, 101, days)
        promised = self.invoice(self.customer, 102, days)
        planned = self.invoice(self.customer, 103, days)
        kept = self.invoice(self.customer, 104, days)
        gone = self.invoice(self.email_only, 50, days)
        run = self.env["cobranza.run"].create({"company_id": self.company.id})
        run.action_preview()
        action = run.action_ids.filtered(lambda a: a.partner_id == self.customer)
        other = run.action_ids - action
        self.assertEqual(len(action.invoice_ids), 5)
        self.pay(paid, 100)
        self.pay(gone, 50)
        disputed.sudo().write({"cobranza_dispute": True})  # as the dispute wizard
        self.env["cobranza.promise"].create(
            {
                "partner_id": self.customer.id,
                "invoice_ids": [Command.set(promised.ids)],
                "amount": 102.0,
                "promise_date": TODAY + timedelta(days=5),
            }
        )
        plan = self.env["cobranza.payment.plan"].create(
            {
                "partner_id": self.customer.id,
                "invoice_ids": [Command.set(planned.ids)],
                "installment_count": 2,
                "frequency": "monthly",
                "first_date": TODAY + timedelta(days=30),
            }
        )
        plan.action_approve()
        self.assertNotIn(disputed, action.invoice_ids, "the dispute took it out")
        run.action_send()
        self.deliver()
        self.assertEqual(action.state, "done")
        self.assertEqual(action.invoice_ids, kept)
        self.assertIn(paid.name, action.note)
        mail = self.mails_to(self.customer)
        self.assertEqual(len(mail), 1)
        self.assertIn(kept.name, mail.body_html)
        for invoice in paid | disputed | promised | planned:
            self.assertNotIn(invoice.name, mail.body_html)
            self.assertFalse(invoice.cobranza_level_id)
        self.assertEqual(kept.cobranza_level_id, self.level_friendly)
        self.assertEqual(other.state, "skipped")
        self.assertIn("paid", other.note)
        self.assertFalse(self.mails_to(self.email_only))
        self.assertEqual(run.skipped_count, 1)
        self.assertEqual(run.state, "done")

    # 5. Races -------------------------------------------------------------
    def test_send_now_and_the_run_send_once(self):
        self.level_friendly.manual_review = True
        self.invoice(self.customer, 120, TODAY - timedelta(days=6))
        run = self.env["cobranza.run"].create({"company_id": self.company.id})
        run.action_preview()
        action = run.action_ids
        run.action_send()
        # The run queued it; Send now finds nothing to do.
        action.with_user(self.collector).action_send_now()
        self.assertEqual(action.state, "queued")
        ids = self.env["cobranza.run"]._cobranza_plan_chunks(run.ids)
        self.assertEqual(ids, [action.ids])
        # Two workers with the same chunk: the second delivers nothing.
        Run = self.env["cobranza.run"]
        self.assertEqual(Run._cobranza_deliver_chunk(action.ids), 1)
        self.assertEqual(Run._cobranza_deliver_chunk(action.ids), 0)
        action.with_user(self.collector).action_send_now()
        self.assertEqual(len(self.mails_to(self.customer)), 1)
        self.assertEqual(len(self.sms_to(self.customer)), 1)
        # The database refuses a second live delivery of a channel.
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env["cobranza.action.delivery"].sudo().create(
                {
                    "action_id": action.id,
                    "company_id": self.company.id,
                    "channel": "email",
                }
            )
            self.env.flush_all()

    def test_two_workers_never_claim_the_same_action(self):
        """SKIP LOCKED, on committed rows, with two real connections."""
        policy = self.env.ref("cobranza_addon.cobranza_policy_standard").sudo()
        level = policy.level_ids[:1]
        partner = self.env.ref("base.main_partner").sudo()
        registry = self.registry
        with registry.cursor() as cr:
            cr.execute(
                """
                INSERT INTO cobranza_action
                       (company_id, date, partner_id, level_id, state)
                VALUES (%s, %s, %s, %s, 'queued') RETURNING id
                """,
                [level.company_id.id, TODAY, partner.id, level.id],
            )
            action_id = cr.fetchone()[0]
        try:
            with registry.cursor() as cr_a, registry.cursor() as cr_b:
                run_a = api.Environment(cr_a, self.env.uid, {})["cobranza.run"]
                run_b = api.Environment(cr_b, self.env.uid, {})["cobranza.run"]
                self.assertEqual(run_a._cobranza_claim([action_id]), [action_id])
                self.assertEqual(run_b._cobranza_claim([action_id]), [])
                cr_a.rollback()
                self.assertEqual(run_b._cobranza_claim([action_id]), [action_id])
                cr_b.rollback()
        finally:
            with registry.cursor() as cr:
                cr.execute("DELETE FROM cobranza_action WHERE id = %s", [action_id])

    # 6. Cancel mid-way, progress -----------------------------------------
    def test_cancel_while_sending(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Cliente {i}", "email": f"c{i}@example.com"} for i in range(3)]
        )
        for partner in partners:
            self.invoice(partner, 100, TODAY - timedelta(days=6))
        self.env["ir.config_parameter"].set_param("cobranza.delivery_chunk_size", 1)
        run = self.sent_run()
        Run = self.env["cobranza.run"]
        Run._cobranza_deliver_chunk(Run._cobranza_next_chunk())
        self.assertEqual(run.delivered_count, 1)
        self.assertEqual(run.queued_count, 2)
        self.assertAlmostEqual(run.delivery_progress, 100 / 3, places=1)
        run.action_cancel()
        self.assertEqual(run.state, "cancelled")
        self.assertEqual(self.deliver(), 0)
        self.assertEqual(len(self.mails_to(partners)), 1)
        self.assertEqual(run.skipped_count, 2)

    # 7. Letters and invoice PDFs -----------------------------------------
    def test_letters_per_chunk_and_per_customer(self):
        first = self.invoice(self.customer, 120, TODAY - timedelta(days=50))
        self.invoice(self.customer_no_email, 80, TODAY - timedelta(days=50))
        self.env["ir.config_parameter"].set_param("cobranza.delivery_chunk_size", 1)
        run = self.sent_run()
        self.assertEqual(self.deliver(), 2)
        self.assertEqual(len(run.letter_attachment_ids), 2, "one per chunk")
        for action in run.action_ids:
            letter = action.delivery_ids.filtered(lambda d: d.channel == "letter")
            self.assertEqual(letter.state, "sent")
            self.assertEqual(letter.attachment_id.res_model, "cobranza.action")
            self.assertIn(action.partner_id.name, letter.attachment_id.raw.decode())
            chatter = self.env["ir.attachment"].search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", action.partner_id.id),
                ]
            )
            self.assertEqual(len(chatter), 1, "a copy in the customer's chatter")
            note = self.env["mail.message"].search(
                [
                    ("model", "=", "res.partner"),
                    ("res_id", "=", action.partner_id.id),
                    ("attachment_ids", "in", chatter.ids),
                ]
            )
            self.assertEqual(len(note), 1, "one note shows the copy")
            self.assertEqual(note.attachment_ids, chatter)
            self.assertTrue(note.is_internal)
            self.assertIn(action.level_id.name, note.body)
        download = run.action_download_letters()
        self.assertEqual(download["type"], "ir.actions.act_url")
        self.assertIn(f"/cobranza/run/{run.id}/letters", download["url"])
        # The invoice PDF is stored once, as Odoo stores it, and reused.
        pdf = first.invoice_pdf_report_id
        self.assertTrue(pdf)
        self.assertEqual(pdf.res_field, "invoice_pdf_report_file")
        mail = self.mails_to(self.customer)
        self.assertEqual(mail.attachment_ids, pdf)

    def test_invoice_pdf_rendered_once_across_levels(self):
        invoice = self.invoice(self.customer, 120, TODAY - timedelta(days=6))
        self.run_followup()
        pdf = invoice.invoice_pdf_report_id
        self.assertTrue(pdf)
        with freeze_time(TODAY + timedelta(days=40)):
            self.run_followup()
        self.assertEqual(invoice.cobranza_level_id, self.level_formal)
        self.assertEqual(invoice.invoice_pdf_report_id, pdf)
        count = self.env["ir.attachment"].search_count(
            [
                ("res_model", "=", "account.move"),
                ("res_id", "=", invoice.id),
                ("res_field", "=", "invoice_pdf_report_file"),
            ]
        )
        self.assertEqual(count, 1)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDeliveryVolume(CobranzaCommon):
    """A run of a few thousand actions goes through the real cron machinery.

    The book is generated set-based: thousands of customers, each with a
    call-task action of the run (posting thousands of invoices through the
    ORM would take most of the suite's time; the classification of real
    invoices is tested elsewhere). What is tested here is the runner:
    committed chunks, progress, the end of the run.
    """

    SIZE = 3000
    CHUNK = 400

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        quiet = cls.env(context={**cls.env.context, "tracking_disable": True})
        cls.partners = quiet["res.partner"].create(
            [{"name": f"Cliente {i:05d}"} for i in range(cls.SIZE)]
        )

    def _queued_run(self, partners, level=None):
        run = self.env["cobranza.run"].create({"company_id": self.company.id})
        run._create_actions(
            [
                {
                    "run_id": run.id,
                    "company_id": self.company.id,
                    "date": TODAY,
                    "partner_id": partner.id,
                    "policy_id": self.policy.id,
                    "level_id": (level or self.level_call).id,
                    "amount_due": 100.0,
                    "max_days_overdue": 25,
                }
                for partner in partners
            ]
        )
        run.sudo().state = "preview"  # as action_preview leaves it
        return run

    def test_cutting_a_big_queue_takes_as_many_queries_as_a_small_one(self):
        """Send stays quick on a big book: cutting the queue into chunks
        reads every action's weight at once, not action by action."""
        self.env["ir.config_parameter"].set_param(
            "cobranza.delivery_chunk_size", self.CHUNK
        )
        Run = self.env["cobranza.run"]
        counts = {}
        for size in (1, self.SIZE):
            run = self._queued_run(self.partners[:size], self.level_formal)
            run.action_ids.sudo().state = "queued"
            self.env.flush_all()
            Run._cobranza_plan_chunks(run.ids)  # settings read and cached once
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            chunks = Run._cobranza_plan_chunks(run.ids)
            counts[size] = self.cr.sql_log_count - before
            self.assertEqual(sum(len(c) for c in chunks), size)
            run.action_ids.sudo().state = "cancelled"
        # customers without email get the formal letter: 20 letters are one
        # unit, 50 actions are one, 10 units a chunk: 140 actions a chunk
        self.assertEqual([len(c) for c in chunks], [140] * 21 + [60])
        self.assertEqual(counts[self.SIZE], counts[1], counts)
        self.assertLessEqual(counts[1], 3)

    def test_thousands_of_actions_in_committed_chunks_through_the_cron(self):
        self.env["ir.config_parameter"].set_param(
            "cobranza.delivery_chunk_size", self.CHUNK
        )
        run = self._queued_run(self.partners)
        run.action_send()
        self.assertEqual(run.queued_count, self.SIZE)
        cron = self.env.ref("cobranza_addon.cobranza_delivery_cron")
        Progress = self.env["ir.cron.progress"].sudo()
        calls = 0
        # The real cron machinery, with the test cursor standing in for the
        # database (its commits are savepoints): each call is one chunk, and
        # one job runs at most 10 calls before it re-triggers itself.
        # These actions have no invoices (see the class docstring): the
        # send-time refresh would rightly cancel them as empty; this test is
        # about the runner, so the refresh keeps them.
        action_class = type(self.env["cobranza.action"])
        keep_all = patch.object(
            action_class, "_refresh_figures", lambda actions: actions.browse()
        )
        keep_all.start()
        self.addCleanup(keep_all.stop)
        while run.queued_count and calls < 5:
            self.env.flush_all()
            self.registry.enter_test_mode(self.cr)
            try:
                self.registry["ir.cron"]._process_job(
                    self.registry.db_name,
                    self.registry.cursor(),
                    {
                        **cron.sudo().read(load=None)[0],
                        "done": 0,
                        "remaining": 0,
                        "timed_out_counter": 0,
                    },
                )
            finally:
                self.registry.leave_test_mode()
            self.env.invalidate_all()
            calls += 1
        chunks = Progress.search([("cron_id", "=", cron.id), ("done", ">", 0)])
        self.assertEqual(len(chunks), -(-self.SIZE // self.CHUNK))
        self.assertEqual(sum(chunks.mapped("done")), self.SIZE)
        self.assertEqual(run.queued_count, 0)
        self.assertEqual(run.state, "done")
        self.assertEqual(run.delivered_count, self.SIZE)
        tasks = self.env["mail.activity"].search_count(
            [("res_model", "=", "res.partner"), ("res_id", "in", self.partners.ids)]
        )
        self.assertEqual(tasks, self.SIZE)
