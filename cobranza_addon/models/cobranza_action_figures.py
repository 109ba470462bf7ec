"""The figures of a follow-up computed from its invoice lines, at preview and
at sending, and the lines kept in step with ``invoice_ids``."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..cobranza_core import aging
from ..cobranza_core import followup as core
from .cobranza_action_line import FIGURES, PENDING_STATES


class CobranzaAction(models.Model):
    _inherit = "cobranza.action"

    @api.depends(
        "line_ids.days_overdue",
        "line_ids.move_id.amount_residual_signed",
        "level_id.offset_days",
        "level_id.fee_fixed",
        "level_id.fee_percent",
        "fee_waived",
    )
    def _compute_figures(self):
        for action in self:
            if action.plan_line_id or action.state not in PENDING_STATES:
                # Installment reminders carry their own figures; sent
                # actions are history.
                for name in FIGURES:
                    action[name] = action[name]
                continue
            lines = [
                core.ActionLine(
                    line.move_id.id,
                    line.level_id.id or None,
                    line.days_overdue,
                    line.move_id.amount_residual_signed,
                )
                for line in action.line_ids
            ]
            figures = core.action_figures(lines, action.level_id.offset_days <= 0)
            level = action.level_id
            action.amount_due = figures["amount_due"]
            action.amount_overdue = figures["amount_overdue"]
            action.amount_not_due = figures["amount_not_due"]
            action.max_days_overdue = figures["max_days_past_due"]
            action.fee_amount = (
                0.0
                if action.fee_waived
                else float(
                    core.level_fee(
                        figures["amount_due"], level.fee_fixed, level.fee_percent
                    )
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        actions._sync_lines()
        return actions

    def write(self, vals):
        if "invoice_ids" in vals and not self.env.su:
            self._check_editable_invoices()
        result = super().write(vals)
        if "invoice_ids" in vals:
            self._sync_lines()
        return result

    def _check_editable_invoices(self):
        if any(a.state not in PENDING_STATES for a in self):
            raise UserError(self.env._("Only actions not yet sent can change."))

    def _sync_lines(self):
        """Lines follow ``invoice_ids`` (the same rows): an added invoice is
        listed, its level does not change; its days overdue are counted."""
        self.invalidate_recordset(["line_ids"])
        if self.ids:
            self.env["cobranza.action.line"]._cobranza_fill_listed_days(self.ids)
        # what depends on the lines (the figures) follows
        self.modified(["line_ids"])

    def _refresh_figures(self):
        """Recompute the invoice list and figures just before sending.

        Invoices paid, disputed, excluded or paused since the preview leave
        the action; days overdue are counted again; a pre-due level no longer
        applies to an invoice that became overdue. Actions left with nothing
        to escalate are cancelled. Returns the cancelled actions.
        """
        actions = self.filtered(
            lambda a: a.state in PENDING_STATES and not a.plan_line_id
        )
        if not actions:
            return self.browse()
        today = fields.Date.context_today(self)
        gone = self.env["cobranza.action.line"].sudo()

        def paused(move):
            return move.cobranza_paused_until and move.cobranza_paused_until >= today

        by_vals = {}
        for action in actions:
            ref_date = max(action.date, today)
            for line in action.sudo().line_ids:
                move = line.move_id
                if (
                    not move.cobranza_in_collection
                    or move.cobranza_dispute
                    or move.cobranza_excluded
                    or (
                        move.cobranza_paused_until
                        and move.cobranza_paused_until >= today
                    )
                ):
                    gone |= line
                    continue
                days = aging.days_past_due(move.invoice_date_due, ref_date)
                level = line.level_id
                if level and days > 0 and level.offset_days <= 0:
                    level = level.browse()
                if days != line.days_overdue or level != line.level_id:
                    key = (days, level.id)
                    by_vals.setdefault(key, []).append(line.id)
        if gone:
            gone.unlink()
        Line = self.env["cobranza.action.line"].sudo()
        for (days, level_id), ids in by_vals.items():
            Line.browse(ids).write({"days_overdue": days, "level_id": level_id})
        return actions._cancel_without_escalation()

    def _cancel_without_escalation(self):
        """Cancel the actions left with nothing to say: no invoice, a pre-due
        reminder whose invoices are all overdue, or no invoice reaching a
        level (except the remainder of a partly sent action, whose invoices
        already advanced)."""

        def empty_(action):
            lines = action.sudo().line_ids
            if not lines:
                return True
            if action.level_id.offset_days <= 0 and all(ln.is_overdue for ln in lines):
                return True
            return not action.fee_waived and not lines.level_id

        empty = self.filtered(empty_)
        if empty:
            empty.sudo().write(
                {
                    "state": "cancelled",
                    "note": self.env._(
                        "Not sent: no invoice of this follow-up is still due "
                        "for its level (paid, disputed or paused since the "
                        "preview)."
                    ),
                }
            )
            empty.partner_id.sudo()._message_log_batch(
                {
                    action.partner_id.id: Markup("<b>%s</b>: %s")
                    % (action.display_name, action.note)
                    for action in empty
                }
            )
        return empty

    # Helpers for templates: one message that says overdue and not yet due
    def _overdue_invoices(self):
        """The overdue invoices of this action, most overdue first."""
        self.ensure_one()
        return self.sudo().line_ids.filtered("is_overdue").move_id.sudo(False)

    def _not_due_invoices(self):
        """The invoices not yet overdue, the soonest due first."""
        self.ensure_one()
        lines = self.sudo().line_ids.filtered(lambda ln: not ln.is_overdue)
        return lines.sorted("days_overdue", reverse=True).move_id.sudo(False)

    def _invoice_level(self, invoice):
        """The level ``invoice`` reaches with this action (empty: listed)."""
        self.ensure_one()
        return self.sudo().line_ids.filtered(lambda ln: ln.move_id == invoice).level_id

    def _totals_by_currency(self, kind=None):
        """[(currency, residual)] of this action's invoices; ``kind``
        ``"overdue"`` or ``"not_due"`` keeps only those invoices."""
        if kind is None:
            return super()._totals_by_currency()
        invoices = (
            self._overdue_invoices() if kind == "overdue" else self._not_due_invoices()
        )
        totals = {}
        for move in invoices:
            totals[move.currency_id] = (
                totals.get(move.currency_id, 0.0) + move.amount_residual
            )
        return sorted(totals.items(), key=lambda item: item[0].name)
