from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .cobranza_authority import RUN, granted, is_internal, parse_date

#: Fields of a run only its own buttons and the schedule write.
RUN_SYSTEM_FIELDS = {
    "state",
    "trigger",
    "user_id",
    "letter_attachment_id",
    "action_ids",
    "preview_ranges",
    "preview_range_count",
    "send_after_preview",
    "preview_by_jobs",
}

#: States an action may be deleted in, outside the run.
DELETABLE_STATES = ("proposed", "excluded", "cancelled")


class CobranzaAction(models.Model):
    """Who may make and change a collection action, whoever calls.

    Actions are proposed by the follow-up run from the policies, and only
    the run (or these transitions, after checking the user) changes their
    state, channels, compliance overrides or outcome. A Collections manager
    may hand an action that is not yet sent to another collector.
    """

    _inherit = "cobranza.action"

    @api.model_create_multi
    def create(self, vals_list):
        if not is_internal(self.env):
            raise AccessError(
                self.env._(
                    "Collection actions are proposed by the follow-up run from "
                    "the policy's levels: start a run (or wait for the daily "
                    "one) instead of making one by hand."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if not is_internal(self.env):
            self._check_user_write(vals)
        return super().write(vals)

    def _check_user_write(self, vals):
        if set(vals) - {"collector_id", "invoice_ids", "line_ids"}:
            raise AccessError(
                self.env._(
                    "A collection action changes only through its buttons "
                    "(exclude, include, send, retry, dismiss, override) and the "
                    "follow-up run."
                )
            )
        if "collector_id" in vals and not self.env.user.has_group(
            "cobranza_addon.cobranza_group_manager"
        ):
            raise AccessError(
                self.env._(
                    "Only a Collections manager can give an action to another "
                    "collector."
                )
            )
        if ({"invoice_ids", "line_ids"} & set(vals)) and not self.env.user.has_group(
            "cobranza_addon.cobranza_group_user"
        ):
            raise AccessError(
                self.env._(
                    "Only Collections users can take an invoice out of an action."
                )
            )
        if (
            "invoice_ids" in vals
            and not self._cobranza_only_removes(vals["invoice_ids"])
        ) or (
            # the form's invoice list: a line removed is its invoice removed
            "line_ids" in vals
            and not self._cobranza_only_removes_lines(vals["line_ids"])
        ):
            raise AccessError(
                self.env._(
                    "An invoice can be taken out of an action, not added: the "
                    "follow-up run decides what a message is about."
                )
            )
        if any(action.state not in ("proposed", "excluded") for action in self):
            raise UserError(self.env._("Only actions not yet sent can change."))

    def _cobranza_only_removes(self, commands):
        """Whether x2many ``commands`` only take invoices out of every action."""
        for command in commands or ():
            if not isinstance(command, list | tuple) or not command:
                return False
            if command[0] == fields.Command.UNLINK:
                continue
            if command[0] == fields.Command.SET:
                wanted = set(command[2] or ())
                if all(wanted <= set(action.invoice_ids.ids) for action in self):
                    continue
            return False
        return True

    def _cobranza_only_removes_lines(self, commands):
        """Whether x2many ``commands`` on ``line_ids`` only delete lines of
        these actions (no new line, no line changed)."""
        own = set(self.line_ids.ids)
        return all(
            isinstance(command, list | tuple)
            and len(command) >= 2
            and command[0] in (fields.Command.DELETE, fields.Command.UNLINK)
            and command[1] in own
            for command in commands or ()
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_pending(self):
        if is_internal(self.env):
            return
        if any(action.state not in DELETABLE_STATES for action in self):
            raise UserError(
                self.env._(
                    "Sent, failed, deferred and blocked actions are the collection "
                    "history: retry or dismiss them instead of deleting them."
                )
            )

    # Transitions: check the user, then let the action's own code write ------
    def _check_collections_user(self):
        if self.env.su:
            return
        if not self.env.user.has_group("cobranza_addon.cobranza_group_user"):
            raise AccessError(
                self.env._("Only Collections users can work on collection actions.")
            )
        self.check_access("write")

    def action_exclude(self):
        self._check_collections_user()
        with granted(RUN):
            return super().action_exclude()

    def action_include(self):
        self._check_collections_user()
        with granted(RUN):
            return super().action_include()

    def action_send_now(self):
        self._check_collections_user()
        with granted(RUN):
            return super().action_send_now()

    def action_override(self, rule_codes, justification):
        if not self.env.user.has_group("cobranza_addon.cobranza_group_manager"):
            raise AccessError(
                self.env._("Only a Collections manager can override a rule.")
            )
        self._check_collections_user()
        with granted(RUN):
            return super().action_override(rule_codes, justification)

    def action_retry(self):
        self._check_collections_user()
        with granted(RUN):
            return super().action_retry()

    def action_dismiss(self):
        self._check_collections_user()
        with granted(RUN):
            return super().action_dismiss()

    def action_invoice_charges(self):
        if not self.env.user.has_group("cobranza_addon.cobranza_group_manager"):
            raise AccessError(
                self.env._("Only a Collections manager can invoice collection charges.")
            )
        self.check_access("write")
        with granted(RUN):
            return super().action_invoice_charges()


class CobranzaRun(models.Model):
    """The run proposes, sends and cancels its actions as the addon's code."""

    _inherit = "cobranza.run"

    @api.model_create_multi
    def create(self, vals_list):
        if not is_internal(self.env):
            today = fields.Date.context_today(self)
            for vals in vals_list:
                self._check_run_vals(vals, today)
        return super().create(vals_list)

    def write(self, vals):
        if not is_internal(self.env):
            self._check_run_vals(vals, fields.Date.context_today(self))
        return super().write(vals)

    def _check_run_vals(self, vals, today):
        """A run by hand is today's: its date decides which levels are due."""
        defaults = {"state": "draft", "trigger": "manual", "user_id": self.env.uid}
        if not self:  # a new run: the client may send the defaults back
            vals = {k: v for k, v in vals.items() if v and defaults.get(k) != v}
        if set(vals) & RUN_SYSTEM_FIELDS:
            raise AccessError(
                self.env._(
                    "A follow-up run moves on through its buttons (preview, "
                    "send, cancel) only."
                )
            )
        if "date" in vals:
            day = parse_date(
                self.env,
                vals["date"],
                self._fields["date"]._description_string(self.env),
            )
            if day and day != today:
                raise AccessError(
                    self.env._(
                        "A follow-up run started by hand runs today: its date "
                        "decides which levels are due."
                    )
                )

    def action_send(self):
        self.check_access("write")
        with granted(RUN):
            return super().action_send()

    def _execute(self, actions):
        with granted(RUN):
            return super()._execute(actions)

    def action_preview(self):
        self.check_access("write")
        with granted(RUN):
            return super().action_preview()

    def action_cancel(self):
        self.check_access("write")
        with granted(RUN):
            return super().action_cancel()
