from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tools import SQL, format_date, formatLang

from odoo.addons.payment import utils as payment_utils

from ..cobranza_core import allocation, installments, money, plans

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
            plan.with_context(cobranza_plan_saving=True).write(
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
    # Checks: every one raises before anything is written
    # ------------------------------------------------------------------
    def _check_terms(self):
        """Terms that do not depend on the lines."""
        today = fields.Date.context_today(self)
        for plan in self:
            if plan.installment_count < 1:
                raise ValidationError(
                    self.env._("A payment plan needs at least one installment.")
                )
            if not plan.invoice_ids:
                raise ValidationError(
                    self.env._("A payment plan covers at least one open invoice.")
                )
            if plan.state in EDITABLE_STATES and plan.first_date < today:
                raise ValidationError(
                    self.env._(
                        "The first due date (%(date)s) is in the past.",
                        date=format_date(self.env, plan.first_date),
                    )
                )
            if plan.down_payment < 0 or plan.annual_rate < 0:
                raise ValidationError(
                    self.env._(
                        "The down payment and the interest rate cannot be negative."
                    )
                )
            reduction = plan._reduction_cents()
            max_percent = plan.company_id.cobranza_plan_max_reduction
            if plans.reduction_exceeds(
                _cents(plan.amount_covered), reduction, str(max_percent)
            ):
                raise ValidationError(
                    self.env._(
                        "The reduction of %(reduction)s is above the maximum of "
                        "%(max)s%% of the amount covered.",
                        reduction=formatLang(
                            self.env, _amount(reduction), currency_obj=plan.currency_id
                        ),
                        max=max_percent,
                    )
                )

    def _check_lines(self):
        """The lines must sum to the amount to pay, on increasing dates."""
        for plan in self:
            lines = plan.line_ids.sorted(lambda line: (line.due_date, line.sequence))
            if not lines:
                raise ValidationError(
                    self.env._(
                        "The payment plan %(plan)s has no installments.",
                        plan=plan.display_name,
                    )
                )
            expected = _cents(plan.amount_covered) - plan._reduction_cents()
            total = sum(_cents(line.principal_amount) for line in lines)
            if total != expected:
                raise ValidationError(
                    self.env._(
                        "The installments of %(plan)s add up to %(total)s, but the "
                        "amount to pay is %(expected)s. Correct the amounts so that "
                        "they sum to the total.",
                        plan=plan.display_name,
                        total=formatLang(
                            self.env, _amount(total), currency_obj=plan.currency_id
                        ),
                        expected=formatLang(
                            self.env, _amount(expected), currency_obj=plan.currency_id
                        ),
                    )
                )
            try:
                installments.validate_lines(
                    expected,
                    [(line.due_date, _cents(line.principal_amount)) for line in lines],
                )
            except installments.ScheduleError as err:
                raise ValidationError(
                    self.env._(
                        "The installments of %(plan)s are not valid: every amount "
                        "must be positive and every due date after the previous "
                        "one (%(reason)s).",
                        plan=plan.display_name,
                        reason=str(err),
                    )
                ) from err
            if any(line.interest_amount < 0 for line in lines):
                raise ValidationError(
                    self.env._("The interest of an installment cannot be negative.")
                )

    @api.constrains("invoice_ids", "partner_id", "currency_id", "state")
    def _check_invoices(self):
        for plan in self:
            if plan.state not in (*EDITABLE_STATES, "active"):
                continue
            partner = plan.partner_id.commercial_partner_id
            wrong = plan.invoice_ids.filtered(
                lambda m, partner=partner: m.move_type != "out_invoice"
                or m.state != "posted"
                or m.commercial_partner_id != partner
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "%(invoices)s: a payment plan only covers posted customer "
                        "invoices of %(partner)s.",
                        invoices=", ".join(wrong.mapped("display_name")),
                        partner=partner.display_name,
                    )
                )
            other_currency = plan.invoice_ids.filtered(
                lambda m, plan=plan: m.currency_id != plan.currency_id
            )
            if other_currency:
                raise ValidationError(
                    self.env._(
                        "%(invoices)s: all the invoices of a payment plan must be "
                        "in %(currency)s.",
                        invoices=", ".join(other_currency.mapped("display_name")),
                        currency=plan.currency_id.name,
                    )
                )
        # At most one active plan per invoice: one query for all the plans.
        checked = self.filtered(lambda p: p.state in (*EDITABLE_STATES, "active"))
        if not checked:
            return
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT mine.plan_id, other.plan_id, mine.move_id
                  FROM cobranza_payment_plan_account_move_rel mine
                  JOIN cobranza_payment_plan_account_move_rel other
                    ON other.move_id = mine.move_id
                   AND other.plan_id != mine.plan_id
                  JOIN cobranza_payment_plan op ON op.id = other.plan_id
                 WHERE mine.plan_id IN %(ids)s
                   AND op.state = 'active'
                 LIMIT 1
                """,
                ids=tuple(checked.ids),
            )
        )
        if rows:
            _plan_id, other_id, move_id = rows[0]
            raise ValidationError(
                self.env._(
                    "Invoice %(invoice)s is already in the active payment plan "
                    "%(plan)s. Cancel that plan first.",
                    invoice=self.env["account.move"].browse(move_id).display_name,
                    plan=self.browse(other_id).display_name,
                )
            )

    # ------------------------------------------------------------------
    # CRUD
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
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("cobranza.payment.plan") or "/"
                )
        plans_ = super(
            CobranzaPaymentPlan, self.with_context(cobranza_plan_saving=True)
        ).create(vals_list)
        plans_ = plans_.with_context(cobranza_plan_saving=False)
        for plan, vals in zip(plans_, vals_list, strict=True):
            if not vals.get("line_ids"):
                plan._generate_lines()
        plans_._check_terms()
        plans_._check_lines()
        return plans_.with_env(self.env)

    def write(self, vals):
        terms = PLAN_TERMS & set(vals)
        if terms and not self.env.context.get("cobranza_plan_saving"):
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
        if self.env.context.get("cobranza_plan_saving"):
            return super().write(vals)
        result = super(
            CobranzaPaymentPlan, self.with_context(cobranza_plan_saving=True)
        ).write(vals)
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

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def action_generate_lines(self):
        locked = self.filtered(lambda p: p.state not in EDITABLE_STATES)
        if locked:
            raise UserError(
                self.env._("Only the installments of a draft plan can be regenerated.")
            )
        self._generate_lines()
        self._check_lines()
        return True

    def action_submit(self):
        for plan in self:
            if plan.state != "draft":
                raise UserError(
                    self.env._("Only a draft plan can be sent for approval.")
                )
        self._check_terms()
        self._check_lines()
        self.with_context(cobranza_plan_saving=True).write({"state": "to_approve"})
        for plan in self:
            plan.message_post(
                body=self.env._(
                    "Sent for approval by %(user)s.", user=self.env.user.name
                )
            )
        return True

    def action_back_to_draft(self):
        if any(plan.state != "to_approve" for plan in self):
            raise UserError(
                self.env._("Only a plan waiting for approval can go back to draft.")
            )
        self.with_context(cobranza_plan_saving=True).write({"state": "draft"})
        return True

    def _check_can_approve(self):
        user = self.env.user
        is_manager = user.has_group("cobranza_addon.cobranza_group_manager")
        if not is_manager and not user.has_group("cobranza_addon.cobranza_group_user"):
            raise AccessError(self.env._("Only Collections users can approve plans."))
        for plan in self:
            limit = plan.company_id.currency_id._convert(
                plan.company_id.cobranza_plan_user_limit,
                plan.currency_id,
                plan.company_id,
                fields.Date.context_today(self),
            )
            if not plans.can_approve(
                is_manager=is_manager,
                amount_cents=_cents(plan.amount_due),
                reduction_cents=_cents(plan.reduction_amount),
                user_limit_cents=_cents(limit),
            ):
                raise AccessError(
                    self.env._(
                        "Only a Collections manager can approve %(plan)s: it has a "
                        "reduction or its amount (%(amount)s) is not below your "
                        "approval limit (%(limit)s).",
                        plan=plan.display_name,
                        amount=formatLang(
                            self.env, plan.amount_due, currency_obj=plan.currency_id
                        ),
                        limit=formatLang(
                            self.env, limit, currency_obj=plan.currency_id
                        ),
                    )
                )

    def action_approve(self):
        if any(plan.state not in EDITABLE_STATES for plan in self):
            raise UserError(
                self.env._("Only a draft plan or a plan to approve can be approved.")
            )
        self._check_can_approve()
        self._check_terms()
        self._check_lines()
        today = fields.Date.context_today(self)
        self.with_context(cobranza_plan_saving=True).write(
            {
                "state": "active",
                "approved_by_id": self.env.user.id,
                "approved_date": today,
                "in_arrears": False,
            }
        )
        self._check_invoices()
        for plan in self:
            body = self.env._(
                "Payment plan approved by %(user)s: %(count)s installment(s), "
                "%(total)s in total.",
                user=self.env.user.name,
                count=len(plan.line_ids),
                total=formatLang(
                    self.env, plan.amount_total, currency_obj=plan.currency_id
                ),
            )
            if plan.reduction_amount:
                body += " " + self.env._(
                    "Reduction granted: %(reduction)s.",
                    reduction=formatLang(
                        self.env, plan.reduction_amount, currency_obj=plan.currency_id
                    ),
                )
            plan.message_post(body=body)
        self._refresh_payments(today)
        return True

    def action_cancel(self):
        if any(plan.state in ("completed", "broken", "cancelled") for plan in self):
            raise UserError(
                self.env._("A completed, broken or cancelled plan cannot be cancelled.")
            )
        was_active = self.filtered(lambda p: p.state == "active")
        if was_active and not self.env.user.has_group(
            "cobranza_addon.cobranza_group_manager"
        ):
            raise AccessError(
                self.env._("Only a Collections manager can cancel an approved plan.")
            )
        self.with_context(cobranza_plan_saving=True).write(
            {
                "state": "cancelled",
                "closed_date": fields.Date.context_today(self),
                "pause_until": False,
            }
        )
        for plan in self:
            plan.message_post(
                body=self.env._("Plan cancelled by %(user)s.", user=self.env.user.name)
            )
        was_active.invoice_ids._cobranza_update_pause()
        return True

    def action_refresh(self):
        self._refresh_payments(fields.Date.context_today(self))
        return True

    def action_send_agreement(self):
        """Open the composer with the agreement PDF attached (approved plans)."""
        self.ensure_one()
        if self.state != "active":
            raise UserError(
                self.env._("The agreement is sent once the plan is approved.")
            )
        template = self.env.ref("cobranza_addon.mail_template_cobranza_plan_agreement")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send the payment agreement"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "default_email_layout_xmlid": "mail.mail_notification_light",
                "force_email": True,
            },
        }

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", self.invoice_ids.ids)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------
    # Tracking: payments, states, transitions
    # ------------------------------------------------------------------
    def _paid_cents(self):
        """``{plan_id: cents}`` reconciled with the covered invoices since the start.

        Set-based: one query for all the plans. Amounts in the invoice
        currency (the plan currency).
        """
        paid = self.env["account.move"]._cobranza_reconciled_since(self, "date_start")
        return {plan_id: money.to_cents(paid.get(plan_id, 0)) for plan_id in self.ids}

    def _refresh_payments(self, today=None):
        """Allocate payments, update installments, and move plans on."""
        plans_ = self.filtered(lambda p: p.state == "active")
        if not plans_:
            return
        today = today or fields.Date.context_today(self)
        paid_by_plan = plans_._paid_cents()
        line_values = defaultdict(list)
        completed = broken = self.browse()
        arrears = {}
        pauses = {}
        for plan in plans_:
            lines = plan.line_ids.sorted(lambda line: (line.due_date, line.sequence))
            result = allocation.allocate(
                [(line.id, line.due_date, _cents(line.amount)) for line in lines],
                paid_by_plan[plan.id],
            )
            status_lines = []
            for line, alloc in zip(lines, result.lines, strict=True):
                amount = _cents(line.amount)
                state = allocation.installment_state(
                    line.due_date, amount, alloc.paid_cents, today
                )
                status_lines.append((line.due_date, amount, alloc.paid_cents))
                if _cents(line.amount_paid) != alloc.paid_cents or line.state != state:
                    line_values[(_amount(alloc.paid_cents), state)].append(line.id)
            status = allocation.plan_status(
                status_lines, today, plan.company_id.cobranza_plan_tolerance_days
            )
            if status == "completed":
                completed |= plan
            elif status == "broken":
                broken |= plan
            else:
                arrears[plan.id] = status == "in_arrears"
                pauses[plan.id] = plans.pause_until(status_lines) or False
        Line = self.env["cobranza.payment.plan.line"].with_context(
            cobranza_plan_tracking=True
        )
        for (paid, state), ids in line_values.items():
            Line.browse(ids).write({"amount_paid": paid, "state": state})
        for plan in plans_ - completed - broken:
            vals = {}
            if plan.in_arrears != arrears[plan.id]:
                vals["in_arrears"] = arrears[plan.id]
            if plan.pause_until != pauses[plan.id]:
                vals["pause_until"] = pauses[plan.id]
            if vals:
                plan.with_context(cobranza_plan_saving=True).write(vals)
        completed._mark_completed(today)
        broken._mark_broken(today)
        plans_.invoice_ids._cobranza_update_pause()

    def _mark_completed(self, today):
        if not self:
            return
        for plan in self:
            residual = sum(plan.invoice_ids.mapped("amount_residual"))
            plan.with_context(cobranza_plan_saving=True).write(
                {
                    "state": "completed",
                    "in_arrears": False,
                    "closed_date": today,
                    # A reduction still open on the invoices waits for the
                    # accountant's write-off, without reminders.
                    "pause_until": plans.FAR_FUTURE
                    if plan.currency_id.compare_amounts(residual, 0) > 0
                    else False,
                }
            )
            plan.message_post(
                body=self.env._("Every installment is paid: the plan is completed.")
            )
            if plan.pause_until:
                plan.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Write off the reduction"),
                    note=self.env._(
                        "The plan is paid. %(amount)s is left open on the "
                        "invoices: write it off with a credit note.",
                        amount=formatLang(
                            self.env, residual, currency_obj=plan.currency_id
                        ),
                    ),
                    user_id=(plan.approved_by_id or self.env.user).id,
                )
        self._send_template("cobranza_addon.mail_template_cobranza_plan_completed")

    def _mark_broken(self, today):
        if not self:
            return
        self.with_context(cobranza_plan_saving=True).write(
            {
                "state": "broken",
                "in_arrears": False,
                "closed_date": today,
                "pause_until": False,
            }
        )
        for plan in self:
            plan.message_post(
                body=self.env._(
                    "An installment is overdue by more than %(days)s day(s): the "
                    "plan is broken and follow-up of its invoices resumes.",
                    days=plan.company_id.cobranza_plan_tolerance_days,
                )
            )
            plan.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Payment plan broken"),
                note=self.env._(
                    "%(plan)s is broken: the customer missed an installment.",
                    plan=plan.display_name,
                ),
                user_id=(plan.approved_by_id or plan.user_id or self.env.user).id,
            )
            stage = plan.company_id.cobranza_plan_break_stage_id
            if stage:
                plan.invoice_ids.filtered("cobranza_in_collection").write(
                    {"cobranza_stage_id": stage.id}
                )
        self._send_template("cobranza_addon.mail_template_cobranza_plan_broken")

    def _checked_message_user(self):
        return self.user_id or self.approved_by_id

    @api.model
    def _cron_update_plans(self):
        """Daily: allocate payments and move active plans on, in every company."""
        plans_ = self.sudo().search([("state", "=", "active")])
        for company, company_plans in plans_.grouped("company_id").items():
            company_plans.with_company(company)._refresh_payments()

    # ------------------------------------------------------------------
    # Portal and documents
    # ------------------------------------------------------------------
    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Payment agreement %(name)s", name=self.name)

    def _portal_pay_url(self):
        """Payment link for the next installment, on the oldest open invoice."""
        self.ensure_one()
        line = self.next_line_id
        if self.state != "active" or not line:
            return False
        invoice = self.invoice_ids.filtered(
            lambda m: m.currency_id.compare_amounts(m.amount_residual, 0) > 0
        ).sorted(lambda m: (m.invoice_date_due or m.date, m.id))[:1]
        if not invoice:
            return False
        amount = min(line.amount_residual, invoice.amount_residual)
        return self.env["cobranza.payment.plan.line"]._payment_link(invoice, amount)


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
        if self.env.context.get("cobranza_plan_saving"):
            return
        if vals is not None and not (set(vals) - LINE_TRACKING_FIELDS):
            if self.env.su or self.env.context.get("cobranza_plan_tracking"):
                return
        locked = self.plan_id.filtered(lambda p: p.state not in EDITABLE_STATES)
        if locked:
            raise UserError(
                self.env._(
                    "The installments of %(plans)s cannot change any more. Cancel "
                    "the plan and make a new one.",
                    plans=", ".join(locked.mapped("display_name")),
                )
            )
        if vals is not None and set(vals) & LINE_TRACKING_FIELDS:
            raise UserError(
                self.env._(
                    "What an installment has been paid comes from the reconciled "
                    "payments: it cannot be typed."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_editable()
        if not self.env.context.get("cobranza_plan_saving"):
            lines.plan_id._check_lines()
        return lines

    def write(self, vals):
        self._check_editable(vals)
        result = super().write(vals)
        if not self.env.context.get("cobranza_plan_saving") and (
            set(vals) - LINE_TRACKING_FIELDS
        ):
            self.plan_id._check_lines()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if self.env.context.get("cobranza_plan_saving"):
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
