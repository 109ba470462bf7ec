from odoo import api, fields, models
from odoo.exceptions import UserError


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

    action_id = fields.Many2one("cobranza.action", ondelete="cascade")
    contact_id = fields.Many2one(
        "cobranza.contact",
        string="Held message",
        ondelete="cascade",
        help="A chatter message to a debtor the rules held back.",
    )
    allowed_rule_ids = fields.Many2many(
        "cobranza.rule",
        compute="_compute_allowed_rule_ids",
        string="Warn rules that stopped it",
    )
    rule_ids = fields.Many2many(
        "cobranza.rule",
        string="Rules to override",
        domain="[('id', 'in', allowed_rule_ids)]",
        help="Only the warn-level rules that stopped this action or message. "
        "Block-level rules cannot be overridden.",
    )
    rule_codes = fields.Char(compute="_compute_rule_codes")
    justification = fields.Text(required=True)

    @api.depends("action_id", "contact_id")
    def _compute_allowed_rule_ids(self):
        for wizard in self:
            if wizard.action_id:
                wizard.allowed_rule_ids = wizard.action_id.cobranza_overridable_rule_ids
            else:
                wizard.allowed_rule_ids = wizard._warn_rules(
                    wizard.contact_id.rule_ids_text
                )

    @api.depends("rule_ids")
    def _compute_rule_codes(self):
        for wizard in self:
            wizard.rule_codes = ",".join(
                sorted(set(wizard.rule_ids.mapped("rule_code")))
            )

    def _warn_rules(self, codes_text):
        """One rule per id among ``codes_text``; ids with a block kind never."""
        codes = [code for code in (codes_text or "").split(",") if code]
        rules = (
            self.env["cobranza.rule"]
            .sudo()
            .search([("rule_code", "in", codes)], order="id")
        )
        blocking = set(
            rules.filtered(lambda r: r.severity == "block").mapped("rule_code")
        )
        by_code = {}
        for rule in rules:
            if rule.rule_code not in blocking:
                by_code.setdefault(rule.rule_code, rule)
        return self.env["cobranza.rule"].union(*by_code.values())

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if "rule_ids" not in fields_list:
            return res
        action = self.env["cobranza.action"].browse(res.get("action_id"))
        if action:
            rules = action.cobranza_overridable_rule_ids
        elif res.get("contact_id"):
            contact = self.env["cobranza.contact"].browse(res["contact_id"])
            rules = self._warn_rules(contact.rule_ids_text)
        else:
            rules = self.env["cobranza.rule"]
        if len(rules) == 1:
            res["rule_ids"] = [fields.Command.set(rules.ids)]
        return res

    def action_confirm(self):
        self.ensure_one()
        target = self.action_id or self.contact_id
        if not target:
            raise UserError(self.env._("Nothing to override."))
        # the model checks again (role, severity): this only narrows the choice
        codes = (self.rule_ids & self.allowed_rule_ids).mapped("rule_code")
        target.action_override(codes, self.justification)
        return {"type": "ir.actions.act_window_close"}
