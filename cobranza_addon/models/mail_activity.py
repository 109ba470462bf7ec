from odoo import api, fields, models

from .cobranza_contact import CALL_OUTCOMES


class MailActivity(models.Model):
    """A collector's call task: when it is done, its outcome goes to the
    contact ledger so the frequency caps count real contacts."""

    _inherit = "mail.activity"

    cobranza_call_task = fields.Boolean(
        string="Collection call task",
        compute="_compute_cobranza_call_task",
        help="A task on a customer with invoices in collection.",
    )
    cobranza_call_outcome = fields.Selection(CALL_OUTCOMES, string="Call outcome")

    @api.depends("res_model", "res_id")
    def _compute_cobranza_call_task(self):
        on_partner = self.filtered(lambda a: a.res_model == "res.partner")
        partners = self.env["res.partner"].browse(on_partner.mapped("res_id")).exists()
        debtors = self.env["cobranza.contact"]._debtors_in_collection(partners)
        for activity in self:
            activity.cobranza_call_task = (
                activity in on_partner
                and self.env["res.partner"]
                .browse(activity.res_id)
                .commercial_partner_id
                in debtors
            )

    def _action_done(self, feedback=False, attachment_ids=None):
        logged = self.filtered(lambda a: a.cobranza_call_outcome)
        Contact = self.env["cobranza.contact"]
        for activity in logged:
            partner = self.env["res.partner"].browse(activity.res_id)
            Contact._log_call_outcome(partner, activity.cobranza_call_outcome)
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)

    def action_cobranza_log_call(self):
        """Open the outcome wizard (the call task's "Done" for collectors)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Call outcome"),
            "res_model": "cobranza.call.outcome.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_activity_id": self.id},
        }
