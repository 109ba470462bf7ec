from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cobranza_policy_id = fields.Many2one(
        related="company_id.cobranza_policy_id",
        readonly=False,
        domain="[('company_id', '=', company_id)]",
    )
