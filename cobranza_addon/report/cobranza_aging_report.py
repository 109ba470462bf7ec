from odoo import api, fields, models
from odoo.tools import SQL

from ..cobranza_core.aging import BUCKET_KEYS
from ..cobranza_core.dashboard import bucket_case_sql


class CobranzaAgingReport(models.Model):
    """Open receivables by aging bucket, today: one row per open line.

    Feeds the pivot and graph views of Collections > Aging and exports to
    XLSX from its list view.
    """

    _name = "cobranza.aging.report"
    _description = "Receivables Aging"
    _auto = False
    _rec_name = "move_id"
    _order = "days_overdue desc, id"

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    move_type = fields.Selection(
        related="move_id.move_type", string="Type", readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    collector_id = fields.Many2one("res.users", string="Collector", readonly=True)
    stage_id = fields.Many2one("cobranza.stage", string="Stage", readonly=True)
    level_id = fields.Many2one("cobranza.level", string="Level", readonly=True)
    segment_id = fields.Many2one(
        "res.partner.industry", string="Segment", readonly=True
    )
    date = fields.Date(readonly=True)
    date_due = fields.Date(string="Due date", readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    bucket = fields.Selection(
        [
            ("not_due", "Not due"),
            ("1_30", "1-30"),
            ("31_60", "31-60"),
            ("61_90", "61-90"),
            ("91_120", "91-120"),
            ("over_120", "Over 120"),
        ],
        string="Aging",
        readonly=True,
    )
    amount_residual = fields.Monetary(string="Open amount", readonly=True)
    amount_not_due = fields.Monetary(string="Not due", readonly=True)
    amount_1_30 = fields.Monetary(string="1-30", readonly=True)
    amount_31_60 = fields.Monetary(string="31-60", readonly=True)
    amount_61_90 = fields.Monetary(string="61-90", readonly=True)
    amount_91_120 = fields.Monetary(string="91-120", readonly=True)
    amount_over_120 = fields.Monetary(string="Over 120", readonly=True)

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        days = "(%(today)s::date - COALESCE(l.date_maturity, l.date))"
        bucket = bucket_case_sql(days)
        per_bucket = SQL(", ").join(
            SQL(
                f"CASE WHEN {bucket} = %(key)s THEN l.amount_residual ELSE 0 END "
                "AS %(column)s",
                key=key,
                today=today,
                column=SQL.identifier(f"amount_{key}"),
            )
            for key in BUCKET_KEYS
        )
        return SQL(
            f"""
            SELECT l.id, l.move_id, l.company_id, c.currency_id,
                   m.commercial_partner_id AS partner_id,
                   m.cobranza_collector_id AS collector_id,
                   m.cobranza_stage_id AS stage_id,
                   m.cobranza_level_id AS level_id,
                   rp.industry_id AS segment_id,
                   l.date, COALESCE(l.date_maturity, l.date) AS date_due,
                   GREATEST({days}, 0) AS days_overdue,
                   {bucket} AS bucket,
                   l.amount_residual,
                   %(per_bucket)s
              FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
              JOIN account_move m ON m.id = l.move_id
              JOIN res_company c ON c.id = l.company_id
         LEFT JOIN res_partner rp ON rp.id = m.commercial_partner_id
             WHERE a.account_type = 'asset_receivable'
               AND l.parent_state = 'posted'
               AND (l.reconciled IS NULL OR l.reconciled = false
                    OR l.reconciled IS NOT true)
               AND l.amount_residual != 0
            """,
            today=today,
            per_bucket=per_bucket,
        )

    @api.model
    def action_open_move(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "views": [[False, "form"]],
        }
