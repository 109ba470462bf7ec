from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..cobranza_core.bureau import DEFAULT_UPDATE_DAYS

#: A deadline longer than a year is surely a typing error.
MAX_UPDATE_DAYS = 365


class ResCompany(models.Model):
    _inherit = "res.company"

    cobranza_bureau_update_days = fields.Integer(
        string="Credit-bureau update deadline (days)",
        default=DEFAULT_UPDATE_DAYS,
        help="Company policy, not law: once the reported invoices are paid, "
        "update or withdraw the credit-bureau report within this many days. "
        "The shipped rule notes give no legal deadline.",
    )

    @api.constrains("cobranza_bureau_update_days")
    def _check_cobranza_bureau_update_days(self):
        for company in self:
            if not 0 <= company.cobranza_bureau_update_days <= MAX_UPDATE_DAYS:
                raise ValidationError(
                    self.env._(
                        "The credit-bureau update deadline must be between 0 and "
                        "%(max)s days.",
                        max=MAX_UPDATE_DAYS,
                    )
                )
