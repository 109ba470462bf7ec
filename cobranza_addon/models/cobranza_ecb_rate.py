from decimal import Decimal

from odoo import api, fields, models


class CobranzaEcbRate(models.Model):
    """ECB main refinancing rate, from each decision's effective date."""

    _name = "cobranza.ecb.rate"
    _description = "ECB Reference Rate"
    _order = "date_from desc"
    _rec_name = "date_from"

    date_from = fields.Date(string="In force from", required=True)
    rate = fields.Float(string="Rate (%)", digits=(6, 4), required=True)

    _sql_constraints = [
        ("date_uniq", "UNIQUE(date_from)", "A rate already starts on that date.")
    ]

    @api.model
    def _series(self):
        """``[(date_from, Decimal fraction)]`` for ``interest.statutory_rate``."""
        rows = self.sudo().search_fetch([], ["date_from", "rate"], order="date_from")
        return [(row.date_from, Decimal(str(row.rate)) / 100) for row in rows]
