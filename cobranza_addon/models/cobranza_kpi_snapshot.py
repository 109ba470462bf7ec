import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..cobranza_core.aging import BUCKET_KEYS
from .cobranza_lang import in_user_lang

_logger = logging.getLogger(__name__)


class CobranzaKpiSnapshot(models.Model):
    """The receivables position of one day, kept for the 12-month trend.

    One row per day, company, collector, stage and segment, filled by a daily
    schedule with one ``INSERT ... SELECT``: the history survives later
    payments and edits of the invoices.
    """

    _name = "cobranza.kpi.snapshot"
    _description = "Collection KPI Snapshot"
    _order = "date desc, company_id, id"
    _check_company_auto = True

    date = fields.Date(required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    collector_id = fields.Many2one("res.users", string="Collector", readonly=True)
    stage_id = fields.Many2one("cobranza.stage", string="Stage", readonly=True)
    segment_id = fields.Many2one(
        "res.partner.industry",
        string="Segment",
        readonly=True,
        help="The industry of the customer.",
    )
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
    amount_total = fields.Monetary(string="Receivables", readonly=True)
    amount_overdue = fields.Monetary(string="Overdue", readonly=True)
    age_weight = fields.Float(
        string="Days × amount",
        readonly=True,
        aggregator="sum",
        help="Σ days past due × amount of the positive open amounts.",
    )
    age_base = fields.Monetary(
        string="Aged amount",
        readonly=True,
        help="Σ of the positive open amounts (the weights of the average age).",
    )
    line_count = fields.Integer(string="Open items", readonly=True)

    def init(self):
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS cobranza_kpi_snapshot_key_uniq
                    ON cobranza_kpi_snapshot (date, company_id,
                       COALESCE(collector_id, 0), COALESCE(stage_id, 0),
                       COALESCE(segment_id, 0))
                """
            )
        )

    @api.model
    def _cron_take_snapshot(self):
        """Daily: today's position, once per company (idempotent)."""
        self = in_user_lang(self)
        today = fields.Date.context_today(self)
        self._take_snapshot(today, self.env["res.company"].search([]))

    @api.model
    def _take_snapshot(self, day, companies):
        """Store the position at ``day`` for the ``companies`` not done yet.

        Returns the companies that got a snapshot. Running it again for the
        same day does nothing: the rows already stored are the history.
        """
        todo = self._companies_without_snapshot(day, companies)
        if not todo:
            return todo
        self._insert_snapshot_rows(day, todo)
        _logger.info(
            "Collection KPI snapshot of %s stored for %s compan(y/ies).",
            day,
            len(todo),
        )
        self.invalidate_model()
        return todo

    @api.model
    def _companies_without_snapshot(self, day, companies):
        """The ``companies`` that have no snapshot of ``day`` yet."""
        done = {
            company.id
            for [company] in self.sudo()._read_group(
                [("date", "=", day), ("company_id", "in", companies.ids)],
                ["company_id"],
            )
        }
        return companies.filtered(lambda c: c.id not in done)

    @api.model
    def _insert_snapshot_rows(self, day, companies):
        """One row per company, collector, stage and segment: the position of
        ``companies`` at ``day``, bucketed, in one INSERT."""
        self.env.flush_all()  # the position is read with SQL
        dashboard = self.env["cobranza.kpi.dashboard"]
        position = dashboard._position_sql(
            day,
            {"company_ids": companies.ids},
            ["company_id", "collector_id", "stage_id", "segment_id"],
        )
        buckets = SQL(", ").join(
            SQL(
                "COALESCE(SUM(amount) FILTER (WHERE bucket = %s), 0)",
                key,
            )
            for key in BUCKET_KEYS
        )
        columns = SQL(", ").join(SQL.identifier(f"amount_{key}") for key in BUCKET_KEYS)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO cobranza_kpi_snapshot (
                    create_uid, create_date, write_uid, write_date,
                    date, company_id, collector_id, stage_id, segment_id,
                    %(columns)s, amount_credit, amount_total, amount_overdue,
                    age_weight, age_base, line_count)
                SELECT %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s,
                       NOW() AT TIME ZONE 'UTC', %(day)s,
                       company_id, collector_id, stage_id, segment_id,
                       %(buckets)s,
                       COALESCE(SUM(amount) FILTER (WHERE bucket = 'credit'), 0),
                       SUM(amount),
                       COALESCE(SUM(amount) FILTER (
                           WHERE bucket NOT IN ('not_due', 'credit')), 0),
                       SUM(age_weight), SUM(age_base), SUM(line_count)
                  FROM (%(position)s) AS pos
              GROUP BY company_id, collector_id, stage_id, segment_id
                ON CONFLICT DO NOTHING
                """,
                columns=columns,
                uid=self.env.uid,
                day=day,
                buckets=buckets,
                position=position,
            )
        )

    @api.model
    def action_backfill(self, months=12):
        """Rebuild the month-end snapshots of the last ``months`` months.

        The position at a past date is exact (from the ledger and the dates
        of the reconciliations); months that already have a snapshot at
        their last day are left alone.
        """
        from ..cobranza_core.dashboard import month_ends

        if not self.env.user.has_group("cobranza_addon.cobranza_group_manager"):
            raise AccessError(
                self.env._("Only a Collections manager can rebuild the KPI history.")
            )
        try:
            months = int(months)
        except (TypeError, ValueError, OverflowError):
            months = 0
        if not 1 <= months <= 60:
            raise UserError(
                self.env._("The KPI history is rebuilt for 1 to 60 months.")
            )
        today = fields.Date.context_today(self)
        companies = self.env.companies
        for day in month_ends(today, months)[:-1]:
            self._take_snapshot(day, companies)
        self._take_snapshot(today, companies)
        return True
