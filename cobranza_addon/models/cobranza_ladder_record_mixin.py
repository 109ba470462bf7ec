"""What the records of the legal ladder share: certified letters, credit-bureau
reports and collection cases are about one customer (the company) and some of
its posted invoices, in one company, and each is named by its own sequence;
their buttons check a role first, as superuser or as a member of a group."""

from odoo import api, fields, models
from odoo.exceptions import AccessError


class CobranzaLadderRecordMixin(models.AbstractModel):
    """A customer's invoices taken a step up the legal ladder.

    The model using it sets the relation table of ``invoice_ids`` and may add
    attributes to the fields (``check_company``, ``index``, ``string``). Its
    ``ir.sequence`` code is its ``_name``.
    """

    _name = "cobranza.ladder.record.mixin"
    _description = "Legal-ladder record (customer, invoices, roles)"
    _inherit = ["mail.thread"]

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        tracking=True,
        domain=[("parent_id", "=", False)],
    )
    invoice_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        required=True,
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), "
        "('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    @api.model
    def _cobranza_name_from_sequence(self, vals_list):
        """Name each new record left without one from the model's sequence."""
        new = self.env._("New")
        for vals in vals_list:
            if vals.get("name", new) == new:
                vals["name"] = (
                    self.env["ir.sequence"].sudo().next_by_code(self._name) or new
                )

    def _cobranza_open_amount(self):
        """What the invoices still owe, in company currency."""
        self.ensure_one()
        return sum(self.invoice_ids.mapped("amount_residual_signed"))

    def _cobranza_has_role(self, group):
        """Superuser, or a member of ``group`` (an XML id)."""
        return self.env.su or self.env.user.has_group(group)

    def _cobranza_check_role(self, group, message):
        """Refuse with ``message`` (translated) unless ``_cobranza_has_role``."""
        if not self._cobranza_has_role(group):
            raise AccessError(message)
