from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

OUTCOMES = [
    ("reached", "Spoke with the customer"),
    ("promise", "The customer promised to pay"),
    ("dispute", "The customer disputes an invoice"),
    ("no_answer", "No answer"),
    ("wrong_number", "Wrong number"),
]


class CobranzaCallWizard(models.TransientModel):
    """Log a call with a customer: chatter, contact ledger, call tasks done."""

    _name = "cobranza.call.wizard"
    _description = "Log a Collection Call"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    outcome = fields.Selection(OUTCOMES, required=True, default="reached")
    note = fields.Text(string="Call notes")
    promise_date = fields.Date(string="Promised for")
    promise_amount = fields.Monetary(
        string="Promised amount", currency_field="currency_id"
    )
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id
    )

    @api.onchange("outcome")
    def _onchange_outcome(self):
        if self.outcome == "promise" and not self.promise_amount:
            self.promise_amount = self.partner_id.cobranza_total_overdue

    def action_log(self):
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        if not self.env.user.has_group("cobranza_addon.cobranza_group_user"):
            raise UserError(self.env._("Only collectors can log collection calls."))
        if self.outcome == "promise" and not self.promise_date:
            raise UserError(self.env._("Give the date the customer promised to pay."))
        labels = dict(self._fields["outcome"]._description_selection(self.env))
        body = Markup("<b>%s</b>: %s") % (self.env._("Call"), labels[self.outcome])
        if self.note:
            body += Markup("<br/>") + self.note
        partner.message_post(
            body=body,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            author_id=self.env.user.partner_id.id,
        )
        reached = self.outcome in ("reached", "promise", "dispute")
        self.env["cobranza.contact"].sudo().create(
            {
                "company_id": self.env.company.id,
                "partner_id": partner.id,
                "channel": "call",
                "outcome": "allowed",
                "origin": "manual",
                "tags": "effective_contact" if reached else False,
                "reason": labels[self.outcome]
                + (("\n" + self.note) if self.note else ""),
                "res_model": "res.partner",
                "res_id": partner.id,
                "user_id": self.env.user.id,
            }
        )
        self._done_call_tasks(partner)
        if self.outcome == "promise":
            return self._record_promise(partner)
        return True

    def _done_call_tasks(self, partner):
        """The call tasks due on this customer are done by this call."""
        call_type = self.env.ref("mail.mail_activity_data_call")
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("activity_type_id", "=", call_type.id),
                ("date_deadline", "<=", fields.Date.context_today(self)),
            ]
        )
        if activities:
            activities.action_feedback(feedback=self.note or False)

    def _record_promise(self, partner):
        invoices = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", partner.id),
                ("company_id", "=", self.env.company.id),
                ("cobranza_in_collection", "=", True),
                ("cobranza_dispute", "=", False),
                ("cobranza_days_overdue", ">", 0),
            ]
        )
        if not invoices:
            raise UserError(
                self.env._("This customer has no overdue invoice to promise.")
            )
        currency = invoices[:1].currency_id
        invoices = invoices.filtered(lambda m: m.currency_id == currency)
        self.env["cobranza.promise"].create(
            {
                "partner_id": partner.id,
                "invoice_ids": [fields.Command.set(invoices.ids)],
                "amount": self.promise_amount
                or sum(invoices.mapped("amount_residual")),
                "promise_date": self.promise_date,
                "note": self.note,
            }
        )
        return True
