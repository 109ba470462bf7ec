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
        string="Stage on broken promise",
        help="The invoices of a broken promise move to this stage.",
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

    def _cobranza_unit_values(self):
        self.ensure_one()
        if not self.cobranza_uf_value:
            return {}
        factor = 10**self.currency_id.decimal_places
        return {"UF": round(self.cobranza_uf_value * factor)}
