from odoo import api, models


class ReportKpiDashboard(models.AbstractModel):
    """The dashboard, printed: the same figures as the client action."""

    _name = "report.cobranza_addon.report_kpi_dashboard"
    _description = "Collection KPI Dashboard (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        filters = (data or {}).get("filters") or {}
        dashboard = self.env["cobranza.kpi.dashboard"]
        values = dashboard.get_dashboard_data(filters)
        company = self.env["res.company"].browse(values["filters"]["company_ids"][:1])
        _ = self.env._
        k = values["kpis"]
        kpi_rows = [
            (_("Receivables"), k["ar"], True),
            (_("Overdue"), k["overdue_ar"], True),
            (_("Credit sales of the period"), k["credit_sales"], True),
            (_("Opening receivables"), k["opening_ar"], True),
            (_("DSO (days)"), k["dso"], False),
            (_("DSO, count-back (days)"), k["dso_countback"], False),
            (_("Best possible DSO (days)"), k["best_dso"], False),
            (_("Average days delinquent"), k["add"], False),
            (_("Collection effectiveness index (%)"), k["cei"], False),
            (_("Overdue share (%)"), k["percent_overdue"], False),
            (_("Average age of debt (days)"), k["average_age"], False),
            (_("Promises kept (%)"), k["promise_kept_rate"], False),
            (_("Plan compliance (%)"), k["plan_compliance"], False),
        ]
        blocks = [
            (_("By collector"), "collector"),
            (_("By stage"), "stage"),
            (_("By segment"), "segment"),
            (_("Largest customers"), "customer"),
        ]
        return {
            "kpi_rows": kpi_rows,
            "blocks": blocks,
            "doc_ids": docids,
            "doc_model": "cobranza.kpi.dashboard",
            "docs": company,
            "company": company,
            "dashboard": values,
            "currency": self.env["res.currency"].browse(values["currency_id"]),
        }
