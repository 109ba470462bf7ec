from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .cobranza_authority import check_finite

#: Number settings of the addon, parsed before they reach the database.
COBRANZA_NUMBER_SETTINGS = (
    "cobranza_plan_max_installments",
    "cobranza_plan_max_rate",
    "cobranza_plan_max_reduction",
    "cobranza_plan_tolerance_days",
    "cobranza_promise_grace_days",
    "cobranza_promise_max_days",
    "cobranza_plan_user_limit",
    "cobranza_uf_value",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    cobranza_policy_id = fields.Many2one(
        "cobranza.policy",
        string="Default follow-up policy",
        check_company=True,
        help="Customers without a policy of their own, and outside every "
        "segment, follow this policy.",
    )
    cobranza_plan_user_limit = fields.Monetary(
        string="Plan approval limit for users",
        currency_field="currency_id",
        help="A Collections user may approve a payment plan without a reduction "
        "when its amount is below this limit. 0: only managers approve.",
    )
    cobranza_plan_max_reduction = fields.Float(
        string="Maximum plan reduction (%)",
        digits=(5, 2),
        default=30.0,
        help="The largest reduction (quita) a payment plan may grant, as a "
        "percentage of the amount covered.",
    )
    cobranza_plan_tolerance_days = fields.Integer(
        string="Plan break tolerance (days)",
        default=5,
        help="A payment plan breaks when an installment is overdue by more "
        "than this many days.",
    )
    cobranza_plan_break_stage_id = fields.Many2one(
        "cobranza.stage",
        check_company=True,
        string="Stage on broken plan",
        help="The invoices of a broken plan move to this stage. Empty: they "
        "keep their stage and resume follow-up at their level.",
    )
    cobranza_promise_grace_days = fields.Integer(
        string="Promise grace period (days)",
        default=2,
        help="Follow-up of promised invoices pauses until the promise date plus "
        "this many days.",
    )
    cobranza_promise_break_stage_id = fields.Many2one(
        "cobranza.stage",
        check_company=True,
        string="Stage on broken promise",
        help="The invoices of a broken promise move to this stage.",
    )
    cobranza_plan_max_installments = fields.Integer(
        string="Maximum plan installments",
        default=120,
        help="The most installments a payment plan may have (1 to 120).",
    )
    cobranza_plan_max_rate = fields.Float(
        string="Maximum plan interest (% a year)",
        digits=(6, 2),
        default=50.0,
        help="The highest annual interest a payment plan may charge when no "
        "rule pack of the customer's jurisdiction gives a legal maximum.",
    )
    cobranza_promise_max_days = fields.Integer(
        string="Promise horizon (days)",
        default=60,
        help="A promise to pay is dated at most this many days ahead, and it "
        "pauses the follow-up of its invoices no longer than that.",
    )
    cobranza_actor_type = fields.Selection(
        [
            ("creditor", "Original creditor"),
            ("agency", "Collection agency"),
            ("buyer", "Debt buyer"),
        ],
        string="Collecting as",
        default="creditor",
        required=True,
        help="Many collection rules apply only to agencies or debt buyers.",
    )
    cobranza_creditor_sector = fields.Selection(
        [("financial", "Financial institution"), ("commercial", "Commercial")],
        string="Creditor sector",
        help="Some rules (MX, CO) apply only to financial creditors. Leave "
        "empty when unsure: those rules then apply.",
    )
    cobranza_uf_value = fields.Float(
        string="UF value",
        digits=(16, 2),
        help="Value of one Unidad de Fomento in company currency (Chile): the "
        "collection fee caps (CL-FEES) are set in UF.",
    )

    cobranza_charge_interest = fields.Boolean(
        string="Show statutory interest and compensation",
        help="Letters and emails show the late-payment interest and fixed "
        "compensation the law allows (EU/ES B2B: ECB rate + 8 points and "
        "EUR 40 per invoice; MX statutory rate).",
    )

    def write(self, vals):
        check_finite(self, vals, COBRANZA_NUMBER_SETTINGS)
        return super().write(vals)

    @api.constrains(
        "cobranza_plan_max_installments",
        "cobranza_plan_max_rate",
        "cobranza_plan_max_reduction",
        "cobranza_plan_tolerance_days",
        "cobranza_promise_grace_days",
        "cobranza_promise_max_days",
        "cobranza_plan_user_limit",
    )
    def _check_cobranza_limits(self):
        for company in self:
            bounds = (
                (company.cobranza_plan_max_installments, 1, 120, "installments"),
                (company.cobranza_plan_max_rate, 0, 1000, "rate"),
                (company.cobranza_plan_max_reduction, 0, 100, "reduction"),
                (company.cobranza_plan_tolerance_days, 0, 90, "tolerance"),
                (company.cobranza_promise_grace_days, 0, 30, "grace"),
                (company.cobranza_promise_max_days, 1, 365, "horizon"),
                (company.cobranza_plan_user_limit, 0, 1e12, "limit"),
            )
            for value, low, high, key in bounds:
                if not low <= value <= high:
                    shown = f"{high:,.0f}" if high > 10000 else high
                    raise ValidationError(
                        self.env._(
                            "%(setting)s must be between %(low)s and %(high)s.",
                            setting=company._cobranza_setting_label(key),
                            low=low,
                            high=shown,
                        )
                    )

    @api.constrains("cobranza_plan_break_stage_id", "cobranza_promise_break_stage_id")
    def _check_cobranza_stages_company(self):
        # res.company does not check its fields' companies on its own.
        self._check_company(
            ["cobranza_plan_break_stage_id", "cobranza_promise_break_stage_id"]
        )

    def _cobranza_promise_horizon(self):
        """Days ahead a promise may be dated (the setting, within 1..365)."""
        self.ensure_one()
        return min(max(self.cobranza_promise_max_days or 60, 1), 365)

    def _cobranza_setting_label(self, key):
        names = {
            "installments": "cobranza_plan_max_installments",
            "rate": "cobranza_plan_max_rate",
            "reduction": "cobranza_plan_max_reduction",
            "tolerance": "cobranza_plan_tolerance_days",
            "grace": "cobranza_promise_grace_days",
            "horizon": "cobranza_promise_max_days",
            "limit": "cobranza_plan_user_limit",
        }
        return self._fields[names[key]]._description_string(self.env)

    def _cobranza_unit_values(self):
        self.ensure_one()
        if not self.cobranza_uf_value:
            return {}
        factor = 10**self.currency_id.decimal_places
        return {"UF": round(self.cobranza_uf_value * factor)}
