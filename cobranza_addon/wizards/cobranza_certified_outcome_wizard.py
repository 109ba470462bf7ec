from odoo import fields, models


class CobranzaCertifiedOutcomeWizard(models.TransientModel):
    """Record a certified letter's delivery (or return) with the receipt."""

    _name = "cobranza.certified.outcome.wizard"
    _description = "Record delivery of a certified letter"

    letter_id = fields.Many2one(
        "cobranza.certified.letter", required=True, ondelete="cascade"
    )
    outcome = fields.Selection(
        [
            ("delivered", "Delivered to the addressee"),
            ("returned", "Returned undelivered"),
        ],
        required=True,
        default="delivered",
    )
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        help="The day the carrier delivered the letter or returned it, as on "
        "its receipt; not today's.",
    )
    receipt = fields.Binary(
        string="Receipt",
        required=True,
        help="The carrier's proof of delivery or of return, scanned.",
    )
    receipt_filename = fields.Char()

    def action_confirm(self):
        self.ensure_one()
        if self.outcome == "delivered":
            self.letter_id.action_record_delivery(
                self.date, self.receipt, self.receipt_filename
            )
        else:
            self.letter_id.action_record_return(
                self.date, self.receipt, self.receipt_filename
            )
        return {"type": "ir.actions.act_window_close"}
