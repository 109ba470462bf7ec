"""The KPI blocks of the dashboard (period KPIs, aging tables, recovery,
promises, collectors, history). Same model as ``cobranza_kpi_dashboard.py``,
split by responsibility.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..cobranza_core import dashboard as core
from ..cobranza_core import kpi
from .cobranza_kpi_dashboard import _json
from .cobranza_kpi_position import SNAPSHOT_SUMS, snapshot_position

#: Days after an action within which a payment counts as recovered.
RECOVERY_DAYS = 30
PROMISE_MODEL = "cobranza.promise"
PLAN_MODEL = "cobranza.payment.plan"


class CobranzaKpiDashboardBlocks(models.AbstractModel):
    _inherit = "cobranza.kpi.dashboard"

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
        none_label = (
            self.env._("(no collector)")
            if dim == "collector_id"
            else self.env._("(none)")
        )
        rows = []
        for (key,), position in positions.items():
            rows.append(
                {
                    "id": key or False,
                    "name": names.get(key) or none_label,
                    "buckets": position.columns(),
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
        groups = self._recovery_groups(self._recovery_rows(filters, days))
        names = self._recovery_names(groups)
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
    def _recovery_rows(self, filters, days):
        """The done actions of the period grouped by level, stage and
        channels: ``(level, stage, email, letter, sms, activity, count, due,
        recovered)``."""
        return self.env.execute_query(
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
                      JOIN cobranza_action_line r ON r.action_id = act.id
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

    @api.model
    def _recovery_groups(self, rows):
        """``{"level"|"stage"|"channel": {key: [count, due, recovered]}}``;
        an action sent on several channels counts in each of them."""
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
        return groups

    @api.model
    def _recovery_names(self, groups):
        """The display names of the keys of ``groups``, by kind."""
        return {
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
        collected = self._collected_by_collector(filters)
        actions = self._actions_by_collector(filters)
        kept = self._kept_by_collector(filters)
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
    def _collected_by_collector(self, filters):
        """``{collector id or None: amount}`` reconciled in the period on the
        customer invoices of each collector's portfolio."""
        params = {
            "companies": tuple(filters["company_ids"]),
            "date_from": filters["date_from"],
            "date_to": filters["date_to"],
            "filter": self._filter_sql(filters),
        }
        return dict(
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

    @api.model
    def _actions_by_collector(self, filters):
        """``{collector id or False: count}`` of the actions sent in the period."""
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
        return {
            user.id: count
            for user, count in self.env["cobranza.action"]
            .sudo()
            ._read_group(domain, ["collector_id"], ["__count"])
        }

    @api.model
    def _kept_by_collector(self, filters):
        """``{collector id: promises kept}`` of the promises due in the period."""
        promise_domain = [
            ("company_id", "in", filters["company_ids"]),
            ("promise_date", ">=", filters["date_from"]),
            ("promise_date", "<=", filters["date_to"]),
        ]
        return {
            user.id: counts[0]
            for user, counts in self.env[PROMISE_MODEL]
            .sudo()
            ._kept_rate_by_collector(promise_domain)
            .items()
        }

    @api.model
    def _trend(self, filters, months=12):
        """The history: the last snapshot of each of the last ``months``
        months, oldest first. Only dates that have a snapshot are listed (a
        month without one is left out, never drawn as 0)."""
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
        if not last_dates:
            return []
        positions = {
            day: snapshot_position(values)
            for day, *values in snapshot._read_group(
                domain + [("date", "in", list(last_dates.values()))],
                ["date:day"],
                SNAPSHOT_SUMS,
            )
        }
        sales = {
            first_day: amount
            for (first_day, _last), (amount, _days) in zip(
                core.months_back(filters["date_to"], months),
                self._monthly_sales(filters["date_to"], filters, months),
                strict=True,
            )
        }
        trend = []
        for month, day in sorted(last_dates.items()):
            row = core.history_row(
                positions[day], sales.get(month, 0.0), (day - month).days + 1
            )
            trend.append(
                {
                    "month": fields.Date.to_string(month),
                    "snapshot_date": fields.Date.to_string(day),
                    "credit_sales": sales.get(month, 0.0),
                    **{key: _json(value) for key, value in row.items()},
                }
            )
        return trend
