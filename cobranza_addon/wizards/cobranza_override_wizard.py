from odoo import api, fields, models


class CobranzaAction(models.Model):
    _inherit = "cobranza.action"

    cobranza_overridable_rule_ids = fields.Many2many(
        "cobranza.rule",
        string="Warn rules that stopped it",
        compute="_compute_cobranza_overridable_rule_ids",
        help="The warn-level rules among those that deferred or blocked this "
        "action: a manager may override them. Block-level rules never.",
    )

    @api.depends("compliance_rules", "state")
    def _compute_cobranza_overridable_rule_ids(self):
        codes = {
            code
            for action in self
            for code in (action.compliance_rules or "").split(",")
            if code
        }
        # one rule per id (a rule id may have several kinds, e.g. CO-MKT);
        # an id with any block-level kind cannot be overridden at all
        by_code = {}
        blocking = set()
        for rule in (
            self.env["cobranza.rule"]
            .sudo()
            .search([("rule_code", "in", sorted(codes))], order="id")
        ):
            if rule.severity == "block":
                blocking.add(rule.rule_code)
            by_code.setdefault(rule.rule_code, rule)
        for action in self:
            rules = self.env["cobranza.rule"]
            if action.state in ("proposed", "deferred", "blocked"):
                for code in (action.compliance_rules or "").split(","):
                    if code in by_code and code not in blocking:
                        rules |= by_code[code]
            action.cobranza_overridable_rule_ids = rules


class CobranzaOverrideWizard(models.TransientModel):
    _name = "cobranza.override.wizard"
    _description = "Override a Warn-level Compliance Rule"

    action_id = fields.Many2one("cobranza.action", required=True, ondelete="cascade")
    allowed_rule_ids = fields.Many2many(
        related="action_id.cobranza_overridable_rule_ids"
    )
    rule_ids = fields.Many2many(
        "cobranza.rule",
        string="Rules to override",
        domain="[('id', 'in', allowed_rule_ids)]",
        help="Only the warn-level rules that stopped this action. Block-level "
        "rules cannot be overridden.",
    )
    justification = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        action = self.env["cobranza.action"].browse(res.get("action_id"))
        if action and "rule_ids" in fields_list:
            rules = action.cobranza_overridable_rule_ids
            if len(rules) == 1:
                res["rule_ids"] = [fields.Command.set(rules.ids)]
        return res

    def action_confirm(self):
        self.ensure_one()
        allowed = self.action_id.cobranza_overridable_rule_ids
        # the model checks again (role, severity): this only narrows the choice
        codes = (self.rule_ids & allowed).mapped("rule_code")
        self.action_id.action_override(codes, self.justification)
        return {"type": "ir.actions.act_window_close"}
