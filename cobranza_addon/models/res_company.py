from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    cobranza_policy_id = fields.Many2one(
        "cobranza.policy",
        string="Default follow-up policy",
        check_company=True,
        help="Customers without a policy of their own, and outside every "
        "segment, follow this policy.",
    )
