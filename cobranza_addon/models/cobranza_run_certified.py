from odoo import Command, models

from .cobranza_authority import granted
from .cobranza_certified_letter import CERTIFIED


class CobranzaRun(models.Model):
    _inherit = "cobranza.run"

    def _render_letters(self, actions):
        """Also draft a certified letter for each letter of a level marked
        *certified letter* (the print room completes and sends it)."""
        res = super()._render_letters(actions)
        invoices = {
            action.id: action.invoice_ids.filtered(
                lambda inv: inv.move_type == "out_invoice"
            )
            for action in actions.filtered("level_id.certified_letter")
        }
        drafted = (
            self.env["cobranza.certified.letter"]
            .sudo()
            .search([("action_id", "in", list(invoices))])
            .action_id
        )
        certified = actions.filtered(
            lambda action: invoices.get(action.id) and action not in drafted
        )
        if certified:
            with granted(CERTIFIED):
                self.env["cobranza.certified.letter"].sudo().create(
                    [
                        {
                            "company_id": action.company_id.id,
                            "partner_id": action.partner_id.commercial_partner_id.id,
                            "invoice_ids": [Command.set(invoices[action.id].ids)],
                            "purpose": "demand",
                            "action_id": action.id,
                        }
                        for action in certified
                    ]
                )
        return res
