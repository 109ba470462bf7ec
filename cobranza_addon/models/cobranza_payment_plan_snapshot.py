from odoo import api, fields, models
from odoo.exceptions import AccessError


class CobranzaPaymentPlan(models.Model):
    """The terms of a plan as approved, frozen for the agreement PDF.

    Payments change the invoices' open amounts and the installments' paid
    amounts; the agreement keeps showing what was agreed, and the current
    paid and remaining amounts in a separate section.
    """

    _inherit = "cobranza.payment.plan"

    approved_terms = fields.Json(
        readonly=True,
        copy=False,
        help="The terms as approved (invoices, amounts, installments): "
        "written once at approval, never by a user.",
    )

    def write(self, vals):
        # Only the approval writes the snapshot (as superuser), whatever the
        # caller sends over RPC.
        if "approved_terms" in vals and not self.env.su:
            raise AccessError(
                self.env._("The approved terms of a plan cannot be changed.")
            )
        return super().write(vals)

    def action_approve(self):
        result = super().action_approve()
        for plan in self:
            plan.sudo().write({"approved_terms": plan._cobranza_terms()})
        return result

    def _cobranza_terms(self):
        """The plan's terms as a JSON-serialisable dict (dates in ISO)."""
        self.ensure_one()
        to_str = fields.Date.to_string
        invoices = self.invoice_ids.sorted(lambda m: (m.invoice_date_due, m.name))
        return {
            "approved_date": to_str(self.approved_date),
            "approved_by": self.approved_by_id.name or "",
            "date_start": to_str(self.date_start),
            "currency": self.currency_id.name,
            "invoices": [
                {
                    "name": move.name,
                    "invoice_date": to_str(move.invoice_date),
                    "date_due": to_str(move.invoice_date_due),
                    "amount": move.amount_residual,
                }
                for move in invoices
            ],
            "amount_covered": self.amount_covered,
            "reduction_amount": self.reduction_amount,
            "amount_interest": self.amount_interest,
            "amount_total": self.amount_total,
            "annual_rate": self.annual_rate,
            "tolerance_days": self.company_id.cobranza_plan_tolerance_days,
            "lines": [
                {
                    "sequence": line.sequence,
                    "due_date": to_str(line.due_date),
                    "principal": line.principal_amount,
                    "interest": line.interest_amount,
                    "amount": line.amount,
                }
                for line in self.line_ids.sorted(lambda ln: (ln.due_date, ln.sequence))
            ],
        }

    @api.model
    def _cobranza_terms_for_report(self, plan):
        """The frozen terms, or the live ones for a plan not approved yet
        (or approved before the snapshot existed), with dates as dates."""
        terms = dict(plan.approved_terms or plan._cobranza_terms())
        to_date = fields.Date.to_date
        for key in ("approved_date", "date_start"):
            terms[key] = to_date(terms.get(key))
        terms["invoices"] = [
            dict(
                inv,
                invoice_date=to_date(inv["invoice_date"]),
                date_due=to_date(inv["date_due"]),
            )
            for inv in terms["invoices"]
        ]
        terms["lines"] = [
            dict(line, due_date=to_date(line["due_date"])) for line in terms["lines"]
        ]
        terms["frozen"] = bool(plan.approved_terms)
        return terms
