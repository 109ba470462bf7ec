"""From a refused credit-bureau report to the notice it is missing."""

from odoo import models


class CobranzaBureauReport(models.Model):
    _inherit = "cobranza.bureau.report"

    def action_pre_report_notice(self):
        """A certified letter warning of the report (purpose *pre-report
        notice*), for this customer and these invoices: its delivery date is
        what the waiting period counts from."""
        self.ensure_one()
        action = self.env["cobranza.certified.letter"]._action_new(
            self.partner_id.commercial_partner_id, self.invoice_ids
        )
        action["name"] = self.env._("Send the pre-report notice")
        action["context"] = {**action["context"], "default_purpose": "pre_report"}
        return action
