"""The invoices of a follow-up, each with its own level and days overdue, and
the figures of the action computed from them (at preview and at sending)."""

from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..cobranza_core import aging
from ..cobranza_core import followup as core

#: Not sent yet: figures follow the invoices (queued: waiting for its chunk).
PENDING_STATES = ("proposed", "excluded", "deferred", "blocked", "queued")
FIGURES = (
    "amount_due",
    "amount_overdue",
    "amount_not_due",
    "fee_amount",
    "max_days_overdue",
)


class CobranzaActionLine(models.Model):
    """One invoice of a follow-up: escalated to its level, or only listed."""

    _name = "cobranza.action.line"
    _description = "Collection Action Invoice"
    _order = "action_id, days_overdue desc, id"

    action_id = fields.Many2one(
        "cobranza.action", required=True, ondelete="cascade", index=True
    )
    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, ondelete="cascade", index=True
    )
    level_id = fields.Many2one(
        "cobranza.level",
        string="Level reached",
        ondelete="set null",
        help="The level this invoice reaches with this follow-up. Empty: the "
        "invoice is listed for information, its level does not change.",
    )
    days_overdue = fields.Integer(
        help="Days past the due date; negative while not yet due."
    )
    is_overdue = fields.Boolean(compute="_compute_is_overdue", string="Overdue")
    invoice_date_due = fields.Date(related="move_id.invoice_date_due")
    currency_id = fields.Many2one(related="move_id.currency_id")
    amount_residual = fields.Monetary(
        related="move_id.amount_residual", string="Amount due"
    )
    stage_id = fields.Many2one(related="move_id.cobranza_stage_id")

    @api.depends("days_overdue")
    def _compute_is_overdue(self):
        for line in self:
            line.is_overdue = line.days_overdue > 0

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if not self.env.su and any(
            line.action_id.state not in PENDING_STATES for line in self
        ):
            raise UserError(self.env._("Only actions not yet sent can change."))

    def unlink(self):
        """Removing a line removes its invoice from the action."""
        by_action = {}
        for line in self:
            by_action.setdefault(line.action_id, []).append(line.move_id.id)
        result = super().unlink()
        for action, move_ids in by_action.items():
            if action.exists():
                action.sudo().write(
                    {"invoice_ids": [Command.unlink(mid) for mid in move_ids]}
                )
        return result

    def _run_update_key(self, forward_after_manual):
        """``((level_id, stage_id, next_date), level)`` the run writes on this
        line's invoice once sent: its own level if that is further than the
        invoice's (never backwards, never twice), the level's stage if that
        is further on the ladder (after a manual move, only if the company
        allows it); ``(False, False, False)`` for a listed invoice."""
        self.ensure_one()
        invoice, level = self.move_id, self.level_id
        current = invoice.cobranza_level_id
        if not level or (current and current.offset_days >= level.offset_days):
            return (False, False, False), level.browse()
        next_level = level._next_level()
        stage = level.stage_id
        moves_stage = stage and core.stage_moves(
            invoice.cobranza_stage_id.sequence if invoice.cobranza_stage_id else None,
            stage.sequence,
            invoice.cobranza_stage_manual,
            forward_after_manual,
        )
        next_date = (
            invoice.invoice_date_due + timedelta(days=next_level.offset_days)
            if next_level
            else False
        )
        return (level.id, stage.id if moves_stage else False, next_date), level


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
        """Lines follow ``invoice_ids``: a removed invoice loses its line, an
        added one is listed (its level does not change)."""
        Line = self.env["cobranza.action.line"].sudo()
        stale = Line
        vals_list = []
        for action in self.filtered(lambda a: not a.plan_line_id):
            lines = action.sudo().line_ids
            stale |= lines.filtered(
                lambda ln, a=action: ln.move_id not in a.invoice_ids
            )
            for move in action.invoice_ids - lines.move_id:
                vals_list.append(
                    {
                        "action_id": action.id,
                        "move_id": move.id,
                        "days_overdue": aging.days_past_due(
                            move.invoice_date_due or action.date, action.date
                        ),
                    }
                )
        if stale:
            # Plain SQL-level removal: unlink() would write invoice_ids back.
            super(CobranzaActionLine, stale).unlink()
        if vals_list:
            Line.create(vals_list)

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
