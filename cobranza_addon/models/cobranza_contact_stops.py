"""Manual emails respect the contact stop of cases.

A cease request, a lawsuit served or an insolvency recorded on an open case
stops every channel to the customer (``cobranza.case._cobranza_contact_stops``).
Every email written outside the run (chatter, statements, payment plan and
promise messages) is checked by ``_evaluate_emails``: for such a customer the
decision is a block, rendered and held like a rule's.
"""

from odoo import api, models


class CobranzaContact(models.Model):
    _inherit = "cobranza.contact"

    @api.model
    def _evaluate_emails(self, emails, now, company=None, overrides=()):
        decisions = super()._evaluate_emails(
            emails, now, company=company, overrides=overrides
        )
        Case = self.env["cobranza.case"]
        stops = Case._cobranza_contact_stops(
            company or self.env.company,
            {partner.commercial_partner_id.id for partner, _s, _b in emails},
        )
        if not stops:
            return decisions
        return [
            Case._cobranza_stop_decision(stops[partner.commercial_partner_id.id])
            if partner.commercial_partner_id.id in stops
            else decision
            for (partner, _s, _b), decision in zip(emails, decisions, strict=True)
        ]
