from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cobranza_bureau_update_days = fields.Integer(
        related="company_id.cobranza_bureau_update_days", readonly=False
    )
