from odoo import fields, models

from ..cobranza_core import cases
from ..models.cobranza_contact_events import EVENT_SELECTION


class CobranzaCaseEventWizard(models.TransientModel):
    """Record a dated event of a case's customer (a cease request, a
    refusal to pay, a lawsuit served, an insolvency)."""

    _name = "cobranza.case.event.wizard"
    _description = "Record an Event on a Collection Case"

    case_id = fields.Many2one("cobranza.case", required=True, readonly=True)
    partner_id = fields.Many2one(related="case_id.partner_id")
    event = fields.Selection(
        [item for item in EVENT_SELECTION if item[0] in cases.CASE_EVENTS],
        required=True,
    )
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        help="The day it happened (received, served, opened), not today's.",
    )
    note = fields.Char(help="E.g. the letter's reference or the court file.")

    def action_confirm(self):
        self.ensure_one()
        self.case_id.action_record_event(self.event, self.date, self.note)
        return {"type": "ir.actions.act_window_close"}
