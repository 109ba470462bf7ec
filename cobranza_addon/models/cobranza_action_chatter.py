from markupsafe import Markup

from odoo import api, models


class CobranzaAction(models.Model):
    """Every status change of an action says why, in the action's chatter."""

    _name = "cobranza.action"
    _inherit = ["cobranza.action", "mail.thread"]

    @api.model_create_multi
    def create(self, vals_list):
        # Actions are many: no follower nor creation message per action.
        return super(
            CobranzaAction,
            self.with_context(mail_create_nosubscribe=True, mail_create_nolog=True),
        ).create(vals_list)

    def write(self, vals):
        state = vals.get("state")
        before = {action.id: action.state for action in self} if state else {}
        result = super().write(vals)
        if state:
            changed = self.filtered(lambda a: before.get(a.id) != state)
            if changed:
                changed._log_state_change(before, state, vals)
        return result

    def _log_state_change(self, before, state, vals):
        labels = dict(self._fields["state"]._description_selection(self.env))
        user = self.env.user
        bodies = {}
        for action in self:
            why = vals.get("note")
            if not why and state in ("blocked", "deferred", "failed", "done"):
                why = action.note
            if not why and action.compliance_rules and state in ("blocked", "deferred"):
                why = self.env._("Rules: %(rules)s", rules=action.compliance_rules)
            if not why:
                why = self.env._("By %(user)s.", user=user.name)
            lines = [line for line in (why or "").splitlines() if line.strip()]
            body = Markup("<b>%s</b>") % self.env._(
                "%(old)s → %(new)s",
                old=labels.get(before.get(action.id), ""),
                new=labels.get(state, state),
            )
            bodies[action.id] = Markup("<br/>").join([body, *lines])
        self.sudo()._cobranza_log_batch(bodies)
