"""A dispute, a promise, a plan or an exclusion takes the invoices out of the
actions still waiting to be sent; the invoice PDF a reminder carried stays."""

from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def write(self, vals):
        if "invoice_pdf_report_file" in vals:
            # Odoo writes the binary through sudo: the PDF a reminder carried
            # is checked as the caller (ir_attachment.py)
            pdfs = self.sudo().invoice_pdf_report_id.with_env(self.env)
            pdfs._cobranza_check_evidence()
        result = super().write(vals)
        if (
            vals.get("cobranza_dispute")
            or vals.get("cobranza_excluded")
            or vals.get("cobranza_paused_until")
        ):
            self._cobranza_release_pending_actions()
        return result

    def _cobranza_release_pending_actions(self):
        """Pending actions (to send, queued, deferred, blocked) lose these
        invoices; an action left without invoices is cancelled."""
        Action = self.env["cobranza.action"].sudo()
        actions = Action.search(
            [
                ("invoice_ids", "in", self.ids),
                ("state", "in", ("proposed", "queued", "deferred", "blocked")),
                ("plan_line_id", "=", False),
            ]
        )
        if not actions:
            return
        note = self.env._(
            "Cancelled: its invoices were disputed, promised, put in a payment "
            "plan or excluded before it was sent."
        )
        empty = actions.filtered(lambda a: not (a.invoice_ids - self))
        if empty:
            empty.write({"state": "cancelled", "note": note})
        for action in actions - empty:
            kept = action.invoice_ids - self
            action.write(
                {
                    "invoice_ids": [(6, 0, kept.ids)],
                    "amount_due": sum(kept.mapped("amount_residual_signed")),
                }
            )


class CobranzaPaymentPlan(models.Model):
    _inherit = "cobranza.payment.plan"

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") == "active":
            self.invoice_ids._cobranza_release_pending_actions()
        return result
