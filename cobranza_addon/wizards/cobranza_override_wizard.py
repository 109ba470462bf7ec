from odoo import api, fields, models


class CobranzaOverrideWizard(models.TransientModel):
    _name = "cobranza.override.wizard"
    _description = "Override a Warn-level Compliance Rule"

    action_id = fields.Many2one("cobranza.action", required=True, ondelete="cascade")
    rule_codes = fields.Char(
        string="Rules to override",
        required=True,
        help="Warn-level rule ids, comma-separated. Block-level rules cannot "
        "be overridden.",
    )
    justification = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        action = self.env["cobranza.action"].browse(res.get("action_id"))
        if action and "rule_codes" in fields_list and action.compliance_rules:
            warn = self.env["cobranza.rule"].search_fetch(
                [
                    ("rule_code", "in", action.compliance_rules.split(",")),
                    ("severity", "=", "warn"),
                ],
                ["rule_code"],
            )
            res["rule_codes"] = ",".join(sorted(set(warn.mapped("rule_code"))))
        return res

    def action_confirm(self):
        self.ensure_one()
        self.action_id.action_override(self.rule_codes.split(","), self.justification)
        return {"type": "ir.actions.act_window_close"}
