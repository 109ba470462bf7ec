from odoo import api, fields, models


class CobranzaRulePack(models.Model):
    """A jurisdiction's collection rules, switchable per company."""

    _name = "cobranza.rule.pack"
    _description = "Compliance Rule Pack"
    _order = "sequence, jurisdiction, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    jurisdiction = fields.Char(
        required=True,
        help="ISO country code (MX, CO, ES...) or EU. A rule of a country also "
        "applies to its subdivisions (US applies to US-MA); EU rules apply to "
        "every member state.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Empty for the shipped packs. A company's own pack is only used "
        "by that company.",
    )
    disabled_company_ids = fields.Many2many(
        "res.company",
        "cobranza_rule_pack_disabled_company_rel",
        "pack_id",
        "company_id",
        string="Switched off for",
        help="Companies that do not apply this pack.",
    )
    enabled = fields.Boolean(
        string="On for this company",
        compute="_compute_enabled",
    )
    rule_ids = fields.One2many("cobranza.rule", "pack_id", string="Rules")
    rule_count = fields.Integer(compute="_compute_rule_count")

    @api.depends("disabled_company_ids")
    @api.depends_context("company")
    def _compute_enabled(self):
        for pack in self:
            pack.enabled = self.env.company not in pack.disabled_company_ids

    def _compute_rule_count(self):
        counts = dict(
            self.env["cobranza.rule"]._read_group(
                [("pack_id", "in", self.ids)], ["pack_id"], ["__count"]
            )
        )
        for pack in self:
            pack.rule_count = counts.get(pack, 0)

    @api.depends("name", "jurisdiction")
    def _compute_display_name(self):
        for pack in self:
            pack.display_name = f"[{pack.jurisdiction or ''}] {pack.name or ''}"

    def action_switch_on(self):
        self.check_access("write")
        self.write(
            {"disabled_company_ids": [fields.Command.unlink(self.env.company.id)]}
        )

    def action_switch_off(self):
        self.check_access("write")
        self.write({"disabled_company_ids": [fields.Command.link(self.env.company.id)]})
