from odoo import api, fields, models


class CobranzaHoliday(models.Model):
    """A public holiday: contact windows are closed on it where a rule says so."""

    _name = "cobranza.holiday"
    _description = "Public Holiday"
    _order = "date, jurisdiction"

    jurisdiction = fields.Char(required=True, index=True, help="Country code or EU.")
    date = fields.Date(required=True, index=True)
    name = fields.Char(translate=True)

    _sql_constraints = [
        (
            "date_uniq",
            "UNIQUE(jurisdiction, date)",
            "This holiday already exists.",
        )
    ]

    @api.model
    def _holidays_by_jurisdiction(self, jurisdictions):
        """``{code: frozenset(dates)}`` for the countries of ``jurisdictions``."""
        countries = {(code or "").split("-")[0] for code in jurisdictions if code}
        result = {code: set() for code in countries}
        rows = self.sudo().search_fetch(
            [("jurisdiction", "in", sorted(countries))], ["jurisdiction", "date"]
        )
        for row in rows:
            result[row.jurisdiction].add(row.date)
        return {code: frozenset(days) for code, days in result.items()}
