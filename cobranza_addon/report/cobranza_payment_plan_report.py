from odoo import api, fields, models

from .cobranza_letter_report import letter_date


class ReportCobranzaPaymentPlan(models.AbstractModel):
    """The payment agreement: the terms as approved (frozen at approval),
    then the current paid and remaining amounts, in a separate section."""

    _name = "report.cobranza_addon.report_cobranza_payment_plan"
    _description = "Payment agreement"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["cobranza.payment.plan"].browse(docids)
        today = fields.Date.context_today(self)
        Plan = self.env["cobranza.payment.plan"]
        agreements = {}
        for plan in docs:
            lang = plan.partner_id.lang or self.env.lang or "en_US"
            terms = Plan._cobranza_terms_for_report(plan)
            agreements[plan.id] = {
                "terms": terms,
                "date": letter_date(self.env, terms["approved_date"] or today, lang),
                "status_date": letter_date(self.env, today, lang),
                "place": plan.company_id.partner_id.city or "",
            }
        return {
            "doc_ids": docids,
            "doc_model": "cobranza.payment.plan",
            "docs": docs,
            "agreements": agreements,
        }
