from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.payment import utils as payment_utils

from .cobranza_authority import PLAN_SAVING, check_dates, check_finite, is_granted
from .cobranza_payment_plan import (
    EDITABLE_STATES,
    LINE_TRACKING_FIELDS,
    _amount,
    _cents,
)

LINE_NUMBERS = ("principal_amount", "interest_amount")


class CobranzaPaymentPlanLine(models.Model):
    _name = "cobranza.payment.plan.line"
    _description = "Payment Plan Installment"
    _order = "plan_id, due_date, sequence, id"

    plan_id = fields.Many2one(
        "cobranza.payment.plan", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(string="No.", help="0 is the down payment.", default=1)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    partner_id = fields.Many2one(related="plan_id.partner_id", store=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    plan_state = fields.Selection(related="plan_id.state", string="Plan status")
    due_date = fields.Date(required=True)
    principal_amount = fields.Monetary(string="Principal", required=True)
    interest_amount = fields.Monetary(string="Interest")
    amount = fields.Monetary(compute="_compute_amount", store=True)
    amount_paid = fields.Monetary(
        string="Paid",
        readonly=True,
        copy=False,
        help="Allocated from the payments reconciled with the covered invoices, "
        "oldest installment first.",
    )
    amount_residual = fields.Monetary(
        string="Left to pay", compute="_compute_amount", store=True
    )
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("due", "Due today"),
            ("partial", "Partially paid"),
            ("overdue", "Overdue"),
            ("paid", "Paid"),
        ],
        default="pending",
        required=True,
        readonly=True,
        copy=False,
    )
    reminder_pre_sent = fields.Boolean(readonly=True, copy=False)
    reminder_overdue_sent = fields.Boolean(readonly=True, copy=False)

    @api.depends("principal_amount", "interest_amount", "amount_paid")
    def _compute_amount(self):
        for line in self:
            total = _cents(line.principal_amount) + _cents(line.interest_amount)
            line.amount = _amount(total)
            line.amount_residual = _amount(max(total - _cents(line.amount_paid), 0))

    @api.depends("sequence", "due_date")
    def _compute_display_name(self):
        for line in self:
            if line.sequence == 0:
                line.display_name = self.env._("Down payment")
            else:
                line.display_name = self.env._(
                    "Installment %(number)s", number=line.sequence
                )

    def _check_editable(self, vals=None):
        """Installments change with their draft plan only; what was paid comes
        from the reconciled payments (system code writes it as superuser)."""
        if self.env.su:
            return
        plans_ = self.plan_id
        if vals and vals.get("plan_id"):
            plans_ |= self.env["cobranza.payment.plan"].browse(vals["plan_id"])
        locked = plans_.filtered(lambda p: p.state not in EDITABLE_STATES)
        if locked:
            raise UserError(
                self.env._(
                    "The installments of %(plans)s cannot change any more. Cancel "
                    "the plan and make a new one.",
                    plans=", ".join(locked.mapped("display_name")),
                )
            )
        if vals and set(vals) & LINE_TRACKING_FIELDS:
            raise AccessError(
                self.env._(
                    "What an installment has been paid comes from the reconciled "
                    "payments: it cannot be typed."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_finite(self, vals, LINE_NUMBERS, positive=LINE_NUMBERS)
            check_dates(self, vals, ("due_date",))
            self.browse()._check_editable(vals)
        lines = super().create(vals_list)
        lines._check_editable()
        if not is_granted(PLAN_SAVING):
            lines.plan_id._check_lines()
        return lines

    def write(self, vals):
        check_finite(self, vals, LINE_NUMBERS, positive=LINE_NUMBERS)
        check_dates(self, vals, ("due_date",))
        self._check_editable(vals)
        result = super().write(vals)
        if not is_granted(PLAN_SAVING) and (set(vals) - LINE_TRACKING_FIELDS):
            self.plan_id._check_lines()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if self.env.su:
            return
        if any(line.plan_id.state not in EDITABLE_STATES for line in self):
            raise UserError(
                self.env._("The installments of an approved plan cannot be deleted.")
            )

    @api.model
    def _payment_link(self, invoice, amount):
        """The portal payment link of ``invoice`` for ``amount``."""
        token = payment_utils.generate_access_token(invoice.id, amount)
        query = (
            f"&amount={amount}&payment_token={token}&payment=True"
            f"&move_id={invoice.id}"
        )
        return invoice.get_portal_url(query_string=query, anchor="portal_pay")
