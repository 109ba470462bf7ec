"""Manual SMS respect the contact stop of cases.

Odoo's SMS composer (a single SMS from a customer or an invoice, or a mass
SMS) sends nothing to a customer on whose open case a cease request, a
lawsuit served or an insolvency was recorded; it says why.
"""

from odoo import models
from odoo.exceptions import UserError


class SmsComposer(models.TransientModel):
    _inherit = "sms.composer"

    def _action_send_sms(self):
        self._cobranza_check_contact_stops()
        return super()._action_send_sms()

    def _cobranza_check_contact_stops(self):
        if self.composition_mode == "numbers":
            return
        records = self._get_records()
        if not records:
            return
        if records._name == "res.partner":
            partners = records
        elif records._fields.get("partner_id") and (
            records._fields["partner_id"].comodel_name == "res.partner"
        ):
            partners = records.partner_id
        else:
            return
        Case = self.env["cobranza.case"]
        stops = Case._cobranza_contact_stops(
            self.env.company, partners.commercial_partner_id.ids
        )
        if stops:
            raise UserError(
                "\n".join(Case._cobranza_stop_reason(row) for row in stops.values())
            )
