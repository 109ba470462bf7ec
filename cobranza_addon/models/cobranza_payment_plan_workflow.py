from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import formatLang

from ..cobranza_core import allocation, money, plans
from .cobranza_lang import in_user_lang
from .cobranza_payment_plan import EDITABLE_STATES, _amount, _cents


class CobranzaPaymentPlan(models.Model):
    """The life of a payment plan: its transitions, each checking who may
    make it, then writing as the system; payment tracking; the portal."""

    _inherit = "cobranza.payment.plan"

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
        self._check_collections_user()
        self._check_terms()
        self._check_lines()
        self.sudo().write({"state": "to_approve"})
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
        self._check_collections_user()
        self.sudo().write({"state": "draft"})
        return True

    def _check_collections_user(self):
        """Transitions are for Collections users who may edit these plans."""
        if self.env.su:
            return
        if not self.env.user.has_group("cobranza_addon.cobranza_group_user"):
            raise AccessError(
                self.env._("Only Collections users can change a payment plan.")
            )
        self.check_access("write")

    def _check_can_approve(self):
        self.check_access("write")
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
        self.sudo().write(
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
        self._check_collections_user()
        self.sudo().write(
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
        # Payment tracking is the system's: it writes what the ledger says.
        Line = self.env["cobranza.payment.plan.line"].sudo()
        for (paid, state), ids in line_values.items():
            Line.browse(ids).write({"amount_paid": paid, "state": state})
        for plan in plans_ - completed - broken:
            vals = {}
            if plan.in_arrears != arrears[plan.id]:
                vals["in_arrears"] = arrears[plan.id]
            if plan.pause_until != pauses[plan.id]:
                vals["pause_until"] = pauses[plan.id]
            if vals:
                plan.sudo().write(vals)
        completed._mark_completed(today)
        broken._mark_broken(today)
        plans_.invoice_ids._cobranza_update_pause()

    def _mark_completed(self, today):
        if not self:
            return
        for plan in self:
            residual = sum(plan.invoice_ids.mapped("amount_residual"))
            plan.sudo().write(
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
        self.sudo().write(
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
            assignee = plan.approved_by_id or plan.user_id or self.env.user
            # in the assignee's language (the daily job runs in English)
            in_lang = self.with_context(lang=assignee.lang or self.env.lang)
            plan.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=in_lang.env._("Payment plan broken"),
                note=in_lang.env._(
                    "%(plan)s is broken: the customer missed an installment.",
                    plan=plan.display_name,
                ),
                user_id=assignee.id,
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
        self = in_user_lang(self)
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
