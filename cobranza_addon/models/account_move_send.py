from odoo import api, fields, models

from .cobranza_authority import CHECKED_MESSAGE, granted


class AccountMoveSend(models.AbstractModel):
    """The invoice "Send" passes the compliance check for overdue invoices.

    Re-sending an overdue invoice to its customer is a collection contact:
    it is refused when a rule forbids it now, and logged in the contact
    ledger otherwise. Sending an invoice that is not yet due is ordinary
    invoicing and is not checked.
    """

    _inherit = "account.move.send"

    @api.model
    def _send_mail(self, move, mail_template, **kwargs):
        if not (move.cobranza_in_collection and move.cobranza_days_overdue > 0):
            # Ordinary invoicing: not a collection contact (nor a chatter post).
            with granted(CHECKED_MESSAGE):
                return super()._send_mail(move, mail_template, **kwargs)
        partners = self.env["res.partner"].browse(kwargs.get("partner_ids") or [])
        debtors = partners.with_company(
            move.company_id
        )._cobranza_debtors_in_collection()
        if not debtors:
            with granted(CHECKED_MESSAGE):
                return super()._send_mail(move, mail_template, **kwargs)
        now = fields.Datetime.now()
        debtors.with_company(move.company_id)._cobranza_check_manual_send(
            now, str(kwargs.get("body") or ""), kwargs.get("subject") or ""
        )
        with granted(CHECKED_MESSAGE):
            result = super()._send_mail(move, mail_template, **kwargs)
        debtors.with_company(move.company_id)._cobranza_log_manual_send(
            now, "account.move", move.ids
        )
        return result
