"""*My Follow-ups Today*: credit-bureau reports whose update is late."""

from odoo import fields, models
from odoo.tools import SQL, format_date

#: Reason code of the row ids (source id * 10 + code), see cobranza_worklist.
BUREAU_LATE_CODE = 9


class CobranzaWorklist(models.Model):
    _inherit = "cobranza.worklist"

    reason = fields.Selection(
        selection_add=[("bureau_late", "Credit-bureau update late")]
    )
    bureau_report_id = fields.Many2one("cobranza.bureau.report", readonly=True)

    # OVERRIDE: one more block of rows.
    @property
    def _table_query(self):
        return SQL(
            "%s UNION ALL %s",
            super()._table_query,
            self._query_bureau_late(fields.Date.context_today(self)),
        )

    # OVERRIDE: the report's column, NULL in the other blocks.
    def _columns(self, **exprs):
        return SQL(
            "%s, %s AS bureau_report_id",
            super()._columns(**exprs),
            exprs.get("bureau_report_id", SQL("NULL::int")),
        )

    def _query_bureau_late(self, today):
        return SQL(
            """
            SELECT %(cols)s
              FROM cobranza_bureau_report br
             WHERE br.state = 'reported' AND br.update_deadline < %(today)s
            """,
            today=today,
            cols=self._columns(
                id=SQL("br.id * 10 + %s AS id", BUREAU_LATE_CODE),
                reason=SQL("'bureau_late' AS reason"),
                partner_id=SQL("br.partner_id AS partner_id"),
                user_id=SQL("br.user_id AS user_id"),
                company_id=SQL("br.company_id AS company_id"),
                amount=SQL("COALESCE(br.amount_reported, 0) AS amount"),
                date=SQL("br.update_deadline AS date"),
                bureau_report_id=SQL("br.id"),
            ),
        )

    def _detail_bureau_late(self):
        report = self.bureau_report_id
        return self.env._(
            "%(bureau)s: paid on %(paid)s, update the report (due %(deadline)s)",
            bureau=report._bureau_label(),
            paid=format_date(self.env, report.settled_date),
            deadline=format_date(self.env, report.update_deadline),
        )

    # OVERRIDE: open the report.
    def action_open_source(self):
        self.ensure_one()
        if self.bureau_report_id:
            return {
                "type": "ir.actions.act_window",
                "res_model": "cobranza.bureau.report",
                "res_id": self.bureau_report_id.id,
                "view_mode": "form",
                "views": [(False, "form")],
                "target": "current",
            }
        return super().action_open_source()
