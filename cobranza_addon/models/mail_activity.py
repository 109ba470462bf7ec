from odoo import api, fields, models
from odoo.exceptions import UserError

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

    @api.model_create_multi
    def create(self, vals_list):
        activities = super().create(vals_list)
        activities._cobranza_check_contact_stop()
        return activities

    def _cobranza_check_contact_stop(self):
        """No call task for a customer whose contact a case stopped (a cease
        request, a lawsuit served, an insolvency on an open case)."""
        calls = self.filtered(
            lambda a: a.res_model in ("res.partner", "account.move")
            and a.activity_type_id.category == "phonecall"
        )
        if not calls:
            return
        partners = self.env["res.partner"]
        for activity in calls:
            record = self.env[activity.res_model].sudo().browse(activity.res_id)
            partners |= record.commercial_partner_id
        stops = self.env["cobranza.case"]._cobranza_contact_stops(
            self.env.company, partners.ids
        )
        for partner in partners.filtered(lambda p: p.id in stops):
            raise UserError(
                self.env._(
                    "No call task for %(partner)s. %(why)s",
                    partner=partner.display_name,
                    why=self.env["cobranza.case"]._cobranza_stop_reason(
                        stops[partner.id]
                    ),
                )
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
