from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    cobranza_bureau_report_count = fields.Integer(
        string="Credit-bureau reports",
        compute="_compute_cobranza_bureau_report_count",
    )

    def _compute_cobranza_bureau_report_count(self):
        counts = dict(
            self.env["cobranza.bureau.report"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.cobranza_bureau_report_count = counts.get(
                partner.commercial_partner_id, 0
            )

    def action_view_cobranza_bureau_reports(self):
        self.ensure_one()
        customer = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cobranza_addon.cobranza_bureau_report_action"
        )
        action["domain"] = [("partner_id", "=", customer.id)]
        action["context"] = {"default_partner_id": customer.id}
        return action
