"""Bring databases installed before the shipped data had XML ids up to date.

Called from the data files in blocks that run on every update (the records
themselves are ``noupdate``): without them, an update would create the
standard policy's levels a second time, and the holidays would keep empty
names.
"""

from odoo import api, models

from ..cobranza_core import holidays as core_holidays

#: Offset (days) of each level of the standard policy -> its XML id.
STANDARD_LEVELS = {
    -3: "cobranza_level_standard_pre_due",
    5: "cobranza_level_standard_friendly",
    20: "cobranza_level_standard_firm",
    45: "cobranza_level_standard_formal_demand",
    90: "cobranza_level_standard_agency",
}


class CobranzaLevel(models.Model):
    _inherit = "cobranza.level"

    @api.model
    def _cobranza_bind_standard_levels(self):
        """Give the levels of the standard policy created without XML ids
        (before 18.0.1.0.0 shipped them) the ids of the data file."""
        policy = self.env.ref(
            "cobranza_addon.cobranza_policy_standard", raise_if_not_found=False
        )
        if not policy:
            return
        imd = self.env["ir.model.data"].sudo()
        taken = set(
            imd.search(
                [
                    ("module", "=", "cobranza_addon"),
                    ("name", "in", list(STANDARD_LEVELS.values())),
                ]
            ).mapped("name")
        )
        bound = imd.search(
            [("model", "=", "cobranza.level"), ("res_id", "in", policy.level_ids.ids)]
        ).mapped("res_id")
        vals = []
        for level in policy.sudo().level_ids:
            name = STANDARD_LEVELS.get(level.offset_days)
            if level.plan_reminder or not name or name in taken or level.id in bound:
                continue
            taken.add(name)
            vals.append(
                {
                    "module": "cobranza_addon",
                    "name": name,
                    "model": "cobranza.level",
                    "res_id": level.id,
                    "noupdate": True,
                }
            )
        imd.create(vals)


class CobranzaHoliday(models.Model):
    _inherit = "cobranza.holiday"

    @api.model
    def _cobranza_fill_holiday_names(self):
        """Name the shipped holidays that were loaded without a name."""
        nameless = self.sudo().search(["|", ("name", "=", False), ("name", "=", "")])
        names = {}
        for holiday in nameless:
            key = (holiday.jurisdiction, holiday.date.year)
            if key not in names:
                try:
                    names[key] = core_holidays.holiday_names(*key)
                except ValueError:
                    names[key] = {}
            name = names[key].get(holiday.date)
            if name:
                holiday.name = name
