from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..cobranza_core import cases

STATE_SELECTION = [
    ("open", "Open"),
    ("in_court", "In court"),
    ("settled", "Settled"),
    ("won", "Won"),
    ("lost", "Lost"),
    ("written_off", "Written off"),
]
TYPE_STAGE = {
    "agency": "cobranza_addon.cobranza_stage_agency",
    "lawyer": "cobranza_addon.cobranza_stage_judicial",
    "court": "cobranza_addon.cobranza_stage_judicial",
}


class CobranzaCase(models.Model):
    """A customer's invoices handed over to an agency, a lawyer or a court.

    While the case is open (open, in court) the run sends no reminders for
    its invoices and their stage follows the case. Payments reconciled on
    them after the handoff are the recovered amount the agency's commission
    is computed on. Not legal advice.
    """

    _name = "cobranza.case"
    _description = "Collection Case (agency or legal)"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_open desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Case", required=True, default=lambda self: self.env._("New"), copy=False
    )
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
        "cobranza_case_invoice_rel",
        "case_id",
        "move_id",
        string="Invoices handed over",
        required=True,
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), "
        "('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
    )
    case_type = fields.Selection(
        [("agency", "Collection agency"), ("lawyer", "Lawyer"), ("court", "Court")],
        string="Type",
        required=True,
        default="agency",
        tracking=True,
    )
    party_id = fields.Many2one(
        "res.partner", string="Agency / lawyer", required=True, tracking=True
    )
    case_number = fields.Char(tracking=True)
    court = fields.Char(tracking=True)
    commission_percent = fields.Float(
        string="Commission (%)", digits=(5, 2), tracking=True
    )
    fee_agreement = fields.Text(help="Fixed fees, success fees, other terms.")
    state = fields.Selection(
        STATE_SELECTION, default="open", required=True, tracking=True, index=True
    )
    date_open = fields.Date(
        string="Handed over on",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    date_closed = fields.Date(readonly=True, tracking=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_handed_over = fields.Monetary(
        readonly=True, help="Open amount of the invoices when the case was opened."
    )
    amount_open = fields.Monetary(compute="_compute_amounts", store=True)
    amount_recovered = fields.Monetary(
        compute="_compute_amounts",
        store=True,
        help="Payments reconciled on the invoices since the handoff.",
    )
    commission_amount = fields.Monetary(compute="_compute_amounts", store=True)
    cost_ids = fields.One2many("cobranza.case.cost", "case_id", string="Costs")
    cost_total = fields.Monetary(compute="_compute_cost_total")

    @api.depends(
        "invoice_ids.amount_residual", "date_open", "commission_percent", "state"
    )
    def _compute_amounts(self):
        payments = self._reconciled_payments()
        for case in self:
            case.amount_open = sum(case.invoice_ids.mapped("amount_residual"))
            recovered = cases.recovered_since(
                payments.get(case.id, ()), case.date_open or fields.Date.today()
            )
            case.amount_recovered = float(recovered)
            case.commission_amount = float(
                cases.commission(
                    recovered, Decimal(str(case.commission_percent or 0.0))
                )
            )

    @api.depends("cost_ids.amount")
    def _compute_cost_total(self):
        for case in self:
            case.cost_total = sum(case.cost_ids.mapped("amount"))

    def _reconciled_payments(self):
        """``{case_id: [(date, amount)]}``: partial reconciliations on the
        receivable lines of the cases' invoices (one query)."""
        cases_ = self.filtered("id")
        if not cases_:
            return {}
        self.env["account.partial.reconcile"].flush_model()
        self.env["account.move.line"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT rel.case_id, p.max_date, p.amount
                  FROM cobranza_case_invoice_rel rel
                  JOIN account_move_line l ON l.move_id = rel.move_id
                  JOIN account_account a ON a.id = l.account_id
                  JOIN account_partial_reconcile p ON p.debit_move_id = l.id
                 WHERE rel.case_id IN %s
                   AND a.account_type = 'asset_receivable'
                """,
                tuple(cases_.ids),
            )
        )
        out = {}
        for case_id, day, amount in rows:
            out.setdefault(case_id, []).append((day, Decimal(str(amount))))
        return out

    @api.constrains("commission_percent")
    def _check_commission(self):
        for case in self:
            if not 0 <= case.commission_percent <= 100:
                raise ValidationError(
                    self.env._("The commission must be between 0 and 100 %.")
                )

    @api.constrains("invoice_ids", "partner_id")
    def _check_invoices(self):
        for case in self:
            wrong = case.invoice_ids.filtered(
                lambda m, c=case: m.commercial_partner_id != c.partner_id
                or m.move_type != "out_invoice"
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "Only customer invoices of %(partner)s can be handed over: "
                        "%(invoices)s.",
                        partner=case.partner_id.display_name,
                        invoices=", ".join(wrong.mapped("display_name")),
                    )
                )

    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(
            "cobranza_addon.cobranza_group_manager"
        ):
            raise AccessError(
                self.env._("Only collection managers can open or change cases.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_manager()
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "cobranza.case"
                ) or self.env._("New")
        records = super().create(vals_list)
        for case in records:
            case.amount_handed_over = sum(case.invoice_ids.mapped("amount_residual"))
        records._sync_invoice_stage()
        return records

    def write(self, vals):
        self._check_manager()
        res = super().write(vals)
        if {"invoice_ids", "case_type", "state"} & set(vals):
            self._sync_invoice_stage()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_only_open_without_payments(self):
        self._check_manager()
        if any(case.amount_recovered for case in self):
            raise UserError(
                self.env._("A case with recovered payments cannot be deleted.")
            )

    def _sync_invoice_stage(self):
        """The stage follows the case: agency or judicial while it is open
        (judicial once in court), written off when the case is lost or
        written off."""
        written_off = self.env.ref("cobranza_addon.cobranza_stage_written_off")
        for case in self:
            if case.state == "in_court":
                stage = self.env.ref("cobranza_addon.cobranza_stage_judicial")
            elif case.state in cases.OPEN_STATES:
                stage = self.env.ref(TYPE_STAGE[case.case_type])
            elif case.state in ("written_off", "lost"):
                stage = written_off
            else:
                continue
            # the case moves them, not a person: not a manual escalation
            case.invoice_ids.sudo()._cobranza_run_write({"cobranza_stage_id": stage.id})

    def _set_state(self, state):
        self._check_manager()
        vals = {"state": state}
        if state not in cases.OPEN_STATES:
            vals["date_closed"] = fields.Date.context_today(self)
        else:
            vals["date_closed"] = False
        self.write(vals)

    def action_in_court(self):
        self._set_state("in_court")

    def action_settled(self):
        self._set_state("settled")

    def action_won(self):
        self._set_state("won")

    def action_lost(self):
        self._set_state("lost")

    def action_write_off(self):
        self._set_state("written_off")

    def action_reopen(self):
        self._set_state("open")

    @api.model
    def _cobranza_case_blocked_invoice_ids(self, company):
        """Invoices held by an open case: the run sends them no reminders."""
        open_cases = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("state", "in", sorted(cases.OPEN_STATES)),
            ]
        )
        return set(open_cases.invoice_ids.ids)


class CobranzaCaseCost(models.Model):
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
