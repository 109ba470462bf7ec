"""The action's side of delivery: queued and skipped states, the delivery
rows of its channels, failures, *Retry* and *Use another channel*."""

from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from .cobranza_action_delivery import FAILED_STATES, LIVE_STATES


class CobranzaAction(models.Model):
    _inherit = "cobranza.action"

    state = fields.Selection(
        selection_add=[
            ("proposed",),
            ("queued", "Queued"),
            ("excluded",),
            ("skipped", "Skipped"),
        ],
        ondelete={"queued": "set default", "skipped": "set default"},
    )
    delivery_ids = fields.One2many(
        "cobranza.action.delivery", "action_id", string="Deliveries", readonly=True
    )
    delivery_failed = fields.Boolean(
        string="Delivery failed",
        compute="_compute_delivery_failed",
        store=True,
        help="An email or SMS of this action failed or bounced and was not "
        "retried yet.",
    )
    delivery_user_id = fields.Many2one(
        "res.users",
        string="Sent by",
        readonly=True,
        help="Who sent this action: the messages are written in their name.",
    )
    delivery_attempts = fields.Integer(readonly=True, copy=False)
    level_applied = fields.Boolean(
        readonly=True,
        copy=False,
        help="The invoices were moved to this action's level.",
    )
    invoice_rollback = fields.Json(
        readonly=True,
        copy=False,
        help="Level, stage and dates the invoices had before this action, to "
        "restore them when nothing of it was delivered.",
    )

    @api.depends("delivery_ids.state")
    def _compute_delivery_failed(self):
        for action in self:
            action.delivery_failed = any(
                d.state in FAILED_STATES for d in action.delivery_ids
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_delivery(self):
        if any(a.state == "queued" or a.delivery_ids for a in self):
            raise UserError(
                self.env._(
                    "Actions being sent, or that sent anything, are the "
                    "collection history and cannot be deleted."
                )
            )

    # ------------------------------------------------------------------
    # Sending: everything goes through the run's queue
    # ------------------------------------------------------------------
    def _cobranza_send_now(self):
        """Queue these proposed actions and deliver them in this request when
        they fit in one chunk; the queue delivers the others."""
        todo = self.filtered(lambda a: a.state == "proposed")
        if not todo:
            return True
        todo.check_access("write")
        todo.run_id.check_access("write")
        Run = self.env["cobranza.run"]
        queued = Run._cobranza_queue(todo, ("proposed",))
        if not queued:
            return True
        if len(queued) <= Run._cobranza_pdf_chunk_size():
            Run._cobranza_deliver_chunk(queued.ids)
        else:
            queued.run_id._cobranza_dispatch_chunks()
        return True

    @api.model
    def _cobranza_queue_deferred(self):
        """The deferred actions whose moment has come go back to the queue;
        each chunk re-checks the rules and the invoices."""
        due = self.sudo().search(
            [
                ("state", "=", "deferred"),
                ("not_before", "<=", fields.Datetime.now()),
                ("run_id", "!=", False),
            ],
            order="not_before, id",
        )
        queued = self.env["cobranza.run"]._cobranza_queue(
            due, ("deferred",), user=self.env.user
        )
        if queued:
            queued.run_id._cobranza_dispatch_chunks()

    # ------------------------------------------------------------------
    # Failures
    # ------------------------------------------------------------------
    def _cobranza_after_failures(self, deliveries):
        """Deliveries of these actions failed: an action with nothing
        delivered or still in the queue fails and its invoices go back to
        their level; the customer's chatter tells what happened."""
        failed_actions = self.browse()
        bodies = defaultdict(list)
        for action in self:
            mine = deliveries.filtered(lambda d, a=action: d.action_id == a)
            live = action.delivery_ids.filtered(lambda d: d.state in ("queued", "sent"))
            text = mine._cobranza_failure_markup()
            if not live and action.state == "done":
                failed_actions |= action
            bodies[action.partner_id.id].append(
                Markup("<b>%s</b><br/>%s") % (action.display_name, text)
            )
            action.note = "\n".join(
                filter(None, [action.note, *(d._cobranza_failure_text() for d in mine)])
            )
        if failed_actions:
            failed_actions.write({"state": "failed"})
            failed_actions._cobranza_rollback_invoices()
            failed_actions._cobranza_rollback_plan_lines()
        self.env["res.partner"].browse(list(bodies)).sudo()._message_log_batch(
            {key: Markup("<br/>").join(value) for key, value in bodies.items()}
        )

    def _cobranza_rollback_invoices(self):
        """Invoices that are still at the level this action gave them go
        back to the level, stage and dates they had before it."""
        moves = self.env["account.move"].sudo()
        by_values = defaultdict(list)
        bodies = {}
        for action in self.filtered("level_applied"):
            saved = action.invoice_rollback or {}
            invoices = moves.browse([int(key) for key in saved]).exists()
            for invoice in invoices:
                level_id, stage_id, last, next_date, new_level = saved[str(invoice.id)]
                if invoice.cobranza_level_id.id != new_level:
                    continue  # moved on since: leave it
                by_values[(level_id, stage_id, last, next_date)].append(invoice.id)
                bodies[invoice.id] = self.env._(
                    "Follow-up level %(level)s was not delivered: the invoice "
                    "goes back to the level it had.",
                    level=action.level_id.name,
                )
        for (level_id, stage_id, last, next_date), ids in by_values.items():
            vals = {
                "cobranza_level_id": level_id or False,
                "cobranza_last_date": last or False,
                "cobranza_next_date": next_date or False,
            }
            if stage_id:
                vals["cobranza_stage_id"] = stage_id
            moves.browse(ids).write(vals)
        if bodies:
            moves.browse(list(bodies))._message_log_batch(bodies)
        self.write({"level_applied": False})

    def _cobranza_rollback_plan_lines(self):
        flags = {"pre_due": "reminder_pre_sent", "overdue": "reminder_overdue_sent"}
        for kind, actions in (
            self.filtered("plan_line_id").grouped("plan_reminder").items()
        ):
            if kind in flags:
                actions.plan_line_id.sudo().with_context(
                    cobranza_plan_tracking=True
                ).write({flags[kind]: False})

    # ------------------------------------------------------------------
    # Retry / Use another channel
    # ------------------------------------------------------------------
    def _cobranza_failed_deliveries(self):
        failed = (
            self.env["cobranza.action.delivery"]
            .sudo()
            .search([("action_id", "in", self.ids), ("state", "in", FAILED_STATES)])
        )
        if not failed:
            raise UserError(
                self.env._("Only an action whose delivery failed can be retried.")
            )
        return failed

    def action_retry_delivery(self):
        """Send the failed channels again, through the queue."""
        return self._cobranza_resend(lambda channel: channel)

    def action_use_other_channel(self):
        """Reach the customer another way: a letter instead of an email, a
        call task instead of an SMS."""
        return self._cobranza_resend(
            lambda channel: "letter" if channel == "email" else "activity"
        )

    def _cobranza_resend(self, new_channel):
        self.check_access("write")
        failed = self._cobranza_failed_deliveries()
        plans = {}
        for action in self:
            channels = {new_channel(d.channel) for d in failed if d.action_id == action}
            taken = {
                d.channel
                for d in action.delivery_ids
                if d.state in LIVE_STATES and d.state not in FAILED_STATES
            }
            if channels & taken:
                raise UserError(
                    self.env._(
                        "%(action)s was already delivered by that channel.",
                        action=action.display_name,
                    )
                )
            plans[action] = ",".join(sorted(channels))
        failed._cobranza_cancel_queued_messages()
        failed.write({"state": "retried"})
        failed.flush_recordset(["state"])
        Run = self.env["cobranza.run"]
        for action, plan in plans.items():
            action.sudo().write(
                {"state": "proposed", "channel_plan": plan, "not_before": False}
            )
        queued = Run._cobranza_queue(self.sudo(), ("proposed",), user=self.env.user)
        if len(queued) <= Run._cobranza_pdf_chunk_size():
            Run._cobranza_deliver_chunk(queued.ids)
        else:
            queued.run_id._cobranza_dispatch_chunks()
        return True
