"""The dashboard's delivery block: what the run's queue really delivered in
the period, by channel (delivered, failed, bounced, still queued), each
count opening the actions behind it."""

from datetime import datetime, time, timedelta

from odoo import api, models

from .cobranza_action_delivery import DELIVERY_CHANNELS

#: Outcomes shown, in this order (a retried delivery was replaced by another).
OUTCOMES = ("sent", "failed", "bounced", "queued")


class CobranzaKpiDashboard(models.AbstractModel):
    _inherit = "cobranza.kpi.dashboard"

    def _delivery_domain(self, filters):
        start = datetime.combine(filters["date_from"], time.min)
        end = datetime.combine(filters["date_to"] + timedelta(days=1), time.min)
        domain = [
            ("company_id", "in", filters["company_ids"]),
            ("create_date", ">=", start),
            ("create_date", "<", end),
        ]
        if filters.get("collector_id"):
            domain.append(("action_id.collector_id", "=", filters["collector_id"]))
        return domain

    def _delivery_outcomes(self, filters):
        """``[{channel, name, sent, failed, bounced, queued}]`` and totals."""
        counts = {
            (channel, state): count
            for channel, state, count in self.env[
                "cobranza.action.delivery"
            ]._read_group(
                self._delivery_domain(filters), ["channel", "state"], ["__count"]
            )
        }
        labels = dict(
            self.env["cobranza.action.delivery"]
            ._fields["channel"]
            ._description_selection(self.env)
        )
        rows = []
        for channel, _label in DELIVERY_CHANNELS:
            row = {state: counts.get((channel, state), 0) for state in OUTCOMES}
            if any(row.values()):
                rows.append({"channel": channel, "name": labels[channel], **row})
        total = {state: sum(row[state] for row in rows) for state in OUTCOMES}
        return {"rows": rows, "total": total}

    @api.model
    def get_dashboard_data(self, filters=None):
        data = super().get_dashboard_data(filters)
        data["delivery"] = self._delivery_outcomes(
            self._resolve_filters(dict(filters or {}))
        )
        return data

    @api.model
    def action_open_deliveries(self, filters=None, channel=None, state=None):
        """The actions whose delivery on ``channel`` had outcome ``state`` in
        the period: they add up to the dashboard's count."""
        filters = self._resolve_filters(dict(filters or {}))
        inner = self._delivery_domain(filters)
        if channel:
            inner.append(("channel", "=", channel))
        if state:
            inner.append(("state", "=", state))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Deliveries"),
            "res_model": "cobranza.action",
            "views": [(False, "list"), (False, "form")],
            "domain": [("delivery_ids", "any", inner)],
            "context": {"create": False},
        }
