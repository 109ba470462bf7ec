from odoo import fields, models

from ..models.cobranza_authority import CHECKED_MESSAGE, granted


class MailComposeMessage(models.TransientModel):
    """Manual sends (chatter, "Send by email") pass the compliance check when
    a recipient is a debtor in collection."""

    _inherit = "mail.compose.message"

    def _cobranza_recipients(self, res_ids):
        """The recipients, and the customer of a partner or invoice written to."""
        partners = self.partner_ids
        if self.model in ("res.partner", "account.move") and res_ids:
            records = self.env[self.model].browse(res_ids)
            if self.model == "res.partner":
                partners |= records
            else:
                partners |= records.filtered(
                    lambda m: m.move_type in ("out_invoice", "out_refund")
                ).commercial_partner_id
        return partners

    def _action_send_mail_comment(self, res_ids):
        if self.subtype_is_log:
            return super()._action_send_mail_comment(res_ids)
        debtors = self._cobranza_recipients(res_ids)._cobranza_debtors_in_collection()
        if not debtors:
            return super()._action_send_mail_comment(res_ids)
        now = fields.Datetime.now()
        debtors._cobranza_check_manual_send(now, self.body or "", self.subject or "")
        with granted(CHECKED_MESSAGE):
            messages = super()._action_send_mail_comment(res_ids)
        debtors._cobranza_log_manual_send(now, self.model, res_ids[:1])
        return messages
