"""The run's installment reminders: the installments of active payment
plans that are due a reminder, proposed as actions of the run."""

from datetime import timedelta

from odoo import models

from ..cobranza_core import followup as core
from ..cobranza_core import plans as plan_rules


class CobranzaRun(models.Model):
    _inherit = "cobranza.run"

    def _prepare_plan_reminder_vals(self, partner_policy):
        """The vals of the installment reminders of payment plans due today.

        Each customer's policy (the company's default policy otherwise) says
        through its plan-reminder levels when and how installments are
        reminded. An installment gets each kind of reminder once: a kind
        already sent, or waiting in another run, is not proposed again.
        """
        self.ensure_one()
        company = self.company_id
        default_policy = company.cobranza_policy_id
        policies = (
            self.env["cobranza.policy"].browse(set(partner_policy.values()))
            | default_policy
        )
        levels = policies._plan_reminder_levels()
        if not levels:
            return []
        lines = self._plan_lines_to_remind(levels)
        if not lines:
            return []
        waiting = self._waiting_plan_reminders(lines)
        partners = lines.partner_id.with_company(company)
        manual_partners = set(
            partners.filtered(lambda p: p.cobranza_mode == "manual").ids
        )
        vals_list = []
        for partner, partner_lines in lines.grouped("partner_id").items():
            commercial = partner.commercial_partner_id
            policy_id = partner_policy.get(commercial.id) or default_policy.id
            pre_level = levels.get((policy_id, "pre_due")) or levels.get(
                (default_policy.id, "pre_due")
            )
            overdue_level = levels.get((policy_id, "overdue")) or levels.get(
                (default_policy.id, "overdue")
            )
            due_pre, due_over = plan_rules.reminders_due(
                [
                    (
                        line,
                        line.due_date,
                        "overdue" if line.due_date < self.date else "pending",
                        line.reminder_pre_sent,
                        line.reminder_overdue_sent,
                    )
                    for line in partner_lines
                ],
                self.date,
                -pre_level.offset_days if pre_level else None,
                overdue_level.offset_days if overdue_level else None,
            )
            manual = commercial.id in manual_partners
            for level, due_lines in ((pre_level, due_pre), (overdue_level, due_over)):
                vals_list += [
                    self._plan_reminder_action_vals(line, level, partner, manual)
                    for line in due_lines
                    if (line.id, level.plan_reminder) not in waiting
                ]
        return vals_list

    def _plan_lines_to_remind(self, levels):
        """Installments of active plans due within the longest pre-due lead
        that still miss a reminder; not those of a plan held by a case or of
        a customer who asked to stop (issue 12)."""
        lead = max(
            [-lv.offset_days for lv in levels.values() if lv.plan_reminder == "pre_due"]
            or [0]
        )
        lines = self.env["cobranza.payment.plan.line"].search_fetch(
            [
                ("company_id", "=", self.company_id.id),
                ("plan_id.state", "=", "active"),
                ("amount_residual", ">", 0),
                ("due_date", "<=", self.date + timedelta(days=lead)),
                "|",
                ("reminder_pre_sent", "=", False),
                ("reminder_overdue_sent", "=", False),
            ],
            [
                "plan_id",
                "partner_id",
                "due_date",
                "amount_residual",
                "reminder_pre_sent",
                "reminder_overdue_sent",
            ],
        )
        return lines - self._cobranza_held_plan_lines(lines)

    def _waiting_plan_reminders(self, lines):
        """``{(plan line id, reminder kind)}`` waiting in another run."""
        return {
            (action.plan_line_id.id, action.plan_reminder)
            for action in self.env["cobranza.action"].search(
                [
                    ("plan_line_id", "in", lines.ids),
                    ("state", "in", ("proposed", "deferred")),
                    ("run_id", "!=", self.id),
                ]
            )
        }

    def _plan_reminder_action_vals(self, line, level, partner, manual):
        """The vals of the reminder of installment ``line`` at ``level``."""
        company = self.company_id
        plan = line.plan_id
        amount = plan.currency_id._convert(
            line.amount_residual, company.currency_id, company, self.date
        )
        return {
            "run_id": self.id,
            "company_id": company.id,
            "date": self.date,
            "partner_id": plan.partner_id.id,
            "policy_id": level.policy_id.id,
            "level_id": level.id,
            "plan_line_id": line.id,
            "amount_due": amount,
            "fee_amount": float(
                core.level_fee(amount, level.fee_fixed, level.fee_percent)
            ),
            "max_days_overdue": (self.date - line.due_date).days,
            "collector_id": plan.user_id.id
            or partner.with_company(company).cobranza_collector_id.id
            or False,
            "manual_review": level.manual_review or manual,
        }
