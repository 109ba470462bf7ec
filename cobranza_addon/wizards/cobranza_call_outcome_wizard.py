from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.cobranza_contact import CALL_OUTCOMES


class CobranzaCallOutcomeWizard(models.TransientModel):
    """Mark a call task done with its outcome. Reached, promise made and
    dispute raised are effective contacts; a promise opens the promise form,
    a dispute the dispute wizard."""

    _name = "cobranza.call.outcome.wizard"
    _description = "Call outcome"

    activity_id = fields.Many2one("mail.activity", required=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", compute="_compute_partner_id")
    outcome = fields.Selection(CALL_OUTCOMES, required=True, default="reached")
    note = fields.Text(string="Notes")

    @api.depends("activity_id")
    def _compute_partner_id(self):
        for wizard in self:
            activity = wizard.activity_id
            wizard.partner_id = (
                self.env["res.partner"].browse(activity.res_id)
                if activity.res_model == "res.partner"
                else False
            )

    def action_confirm(self):
        self.ensure_one()
        activity = self.activity_id
        if not self.partner_id:
            raise UserError(
                self.env._("Only a task on a customer can record a call outcome.")
            )
        # The collector must be allowed to close this task (mail's own rules).
        activity.check_access("write")
        partner = self.partner_id.commercial_partner_id
        outcome = self.outcome
        labels = dict(self._fields["outcome"]._description_selection(self.env))
        feedback = self.env._("Call outcome: %(outcome)s", outcome=labels[outcome])
        if self.note:
            feedback = f"{feedback}\n{self.note}"
        activity.cobranza_call_outcome = outcome
        # Done deletes the task, and this wizard with it: read it first.
        activity.action_feedback(feedback=feedback)
        invoices = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", partner.id),
                ("cobranza_in_collection", "=", True),
            ]
        )
        if outcome == "promise":
            return {
                "type": "ir.actions.act_window",
                "res_model": "cobranza.promise",
                "view_mode": "form",
                "target": "current",
                "context": {
                    "default_partner_id": partner.id,
                    "default_invoice_ids": invoices.ids,
                },
            }
        if outcome == "dispute":
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Dispute"),
                "res_model": "cobranza.dispute.wizard",
                "view_mode": "form",
                "target": "new",
                "context": {"active_model": "account.move", "active_ids": invoices.ids},
            }
        return {"type": "ir.actions.act_window_close"}
