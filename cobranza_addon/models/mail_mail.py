"""Real email outcomes feed back into the collection actions.

``mail.mail`` post-processes every send attempt (delivered, refused by the
SMTP server, no connection) before it may delete itself; a bounce arrives
later as a ``bounce`` notification. Both update the delivery rows of the
actions whose message it was (``cobranza.action.delivery``).
"""

from odoo import models


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(
        self, success_pids, failure_reason=False, failure_type=None
    ):
        messages = self.exists().mail_message_id
        result = super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type
        )
        if messages:
            notifications = (
                self.env["mail.notification"]
                .sudo()
                .search(
                    [
                        ("mail_message_id", "in", messages.ids),
                        ("notification_type", "=", "email"),
                    ]
                )
            )
            self.env["cobranza.action.delivery"]._cobranza_sync_notifications(
                notifications
            )
        return result


class MailNotification(models.Model):
    _inherit = "mail.notification"

    def write(self, vals):
        result = super().write(vals)
        if vals.get("notification_status") == "bounce":
            self.env["cobranza.action.delivery"]._cobranza_sync_notifications(self)
        return result
