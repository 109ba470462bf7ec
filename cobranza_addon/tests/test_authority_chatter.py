from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import TODAY
from .test_compliance_run import (
    MONDAY_0700_BOGOTA,
    SUNDAY_10_BOGOTA,
    CompliancePartners,
)


class ChatterHelpers:
    def _quick_post(self, record, user, body="<p>Pague hoy</p>", **kwargs):
        # What the chatter controller does: the thread in sudo, the user's uid.
        return (
            record.with_user(user)
            .sudo()
            .message_post(
                body=body,
                message_type="comment",
                subtype_xmlid=kwargs.pop("subtype_xmlid", "mail.mt_comment"),
                **kwargs,
            )
        )

    def _comments_to(self, partner):
        return self.env["mail.message"].search(
            [
                ("message_type", "=", "comment"),
                ("subtype_id", "=", self.env.ref("mail.mt_comment").id),
                "|",
                ("partner_ids", "in", partner.ids),
                "&",
                ("model", "=", "res.partner"),
                ("res_id", "=", partner.id),
            ]
        )


@tagged("post_install", "-at_install")
class TestAuthorityChatter(ChatterHelpers, CompliancePartners):
    """Quick chatter posts (``/mail/message/post`` posts as sudo) to debtors."""

    def test_quick_post_at_a_forbidden_hour_is_held_and_logged(self):
        invoice = self.invoice(self.co_debtor, 300, TODAY - timedelta(days=10))
        with freeze_time(SUNDAY_10_BOGOTA):
            note = self._quick_post(
                self.co_debtor, self.collector, partner_ids=self.co_debtor.ids
            )
            self._quick_post(invoice, self.collector)
        self.assertFalse(self._comments_to(self.co_debtor))
        self.assertFalse(
            self.env["mail.mail"].search([("recipient_ids", "in", self.co_debtor.ids)])
        )
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertIn("NOT sent", note.body)
        self.assertIn("CO-HOURS", note.body)
        held = self.ledger(self.co_debtor)
        self.assertEqual(len(held), 2)
        self.assertEqual(set(held.mapped("outcome")), {"deferred"})
        self.assertEqual(set(held.mapped("held_state")), {"held"})
        self.assertEqual(set(held.mapped("origin")), {"manual"})
        self.assertTrue(all("CO-HOURS" in r for r in held.mapped("rule_ids_text")))
        self.assertEqual(set(held.mapped("res_model")), {"res.partner", "account.move"})
        self.assertEqual(held.user_id, self.collector)
        self.assertTrue(
            self.co_debtor.activity_ids.filtered(lambda a: a.user_id == self.collector)
        )
        # Too early still; on Monday from 07:00 the collector sends it.
        on_partner = held.filtered(lambda r: r.res_model == "res.partner")
        with freeze_time(SUNDAY_10_BOGOTA + timedelta(hours=1)):
            with self.assertRaisesRegex(UserError, "CO-HOURS"):
                on_partner.with_user(self.collector).action_send_held()
        with freeze_time(MONDAY_0700_BOGOTA + timedelta(hours=1)):
            on_partner.with_user(self.collector).action_send_held()
        self.assertEqual(on_partner.held_state, "sent")
        self.assertEqual(len(self._comments_to(self.co_debtor)), 1)
        self.assertTrue(self.ledger(self.co_debtor, outcome="allowed"))

    def test_quick_post_at_an_allowed_hour_is_sent_and_logged(self):
        self.invoice(self.co_debtor, 300, TODAY - timedelta(days=10))
        with freeze_time(MONDAY_0700_BOGOTA + timedelta(hours=2)):
            message = self._quick_post(
                self.co_debtor, self.collector, partner_ids=self.co_debtor.ids
            )
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        row = self.ledger(self.co_debtor)
        self.assertEqual(
            (row.outcome, row.origin, row.channel, row.res_model),
            ("allowed", "manual", "email", "res.partner"),
        )

    def test_a_message_emailed_to_a_debtor_cannot_be_edited(self):
        """Odoo lets the author edit or empty a message after it was emailed:
        what the debtor received would no longer be what the chatter shows."""
        self.invoice(self.co_debtor, 300, TODAY - timedelta(days=10))
        with freeze_time(MONDAY_0700_BOGOTA + timedelta(hours=2)):
            message = self._quick_post(
                self.co_debtor, self.collector, partner_ids=self.co_debtor.ids
            )
        self.assertTrue(self.ledger(self.co_debtor, outcome="allowed"))
        debtor = self.co_debtor.with_user(self.collector).with_context(
            cobranza_run=True
        )
        for body in ("<p>Nunca le escribimos</p>", ""):
            with self.assertRaisesRegex(UserError, "stays as it was sent"):
                debtor._message_update_content(
                    message.with_user(self.collector), body=body
                )
        self.assertIn("Pague hoy", message.body)
        # a message to a customer outside collection can still be corrected
        other = self.env["res.partner"].create(
            {"name": "Cliente al día", "email": "aldia@example.com"}
        )
        sent = self._quick_post(other, self.collector, partner_ids=other.ids)
        other.with_user(self.collector)._message_update_content(
            sent.with_user(self.collector), body="<p>Corregido</p>"
        )
        self.assertIn("Corregido", sent.body)

    def test_internal_note_is_not_a_message_to_the_debtor(self):
        self.invoice(self.co_debtor, 300, TODAY - timedelta(days=10))
        with freeze_time(SUNDAY_10_BOGOTA):
            note = self._quick_post(
                self.co_debtor,
                self.collector,
                body="Llamar el lunes",
                subtype_xmlid="mail.mt_note",
            )
        self.assertIn("Llamar el lunes", note.body)
        self.assertFalse(self.ledger(self.co_debtor))

    def _mails_to(self, partner):
        return self.env["mail.mail"].search([("recipient_ids", "in", partner.ids)])

    def test_note_naming_a_debtor_is_checked(self):
        """Odoo emails the partners a note names: a note naming the debtor
        is a message to the debtor, from the chatter or over RPC."""
        self.invoice(self.co_debtor, 300, TODAY - timedelta(days=10))
        rpc = self.co_debtor.with_user(self.collector).with_context(
            mail_notify_force_send=False, cobranza_plan_saving=True
        )
        with freeze_time(SUNDAY_10_BOGOTA):
            self._quick_post(
                self.co_debtor,
                self.collector,
                subtype_xmlid="mail.mt_note",
                partner_ids=self.co_debtor.ids,
            )
            rpc.message_post(
                body="Pague hoy",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                partner_ids=self.co_debtor.ids,
            )
        self.assertFalse(self._mails_to(self.co_debtor))
        held = self.ledger(self.co_debtor)
        self.assertEqual(len(held), 2)
        self.assertEqual(set(held.mapped("held_state")), {"held"})
        self.assertTrue(all("CO-HOURS" in r for r in held.mapped("rule_ids_text")))

    def test_message_notify_to_a_debtor_is_checked(self):
        """``message_notify`` is public: an RPC caller naming a debtor, on
        an invoice, on the customer, on no document or on another document,
        passes the rules like a chatter message."""
        invoice = self.invoice(self.co_debtor, 300, TODAY - timedelta(days=10))
        run = self.env["cobranza.run"].create({"company_id": self.company.id})
        ctx = {"mail_notify_force_send": False, "cobranza_plan_saving": True}
        as_collector = self.env(user=self.collector, context=ctx)
        notify = {"body": "Pague hoy", "partner_ids": self.co_debtor.ids}
        with freeze_time(SUNDAY_10_BOGOTA):
            invoice.with_env(as_collector).message_notify(**notify)
            self.co_debtor.with_env(as_collector).message_notify(**notify)
            as_collector["res.partner"].message_notify(**notify)
            with self.assertRaisesRegex(UserError, "CO-HOURS"):
                run.with_env(as_collector).message_notify(**notify)
        self.assertFalse(self._mails_to(self.co_debtor))
        held = self.ledger(self.co_debtor)
        self.assertEqual(len(held), 3)
        self.assertEqual(set(held.mapped("held_state")), {"held"})
        self.assertEqual(
            sorted(held.mapped("res_model")),
            ["account.move", "res.partner", "res.partner"],
        )
        with freeze_time(MONDAY_0700_BOGOTA + timedelta(hours=2)):
            invoice.with_env(as_collector).message_notify(**notify)
        self.assertEqual(len(self._mails_to(self.co_debtor)), 1)
        self.assertEqual(len(self.ledger(self.co_debtor, outcome="allowed")), 1)

    def _warn_rule_on_sunday_emails(self):
        """A company's own warn-level rule: no emails to Chilean consumers on Sunday."""
        pack = self.env["cobranza.rule.pack"].create(
            {"name": "Propias", "jurisdiction": "CL", "company_id": self.company.id}
        )
        self.env["cobranza.rule"].create(
            {
                "pack_id": pack.id,
                "company_id": self.company.id,
                "rule_code": "CL-OWN-SUNDAY",
                "jurisdiction": "CL",
                "kind": "time_window",
                "severity": "warn",
                "channels": "email",
                "params": '{"windows": {"mon-sat": ["08:00", "20:00"]}}',
                "citation": "Company policy",
            }
        )

    def test_manager_overrides_a_warn_rule_with_a_justification(self):
        self._warn_rule_on_sunday_emails()
        self.invoice(self.cl_debtor, 400, TODAY - timedelta(days=25))
        with freeze_time(SUNDAY_10_BOGOTA):
            self._quick_post(
                self.cl_debtor, self.collector, partner_ids=self.cl_debtor.ids
            )
            held = self.ledger(self.cl_debtor)
            self.assertEqual((held.outcome, held.held_state), ("deferred", "held"))
            self.assertEqual(held.rule_ids_text, "CL-OWN-SUNDAY")
            self.assertFalse(self._comments_to(self.cl_debtor))
            with self.assertRaises(AccessError):
                held.with_user(self.collector).action_override(
                    ["CL-OWN-SUNDAY"], "Pidió"
                )
            with self.assertRaises(UserError):
                held.with_user(self.manager).action_override(["CL-OWN-SUNDAY"], " ")
            with self.assertRaises(UserError):
                held.with_user(self.manager).action_override(["CO-HOURS"], "Urge")
            self.assertEqual(held.held_state, "held")
            wizard = (
                self.env["cobranza.override.wizard"]
                .with_user(self.manager)
                .with_context(default_contact_id=held.id)
                .create({"justification": "The debtor asked to be written on Sunday."})
            )
            self.assertEqual(wizard.rule_codes, "CL-OWN-SUNDAY")
            wizard.action_confirm()
        self.assertEqual(held.held_state, "sent")
        sent = self.ledger(self.cl_debtor, outcome="allowed")
        self.assertEqual(
            sent.override_justification, "The debtor asked to be written on Sunday."
        )
        self.assertEqual(sent.user_id, self.manager)
        self.assertEqual(len(self._comments_to(self.cl_debtor)), 1)

    def test_customer_not_in_collection_is_not_checked(self):
        with freeze_time(SUNDAY_10_BOGOTA):
            self._quick_post(
                self.co_debtor, self.collector, partner_ids=self.co_debtor.ids
            )
        self.assertEqual(len(self._comments_to(self.co_debtor)), 1)
        self.assertFalse(self.ledger(self.co_debtor))


@tagged("post_install", "-at_install")
class TestAuthorityChatterRoute(ChatterHelpers, CompliancePartners, HttpCase):
    """The chatter's own route, as the browser calls it (no frozen clock)."""

    def test_chatter_route_holds_a_message_to_a_debtor(self):
        # CO-CHANNEL: a Colombian consumer who authorised no channel, at any hour.
        self.co_debtor.cobranza_authorized_channels = False
        invoice = self.invoice(self.co_debtor, 300, TODAY - timedelta(days=10))
        self.authenticate("collector_test", "collector_test")
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "account.move",
                "thread_id": invoice.id,
                "post_data": {
                    "body": "Pague hoy o iniciaremos acciones",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                    "partner_ids": self.co_debtor.ids,
                },
                "context": {"cobranza_plan_saving": True},
            },
        )
        row = self.ledger(self.co_debtor)
        self.assertEqual(len(row), 1)
        self.assertIn(row.outcome, ("deferred", "blocked"))
        self.assertIn("CO-CHANNEL", row.rule_ids_text)
        self.assertEqual((row.held_state, row.res_model), ("held", "account.move"))
        self.assertFalse(self._comments_to(self.co_debtor))
        self.assertFalse(
            invoice.message_ids.filtered(
                lambda m: m.subtype_id == self.env.ref("mail.mt_comment")
            )
        )

    def test_a_collector_logs_a_note_on_a_customer_from_the_chatter(self):
        """Collectors can read customers but not write them: the chatter's
        route still lets them log a note there (and shows them the
        composer), and a user outside collections still cannot."""
        self.authenticate("collector_test", "collector_test")
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "res.partner",
                "thread_id": self.co_debtor.id,
                "post_data": {
                    "body": "Llamé: promete pagar el viernes",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_note",
                },
            },
        )
        note = self.co_debtor.message_ids.filtered(
            lambda m: "promete pagar" in (m.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertEqual(note.author_id, self.collector.partner_id)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        Partner = self.env["res.partner"]
        self.assertEqual(Partner.with_user(self.collector)._mail_post_access, "read")
        # and schedule an activity there (the chatter's Activities button)
        todo = (
            self.env["mail.activity"]
            .with_user(self.collector)
            .create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "res_id": self.co_debtor.id,
                    "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                    "summary": "Confirmar pago del viernes",
                    "user_id": self.collector.id,
                }
            )
        )
        self.assertEqual(todo.res_id, self.co_debtor.id)
        # still no write access on the customer itself
        with self.assertRaises(AccessError):
            self.co_debtor.with_user(self.collector).write({"name": "Otro"})
        outsider = new_test_user(
            self.env, login="outsider_chatter", groups="base.group_user"
        )
        self.assertEqual(Partner.with_user(outsider)._mail_post_access, "write")
        with self.assertRaises(AccessError):
            self.co_debtor.with_user(outsider).message_post(
                body="Nota", message_type="comment", subtype_xmlid="mail.mt_note"
            )


@tagged("post_install", "-at_install")
class TestSentReminderKept(CompliancePartners, HttpCase):
    """Odoo lets the author of a chatter message edit or empty it; a
    reminder a run sent is the collector's message on the customer."""

    def sent_by_the_collector(self):
        with freeze_time(TODAY):
            self.invoice(self.customer, 120, TODAY - timedelta(days=6))
            run = self.env["cobranza.run"].create({"company_id": self.company.id})
            run.action_preview()
            run.with_user(self.collector).action_send()
            self.deliver()
        delivery = self.env["cobranza.action.delivery"].search(
            [("run_id", "=", run.id), ("channel", "=", "email")]
        )
        message = delivery.mail_message_id
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.collector.partner_id)
        self.assertEqual(message.message_type, "comment")
        return message

    def test_the_author_cannot_edit_a_sent_reminder(self):
        message = self.sent_by_the_collector()
        body = message.body
        customer = self.customer.with_user(self.collector).with_context(
            cobranza_run=True, mail_notrack=True
        )
        with self.assertRaisesRegex(UserError, "stays as it was sent"):
            customer._message_update_content(
                message.with_user(self.collector), body="<p>Nunca le escribimos</p>"
            )
        # the chatter's edit and delete, as the browser calls them
        self.authenticate("collector_test", "collector_test")
        for new_body in ("<p>Nunca le escribimos</p>", ""):
            with (
                mute_logger("odoo.http"),
                self.assertRaisesRegex(Exception, "UserError"),
            ):
                self.make_jsonrpc_request(
                    "/mail/message/update_content",
                    {"message_id": message.id, "body": new_body, "attachment_ids": []},
                )
        message.invalidate_recordset()
        self.assertEqual(message.body, body)

    def test_the_invoice_pdfs_a_reminder_carried_are_kept(self):
        """They show with a trash icon in the customer's chatter, and the
        collector may write on invoices."""
        message = self.sent_by_the_collector()
        sent = message.attachment_ids
        self.assertEqual(sent.res_model, "account.move")
        for attachment in sent.with_user(self.collector):
            with self.assertRaisesRegex(AccessError, "was sent to a customer"):
                attachment.unlink()
        self.assertEqual(len(sent.exists()), len(sent))
        # nor through the invoice's own field (Odoo writes it in sudo)
        invoice = self.env["account.move"].browse(sent.res_id)
        as_collector = invoice.with_user(self.collector).with_context(cobranza_run=True)
        for value in (False, b"JVBERi0xLjQK"):
            with self.assertRaisesRegex(AccessError, "was sent to a customer"):
                as_collector.write({"invoice_pdf_report_file": value})
        self.assertEqual(invoice.invoice_pdf_report_id, sent)
