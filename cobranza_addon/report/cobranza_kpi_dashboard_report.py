from odoo import api, fields, models
from odoo.tools.misc import format_date, formatLang


class ReportKpiDashboard(models.AbstractModel):
    """The dashboard, printed: the same figures as the client action."""

    _name = "report.cobranza_addon.report_kpi_dashboard"
    _description = "Collection KPI Dashboard (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        filters = (data or {}).get("filters") or {}
        dashboard = self.env["cobranza.kpi.dashboard"]
        values = dashboard.get_dashboard_data({**filters, "with_customers": True})
        company = self.env["res.company"].browse(values["filters"]["company_ids"][:1])
        k = values["kpis"]
        kpi_rows = [
            (self.env._("Receivables"), k["ar"], True),
            (self.env._("Overdue"), k["overdue_ar"], True),
            (self.env._("Unapplied credits"), k["credits"], True),
            (self.env._("Credit sales of the period"), k["credit_sales"], True),
            (self.env._("Opening receivables"), k["opening_ar"], True),
            (self.env._("DSO (days)"), k["dso"], False),
            (self.env._("DSO, count-back (days)"), k["dso_countback"], False),
            (self.env._("Best possible DSO (days)"), k["best_dso"], False),
            (self.env._("Average days delinquent"), k["add"], False),
            (self.env._("Collection effectiveness index (%)"), k["cei"], False),
            (self.env._("Overdue share (%)"), k["percent_overdue"], False),
            (self.env._("Average age of debt (days)"), k["average_age"], False),
            (self.env._("Promises kept (%)"), k["promise_kept_rate"], False),
            (self.env._("Plan compliance (%)"), k["plan_compliance"], False),
        ]
        blocks = [
            (self.env._("By collector"), "collector"),
            (self.env._("By stage"), "stage"),
            (self.env._("By segment"), "segment"),
            (self.env._("Largest customers"), "customer"),
        ]
        n_a = self.env._("n/a")
        return {
            # figures and dates in the language of the reader ("88,10")
            "fmt": lambda v: n_a if v is None else formatLang(self.env, v, digits=2),
            "fmt_date": lambda d: format_date(self.env, fields.Date.to_date(d)),
            "kpi_rows": kpi_rows,
            "blocks": blocks,
            "doc_ids": docids,
            "doc_model": "cobranza.kpi.dashboard",
            "docs": company,
            "company": company,
            "dashboard": values,
            "currency": self.env["res.currency"].browse(values["currency_id"]),
        }
