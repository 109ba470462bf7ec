from odoo import fields, models


class MailComposeMessage(models.TransientModel):
    """Manual sends (chatter, "Send by email") pass the compliance check when
    a recipient is a debtor in collection."""

    _inherit = "mail.compose.message"

    def _action_send_mail_comment(self, res_ids):
        debtors = self.partner_ids._cobranza_debtors_in_collection()
        if not debtors:
            return super()._action_send_mail_comment(res_ids)
        now = fields.Datetime.now()
        debtors._cobranza_check_manual_send(now, self.body or "", self.subject or "")
        messages = super()._action_send_mail_comment(res_ids)
        debtors._cobranza_log_manual_send(now, self.model, res_ids[:1])
        return messages
