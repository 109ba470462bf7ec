from odoo import api, fields, models
from odoo.exceptions import UserError


class CobranzaOverrideWizard(models.TransientModel):
    _name = "cobranza.override.wizard"
    _description = "Override a Warn-level Compliance Rule"

    action_id = fields.Many2one("cobranza.action", ondelete="cascade")
    contact_id = fields.Many2one(
        "cobranza.contact",
        string="Held message",
        ondelete="cascade",
        help="A chatter message to a debtor the rules held back.",
    )
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
        source = self.env["cobranza.action"].browse(res.get("action_id"))
        codes = source.compliance_rules if source else False
        if not source and res.get("contact_id"):
            codes = self.env["cobranza.contact"].browse(res["contact_id"]).rule_ids_text
        if codes and "rule_codes" in fields_list:
            warn = self.env["cobranza.rule"].search_fetch(
                [("rule_code", "in", codes.split(",")), ("severity", "=", "warn")],
                ["rule_code"],
            )
            res["rule_codes"] = ",".join(sorted(set(warn.mapped("rule_code"))))
        return res

    def action_confirm(self):
        self.ensure_one()
        target = self.action_id or self.contact_id
        if not target:
            raise UserError(self.env._("Nothing to override."))
        target.action_override(self.rule_codes.split(","), self.justification)
        return {"type": "ir.actions.act_window_close"}
