"""What the delivery's shortcuts must not change."""

import itertools
from collections import defaultdict
from datetime import timedelta
from unittest.mock import patch

from markupsafe import Markup

from odoo.tests import new_test_user

from ..models.cobranza_authority import RUN, granted
from .common import TODAY, CobranzaCommon


class TestDeliveryShortcuts(CobranzaCommon):
    def test_batch_rendering_equals_odoo_record_by_record(self):
        """One QWeb compilation for a batch gives what Odoo gives one by one."""
        second = self.customer.copy({"name": "Señora Núñez", "email": "n@example.com"})
        for partner in (self.customer, second):
            self.invoice(partner, 150, TODAY - timedelta(days=20))
        run = self.env["cobranza.run"].create({"company_id": self.company.id})
        run.action_preview()
        actions = run.action_ids
        self.assertEqual(len(actions), 2)
        template = self.tmpl_friendly
        batch = template._render_field("body_html", actions.ids)
        one_by_one = {}
        for action in actions:
            one_by_one.update(template._render_field("body_html", action.ids))
        self.assertEqual(batch, one_by_one)
        self.assertIn(
            "Núñez", batch[actions.filtered(lambda a: a.partner_id == second).id]
        )

    def test_the_runs_invoice_write_keeps_the_journal_items(self):
        """The run writes collection fields without resynchronising the
        invoice's journal items nor marking it manually modified."""
        invoice = self.invoice(self.customer, 120, TODAY - timedelta(days=6))
        run = self.env["cobranza.run"].create({"company_id": self.company.id})
        run.action_preview()
        run.action_send()
        self.deliver()
        self.assertTrue(invoice.cobranza_level_id, "the run wrote the level")
        invoice.is_manually_modified = False
        lines_before = invoice.line_ids.read(["balance", "account_id", "name"])
        with granted(RUN):
            invoice._cobranza_run_write(
                {"cobranza_last_date": TODAY, "cobranza_stage_id": self.stage_extra.id}
            )
        self.assertEqual(invoice.cobranza_stage_id, self.stage_extra)
        self.assertFalse(invoice.is_manually_modified)
        self.assertEqual(
            invoice.line_ids.read(["balance", "account_id", "name"]), lines_before
        )
        # a client's context key does not skip Odoo's synchronisation
        invoice.with_context(cobranza_fields_only=True).write({"ref": "x"})
        self.assertTrue(invoice.is_manually_modified)

    def test_chunk_weights_read_in_one_query_equal_the_records(self):
        """The PDF weights that cut the chunks, read in SQL for a whole run,
        are those of the channels delivery uses (``_plan_channels``), for
        every channel setting of the level, with or without a remainder."""
        self.invoice(self.customer, 120, TODAY - timedelta(days=50))
        stored = self.invoice(self.customer, 90, TODAY - timedelta(days=50))
        self.invoice(self.customer_no_email, 80, TODAY - timedelta(days=50))
        self.invoice(self.customer.copy({"email": ""}), 70, TODAY - timedelta(days=50))
        self.env["ir.attachment"].create(
            {
                "name": "stored.pdf",
                "raw": b"%PDF-1.4 stored",
                "res_model": "account.move",
                "res_id": stored.id,
                "res_field": "invoice_pdf_report_file",
            }
        )
        stored.invalidate_recordset(["invoice_pdf_report_id"])
        run = self.env["cobranza.run"].create({"company_id": self.company.id})
        run.action_preview()
        actions = run.action_ids
        self.assertEqual(len(actions), 3)
        levels = actions.level_id

        Run = self.env["cobranza.run"]

        def reference(action):
            # the channels delivery uses, fallbacks included
            channels = Run._plan_channels(action.level_id, action, defaultdict(list))
            level = action.level_id
            pdfs = 0
            if "email" in channels and not action.plan_line_id:
                pdfs += len(
                    action.invoice_ids.filtered(lambda m: not m.invoice_pdf_report_id)
                )
            if "email" in channels and level.attach_statement:
                pdfs += 1
            return (action.id, pdfs, "letter" in channels)

        seen = set()
        settings = itertools.product(
            (True, False),  # email
            (False, True),  # letter
            (False, True),  # sms
            (False, True),  # call task
            (False, True),  # statement
            (self.tmpl_letter, False),
            ("", "letter", "sms,activity", "email,letter"),  # a remainder
        )
        for email, letter, sms, call, statement, template, remainder in settings:
            if (letter and not template) or not (email or letter or sms or call):
                continue  # a policy refuses these levels
            levels.write(
                {
                    "use_email": email,
                    "use_letter": letter,
                    "use_sms": sms,
                    "sms_template_id": self.sms_overdue.id,
                    "use_activity": call,
                    "attach_statement": statement,
                    "letter_template_id": template and template.id,
                    "mail_template_id": self.tmpl_formal.id,
                }
            )
            actions.sudo().write({"channel_plan": remainder or False})
            expected = [reference(a) for a in actions]
            weights = Run._cobranza_pdf_weights(actions.ids)
            self.assertEqual([tuple(w) for w in weights], expected)
            seen.update((w[1], w[2]) for w in weights)
        self.assertIn((1, False), seen, "the stored invoice PDF is not counted")
        self.assertIn((0, True), seen)
        self.assertIn((2, True), seen)

    # ------------------------------------------------------------------
    # Chatter and emails in batches (models/mail_thread_batch.py)
    # ------------------------------------------------------------------
    MESSAGE_FIELDS = [
        "author_id",
        "email_from",
        "reply_to",
        "model",
        "res_id",
        "record_name",
        "record_alias_domain_id",
        "record_company_id",
        "body",
        "subject",
        "message_type",
        "subtype_id",
        "parent_id",
        "partner_ids",
        "attachment_ids",
        "email_add_signature",
        "is_internal",
    ]
    MAIL_FIELDS = [
        "email_from",
        "reply_to",
        "subject",
        "recipient_ids",
        "is_notification",
        "auto_delete",
        "state",
        "body_html",
        "headers",
    ]

    def _posted(self, message):
        message.invalidate_recordset()
        values = message.read(self.MESSAGE_FIELDS)[0]
        values.pop("id")
        mails = (
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        )
        mail_values = [
            {k: v for k, v in m.items() if k != "id"}
            for m in mails.read(self.MAIL_FIELDS)
        ]
        notifications = sorted(
            (
                n.res_partner_id.id,
                n.notification_type,
                n.notification_status,
                n.is_read,
                bool(n.mail_mail_id),
            )
            for n in message.sudo().notification_ids
        )
        return values, mail_values, notifications

    def test_batch_post_equals_message_post(self):
        """The run's batched posting makes the message, the email and the
        notifications ``message_post`` makes, with the same recipients
        (the customer, and the followers of comments), queued, not sent."""
        follower = self.env["res.partner"].create(
            {"name": "Seguidora Ríos", "email": "rios@example.com"}
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": "f.pdf",
                "raw": b"%PDF-1.4",
                "res_model": "res.partner",
                "res_id": self.customer.id,
            }
        )
        self.customer.message_subscribe(partner_ids=follower.ids)
        self.customer.message_post(body="first", message_type="comment")
        post = {
            "body": Markup(
                '<p onclick="x()">Estimado cliente, <b>señal</b> &amp; más</p>'
                "<script>alert(1)</script>"
            ),
            "subject": "Recordatorio de pago",
            "email_from": '"Cobranza" <cobranza@example.com>',
            "partner_ids": self.customer.ids,
            "attachment_ids": attachment.ids,
        }
        author = self.env.user.partner_id
        stock = self.customer.with_context(mail_notify_force_send=False).message_post(
            author_id=author.id,
            body=post["body"],
            subject=post["subject"],
            email_from=post["email_from"],
            partner_ids=post["partner_ids"],
            attachment_ids=post["attachment_ids"],
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        ours = self.customer._cobranza_post_batch({self.customer.id: post}, author)[
            self.customer.id
        ]
        stock_values, stock_mails, stock_notifs = self._posted(stock)
        our_values, our_mails, our_notifs = self._posted(ours)
        self.assertEqual(our_values, stock_values)
        self.assertEqual(our_notifs, stock_notifs)
        self.assertEqual(len(our_mails), len(stock_mails))
        self.assertTrue(our_mails)
        for mail in our_mails + stock_mails:
            # each email names its own message in its links and references
            mail["body_html"] = len(mail["body_html"] or "")
        self.assertEqual(our_mails, stock_mails)
        self.assertEqual({m["state"] for m in our_mails}, {"outgoing"})
        recipients = {pid for m in our_mails for pid in m["recipient_ids"]}
        self.assertEqual(recipients, {self.customer.id, follower.id})
        # the body is stored sanitized once, as message_post stores it
        self.assertNotIn("onclick", ours.body)
        self.assertNotIn("script", ours.body)
        self.assertIn("señal", ours.body)

    def test_batch_post_embedded_image(self):
        """A body with an embedded image is stored as ``message_post``
        stores it: the image becomes an attachment the body links to."""
        png = (
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhf"
            "DwAChwGA60e6kgAAAABJRU5ErkJggg=="
        )
        post = {
            "body": Markup('<p>Logo <img src="data:image/png;base64,%s"></p>') % png,
            "partner_ids": self.customer.ids,
        }
        author = self.env.user.partner_id
        ours = self.customer._cobranza_post_batch({self.customer.id: post}, author)[
            self.customer.id
        ]
        self.assertEqual(len(ours.attachment_ids), 1)
        self.assertIn(f"/web/image/{ours.attachment_ids.id}", ours.body)
        self.assertNotIn("base64", ours.body)

    def test_batch_log_equals_message_log_batch(self):
        """The run's one-INSERT notes are the rows ``_message_log_batch``
        writes, bodies sanitized the same way, visible in the chatter."""
        second = self.customer.copy({"name": "Señora Núñez"})
        partners = self.customer | second
        bodies = {
            self.customer.id: Markup("Nivel <b>%s</b> enviado") % "Amistoso",
            second.id: Markup('<p onclick="x()">Listado <i>ñ</i></p>'),
        }
        fields_ = [f for f in self.MESSAGE_FIELDS if f not in ("parent_id",)]
        stock = partners._message_log_batch(bodies)
        ours = self.env["mail.message"].browse(partners._cobranza_log_batch(bodies))
        self.assertEqual(len(ours), 2)
        read = lambda messages: sorted(  # noqa: E731
            ({k: v for k, v in m.items() if k != "id"} for m in messages.read(fields_)),
            key=lambda m: m["res_id"],
        )
        self.assertEqual(read(ours), read(stock))
        self.assertNotIn("onclick", ours.filtered(lambda m: m.res_id == second.id).body)
        self.assertIn(ours[0], self.customer.message_ids | second.message_ids)
        self.assertEqual(ours.mapped("message_id")[0], ours.mapped("message_id")[1])

    def test_invoice_note_carries_the_tracked_level_and_stage(self):
        """The run's note on an invoice shows its level (and stage) change
        as Odoo's tracking shows it, in one message: no second, separate
        tracking message per invoice at commit."""
        invoice = self.invoice(self.customer, 120, TODAY - timedelta(days=20))
        self.env.flush_all()
        self.env.cr.precommit.run()  # the invoice's own commit
        before = invoice.message_ids
        # an earlier write in the run's transaction makes Odoo capture every
        # tracked field of the invoice (as rendering its PDF does)
        invoice.write({"ref": "captured by tracking"})
        self.run_followup()
        invoice.invalidate_recordset()
        self.env.cr.precommit.run()  # what the commit runs: Odoo's tracking
        new = invoice.message_ids - before
        # the test's own write of the reference is tracked on its own
        self.assertEqual(
            new.sudo().tracking_value_ids.field_id.mapped("name").count("ref"), 1
        )
        note = new.filtered(
            lambda m: "cobranza_level_id"
            in m.sudo().tracking_value_ids.field_id.mapped("name")
        )
        self.assertEqual(len(note), 1, "the level change is shown once")
        self.assertFalse(
            (new - note)
            .sudo()
            .tracking_value_ids.filtered(
                lambda t: t.field_id.name in ("cobranza_level_id", "cobranza_stage_id")
            )
        )
        self.assertIn("Follow-up level", note.body)
        changes = {
            t.field_id.name: (t.old_value_integer, t.new_value_integer)
            for t in note.sudo().tracking_value_ids
        }
        self.assertEqual(
            changes["cobranza_level_id"], (0, invoice.cobranza_level_id.id)
        )
        self.assertEqual(changes["cobranza_stage_id"][1], invoice.cobranza_stage_id.id)
        self.assertNotEqual(*changes["cobranza_stage_id"], "the stage moved")
        self.assertTrue(invoice.cobranza_level_id)

    def test_batch_post_queues_the_followers_browser_notifications(self):
        """An internal follower with a browser registered for notifications
        gets them through Odoo's push queue (after the commit), never by a
        call to the push service inside the chunk's transaction."""
        follower = new_test_user(
            self.env,
            login="push_follower",
            groups="base.group_user",
            notification_type="inbox",
        )
        self.customer.message_subscribe(partner_ids=follower.partner_id.ids)
        self.env["mail.push.device"].sudo().create(
            {
                "partner_id": follower.partner_id.id,
                "endpoint": "https://push.example/endpoint",
                "keys": '{"p256dh": "x", "auth": "y"}',
            }
        )
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("mail.web_push_vapid_private_key", "private")
        params.set_param("mail.web_push_vapid_public_key", "public")
        pushes = self.env["mail.push"].sudo().search([])
        with patch(
            "odoo.addons.mail.models.mail_thread.push_to_end_point",
            side_effect=AssertionError("a push left before the commit"),
        ):
            self.customer._cobranza_post_batch(
                {self.customer.id: {"body": Markup("<p>Recordatorio</p>")}},
                self.env.user.partner_id,
            )
        queued = self.env["mail.push"].sudo().search([]) - pushes
        self.assertEqual(len(queued), 1)
        self.assertEqual(queued.mail_push_device_id.partner_id, follower.partner_id)
