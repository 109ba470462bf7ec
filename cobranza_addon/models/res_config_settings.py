from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cobranza_policy_id = fields.Many2one(
        related="company_id.cobranza_policy_id",
        readonly=False,
        domain="[('company_id', '=', company_id)]",
    )
    cobranza_plan_user_limit = fields.Monetary(
        related="company_id.cobranza_plan_user_limit",
        readonly=False,
        currency_field="currency_id",
    )
    cobranza_plan_max_reduction = fields.Float(
        related="company_id.cobranza_plan_max_reduction", readonly=False
    )
    cobranza_plan_tolerance_days = fields.Integer(
        related="company_id.cobranza_plan_tolerance_days", readonly=False
    )
    cobranza_plan_break_stage_id = fields.Many2one(
        related="company_id.cobranza_plan_break_stage_id", readonly=False
    )
    cobranza_promise_grace_days = fields.Integer(
        related="company_id.cobranza_promise_grace_days", readonly=False
    )
    cobranza_promise_break_stage_id = fields.Many2one(
        related="company_id.cobranza_promise_break_stage_id", readonly=False
    )
    # the compliance profile of the company (also on the company form)
    cobranza_actor_type = fields.Selection(
        related="company_id.cobranza_actor_type", readonly=False
    )
    cobranza_creditor_sector = fields.Selection(
        related="company_id.cobranza_creditor_sector", readonly=False
    )
    cobranza_uf_value = fields.Float(
        related="company_id.cobranza_uf_value", readonly=False
    )
    cobranza_charge_interest = fields.Boolean(
        related="company_id.cobranza_charge_interest", readonly=False
    )
    cobranza_plan_max_installments = fields.Integer(
        related="company_id.cobranza_plan_max_installments", readonly=False
    )
    cobranza_plan_max_rate = fields.Float(
        related="company_id.cobranza_plan_max_rate", readonly=False
    )
    cobranza_promise_max_days = fields.Integer(
        related="company_id.cobranza_promise_max_days", readonly=False
    )
