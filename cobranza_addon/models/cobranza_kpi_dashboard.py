"""The collection KPI dashboard: thin shell around ``cobranza_core.dashboard``.

Every figure comes from a handful of aggregated queries (``SQL()`` or
``_read_group``); every formula from the pure core.
"""

from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..cobranza_core import dashboard as core
from ..cobranza_core import kpi
from ..cobranza_core.aging import BUCKET_KEYS, BUCKETS

#: Dimensions the position query can be grouped by, and their SQL.
POSITION_DIMS = {
    "company_id": "l.company_id",
    "collector_id": "m.cobranza_collector_id",
    "stage_id": "m.cobranza_stage_id",
    "segment_id": "rp.industry_id",
    "partner_id": "m.commercial_partner_id",
    "move_id": "l.move_id",
}
#: Days after an action within which a payment counts as recovered.
RECOVERY_DAYS = 30
#: Status names of the payment-plan issue (cobranza_core.allocation).
PROMISE_MODEL = "cobranza.promise"
PLAN_MODEL = "cobranza.payment.plan"


def _json(value):
    """Decimals and Nones as the web client wants them."""
    if isinstance(value, Decimal):
        return float(value)
    return value


def _rounded(value):
    """Sums of floats to cents, in nested dicts and lists (for the client)."""
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value


def _filter_date(env, value):
    """A dashboard filter date, or a UserError instead of a raw ValueError."""
    if not value:
        return False
    try:
        day = fields.Date.to_date(value)
    except (TypeError, ValueError, OverflowError):
        day = None
    if day is None or not 1900 <= day.year <= 2999:
        raise UserError(env._("%(value)r is not a valid date.", value=value))
    return day


def _filter_ids(env, value, single=False):
    """Record ids of a dashboard filter (a list, or one id when ``single``)."""
    if value in (None, False, "", []):
        return False if single else []
    values = [value] if single else value
    if not isinstance(values, list | tuple) or not all(
        isinstance(v, int) and not isinstance(v, bool) and 0 < v < 2**31 for v in values
    ):
        raise UserError(
            env._("The dashboard filter %(value)r is not valid.", value=value)
        )
    return values[0] if single else list(values)


class CobranzaKpiDashboard(models.AbstractModel):
    _name = "cobranza.kpi.dashboard"
    _description = "Collection KPI Dashboard"

    # ------------------------------------------------------------------
    # Filters and security
    # ------------------------------------------------------------------
    def _is_manager(self):
        return self.env.user.has_group("cobranza_addon.cobranza_group_manager")

    @api.model
    def _resolve_filters(self, filters=None):
        """Clean the filters of the client; a collector sees only their own."""
        if not self.env.user.has_group("cobranza_addon.cobranza_group_user"):
            raise AccessError(
                self.env._("Only Collections users can see the collection KPIs.")
            )
        # the figures are read with SQL: write pending ORM changes first
        self.env.flush_all()
        filters = dict(filters) if isinstance(filters, dict) else {}
        today = fields.Date.context_today(self)
        date_to = _filter_date(self.env, filters.get("date_to")) or today
        date_from = _filter_date(self.env, filters.get("date_from")) or (
            date_to - timedelta(days=89)
        )
        if date_from > date_to:
            raise UserError(self.env._("The period starts after it ends."))
        allowed = self.env.companies.ids
        asked = _filter_ids(self.env, filters.get("company_ids"))
        company_ids = [c for c in asked or allowed if c in allowed]
        collector_id = _filter_ids(self.env, filters.get("collector_id"), single=True)
        if not self._is_manager():
            collector_id = self.env.uid
        filters["segment_id"] = _filter_ids(
            self.env, filters.get("segment_id"), single=True
        )
        return {
            "date_from": date_from,
            "date_to": date_to,
            "company_ids": company_ids or allowed,
            "collector_id": collector_id,
            "segment_id": filters.get("segment_id") or False,
            "live": bool(filters.get("live")),
        }

    # ------------------------------------------------------------------
    # Queries
    # ------------------------------------------------------------------
    @api.model
    def _filter_sql(self, filters, collector="m.cobranza_collector_id"):
        """Collector and segment conditions on ``m`` (move) and ``rp``."""
        conditions = [SQL("TRUE")]
        if filters.get("collector_id"):
            conditions.append(SQL("%s = %s", SQL(collector), filters["collector_id"]))
        if filters.get("segment_id"):
            conditions.append(SQL("rp.industry_id = %s", filters["segment_id"]))
        return SQL(" AND ").join(conditions)

    @api.model
    def _position_sql(self, day, filters, dims=()):
        """Open receivables at ``day``, grouped by ``dims`` and aging bucket.

        The open amount of a receivable line at a date is its residual today
        plus what was reconciled with it after that date (partials whose
        ``max_date`` is later): exact for any past date, and cheap for a
        recent one, which only reads the open lines and the few later
        reconciliations. Columns: ``dims``, bucket, amount, age_weight,
        age_base, line_count.
        """
        companies = tuple(filters["company_ids"])
        dim_sql = [
            SQL("%s AS %s", SQL(POSITION_DIMS[dim]), SQL.identifier(dim))
            for dim in dims
        ]
        days = "(%(day)s::date - COALESCE(l.date_maturity, l.date))"
        bucket = core.bucket_case_sql("o.days")
        return SQL(
            f"""
            WITH later AS (
                SELECT line_id, SUM(amount) AS amount FROM (
                    SELECT p.debit_move_id AS line_id, p.amount
                      FROM account_partial_reconcile p
                     WHERE p.max_date > %(day)s AND p.company_id IN %(companies)s
                    UNION ALL
                    SELECT p.credit_move_id, -p.amount
                      FROM account_partial_reconcile p
                     WHERE p.max_date > %(day)s AND p.company_id IN %(companies)s
                ) AS p GROUP BY line_id
            ), o AS (
                SELECT %(dims)s{"," if dims else ""}
                       {days} AS days,
                       l.amount_residual + COALESCE(later.amount, 0) AS amount
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id
                  JOIN account_move m ON m.id = l.move_id
             LEFT JOIN res_partner rp ON rp.id = m.commercial_partner_id
             LEFT JOIN later ON later.line_id = l.id
                 WHERE a.account_type = 'asset_receivable'
                   AND l.parent_state = 'posted'
                   AND l.company_id IN %(companies)s
                   AND l.date <= %(day)s
                   AND ((l.reconciled IS NULL OR l.reconciled = false
                         OR l.reconciled IS NOT true)
                        OR later.line_id IS NOT NULL)
                   AND %(filter)s
            )
            SELECT %(out_dims)s{"," if dims else ""}
                   {bucket} AS bucket,
                   SUM(o.amount) AS amount,
                   COALESCE(SUM(GREATEST(o.days, 0) * o.amount)
                            FILTER (WHERE o.amount > 0), 0) AS age_weight,
                   COALESCE(SUM(o.amount) FILTER (WHERE o.amount > 0), 0)
                       AS age_base,
                   COUNT(*) AS line_count
              FROM o
             WHERE o.amount != 0
          GROUP BY %(out_dims)s{"," if dims else ""} {bucket}
            """,
            day=day,
            companies=companies,
            dims=SQL(", ").join(dim_sql),
            out_dims=SQL(", ").join(SQL.identifier("o", dim) for dim in dims),
            filter=self._filter_sql(filters),
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
        aggregates = [f"amount_{key}:sum" for key in BUCKET_KEYS]
        aggregates += ["age_weight:sum", "age_base:sum"]
        cube = {}
        for collector, stage, segment, *values in snapshot._read_group(
            domain, ["collector_id", "stage_id", "segment_id"], aggregates
        ):
            position = core.AgingPosition()
            for key, value in zip(BUCKET_KEYS, values, strict=False):
                position.add(key, value)
            position.age_weight, position.age_base = values[-2], values[-1]
            cube[(collector.id or None, stage.id or None, segment.id or None)] = (
                position
            )
        return cube

    @api.model
    def _cube(self, day, filters):
        """The position at ``day`` by collector, stage and segment, and where
        it comes from: the daily snapshot of that day when there is one
        (unless ``filters["live"]``), else the ledger."""
        if not filters.get("live"):
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
            filter=self._filter_sql(filters),
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

    # ------------------------------------------------------------------
    # KPI blocks
    # ------------------------------------------------------------------
    @api.model
    def _period_kpis(self, filters, cube=None):
        date_from, date_to = filters["date_from"], filters["date_to"]
        if cube is None:
            cube, _source = self._cube(date_to, filters)
        position = self._merge(cube).get((), core.AgingPosition())
        opening = self._position(date_from - timedelta(days=1), filters).total
        sales_rows = self.env.execute_query(
            self._sales_sql(date_from, date_to, filters)
        )
        sales = sales_rows[0][1] if sales_rows else 0.0
        return core.period_kpis(
            days=(date_to - date_from).days + 1,
            opening_ar=opening,
            credit_sales=sales,
            position=position,
            monthly_sales=self._monthly_sales(date_to, filters),
        )

    @api.model
    def _aging_by(self, filters, dim, limit=None, cube=None):
        """Aging rows by one dimension, largest receivables first."""
        if dim == "partner_id":
            positions = self._top_positions(filters, dim, limit or 10)
        else:
            if cube is None:
                cube, _source = self._cube(filters["date_to"], filters)
            index = ["collector_id", "stage_id", "segment_id"].index(dim)
            positions = self._merge(cube, index)
        model = {
            "collector_id": "res.users",
            "stage_id": "cobranza.stage",
            "segment_id": "res.partner.industry",
            "partner_id": "res.partner",
        }[dim]
        records = self.env[model].browse([key[0] for key in positions if key[0]]).sudo()
        names = {rec.id: rec.display_name for rec in records}
        rows = []
        for (key,), position in positions.items():
            rows.append(
                {
                    "id": key or False,
                    "name": names.get(key) or self.env._("(none)"),
                    "buckets": dict(position.buckets),
                    "total": position.total,
                    "overdue": position.overdue,
                    "average_age": _json(
                        core.weighted_age_from_sums(
                            position.age_weight, position.age_base
                        )
                    ),
                }
            )
        rows.sort(key=lambda r: -r["total"])
        return rows[:limit] if limit else rows

    @api.model
    def _recovery(self, filters, days=RECOVERY_DAYS):
        """Amount recovered within ``days`` after the actions of the period,
        by level, by stage and by channel."""
        rows = self.env.execute_query(
            SQL(
                """
                WITH act AS (
                    SELECT a.id, a.level_id, lv.stage_id, a.date, a.amount_due,
                           a.channel_email, a.channel_letter, a.channel_sms,
                           a.channel_activity
                      FROM cobranza_action a
                      JOIN cobranza_level lv ON lv.id = a.level_id
                      JOIN res_partner rp ON rp.id = a.partner_id
                     WHERE a.state = 'done'
                       AND a.company_id IN %(companies)s
                       AND a.date BETWEEN %(date_from)s AND %(date_to)s
                       AND %(filter)s
                ), rec AS (
                    SELECT act.id, SUM(p.amount) AS amount
                      FROM act
                      JOIN cobranza_action_account_move_rel r ON r.action_id = act.id
                      JOIN account_move_line l ON l.move_id = r.move_id
                      JOIN account_account acc ON acc.id = l.account_id
                           AND acc.account_type = 'asset_receivable'
                      JOIN account_partial_reconcile p ON p.debit_move_id = l.id
                     WHERE p.max_date >= act.date
                       AND p.max_date <= act.date + %(days)s
                  GROUP BY act.id
                )
                SELECT act.level_id, act.stage_id, act.channel_email,
                       act.channel_letter, act.channel_sms, act.channel_activity,
                       COUNT(*), SUM(act.amount_due), COALESCE(SUM(rec.amount), 0)
                  FROM act LEFT JOIN rec ON rec.id = act.id
              GROUP BY 1, 2, 3, 4, 5, 6
                """,
                companies=tuple(filters["company_ids"]),
                date_from=filters["date_from"],
                date_to=filters["date_to"],
                days=days,
                filter=self._filter_sql(filters, collector="a.collector_id"),
            )
        )
        groups = {"level": {}, "stage": {}, "channel": {}}
        for level, stage, email, letter, sms, activity, count, due, rec in rows:
            keys = [("level", level), ("stage", stage)]
            for channel, used in (
                ("email", email),
                ("letter", letter),
                ("sms", sms),
                ("activity", activity),
            ):
                if used:
                    keys.append(("channel", channel))
            for kind, key in keys:
                entry = groups[kind].setdefault(key, [0, 0.0, 0.0])
                entry[0] += count
                entry[1] += due or 0.0
                entry[2] += rec or 0.0
        names = {
            "level": {
                lv.id: lv.display_name
                for lv in self.env["cobranza.level"]
                .sudo()
                .browse([k for k in groups["level"] if k])
            },
            "stage": {
                st.id: st.display_name
                for st in self.env["cobranza.stage"]
                .sudo()
                .browse([k for k in groups["stage"] if k])
            },
            "channel": dict(self.env["cobranza.kpi.dashboard"]._channel_labels()),
        }
        result = {}
        for kind, entries in groups.items():
            result[kind] = [
                {
                    "id": key,
                    "name": names[kind].get(key) or self.env._("(none)"),
                    "count": count,
                    "due": due,
                    "recovered": rec,
                    "rate": _json(kpi.recovery_rate(due, rec)),
                }
                for key, (count, due, rec) in sorted(
                    entries.items(), key=lambda item: -item[1][1]
                )
            ]
        result["days"] = days
        return result

    @api.model
    def _channel_labels(self):
        return [
            ("email", self.env._("Email")),
            ("letter", self.env._("Letter")),
            ("sms", self.env._("SMS")),
            ("activity", self.env._("Call task")),
        ]

    @api.model
    def _status_counts(self, model_name, filters, period_field=None):
        """``{state: count}`` of the promises or payment plans in the filters."""
        domain = [("company_id", "in", filters["company_ids"])]
        if filters.get("collector_id"):
            domain.append(("user_id", "=", filters["collector_id"]))
        if period_field:
            domain += [
                (period_field, ">=", filters["date_from"]),
                (period_field, "<=", filters["date_to"]),
            ]
        return dict(
            self.env[model_name].sudo()._read_group(domain, ["state"], ["__count"])
        )

    @api.model
    def _promise_kpis(self, filters):
        # promises falling due in the period; plans as they stand
        promises = self._status_counts(PROMISE_MODEL, filters, "promise_date")
        plans = self._status_counts(PLAN_MODEL, filters)
        return {
            "promise_kept_rate": _json(
                kpi.promise_kept_rate(
                    promises.get("kept", 0), promises.get("broken", 0)
                )
            ),
            "plan_compliance": _json(
                kpi.plan_compliance(
                    plans.get("completed", 0) + plans.get("active", 0),
                    plans.get("broken", 0),
                )
            ),
        }

    @api.model
    def _collector_performance(self, filters):
        """Per collector: actions sent, amount collected in the period on the
        invoices of their portfolio, and promises kept when they exist."""
        params = {
            "companies": tuple(filters["company_ids"]),
            "date_from": filters["date_from"],
            "date_to": filters["date_to"],
            "filter": self._filter_sql(filters),
        }
        collected = dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT m.cobranza_collector_id, SUM(p.amount)
                      FROM account_partial_reconcile p
                      JOIN account_move_line l ON l.id = p.debit_move_id
                      JOIN account_move m ON m.id = l.move_id
                 LEFT JOIN res_partner rp ON rp.id = m.commercial_partner_id
                     WHERE p.max_date BETWEEN %(date_from)s AND %(date_to)s
                       AND m.move_type = 'out_invoice'
                       AND m.company_id IN %(companies)s
                       AND %(filter)s
                  GROUP BY 1
                    """,
                    **params,
                )
            )
        )
        domain = [
            ("state", "=", "done"),
            ("company_id", "in", filters["company_ids"]),
            ("date", ">=", filters["date_from"]),
            ("date", "<=", filters["date_to"]),
        ]
        if filters.get("collector_id"):
            domain.append(("collector_id", "=", filters["collector_id"]))
        if filters.get("segment_id"):
            domain.append(("partner_id.industry_id", "=", filters["segment_id"]))
        actions = {
            user.id: count
            for user, count in self.env["cobranza.action"]
            .sudo()
            ._read_group(domain, ["collector_id"], ["__count"])
        }
        promise_domain = [
            ("company_id", "in", filters["company_ids"]),
            ("promise_date", ">=", filters["date_from"]),
            ("promise_date", "<=", filters["date_to"]),
        ]
        kept = {
            user.id: counts[0]
            for user, counts in self.env[PROMISE_MODEL]
            .sudo()
            ._kept_rate_by_collector(promise_domain)
            .items()
        }
        user_ids = (set(collected) | set(actions)) - {None}
        users = self.env["res.users"].sudo().browse(user_ids)
        rows = [
            {
                "id": user.id,
                "name": user.name,
                "actions": actions.get(user.id, 0),
                "collected": collected.get(user.id, 0.0),
                "promises_kept": kept.get(user.id, 0),
            }
            for user in users
        ]
        if collected.get(None) or actions.get(False):
            rows.append(
                {
                    "id": False,
                    "name": self.env._("(no collector)"),
                    "actions": actions.get(False, 0),
                    "collected": collected.get(None, 0.0),
                    "promises_kept": None,
                }
            )
        rows.sort(key=lambda r: -r["collected"])
        return rows

    @api.model
    def _trend(self, filters, months=12):
        """The last ``months`` month ends, from the daily snapshots."""
        ends = core.month_ends(filters["date_to"], months)
        first = core.months_back(filters["date_to"], months)[-1][0]
        snapshot = self.env["cobranza.kpi.snapshot"]
        domain = [
            ("company_id", "in", filters["company_ids"]),
            ("date", ">=", first),
            ("date", "<=", filters["date_to"]),
        ]
        if filters.get("collector_id"):
            domain.append(("collector_id", "=", filters["collector_id"]))
        if filters.get("segment_id"):
            domain.append(("segment_id", "=", filters["segment_id"]))
        # the last snapshot date of each month
        last_dates = {}
        for (day,) in snapshot._read_group(domain, ["date:day"]):
            month = day.replace(day=1)
            last_dates[month] = max(day, last_dates.get(month, day))
        sums = {}
        if last_dates:
            agg = [f"amount_{key}:sum" for key in BUCKET_KEYS] + [
                "age_weight:sum",
                "age_base:sum",
            ]
            for row in snapshot._read_group(
                domain + [("date", "in", list(last_dates.values()))],
                ["date:day"],
                agg,
            ):
                day, *values = row
                position = core.AgingPosition()
                for key, value in zip(BUCKET_KEYS, values, strict=False):
                    position.add(key, value)
                position.age_weight, position.age_base = values[-2], values[-1]
                sums[day.replace(day=1)] = (day, position)
        sales = dict(
            (first_day, (amount, days))
            for (first_day, _last), (amount, days) in zip(
                core.months_back(filters["date_to"], months),
                self._monthly_sales(filters["date_to"], filters, months),
                strict=True,
            )
        )
        trend = []
        for end in ends:
            month = end.replace(day=1)
            amount, days = sales[month]
            day, position = sums.get(month, (None, None))
            row = {
                "month": fields.Date.to_string(month),
                "snapshot_date": day and fields.Date.to_string(day),
                "credit_sales": amount,
            }
            if position is not None:
                row.update(
                    {
                        "ar": position.total,
                        "overdue": position.overdue,
                        "percent_overdue": _json(
                            kpi.percent_overdue(position.overdue, position.total)
                        ),
                        "average_age": _json(
                            core.weighted_age_from_sums(
                                position.age_weight, position.age_base
                            )
                        ),
                        "dso": _json(kpi.dso_standard(position.total, amount, days)),
                    }
                )
            trend.append(row)
        return trend

    # ------------------------------------------------------------------
    # Entry points of the client action
    # ------------------------------------------------------------------
    @api.model
    def get_dashboard_data(self, filters=None):
        """Everything the dashboard shows; the largest customers only when
        ``filters["with_customers"]`` (the client asks for them on demand:
        on a large book that table is the one slow query)."""
        raw = dict(filters or {})
        filters = self._resolve_filters(raw)
        cube, source = self._cube(filters["date_to"], filters)
        kpis = {
            key: _json(value)
            for key, value in self._period_kpis(filters, cube=cube).items()
        }
        kpis.update(self._promise_kpis(filters))
        is_manager = self._is_manager()
        companies = self.env["res.company"].browse(filters["company_ids"])
        return _rounded(
            {
                "filters": {
                    key: fields.Date.to_string(value)
                    if key.startswith("date")
                    else value
                    for key, value in filters.items()
                },
                "source": source,
                "currency_id": companies[:1].currency_id.id,
                "is_manager": is_manager,
                "buckets": [
                    {"key": key, "label": label} for key, label in self._bucket_labels()
                ],
                "kpis": kpis,
                "aging": {
                    "collector": self._aging_by(filters, "collector_id", cube=cube),
                    "stage": self._aging_by(filters, "stage_id", cube=cube),
                    "segment": self._aging_by(filters, "segment_id", cube=cube),
                    "customer": self._aging_by(filters, "partner_id", limit=10)
                    if raw.get("with_customers")
                    else None,
                },
                "recovery": self._recovery(filters),
                "collectors": self._collector_performance(filters),
                "trend": self._trend(filters),
                "options": self._filter_options(is_manager),
            }
        )

    @api.model
    def get_top_customers(self, filters=None):
        """The ten customers who owe the most at the end of the period."""
        filters = self._resolve_filters(filters)
        return _rounded(self._aging_by(filters, "partner_id", limit=10))

    @api.model
    def _bucket_labels(self):
        labels = {
            "not_due": self.env._("Not due"),
            "1_30": self.env._("1-30"),
            "31_60": self.env._("31-60"),
            "61_90": self.env._("61-90"),
            "91_120": self.env._("91-120"),
            "over_120": self.env._("Over 120"),
        }
        return [(key, labels[key]) for key in BUCKET_KEYS]

    @api.model
    def _filter_options(self, is_manager):
        collectors = self.env["res.users"]
        if is_manager:
            collectors = (
                self.env.ref("cobranza_addon.cobranza_group_user").sudo().all_user_ids
                if "all_user_ids" in self.env["res.groups"]._fields
                else self.env.ref("cobranza_addon.cobranza_group_user").sudo().users
            ).filtered(lambda u: u.company_ids & self.env.companies)
        return {
            "companies": [{"id": c.id, "name": c.name} for c in self.env.companies],
            "collectors": [{"id": u.id, "name": u.name} for u in collectors],
            "segments": [
                {"id": s.id, "name": s.name}
                for s in self.env["res.partner.industry"].search([])
            ],
        }

    @api.model
    def action_open_invoices(self, filters=None, drill=None):
        """The invoices behind a figure of the dashboard.

        ``drill`` may hold ``kind`` ("open", "overdue", "current", "sales"),
        ``bucket``, and one of ``collector_id``, ``stage_id``,
        ``segment_id``, ``partner_id`` (a row of an aging table).
        """
        filters = self._resolve_filters(filters)
        drill = dict(drill) if isinstance(drill, dict) else {}
        for dim in ("partner_id", "stage_id", "collector_id", "segment_id"):
            if dim in drill:
                drill[dim] = _filter_ids(self.env, drill[dim], single=True)
        for key in ("kind", "bucket"):
            if key in drill and not isinstance(drill[key], str):
                raise UserError(
                    self.env._(
                        "The dashboard filter %(value)r is not valid.", value=drill[key]
                    )
                )
        if not self._is_manager():
            # a collector drills into their own portfolio only
            drill.pop("collector_id", None)
        for dim in ("collector_id", "segment_id"):
            if drill.get(dim):
                filters[dim] = drill[dim]
        kind = drill.get("kind", "open")
        if kind == "sales":
            domain = [
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
                ("company_id", "in", filters["company_ids"]),
                ("invoice_date", ">=", filters["date_from"]),
                ("invoice_date", "<=", filters["date_to"]),
            ]
            if filters.get("collector_id"):
                domain.append(("cobranza_collector_id", "=", filters["collector_id"]))
            if filters.get("segment_id"):
                domain.append(
                    ("commercial_partner_id.industry_id", "=", filters["segment_id"])
                )
        else:
            domain = [("id", "in", self._open_move_ids(filters, drill))]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invoices behind the figure"),
            "res_model": "account.move",
            "views": [[False, "list"], [False, "form"]],
            "domain": domain,
            "context": {"create": False},
        }

    @api.model
    def _open_move_ids(self, filters, drill):
        """Moves with a receivable open at the end of the period, restricted
        to one bucket or one row of an aging table."""
        kind = drill.get("kind", "open")
        conditions = [SQL("TRUE")]
        buckets = []
        if drill.get("bucket"):
            buckets = [drill["bucket"]]
        elif kind == "overdue":
            buckets = [key for key, _l, _h in BUCKETS if key != "not_due"]
        elif kind == "current":
            buckets = ["not_due"]
        if buckets:
            conditions.append(SQL("pos.bucket IN %s", tuple(buckets)))
        dims = ["partner_id", "stage_id"]
        for dim in ("partner_id", "stage_id", "collector_id", "segment_id"):
            if dim in drill:
                if dim not in dims:
                    dims.append(dim)
                value = drill[dim]
                conditions.append(
                    SQL("pos.%s = %s", SQL.identifier(dim), value)
                    if value
                    else SQL("pos.%s IS NULL", SQL.identifier(dim))
                )
        position = self._position_sql(filters["date_to"], filters, ["move_id", *dims])
        return [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    "SELECT DISTINCT pos.move_id FROM (%s) AS pos WHERE %s",
                    position,
                    SQL(" AND ").join(conditions),
                )
            )
        ]

    @api.model
    def action_print(self, filters=None):
        filters = self._resolve_filters(filters)
        return self.env.ref(
            "cobranza_addon.cobranza_kpi_dashboard_report"
        ).report_action(
            self.env["cobranza.kpi.dashboard"],
            data={
                "filters": {
                    key: fields.Date.to_string(value)
                    if key.startswith("date")
                    else value
                    for key, value in filters.items()
                }
            },
        )
