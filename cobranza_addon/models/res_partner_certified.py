from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def action_cobranza_certified_letter(self):
        """A new certified letter for this customer, with its overdue invoices."""
        self.ensure_one()
        customer = self.commercial_partner_id
        overdue = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", customer.id),
                ("company_id", "=", self.env.company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("invoice_date_due", "<", fields.Date.context_today(self)),
            ],
            order="invoice_date_due, id",
        )
        return self.env["cobranza.certified.letter"]._action_new(customer, overdue)
