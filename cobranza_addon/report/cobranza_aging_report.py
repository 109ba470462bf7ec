from odoo import api, fields, models
from odoo.tools import SQL

from ..cobranza_core.aging import ORDERED_KEYS
from ..cobranza_core.dashboard import bucket_case_sql


class CobranzaAgingReport(models.Model):
    """Open receivables by aging bucket: one row per open line, today or at
    the date a drill-down of the dashboard asks for.

    Feeds the pivot and graph views of Cobranza > Aging, the drill-downs of
    the dashboard, and exports to XLSX from its list view. Amounts are in
    company currency; open credits (unapplied payments, credit notes) are
    in their own column, never in "Not due".
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
            ("credit", "Unapplied credit"),
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
    amount_credit = fields.Monetary(
        string="Unapplied credits",
        readonly=True,
        help="Payments and credit notes not yet matched to an invoice.",
    )

    @api.model
    def _aging_date(self):
        """The day of the position: ``cobranza_aging_date`` in the context
        (a drill-down of the dashboard), else today. Only a reporting date:
        the record rules apply as for any other day."""
        day = fields.Date.to_date(self.env.context.get("cobranza_aging_date"))
        return day or fields.Date.context_today(self)

    @api.model
    def _open_items_sql(self, day, company_ids=None):
        """One row per receivable line open at ``day``: what the dashboard's
        figures add up and what its drill-downs list (the same rows).

        The open amount at a date is the residual today plus what was
        reconciled with the line after that date (partials whose
        ``max_date`` is later), in company currency. Columns: id, move_id,
        company_id, partner_id, collector_id, stage_id, level_id,
        segment_id, date, date_due, days, amount.
        """
        companies = (
            SQL("AND p.company_id IN %s", tuple(company_ids)) if company_ids else SQL()
        )
        line_companies = (
            SQL("AND l.company_id IN %s", tuple(company_ids)) if company_ids else SQL()
        )
        return SQL(
            """
            WITH later AS (
                SELECT line_id, SUM(amount) AS amount FROM (
                    SELECT p.debit_move_id AS line_id, p.amount
                      FROM account_partial_reconcile p
                     WHERE p.max_date > %(day)s %(companies)s
                    UNION ALL
                    SELECT p.credit_move_id, -p.amount
                      FROM account_partial_reconcile p
                     WHERE p.max_date > %(day)s %(companies)s
                ) AS p GROUP BY line_id
            )
            SELECT l.id, l.move_id, l.company_id,
                   m.commercial_partner_id AS partner_id,
                   %(collector)s AS collector_id,
                   m.cobranza_stage_id AS stage_id,
                   m.cobranza_level_id AS level_id,
                   rp.industry_id AS segment_id,
                   l.date, COALESCE(l.date_maturity, l.date) AS date_due,
                   %(day)s::date - COALESCE(l.date_maturity, l.date) AS days,
                   l.amount_residual + COALESCE(later.amount, 0) AS amount
              FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
              JOIN account_move m ON m.id = l.move_id
         LEFT JOIN res_partner rp ON rp.id = m.commercial_partner_id
         LEFT JOIN later ON later.line_id = l.id
             WHERE a.account_type = 'asset_receivable'
               AND l.parent_state = 'posted'
               AND l.date <= %(day)s %(line_companies)s
               AND (l.reconciled IS NOT true OR later.line_id IS NOT NULL)
               AND l.amount_residual + COALESCE(later.amount, 0) != 0
            """,
            day=day,
            companies=companies,
            line_companies=line_companies,
            collector=self._collector_sql(),
        )

    @api.model
    def _collector_sql(self, move="m", partner="rp", company="l.company_id"):
        """The collector of an open item: the invoice's, else the customer's
        in that company (payments and credit notes have none of their own:
        they belong to the customer's collector, not to "no collector")."""
        return SQL(
            "COALESCE(%s, (%s ->> %s::text)::int)",
            SQL.identifier(move, "cobranza_collector_id"),
            SQL.identifier(partner, "cobranza_collector_id"),
            SQL(company),
        )

    @property
    def _table_query(self):
        bucket = bucket_case_sql("o.days", "o.amount")
        per_bucket = SQL(", ").join(
            SQL(
                f"CASE WHEN {bucket} = %(key)s THEN o.amount ELSE 0 END AS %(column)s",
                key=key,
                column=SQL.identifier(f"amount_{key}"),
            )
            for key in ORDERED_KEYS
        )
        return SQL(
            f"""
            SELECT o.id, o.move_id, o.company_id, c.currency_id, o.partner_id,
                   o.collector_id, o.stage_id, o.level_id, o.segment_id,
                   o.date, o.date_due, GREATEST(o.days, 0) AS days_overdue,
                   {bucket} AS bucket, o.amount AS amount_residual,
                   %(per_bucket)s
              FROM (%(items)s) AS o
              JOIN res_company c ON c.id = o.company_id
            """,
            items=self._open_items_sql(self._aging_date()),
            per_bucket=per_bucket,
        )

    @api.model
    def _read_group_orderby(self, order, groupby_terms, query):
        """Aging columns in reading order (not due first, credits last), not
        in the alphabetical order of their keys."""
        if "bucket" in groupby_terms:
            groupby_terms = dict(groupby_terms)
            groupby_terms["bucket"] = SQL(
                "array_position(%s::text[], %s::text)",
                list(ORDERED_KEYS),
                groupby_terms["bucket"],
            )
        return super()._read_group_orderby(order, groupby_terms, query)

    @api.model
    def action_open_move(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "views": [[False, "form"]],
        }
