"""The collection KPI dashboard: thin shell around ``cobranza_core.dashboard``.

Every figure comes from a handful of aggregated queries (``SQL()`` or
``_read_group``); every formula from the pure core.
"""

from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_date

from ..cobranza_core.aging import BUCKET_KEYS, CREDIT_KEY


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
            CREDIT_KEY: self.env._("Unapplied credits"),
        }
        return [(key, labels[key]) for key in (*BUCKET_KEYS, CREDIT_KEY)]

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
        """The rows behind a figure of the dashboard; they add up to it.

        ``drill`` may hold ``kind`` ("open", "overdue", "current", "sales"),
        ``bucket``, and any of ``collector_id``, ``stage_id``,
        ``segment_id``, ``partner_id`` (a row of an aging table; ``False``
        is the "(none)" row). Open amounts are listed as the open items of
        the aging report at the end of the period (residual in company
        currency, with the customer); sales as the invoices and credit notes
        of the period with their signed total.
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
        if drill.get("kind") == "sales":
            for dim in ("collector_id", "segment_id"):
                if drill.get(dim):
                    filters[dim] = drill[dim]
            return self._sales_action(filters)
        return self._open_items_action(filters, drill)

    @api.model
    def _open_items_domain(self, filters, drill):
        """Domain on ``cobranza.aging.report`` (at the period's end) of the
        open items behind a figure: the same rows as :meth:`_position_sql`."""
        domain = [("company_id", "in", filters["company_ids"])]
        for dim in ("collector_id", "segment_id"):
            if filters.get(dim):
                domain.append((dim, "=", filters[dim]))
        for dim in ("partner_id", "stage_id", "collector_id", "segment_id"):
            if dim in drill:
                domain.append((dim, "=", drill[dim] or False))
        kind = drill.get("kind", "open")
        if drill.get("bucket"):
            domain.append(("bucket", "=", drill["bucket"]))
        elif kind == "overdue":
            domain.append(("bucket", "in", list(BUCKET_KEYS[1:])))
        elif kind == "current":
            domain.append(("bucket", "=", "not_due"))
        return domain

    @api.model
    def _open_items_action(self, filters, drill):
        day = filters["date_to"]
        view = self.env.ref("cobranza_addon.cobranza_aging_report_view_list")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Open items on %(date)s", date=format_date(self.env, day)
            ),
            "res_model": "cobranza.aging.report",
            "views": [
                [view.id, "list"],
                [False, "pivot"],
            ],
            "domain": self._open_items_domain(filters, drill),
            "context": {
                "cobranza_aging_date": fields.Date.to_string(day),
                "create": False,
            },
        }

    @api.model
    def _sales_domain(self, filters):
        domain = [
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("state", "=", "posted"),
            ("company_id", "in", filters["company_ids"]),
            ("invoice_date", ">=", filters["date_from"]),
            ("invoice_date", "<=", filters["date_to"]),
        ]
        if filters.get("collector_id"):
            # credit notes have no collector of their own: the customer's
            collector = filters["collector_id"]
            domain += [
                "|",
                ("cobranza_collector_id", "=", collector),
                "&",
                ("cobranza_collector_id", "=", False),
                ("commercial_partner_id.cobranza_collector_id", "=", collector),
            ]
        if filters.get("segment_id"):
            domain.append(
                ("commercial_partner_id.industry_id", "=", filters["segment_id"])
            )
        return domain

    @api.model
    def _sales_action(self, filters):
        view = self.env.ref("cobranza_addon.cobranza_sales_drill_view_list")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit sales of the period"),
            "res_model": "account.move",
            "views": [[view.id, "list"], [False, "form"]],
            "domain": self._sales_domain(filters),
            "context": {"create": False},
        }

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
