"""Demo: the legal ladder, one example of each record."""

from datetime import timedelta

from odoo import Command, fields, models


class CobranzaDemo(models.AbstractModel):
    _inherit = "cobranza.demo"

    def _demo_legal_ladder(self, moves):
        """A certified pre-report notice ready to send, a credit-bureau report
        waiting for its check, and a file handed over to an agency."""
        today = fields.Date.context_today(self)
        eligible = moves.filtered(
            lambda m: m.cobranza_in_collection
            and not m.cobranza_dispute
            and not m.cobranza_paused_until
            and m.cobranza_days_overdue > 60
        )

        def of(name):
            return eligible.filtered(lambda m: m.partner_id.name == name)

        andina = of("Café Altura")
        if andina:
            customer = andina.partner_id[:1]
            self.env["cobranza.certified.letter"].create(
                {
                    "partner_id": customer.id,
                    "invoice_ids": [Command.set(andina.ids)],
                    "purpose": "pre_report",
                    "carrier": "4-72",
                    "tracking_number": "RN512345678CO",
                    "payment_deadline": today + timedelta(days=10),
                }
            )
            self.env["cobranza.bureau.report"].create(
                {
                    "partner_id": customer.id,
                    "invoice_ids": [Command.set(andina.ids)],
                    "bureau": "datacredito",
                }
            )
        textiles = of("Estudio Contable Rivas")
        if textiles:
            agency = self.env["res.partner"].create(
                {"name": "Estudio Jurídico Cobranzas Rosario", "is_company": True}
            )
            self.env["cobranza.case"].create(
                {
                    "partner_id": textiles.partner_id[:1].id,
                    "invoice_ids": [Command.set(textiles.ids)],
                    "case_type": "agency",
                    "party_id": agency.id,
                    "commission_percent": 15.0,
                    "fee_agreement": "15 % de lo recuperado; gastos judiciales "
                    "documentados a cargo del deudor.",
                }
            )
