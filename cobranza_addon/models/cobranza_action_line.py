"""The invoices of a follow-up, each with its own level and days overdue:
one row per action and invoice, which is also the action's ``invoice_ids``."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

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
    # One row per invoice of every follow-up: a preview of a large book
    # inserts hundreds of thousands at once, and each user column would add
    # a foreign-key check per row. The action carries who and when.
    _log_access = False
    # The table is also ``cobranza.action.invoice_ids``' relation: one row
    # per action and invoice (this index also serves look-ups by action).
    _sql_constraints = [
        (
            "action_move_uniq",
            "UNIQUE(action_id, move_id)",
            "An invoice is listed once per follow-up.",
        )
    ]

    action_id = fields.Many2one("cobranza.action", required=True, ondelete="cascade")
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
        """Removing a line removes its invoice from the action (the line is
        the action's link to the invoice)."""
        actions, moves = self.action_id, self.move_id
        result = super().unlink()
        actions = actions.exists()
        actions.invalidate_recordset(["invoice_ids", "line_ids"])
        moves.invalidate_recordset(["cobranza_action_ids"])
        # what depends on the invoices (the statutory amounts) follows
        actions.modified(["invoice_ids"])
        return result

    @api.model
    def _cobranza_fill_listed_days(self, action_ids):
        """Days overdue of the lines ``invoice_ids`` added (the many2many
        inserts the action and the invoice only), counted at the action's
        date; one read and one UPDATE."""
        self.env["cobranza.action"].flush_model(["date"])
        self.env["account.move"].flush_model(["invoice_date_due"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT l.id, COALESCE(m.invoice_date_due, a.date), a.date
                  FROM cobranza_action_line l
                  JOIN cobranza_action a ON a.id = l.action_id
                  JOIN account_move m ON m.id = l.move_id
                 WHERE l.action_id IN %s AND l.days_overdue IS NULL
                """,
                tuple(action_ids),
            )
        )
        if not rows:
            return
        self.env.cr.execute(
            SQL(
                """
                UPDATE cobranza_action_line l SET days_overdue = u.days
                  FROM unnest(%s::int4[], %s::int4[]) AS u(id, days)
                 WHERE l.id = u.id
                """,
                [row[0] for row in rows],
                [aging.days_past_due(due, on) for _id, due, on in rows],
            )
        )
        self.invalidate_model(["days_overdue"])

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
