from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    # OVERRIDE: called when payments are reconciled with (or removed from)
    # the invoices (see account_partial_reconcile.py).
    def _cobranza_refresh_agreements(self):
        result = super()._cobranza_refresh_agreements()
        invoices = self.filtered(lambda m: m.move_type == "out_invoice")
        self.env["cobranza.bureau.report"]._cobranza_track_payments(invoices)
        return result
