from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        partials._cobranza_refresh_agreements()
        return partials

    def unlink(self):
        moves = (self.debit_move_id | self.credit_move_id).move_id
        result = super().unlink()
        moves._cobranza_refresh_agreements()
        return result

    def _cobranza_refresh_agreements(self):
        """Payments reconciled with covered invoices update plans and promises."""
        (
            self.debit_move_id | self.credit_move_id
        ).move_id._cobranza_refresh_agreements()
