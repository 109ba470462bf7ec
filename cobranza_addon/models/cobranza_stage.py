from odoo import api, fields, models
from odoo.exceptions import UserError


class CobranzaStage(models.Model):
    _name = "cobranza.stage"
    _description = "Collection Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    code = fields.Selection(
        [
            ("current", "Current"),
            ("pre_due", "Pre-due reminder"),
            ("administrative", "Administrative"),
            ("extrajudicial", "Extrajudicial"),
            ("judicial", "Judicial"),
            ("agency", "Agency"),
            ("written_off", "Written off"),
            ("other", "Other"),
        ],
        default="other",
        required=True,
        help="What the stage means to the process. The follow-up run puts new "
        "invoices in the first 'Current' stage.",
    )
    fold = fields.Boolean(
        string="Folded in Kanban",
        help="Folded stages are collapsed in the collection kanban.",
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to share the stage between companies.",
    )
    invoice_count = fields.Integer(compute="_compute_invoice_count")

    def _compute_invoice_count(self):
        counts = dict(
            self.env["account.move"]._read_group(
                [("cobranza_stage_id", "in", self.ids)],
                ["cobranza_stage_id"],
                ["__count"],
            )
        )
        for stage in self:
            stage.invoice_count = counts.get(stage, 0)

    @api.model
    def _default_stage(self, company=None):
        """The stage new invoices enter collection in."""
        company = company or self.env.company
        domain = [("company_id", "in", [False, company.id])]
        return self.search(domain + [("code", "=", "current")], limit=1) or self.search(
            domain, limit=1
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        if self.env["account.move"].search_count(
            [("cobranza_stage_id", "in", self.ids)], limit=1
        ):
            raise UserError(
                self.env._(
                    "A stage that holds invoices cannot be deleted; "
                    "archive it or move its invoices first."
                )
            )
