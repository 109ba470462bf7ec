"""Real SMS outcomes feed back into the collection actions.

Every SMS outcome (sent to the provider, refused, delivery report, bounce)
goes through its tracker, which updates the SMS notification; the delivery
rows of the actions whose message it was follow.
"""

from odoo import models


class SmsTracker(models.Model):
    _inherit = "sms.tracker"

    def _update_sms_notifications(
        self, notification_status, failure_type=False, failure_reason=False
    ):
        result = super()._update_sms_notifications(
            notification_status,
            failure_type=failure_type,
            failure_reason=failure_reason,
        )
        notifications = self.mail_notification_id
        if notifications:
            self.env["cobranza.action.delivery"]._cobranza_sync_notifications(
                notifications
            )
        return result
