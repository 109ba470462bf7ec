"""Where the dashboard's figures come from: the open items at a date (the
rows of the aging report, so a figure and its drill-down are the same rows),
the daily snapshots, and the credit sales. Same model as
``cobranza_kpi_dashboard.py``, split by responsibility.
"""

from odoo import api, fields, models
from odoo.tools import SQL

from ..cobranza_core import dashboard as core
from ..cobranza_core.aging import BUCKET_KEYS

#: Dimensions the position query can be grouped by (columns of the open items).
POSITION_DIMS = (
    "company_id",
    "collector_id",
    "stage_id",
    "segment_id",
    "partner_id",
    "move_id",
)

#: The sums a snapshot query reads, in the order of :func:`snapshot_position`.
SNAPSHOT_SUMS = [
    *(f"amount_{key}:sum" for key in BUCKET_KEYS),
    "amount_credit:sum",
    "age_weight:sum",
    "age_base:sum",
]


def snapshot_position(values):
    """An :class:`AgingPosition` from the :data:`SNAPSHOT_SUMS` of a group."""
    position = core.AgingPosition()
    for key, value in zip(BUCKET_KEYS, values, strict=False):
        position.add(key, value)
    credit, position.age_weight, position.age_base = values[len(BUCKET_KEYS) :]
    position.credits = credit or 0
    return position


class CobranzaKpiDashboardPosition(models.AbstractModel):
    _inherit = "cobranza.kpi.dashboard"

    @api.model
    def _filter_sql(
        self, filters, collector="m.cobranza_collector_id", segment="rp.industry_id"
    ):
        """Collector and segment conditions (on ``m`` and ``rp`` by default)."""
        conditions = [SQL("TRUE")]
        if filters.get("collector_id"):
            conditions.append(SQL("%s = %s", SQL(collector), filters["collector_id"]))
        if filters.get("segment_id"):
            conditions.append(SQL("%s = %s", SQL(segment), filters["segment_id"]))
        return SQL(" AND ").join(conditions)

    @api.model
    def _position_sql(self, day, filters, dims=()):
        """Open receivables at ``day``, grouped by ``dims`` and aging column.

        Reads the open items of the aging report at that date (exact for any
        past date; cheap for a recent one, which only reads the open lines
        and the few later reconciliations): a figure and its drill-down are
        the same rows. Columns: ``dims``, bucket, amount, age_weight,
        age_base, line_count.
        """
        dim_sql = [SQL.identifier("o", dim) for dim in dims if dim in POSITION_DIMS]
        assert len(dim_sql) == len(dims), "unknown dimension"
        bucket = SQL(core.bucket_case_sql("o.days", "o.amount"))
        group = SQL(", ").join([*dim_sql, bucket])
        items = self.env["cobranza.aging.report"]._open_items_sql(
            day, filters["company_ids"]
        )
        return SQL(
            """
            SELECT %(group)s AS bucket,
                   SUM(o.amount) AS amount,
                   COALESCE(SUM(GREATEST(o.days, 0) * o.amount)
                            FILTER (WHERE o.amount > 0), 0) AS age_weight,
                   COALESCE(SUM(o.amount) FILTER (WHERE o.amount > 0), 0)
                       AS age_base,
                   COUNT(*) AS line_count
              FROM (%(items)s) AS o
             WHERE %(filter)s
          GROUP BY %(group)s
            """,
            group=group,
            items=items,
            filter=self._filter_sql(filters, "o.collector_id", "o.segment_id"),
        )

    @api.model
    def _positions(self, day, filters, dims=()):
        """``{dims tuple: AgingPosition}`` at ``day``."""
        result = {}
        for row in self.env.execute_query(self._position_sql(day, filters, dims)):
            key = tuple(row[: len(dims)])
            bucket, amount, weight, base, _count = row[len(dims) :]
            result.setdefault(key, core.AgingPosition()).add(
                bucket, amount, weight, base
            )
        return result

    @api.model
    def _snapshot_cube(self, day, filters):
        """``{(collector, stage, segment): AgingPosition}`` from the snapshots
        of ``day``, or ``None`` when a selected company has none that day."""
        snapshot = self.env["cobranza.kpi.snapshot"].sudo()
        domain = [("date", "=", day), ("company_id", "in", filters["company_ids"])]
        companies = {c.id for [c] in snapshot._read_group(domain, ["company_id"])}
        if companies != set(filters["company_ids"]):
            return None
        if filters.get("collector_id"):
            domain.append(("collector_id", "=", filters["collector_id"]))
        if filters.get("segment_id"):
            domain.append(("segment_id", "=", filters["segment_id"]))
        cube = {}
        for collector, stage, segment, *values in snapshot._read_group(
            domain, ["collector_id", "stage_id", "segment_id"], SNAPSHOT_SUMS
        ):
            position = snapshot_position(values)
            cube[(collector.id or None, stage.id or None, segment.id or None)] = (
                position
            )
        return cube

    @api.model
    def _cube(self, day, filters):
        """The position at ``day`` by collector, stage and segment, and where
        it comes from: the daily snapshot of that day for a past day that
        has one (unless ``filters["live"]``), else the ledger. Today is
        always read from the ledger: the payments of the day count, and the
        drill-downs (which read the ledger) add up to the figures."""
        today = fields.Date.context_today(self)
        if not filters.get("live") and day < today:
            cube = self._snapshot_cube(day, filters)
            if cube is not None:
                return cube, "snapshot"
        dims = ["collector_id", "stage_id", "segment_id"]
        return self._positions(day, filters, dims), "live"

    @staticmethod
    def _merge(cube, index=None):
        """Sum a cube: in total, or by one of its key's components."""
        result = {}
        for key, position in cube.items():
            group = () if index is None else (key[index],)
            result.setdefault(group, core.AgingPosition()).merge(position)
        return result

    @api.model
    def _top_positions(self, filters, dim, limit):
        """Like :meth:`_positions` by ``dim``, for the ``limit`` keys that are
        owed the most only (chosen in the database: a large book has too
        many customers to bring them all to Python)."""
        position = self._position_sql(filters["date_to"], filters, [dim])
        rows = self.env.execute_query(
            SQL(
                """
                WITH pos AS (%(position)s),
                     top AS (SELECT %(dim)s FROM pos GROUP BY %(dim)s
                              ORDER BY SUM(amount) DESC, %(dim)s LIMIT %(limit)s)
                SELECT pos.* FROM pos JOIN top USING (%(dim)s)
                """,
                position=position,
                dim=SQL.identifier(dim),
                limit=limit,
            )
        )
        result = {}
        for key, bucket, amount, weight, base, _count in rows:
            result.setdefault((key,), core.AgingPosition()).add(
                bucket, amount, weight, base
            )
        return result

    @api.model
    def _position(self, day, filters):
        cube, _source = self._cube(day, filters)
        return self._merge(cube).get((), core.AgingPosition())

    @api.model
    def _sales_sql(self, date_from, date_to, filters, by_month=False):
        """Credit sales: posted customer invoices net of credit notes."""
        month = SQL("date_trunc('month', m.invoice_date)::date")
        return SQL(
            """
            SELECT %(group)s, COALESCE(SUM(m.amount_total_signed), 0)
              FROM account_move m
         LEFT JOIN res_partner rp ON rp.id = m.commercial_partner_id
             WHERE m.move_type IN ('out_invoice', 'out_refund')
               AND m.state = 'posted'
               AND m.company_id IN %(companies)s
               AND m.invoice_date BETWEEN %(date_from)s AND %(date_to)s
               AND %(filter)s
          GROUP BY 1
            """,
            group=month if by_month else SQL("1"),
            companies=tuple(filters["company_ids"]),
            date_from=date_from,
            date_to=date_to,
            filter=self._filter_sql(
                filters,
                collector=self.env["cobranza.aging.report"]._collector_sql(
                    company="m.company_id"
                ),
            ),
        )

    @api.model
    def _monthly_sales(self, date_to, filters, months=12):
        """``[(sales, days)]`` of the ``months`` months up to ``date_to``,
        newest first (the newest month is counted up to ``date_to``)."""
        periods = core.months_back(date_to, months)
        rows = dict(
            self.env.execute_query(
                self._sales_sql(periods[-1][0], date_to, filters, by_month=True)
            )
        )
        return [
            (rows.get(first, 0.0), (last - first).days + 1) for first, last in periods
        ]
