from odoo import models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    def action_cobranza_certified_letter(self):
        """A new certified letter for the selected invoices' customer, with
        the selected invoices still open."""
        invoices = self.filtered(
            lambda inv: inv.move_type == "out_invoice"
            and inv.state == "posted"
            and inv.payment_state in ("not_paid", "partial")
        )
        customers = invoices.commercial_partner_id
        if len(customers) != 1:
            raise UserError(
                self.env._(
                    "Select open customer invoices of one customer to send them "
                    "a certified letter."
                )
            )
        return self.env["cobranza.certified.letter"]._action_new(customers, invoices)
