from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError


class CobranzaDisputeWizard(models.TransientModel):
    _name = "cobranza.dispute.wizard"
    _description = "Mark invoices as disputed"

    invoice_ids = fields.Many2many(
        "account.move",
        default=lambda self: self.env.context.get("active_ids"),
        required=True,
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if not self.reason or not self.reason.strip():
            raise UserError(self.env._("Say why the customer disputes the invoice."))
        invoices = self.invoice_ids.filtered("cobranza_in_collection")
        if not invoices:
            raise UserError(self.env._("Only open customer invoices can be disputed."))
        invoices.write(
            {"cobranza_dispute": True, "cobranza_dispute_reason": self.reason}
        )
        body = Markup(self.env._("Invoice disputed: <i>%(reason)s</i>")) % {
            "reason": self.reason
        }
        invoices._message_log_batch({inv.id: body for inv in invoices})
        return {"type": "ir.actions.act_window_close"}
