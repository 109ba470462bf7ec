from odoo import fields, models


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
        self.invoice_ids._cobranza_open_dispute(self.reason)
        return {"type": "ir.actions.act_window_close"}
