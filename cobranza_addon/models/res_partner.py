from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    cobranza_policy_id = fields.Many2one(
        "cobranza.policy",
        string="Follow-up policy",
        company_dependent=True,
        help="Leave empty to use the segment policy or the company default.",
    )
    cobranza_collector_id = fields.Many2one(
        "res.users",
        string="Collector",
        company_dependent=True,
        help="The person responsible for collecting this customer's invoices.",
    )
    cobranza_mode = fields.Selection(
        [("auto", "Automatic"), ("manual", "Manual review")],
        string="Follow-up mode",
        company_dependent=True,
        help="Manual: every follow-up of this customer waits for a collector "
        "in the run preview.",
    )
    cobranza_channel = fields.Selection(
        [
            ("email", "Email"),
            ("letter", "Letter"),
            ("sms", "SMS"),
            ("call", "Phone call"),
        ],
        string="Preferred channel",
    )
    cobranza_total_due = fields.Monetary(
        string="Total due",
        compute="_compute_cobranza_totals",
        currency_field="cobranza_currency_id",
    )
    cobranza_total_overdue = fields.Monetary(
        string="Total overdue",
        compute="_compute_cobranza_totals",
        currency_field="cobranza_currency_id",
    )
    cobranza_next_action_date = fields.Date(
        string="Next follow-up", compute="_compute_cobranza_totals"
    )
    cobranza_currency_id = fields.Many2one(
        "res.currency", compute="_compute_cobranza_totals"
    )
    cobranza_action_count = fields.Integer(compute="_compute_cobranza_action_count")

    @api.depends_context("company")
    def _compute_cobranza_totals(self):
        company = self.env.company
        domain = [
            ("commercial_partner_id", "in", self.commercial_partner_id.ids),
            ("company_id", "=", company.id),
            ("cobranza_in_collection", "=", True),
        ]
        moves = self.env["account.move"]
        due = dict(
            (partner.id, (amount, next_date))
            for partner, amount, next_date in moves._read_group(
                domain,
                ["commercial_partner_id"],
                ["amount_residual_signed:sum", "cobranza_next_date:min"],
            )
        )
        overdue = dict(
            (partner.id, amount)
            for partner, amount in moves._read_group(
                domain + [("cobranza_days_overdue", ">", 0)],
                ["commercial_partner_id"],
                ["amount_residual_signed:sum"],
            )
        )
        for partner in self:
            key = partner.commercial_partner_id.id
            amount, next_date = due.get(key, (0.0, False))
            partner.cobranza_currency_id = company.currency_id
            partner.cobranza_total_due = amount
            partner.cobranza_total_overdue = overdue.get(key, 0.0)
            partner.cobranza_next_action_date = next_date

    def _compute_cobranza_action_count(self):
        counts = dict(
            self.env["cobranza.action"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.cobranza_action_count = counts.get(partner, 0)

    def action_view_cobranza_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cobranza_addon.cobranza_invoice_action"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        action["context"] = {}
        return action

    def action_view_cobranza_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cobranza_addon.cobranza_action_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {}
        return action
