"""Delivery state: one row per channel of an action, stored before any side
effect, updated from the real outcome reported by Odoo's mail and SMS queues.

Life of a row::

    queued ──(mail.mail / sms.sms sent)──> sent
       │                                    │ (bounce reported later)
       └──(SMTP / provider error)──> failed  └──> bounced
    failed / bounced ──(Retry, Use another channel)──> retried

Letters (a stored PDF) and call tasks (an activity) are ``sent`` as soon as
the chunk commits: the document or the task exists. A partial unique index
allows one live row per action and channel: a second delivery of the same
channel of the same action cannot commit, whatever runs twice.
"""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

DELIVERY_CHANNELS = [
    ("email", "Email"),
    ("letter", "Letter"),
    ("sms", "SMS"),
    ("activity", "Call task"),
]

#: States of a delivery that still count (not replaced by a retry).
LIVE_STATES = ("queued", "sent", "failed", "bounced")
FAILED_STATES = ("failed", "bounced")


class CobranzaActionDelivery(models.Model):
    _name = "cobranza.action.delivery"
    _description = "Collection Action Delivery"
    _order = "id desc"
    _check_company_auto = True

    action_id = fields.Many2one(
        "cobranza.action", required=True, ondelete="cascade", index=True
    )
    run_id = fields.Many2one("cobranza.run", index="btree_not_null", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    partner_id = fields.Many2one(related="action_id.partner_id")
    channel = fields.Selection(DELIVERY_CHANNELS, required=True, readonly=True)
    state = fields.Selection(
        [
            ("queued", "In the outgoing queue"),
            ("sent", "Delivered"),
            ("failed", "Failed"),
            ("bounced", "Bounced"),
            ("retried", "Retried"),
        ],
        default="queued",
        required=True,
        readonly=True,
        index=True,
    )
    mail_message_id = fields.Many2one(
        "mail.message",
        string="Message",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        help="The chatter message whose email or SMS carries this delivery.",
    )
    attachment_id = fields.Many2one(
        "ir.attachment", string="Letter copy", readonly=True, ondelete="set null"
    )
    recipient = fields.Char(readonly=True, help="Email address or phone number.")
    failure_reason = fields.Text(readonly=True)
    date_outcome = fields.Datetime(string="Outcome on", readonly=True)

    def init(self):
        # Exactly once: one live delivery per action and channel.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS cobranza_action_delivery_once "
                "ON cobranza_action_delivery (action_id, channel) "
                "WHERE state != 'retried'"
            )
        )

    def _cobranza_link_messages(self, message_ids):
        """Link each delivery to the message that carries it, in one
        ``UPDATE`` (``message_ids``: ``{delivery_id: mail.message id}``)."""
        if not message_ids:
            return
        self.flush_model(["mail_message_id"])
        self.env.execute_query(
            SQL(
                """
                UPDATE cobranza_action_delivery d
                   SET mail_message_id = u.message_id
                  FROM unnest(%s::int4[], %s::int4[]) AS u(id, message_id)
                 WHERE d.id = u.id
                """,
                list(message_ids),
                list(message_ids.values()),
            )
        )
        self.browse(list(message_ids)).invalidate_recordset(["mail_message_id"])

    # ------------------------------------------------------------------
    # Outcomes reported by the queues
    # ------------------------------------------------------------------
    @api.model
    def _cobranza_sync_notifications(self, notifications):
        """Update deliveries from their messages' notifications.

        Called after ``mail.mail`` post-processes a send, after an SMS
        tracker update and when a bounce is recorded. ``sent`` confirms a
        queued delivery; ``exception`` / ``canceled`` fail it; ``bounce``
        fails even a delivery that was confirmed.
        """
        self = self.sudo()
        notifications = notifications.sudo().filtered(
            lambda n: n.notification_type in ("email", "sms")
        )
        if not notifications:
            return
        deliveries = self.search(
            [
                ("mail_message_id", "in", notifications.mail_message_id.ids),
                ("channel", "in", ("email", "sms")),
                ("state", "in", ("queued", "sent")),
            ]
        )
        if not deliveries:
            return
        # The customer's notification, not the followers' copies.
        by_key = {
            (n.mail_message_id.id, n.notification_type, n.res_partner_id.id): n
            for n in notifications
        }
        now = fields.Datetime.now()
        sent = self.browse()
        failed = {}
        for delivery in deliveries:
            notif = by_key.get(
                (
                    delivery.mail_message_id.id,
                    delivery.channel,
                    delivery.action_id.partner_id.id,
                )
            )
            if not notif:
                continue
            status = notif.notification_status
            if status == "sent" and delivery.state == "queued":
                sent |= delivery
            elif status == "bounce" or (
                status in ("exception", "canceled") and delivery.state == "queued"
            ):
                reason = notif.failure_reason or dict(
                    notif._fields["failure_type"]._description_selection(self.env)
                ).get(notif.failure_type)
                failed[delivery] = (
                    "bounced" if status == "bounce" else "failed",
                    reason,
                )
        if sent:
            sent.write({"state": "sent", "date_outcome": now})
        if failed:
            self._cobranza_record_failures(failed, now)

    @api.model
    def _cobranza_record_failures(self, failed, now):
        """``failed``: ``{delivery: (state, reason)}``. The ledger says the
        contact was not made; an action with nothing delivered fails and its
        invoices go back to the level they had."""
        by_values = {}
        for delivery, (state, reason) in failed.items():
            by_values.setdefault((state, reason or ""), []).append(delivery.id)
        for (state, reason), ids in by_values.items():
            self.browse(ids).write(
                {"state": state, "failure_reason": reason, "date_outcome": now}
            )
        deliveries = self.browse([d.id for d in failed])
        ledger = (
            self.env["cobranza.contact"]
            .sudo()
            .search(
                [
                    ("action_id", "in", deliveries.action_id.ids),
                    ("outcome", "=", "allowed"),
                ]
            )
        )
        for delivery in deliveries:
            rows = ledger.filtered(
                lambda c, d=delivery: c.action_id == d.action_id
                and c.channel == d.channel
            )
            if rows:
                rows.write(
                    {
                        "outcome": "not_delivered",
                        "reason": delivery.failure_reason or False,
                    }
                )
        deliveries.action_id.sudo()._cobranza_after_failures(deliveries)

    def _cobranza_cancel_queued_messages(self):
        """The failed email or SMS of these deliveries will not be sent by
        anyone any more (a retry sends a new one)."""
        messages = self.mail_message_id
        if not messages:
            return
        self.env["mail.mail"].sudo().search(
            [
                ("mail_message_id", "in", messages.ids),
                ("state", "in", ("outgoing", "exception")),
            ]
        ).write({"state": "cancel"})
        self.env["sms.sms"].sudo().search(
            [
                ("mail_message_id", "in", messages.ids),
                ("state", "in", ("outgoing", "error")),
            ]
        ).write({"state": "canceled"})

    def _cobranza_failure_text(self):
        self.ensure_one()
        channel = dict(self._fields["channel"]._description_selection(self.env))[
            self.channel
        ]
        if self.state == "bounced":
            text = self.env._(
                "%(channel)s to %(recipient)s bounced: %(reason)s",
                channel=channel,
                recipient=self.recipient or "-",
                reason=self.failure_reason or "-",
            )
        else:
            text = self.env._(
                "%(channel)s to %(recipient)s was not delivered: %(reason)s",
                channel=channel,
                recipient=self.recipient or "-",
                reason=self.failure_reason or "-",
            )
        return text

    def _cobranza_failure_markup(self):
        return Markup("<br/>").join(d._cobranza_failure_text() for d in self)


class CobranzaContact(models.Model):
    _inherit = "cobranza.contact"

    outcome = fields.Selection(
        selection_add=[("not_delivered", "Not delivered")],
        ondelete={"not_delivered": "set default"},
    )
