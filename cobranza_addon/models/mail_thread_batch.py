"""Many chatter messages with their emails, as ``message_post`` makes them,
in a few set-based creates.

A delivery chunk posts one reminder per customer. ``message_post`` does it
one message at a time: its author, parent, reply-to, alias domain and
company are looked up, the message, the ``mail.mail`` and the
``mail.notification`` are created, and the author is subscribed, each time
with its own queries. ``_cobranza_post_batch`` computes the same values for
all the records at once and creates the messages, the emails and the
notifications in one batch each. The emails wait in Odoo's mail queue (never
sent from here) and report their outcome through their notifications, as
any other; followers are notified as ``message_post`` notifies them, their
browser notifications queued too (``mail.push``).

``_cobranza_log_batch`` writes the same rows as ``_message_log_batch`` (an
internal note on each record, no notification) in one ``INSERT``: a chunk
logs a line on each of its invoices, thousands of short notes, where the
ORM's per-record create cost more than the rest of the chunk together.
"""

import json

from markupsafe import escape

from odoo import Command, fields, models
from odoo.tools import SQL, clean_context
from odoo.tools.mail import generate_tracking_message_id

from odoo.addons.mail.models.mail_message import _image_dataurl


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _cobranza_post_batch(self, posts, author, subtype_xmlid="mail.mt_comment"):
        """Post one comment on each record of ``self``.

        ``posts``: ``{record_id: {"body", "subject", "email_from",
        "reply_to", "partner_ids", "attachment_ids"}}`` (the last four may be
        missing or empty). ``author``: the partner who writes. Returns
        ``{record_id: mail.message}``.
        """
        if not self:
            return {}
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id(subtype_xmlid)
        values_list = self._cobranza_batch_message_values(posts, author, subtype_id)
        messages = self._cobranza_create_messages(values_list)
        by_id = {message.res_id: message for message in messages}
        vals_by_id = {values["res_id"]: values for values in values_list}
        if not self.env.context.get("mail_create_nosubscribe"):
            real_author = self.env.user.partner_id if self.env.user.active else author
            if real_author.active:
                self._message_subscribe(partner_ids=real_author.ids)
        for record in self:
            record._message_post_after_hook(by_id[record.id], vals_by_id[record.id])
        self._cobranza_notify_batch(by_id, vals_by_id, subtype_id)
        return by_id

    def _cobranza_create_messages(self, values_list):
        """``_message_create(values_list)``, each body sanitized once.

        The ORM sanitizes an HTML value twice on create (for the column and
        for the cache): a fifth of a delivery chunk went to sanitizing each
        reminder twice. The messages are created without their bodies, which
        are then written sanitized as the ORM sanitizes them, in one
        ``UPDATE``. A body with embedded images goes through ``create``,
        which turns them into attachments."""
        Message = self.env["mail.message"]
        body_field = Message._fields["body"]
        later = {}
        create_list = []
        for index, values in enumerate(values_list):
            body = values.get("body")
            if body and not _image_dataurl.search(body):
                later[index] = body_field.convert_to_column(body, Message)
                values = dict(values, body="")
            create_list.append(values)
        messages = self._message_create(create_list)
        if later:
            messages.flush_recordset(["body"])
            self.env.execute_query(
                SQL(
                    """
                    UPDATE mail_message AS m SET body = b.body
                      FROM unnest(%s::int[], %s::text[]) AS b(id, body)
                     WHERE m.id = b.id
                    """,
                    [messages[index].id for index in later],
                    list(later.values()),
                )
            )
            messages.invalidate_recordset(["body"])
        return messages

    def _cobranza_batch_message_values(self, posts, author, subtype_id):
        """The ``mail.message`` values ``message_post`` would compute."""
        company = self.env.company
        aliases = self.sudo()._mail_get_alias_domains(default_company=company)
        companies = self._mail_get_companies(default=company)
        parents = self._cobranza_first_messages()
        reply_to = {}
        values_list = []
        for record in self:
            post = posts[record.id]
            author_id, email_from = self._message_compute_author(
                author.id, post.get("email_from") or None, raise_on_email=True
            )
            if post.get("reply_to"):
                record_reply_to = post["reply_to"]
            else:
                if email_from not in reply_to:
                    reply_to[email_from] = self._notify_get_reply_to(default=email_from)
                record_reply_to = reply_to[email_from][record.id]
            values_list.append(
                {
                    "author_id": author_id,
                    "email_from": email_from,
                    "email_add_signature": True,
                    "model": self._name,
                    "res_id": record.id,
                    "record_name": record.sudo().display_name,
                    "record_alias_domain_id": aliases[record.id].id,
                    "record_company_id": companies[record.id].id,
                    "body": escape(post["body"]),
                    "subject": post.get("subject") or False,
                    "message_type": "comment",
                    "subtype_id": subtype_id,
                    "parent_id": parents.get(record.id, False),
                    "partner_ids": list(post.get("partner_ids") or []),
                    "attachment_ids": [
                        Command.link(attachment_id)
                        for attachment_id in post.get("attachment_ids") or []
                    ],
                    "reply_to": record_reply_to,
                }
            )
        return values_list

    def _cobranza_first_messages(self):
        """``{record_id: first message id}``: the parent ``message_post``
        gives a new message on a flat thread, for all records in one query."""
        if not self._mail_flat_thread:
            return {}
        groups = (
            self.env["mail.message"]
            .sudo()
            ._read_group(
                [
                    ("model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("message_type", "!=", "user_notification"),
                ],
                ["res_id"],
                ["id:min"],
            )
        )
        return dict(groups)

    def _cobranza_notify_batch(self, messages, vals_by_id, subtype_id):
        """Notify the messages' recipients: the partners they name and the
        followers of the comment subtype, as ``_notify_thread`` does; the
        emails and their notifications are created in one batch each."""
        pids = {pid for vals in vals_by_id.values() for pid in vals["partner_ids"]}
        data = self.env["mail.followers"]._get_recipient_data(
            self, "comment", subtype_id, pids=list(pids)
        )
        author_pid = self.env.user.partner_id.id if self.env.user.active else False
        mail_values, planned = [], []
        for record in self:
            message, vals = messages[record.id], vals_by_id[record.id]
            named = set(vals["partner_ids"])
            author = author_pid or vals["author_id"]
            recipients = [
                rdata
                for pid, rdata in data.get(record.id, {}).items()
                if (rdata["is_follower"] or pid in named)
                and pid != author
                and rdata["active"] is not False
            ]
            inbox = [r for r in recipients if r["notif"] == "inbox"]
            if inbox:
                record._notify_thread_by_inbox(message, inbox, msg_vals=vals)
                record._cobranza_queue_web_push(message, inbox, vals)
            emailed = [r for r in recipients if r["notif"] == "email"]
            if emailed:
                record._cobranza_email_values(
                    message, vals, emailed, mail_values, planned
                )
        if not mail_values:
            return
        context = clean_context(self.env.context)
        mails = self.env["mail.mail"].sudo().with_context(context).create(mail_values)
        self.env["mail.notification"].sudo().with_context(context).create(
            [
                {
                    "author_id": message.author_id.id,
                    "is_read": True,
                    "mail_mail_id": mail.id,
                    "mail_message_id": message.id,
                    "notification_status": "ready",
                    "notification_type": "email",
                    "res_partner_id": pid,
                }
                for mail, (message, recipient_ids) in zip(mails, planned, strict=True)
                for pid in recipient_ids
            ]
        )

    def _cobranza_queue_web_push(self, message, recipients, vals):
        """The followers' browser notifications, queued (``mail.push``, sent
        by Odoo's cron after the commit). ``_notify_thread_by_web_push``
        would call the push services at once, inside the chunk's
        transaction, for up to five devices: a chunk tried again would
        notify twice."""
        self.ensure_one()
        partner_ids = self._extract_partner_ids_for_notifications(
            message, vals, recipients
        )
        if not partner_ids:
            return
        devices = (
            self.env["mail.push.device"]
            .sudo()
            .search([("partner_id", "in", partner_ids)])
        )
        params = self.env["ir.config_parameter"].sudo()
        if not devices or not (
            params.get_param("mail.web_push_vapid_private_key")
            and params.get_param("mail.web_push_vapid_public_key")
        ):
            return
        payload = self._truncate_payload(
            self._notify_by_web_push_prepare_payload(message, msg_vals=vals)
        )
        self.env["mail.push"].sudo().create(
            [
                {"mail_push_device_id": device.id, "payload": json.dumps(payload)}
                for device in devices
            ]
        )
        self.env.ref("mail.ir_cron_web_push_notification")._trigger()

    def _cobranza_email_values(self, message, vals, recipients, mail_values, planned):
        """Append the ``mail.mail`` values of ``message`` for ``recipients``,
        one per group of recipients, rendered in Odoo's notification layout."""
        self.ensure_one()
        base = self._notify_by_email_get_base_mail_values(
            message, additional_values={"auto_delete": True}
        )
        for (
            _lang,
            render_values,
            group,
        ) in self._notify_get_classified_recipients_iterator(
            message, recipients, msg_vals=vals
        ):
            body = self._notify_by_email_render_layout(
                message, group, msg_vals=vals, render_values=render_values
            )
            recipient_ids = group.pop("recipients")
            if not recipient_ids:
                continue
            mail_values.append(
                self._notify_by_email_get_final_mail_values(
                    recipient_ids, base, additional_values={"body_html": body}
                )
            )
            planned.append((message, recipient_ids))

    def _cobranza_tracking_values(self, initial, fnames):
        """``{record_id: [mail.tracking.value vals]}``: the fields of
        ``fnames`` that changed since ``initial`` (``{record_id: {fname:
        value}}``), prepared as Odoo's tracking prepares them."""
        infos = self.fields_get(
            fnames, attributes=("string", "type", "selection", "currency_field")
        )
        Tracking = self.env["mail.tracking.value"]
        result = {}
        for record in self:
            changes = [
                Tracking._create_tracking_values(
                    initial[record.id][fname],
                    record[fname],
                    fname,
                    infos[fname],
                    record,
                )
                for fname in fnames
                if initial[record.id][fname] != record[fname]
            ]
            if changes:
                result[record.id] = changes
        return result

    def _cobranza_untrack(self, fnames):
        """Forget what Odoo's tracking captured of ``fnames`` on these
        records in this transaction (any earlier write of a record captures
        every tracked field): their change is logged already, so the commit
        must not post it a second time. Other fields stay tracked."""
        captured = self.env.cr.precommit.data.get(f"mail.tracking.{self._name}", {})
        for record_id in self.ids:
            values = captured.get(record_id)
            for fname in fnames if values else ():
                values.pop(fname, None)

    def _cobranza_log_batch(self, bodies, tracking=None, attachments=None):
        """``_message_log_batch(bodies)`` in one ``INSERT``: the same
        columns (author, sender, reply-to, note subtype, internal, one
        tracking message id), the bodies sanitized as the ORM sanitizes
        them. ``bodies``: ``{record_id: Markup}``; ``tracking``: ``{record_id:
        [mail.tracking.value vals]}`` shown under each note, as Odoo shows
        the changes of tracked fields; ``attachments``: ``{record_id:
        [ir.attachment ids]}`` shown on each note (Odoo's batch log refuses
        attachments on more than one record; these must already belong to
        the record, as the caller's copies do). Returns the message ids."""
        if not self:
            return []
        author_id, email_from = self._message_compute_author(raise_on_email=False)
        reply_to = self.env["mail.thread"]._notify_get_reply_to(default=email_from)
        Message = self.env["mail.message"].sudo()
        body_field = Message._fields["body"]
        ids = self.ids
        # Many records share a body (an invoice note names its level and
        # channels): each distinct body is sanitized once.
        sanitized = {}
        texts = []
        for res_id in ids:
            body = escape(bodies.get(res_id, ""))
            if body not in sanitized:
                sanitized[body] = body_field.convert_to_column(body, Message)
            texts.append(sanitized[body])
        now = fields.Datetime.now()
        rows = self.env.execute_query(
            SQL(
                """
                INSERT INTO mail_message (
                    model, res_id, body, message_type, subtype_id, is_internal,
                    author_id, email_from, reply_to, message_id,
                    email_add_signature, date,
                    create_uid, create_date, write_uid, write_date)
                SELECT %(model)s, doc.res_id, doc.body, 'notification',
                       %(subtype)s, TRUE, %(author)s, %(email_from)s,
                       %(reply_to)s, %(message_id)s, FALSE, %(now)s,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(ids)s::int[], %(bodies)s::text[])
                       AS doc(res_id, body)
             RETURNING id, res_id
                """,
                model=self._name,
                subtype=self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
                author=author_id or None,
                email_from=email_from or None,
                reply_to=reply_to[False] or None,
                message_id=generate_tracking_message_id("message-notify"),
                now=now,
                uid=self.env.uid,
                ids=ids,
                bodies=texts,
            )
        )
        self.invalidate_recordset(
            ["message_ids", "message_needaction", "message_needaction_counter"]
        )
        if attachments:
            self._cobranza_link_attachments(rows, attachments)
        if tracking:
            self._cobranza_insert_tracking(
                [
                    dict(values, mail_message_id=message_id)
                    for message_id, res_id in rows
                    for values in tracking.get(res_id, ())
                ]
            )
        return [message_id for message_id, _res_id in rows]

    def _cobranza_link_attachments(self, rows, attachments):
        """Link each new note (``rows``: ``(message id, record id)``) to its
        record's attachments in one ``INSERT``."""
        pairs = [
            (message_id, attachment_id)
            for message_id, res_id in rows
            for attachment_id in attachments.get(res_id, ())
        ]
        if not pairs:
            return
        self.env.execute_query(
            SQL(
                """
                INSERT INTO message_attachment_rel (message_id, attachment_id)
                SELECT * FROM unnest(%s::int[], %s::int[])
                """,
                [message_id for message_id, _attachment_id in pairs],
                [attachment_id for _message_id, attachment_id in pairs],
            )
        )
        self.env["mail.message"].invalidate_model(["attachment_ids"])

    def _cobranza_insert_tracking(self, vals_list):
        """Create ``mail.tracking.value`` rows in one ``INSERT``: each value
        converted to its column as the ORM converts it (a chunk tracks two
        fields on each of its thousands of invoices; the ORM's create of
        those rows cost a tenth of the chunk)."""
        if not vals_list:
            return
        Tracking = self.env["mail.tracking.value"].sudo()
        names = sorted({name for vals in vals_list for name in vals})
        columns = [Tracking._fields[name] for name in names]
        rows = [
            {
                field.name: field.convert_to_column(vals.get(field.name), Tracking)
                for field in columns
            }
            for vals in vals_list
        ]
        now = fields.Datetime.now()
        self.env.execute_query(
            SQL(
                """
                INSERT INTO mail_tracking_value (
                    %(columns)s, create_uid, create_date, write_uid, write_date)
                SELECT %(values)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM jsonb_to_recordset(%(rows)s::jsonb) AS t(%(types)s)
                """,
                columns=SQL(", ").join(SQL.identifier(name) for name in names),
                values=SQL(", ").join(SQL.identifier("t", name) for name in names),
                types=SQL(", ").join(
                    SQL("%s %s", SQL.identifier(field.name), SQL(field.column_type[1]))
                    for field in columns
                ),
                rows=json.dumps(rows, default=str),
                uid=self.env.uid,
                now=now,
            )
        )
        Tracking.invalidate_model()
        self.env["mail.message"].invalidate_model(["tracking_value_ids"])
