"""The stage ladder follows certified letters: a formal demand or a
pre-report notice sent takes its invoices to *Extrajudicial* (forward only,
as the run does: an invoice already further on the ladder stays)."""

from odoo import models

#: Purposes that are a formal, extrajudicial step.
EXTRAJUDICIAL_PURPOSES = ("demand", "pre_report")


class CobranzaCertifiedLetter(models.Model):
    _inherit = "cobranza.certified.letter"

    def action_send(self):
        result = super().action_send()
        self._cobranza_move_to_extrajudicial()
        return result

    def _cobranza_move_to_extrajudicial(self):
        stage = self.env.ref("cobranza_addon.cobranza_stage_extrajudicial")
        invoices = self.filtered(
            lambda letter: letter.purpose in EXTRAJUDICIAL_PURPOSES
        ).invoice_ids.sudo()
        behind = invoices.filtered(
            lambda m: m.cobranza_in_collection
            and (m.cobranza_stage_id.sequence or 0) < stage.sequence
        )
        if behind:
            # the letter moves them, not a person: not a manual escalation
            behind._cobranza_run_write({"cobranza_stage_id": stage.id})
