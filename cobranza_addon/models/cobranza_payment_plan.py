from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tools import formatLang

from ..cobranza_core import installments, money
from .cobranza_authority import (
    PLAN_SAVING,
    check_dates,
    check_finite,
    granted,
    is_granted,
)

#: Fields that define what the customer owes: read-only once approved.
PLAN_TERMS = {
    "partner_id",
    "invoice_ids",
    "currency_id",
    "company_id",
    "down_payment",
    "reduction_type",
    "reduction_percent",
    "reduction_fixed",
    "annual_rate",
    "installment_count",
    "frequency",
    "first_date",
    "date_start",
    "line_ids",
}
#: Fields of the schedule: changing one regenerates the lines of a draft.
SCHEDULE_PARAMS = {
    "invoice_ids",
    "down_payment",
    "reduction_type",
    "reduction_percent",
    "reduction_fixed",
    "annual_rate",
    "installment_count",
    "frequency",
    "first_date",
}
EDITABLE_STATES = ("draft", "to_approve")
#: Line fields the system writes from the allocation, whatever the state.
LINE_TRACKING_FIELDS = {
    "amount_paid",
    "state",
    "reminder_pre_sent",
    "reminder_overdue_sent",
}
#: Fields only the plan's own methods write: transitions and payment tracking.
PLAN_PRIVILEGED = {
    "state",
    "approved_by_id",
    "approved_date",
    "closed_date",
    "pause_until",
    "in_arrears",
    "date_start",
}
#: Numbers a client may type: finite (the count is bounded by the checks).
PLAN_NUMBERS = (
    "down_payment",
    "reduction_percent",
    "reduction_fixed",
    "annual_rate",
    "installment_count",
)
#: ... and not negative.
PLAN_POSITIVE = PLAN_NUMBERS[:-1]
# Installment reminders are follow-up actions (cobranza.action with a
# plan_line_id) proposed and sent by the follow-up run: see
# cobranza.run._prepare_plan_reminder_vals.


def _cents(amount):
    return money.to_cents(amount or 0)


def _amount(cents):
    return float(money.from_cents(cents))


class CobranzaPaymentPlan(models.Model):
    _name = "cobranza.payment.plan"
    _description = "Payment Plan"
    _inherit = [
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "cobranza.checked.message.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", readonly=True, copy=False, default="/", index="trigram"
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        readonly=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        tracking=True,
        index=True,
        domain="[('parent_id', '=', False)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Collector",
        default=lambda self: self.env.user,
        tracking=True,
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    invoice_ids = fields.Many2many(
        "account.move",
        "cobranza_payment_plan_account_move_rel",
        "plan_id",
        "move_id",
        string="Invoices",
        check_company=True,
        copy=False,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),"
        " ('cobranza_in_collection', '=', True),"
        " ('commercial_partner_id', '=', partner_id),"
        " ('currency_id', '=', currency_id)]",
    )
    amount_covered = fields.Monetary(
        compute="_compute_amount_covered",
        store=True,
        help="What is left to pay on the covered invoices when they were added "
        "to the plan.",
    )
    down_payment = fields.Monetary(tracking=True)
    reduction_type = fields.Selection(
        [
            ("none", "No reduction"),
            ("amount", "Fixed amount"),
            ("percent", "Percentage"),
        ],
        string="Reduction",
        default="none",
        required=True,
        help="A reduction of the debt (quita): it needs a Collections manager "
        "to approve the plan.",
    )
    reduction_percent = fields.Float(string="Reduction (%)", digits=(5, 2))
    reduction_fixed = fields.Monetary(string="Reduction amount")
    reduction_amount = fields.Monetary(
        string="Reduction granted",
        compute="_compute_reduction_amount",
        store=True,
        tracking=True,
    )
    amount_due = fields.Monetary(
        string="Amount to pay",
        compute="_compute_reduction_amount",
        store=True,
        help="Amount covered minus the reduction, without interest.",
    )
    annual_rate = fields.Float(
        string="Annual interest (%)",
        digits=(5, 2),
        help="Simple interest on the outstanding balance, actual/365.",
    )
    installment_count = fields.Integer(string="Number of installments", default=6)
    frequency = fields.Selection(
        [
            ("weekly", "Weekly"),
            ("biweekly", "Every two weeks"),
            ("monthly", "Monthly"),
        ],
        default="monthly",
        required=True,
    )
    date_start = fields.Date(
        string="Start date",
        default=fields.Date.context_today,
        required=True,
        readonly=True,
        copy=False,
        help="Payments reconciled with the covered invoices from this day on "
        "count for the plan. The down payment is due on this day.",
    )
    first_date = fields.Date(
        string="First due date",
        required=True,
        default=lambda self: fields.Date.context_today(self) + timedelta(days=30),
    )
    line_ids = fields.One2many(
        "cobranza.payment.plan.line", "plan_id", string="Installments", copy=True
    )
    amount_interest = fields.Monetary(
        string="Interest", compute="_compute_amounts", store=True
    )
    amount_total = fields.Monetary(
        string="Total of the plan", compute="_compute_amounts", store=True
    )
    amount_paid = fields.Monetary(string="Paid", compute="_compute_amounts", store=True)
    amount_residual = fields.Monetary(
        string="Left to pay", compute="_compute_amounts", store=True
    )
    next_line_id = fields.Many2one(
        "cobranza.payment.plan.line",
        string="Next installment",
        compute="_compute_next_line_id",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_approve", "To approve"),
            ("active", "Active"),
            ("completed", "Completed"),
            ("broken", "Broken"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
        index=True,
    )
    in_arrears = fields.Boolean(
        readonly=True,
        copy=False,
        tracking=True,
        help="An installment is past due, within the tolerance.",
    )
    approved_by_id = fields.Many2one(
        "res.users", string="Approved by", readonly=True, copy=False, tracking=True
    )
    approved_date = fields.Date(
        string="Approved on", readonly=True, copy=False, tracking=True
    )
    closed_date = fields.Date(
        string="Closed on",
        readonly=True,
        copy=False,
        help="The day the plan was completed, broken or cancelled.",
    )
    pause_until = fields.Date(
        string="Follow-up paused until",
        readonly=True,
        copy=False,
        help="The invoices get no follow-up until this day.",
    )
    note = fields.Html(string="Terms and notes")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("invoice_ids")
    def _compute_currency_id(self):
        for plan in self:
            if plan.invoice_ids:
                plan.currency_id = plan.invoice_ids[0].currency_id
            elif not plan.currency_id:
                plan.currency_id = (
                    plan.company_id.currency_id or self.env.company.currency_id
                )

    @api.depends("invoice_ids")
    def _compute_amount_covered(self):
        # Only on a change of invoices: payments must not move the covered
        # amount of a plan once it is set.
        for plan in self:
            plan.amount_covered = sum(plan.invoice_ids.mapped("amount_residual"))

    @api.depends(
        "amount_covered", "reduction_type", "reduction_percent", "reduction_fixed"
    )
    def _compute_reduction_amount(self):
        for plan in self:
            reduction = plan._reduction_cents(raise_error=False)
            plan.reduction_amount = _amount(reduction)
            plan.amount_due = _amount(_cents(plan.amount_covered) - reduction)

    @api.depends(
        "line_ids.amount",
        "line_ids.interest_amount",
        "line_ids.amount_paid",
    )
    def _compute_amounts(self):
        for plan in self:
            total = sum(_cents(line.amount) for line in plan.line_ids)
            paid = sum(_cents(line.amount_paid) for line in plan.line_ids)
            plan.amount_interest = _amount(
                sum(_cents(line.interest_amount) for line in plan.line_ids)
            )
            plan.amount_total = _amount(total)
            plan.amount_paid = _amount(paid)
            plan.amount_residual = _amount(total - paid)

    def _compute_next_line_id(self):
        for plan in self:
            unpaid = plan.line_ids.filtered(lambda line: line.state != "paid")
            plan.next_line_id = unpaid.sorted("due_date")[:1]

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for plan in self:
            plan.access_url = f"/my/payment_plans/{plan.id}"
        return result

    @api.depends("name", "partner_id")
    def _compute_display_name(self):
        for plan in self:
            plan.display_name = self.env._(
                "%(name)s - %(partner)s",
                name=plan.name or "/",
                partner=plan.partner_id.display_name or "",
            )

    # ------------------------------------------------------------------
    # Schedule
    # ------------------------------------------------------------------
    def _reduction_cents(self, raise_error=True):
        self.ensure_one()
        total = max(_cents(self.amount_covered), 0)
        try:
            if self.reduction_type == "amount":
                return installments.reduction_cents(
                    total, amount_cents=_cents(self.reduction_fixed)
                )
            if self.reduction_type == "percent":
                return installments.reduction_cents(
                    total, percent=str(self.reduction_percent or 0)
                )
        except installments.ScheduleError:
            if raise_error:
                raise ValidationError(
                    self.env._(
                        "The reduction must be between zero and the amount "
                        "covered (%(total)s).",
                        total=formatLang(
                            self.env, self.amount_covered, currency_obj=self.currency_id
                        ),
                    )
                ) from None
        return 0

    def _schedule_line_vals(self):
        """Line values generated by the core schedule for this plan."""
        self.ensure_one()
        self._check_terms()
        try:
            lines = installments.build_schedule(
                _cents(self.amount_covered),
                self.installment_count,
                self.frequency,
                self.first_date,
                down_payment_cents=_cents(self.down_payment),
                reduction_cents=self._reduction_cents(),
                annual_rate=str((self.annual_rate or 0) / 100),
                start_date=min(self.date_start, self.first_date),
            )
        except installments.ScheduleError as err:
            raise ValidationError(
                self.env._(
                    "The installments of %(plan)s cannot be generated: %(reason)s",
                    plan=self.display_name,
                    reason=str(err),
                )
            ) from err
        return [
            {
                "sequence": line.sequence,
                "due_date": line.due_date,
                "principal_amount": _amount(line.principal_cents),
                "interest_amount": _amount(line.interest_cents),
            }
            for line in lines
        ]

    def _generate_lines(self):
        for plan in self:
            vals_list = plan._schedule_line_vals()
            with granted(PLAN_SAVING):
                plan.write(
                    {
                        "line_ids": [Command.clear()]
                        + [Command.create(vals) for vals in vals_list]
                    }
                )

    @api.onchange(*SCHEDULE_PARAMS)
    def _onchange_schedule(self):
        if self.state not in EDITABLE_STATES or not self.first_date:
            return
        try:
            vals_list = self._schedule_line_vals()
        except ValidationError:
            return
        self.line_ids = [Command.clear()] + [Command.create(v) for v in vals_list]

    # ------------------------------------------------------------------
    # CRUD: the guards hold for every caller
    # ------------------------------------------------------------------
    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "account.move" and context.get("active_ids"):
            invoices = (
                self.env["account.move"]
                .browse(context["active_ids"])
                .filtered("cobranza_in_collection")
            )
            if invoices:
                values.setdefault("partner_id", invoices[0].commercial_partner_id.id)
                values.setdefault("invoice_ids", [Command.set(invoices.ids)])
        return values

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_finite(self, vals, PLAN_NUMBERS, positive=PLAN_POSITIVE)
            check_dates(self, vals, ("first_date", "date_start"))
            if not self.env.su:
                self._check_create_authority(vals)
                vals.pop("name", None)
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("cobranza.payment.plan") or "/"
                )
        with granted(PLAN_SAVING):
            plans_ = super().create(vals_list)
        for plan, vals in zip(plans_, vals_list, strict=True):
            if not vals.get("line_ids"):
                plan._generate_lines()
        plans_._check_terms()
        plans_._check_lines()
        return plans_

    def _check_create_authority(self, vals):
        """A new plan is a draft: its status and approval come from the buttons."""
        today = fields.Date.context_today(self)
        given = {
            name
            for name in PLAN_PRIVILEGED & set(vals)
            if vals[name]
            and not (name == "state" and vals[name] == "draft")
            and not (name == "date_start" and fields.Date.to_date(vals[name]) == today)
        }
        if given:
            raise AccessError(
                self.env._(
                    "A payment plan starts as a draft; %(fields)s can only be set "
                    "by the plan's own buttons (send for approval, approve, "
                    "cancel) and by payment tracking.",
                    fields=self._field_labels(given),
                )
            )

    def _check_write_authority(self, vals):
        """Status and approval only by the methods; terms locked once approved."""
        privileged = PLAN_PRIVILEGED & set(vals)
        if privileged:
            raise AccessError(
                self.env._(
                    "%(fields)s of a payment plan can only change through its "
                    "buttons (send for approval, approve, cancel) and payment "
                    "tracking.",
                    fields=self._field_labels(privileged),
                )
            )
        if PLAN_TERMS & set(vals):
            locked = self.filtered(lambda p: p.state not in EDITABLE_STATES)
            if locked:
                raise UserError(
                    self.env._(
                        "The amounts and dates of %(plans)s cannot change any more. "
                        "Cancel the plan and make a new one: both stay in the "
                        "history.",
                        plans=", ".join(locked.mapped("display_name")),
                    )
                )

    def _field_labels(self, names):
        return ", ".join(
            sorted(self._fields[name]._description_string(self.env) for name in names)
        )

    def write(self, vals):
        if is_granted(PLAN_SAVING):
            return super().write(vals)
        check_finite(self, vals, PLAN_NUMBERS, positive=PLAN_POSITIVE)
        check_dates(self, vals, ("first_date", "date_start"))
        if not self.env.su:
            self._check_write_authority(vals)
        terms = PLAN_TERMS & set(vals)
        with granted(PLAN_SAVING):
            result = super().write(vals)
        if terms:
            if SCHEDULE_PARAMS & set(vals) and "line_ids" not in vals:
                self._generate_lines()
            self._check_terms()
            self._check_lines()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if any(plan.state not in ("draft", "cancelled") for plan in self):
            raise UserError(
                self.env._(
                    "Only draft or cancelled payment plans can be deleted: an "
                    "approved plan stays in the history."
                )
            )
