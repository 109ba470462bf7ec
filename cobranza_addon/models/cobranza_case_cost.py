from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

#: Written only by ``cobranza.case.action_invoice_costs`` (as the system,
#: after it checked the manager).
INVOICE_FIELDS = frozenset({"move_id", "move_line_id"})


class CobranzaCaseCost(models.Model):
    """A cost of a case (court fees, a lawyer's bill, a bailiff).

    A chargeable cost is passed on to the customer once, on a customer
    invoice made by the case (``action_invoice_costs``); an invoiced cost is
    frozen: its invoice line is what the customer owes.
    """

    _name = "cobranza.case.cost"
    _description = "Collection Case Cost"
    _order = "date, id"

    case_id = fields.Many2one("cobranza.case", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    currency_id = fields.Many2one(related="case_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    name = fields.Char(string="Description", required=True)
    amount = fields.Monetary(required=True)
    chargeable = fields.Boolean(
        string="Chargeable to the customer",
        help="Only the costs the law lets you pass on (e.g. documented court "
        "costs). Check the fee rules of the customer's jurisdiction.",
    )
    documented = fields.Boolean(
        help="Backed by a receipt or a bill for real collection work, disclosed "
        "to the customer in advance. Some rules (AR-FEES, CO-SFC-FEES) let "
        "only such costs be charged.",
    )
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The customer invoice that charges this cost. Deleting that "
        "invoice makes the cost chargeable again.",
    )
    move_line_id = fields.Many2one(
        "account.move.line",
        string="Invoice line",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    fee_refusal = fields.Text(
        string="Not chargeable because",
        readonly=True,
        help="Why the fee rules of the customer's jurisdiction refused this "
        "cost the last time the case's costs were invoiced.",
    )

    def _check_invoice_authority(self, vals=None):
        """An invoiced cost, and the invoice link, change only through the
        case's invoicing, as the system. Any other caller, whatever its
        context, is refused."""
        if self.env.su:
            return
        touches_invoice = bool(INVOICE_FIELDS & set(vals or ()))
        if not (touches_invoice or self.filtered("move_id")):
            return
        if not self.env.user.has_group("cobranza_addon.cobranza_group_manager"):
            raise AccessError(
                self.env._("Only a Collections manager can change invoiced costs.")
            )
        raise UserError(
            self.env._(
                "An invoiced cost cannot change: correct its invoice instead "
                "(a credit note), or delete the draft invoice first."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.browse()._check_invoice_authority(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_invoice_authority(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        self._check_invoice_authority()
