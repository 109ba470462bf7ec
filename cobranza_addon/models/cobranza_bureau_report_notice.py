"""From a refused credit-bureau report to the notice it is missing."""

from odoo import models


class CobranzaBureauReport(models.Model):
    _inherit = "cobranza.bureau.report"

    def action_pre_report_notice(self):
        """A certified letter warning of the report (purpose *pre-report
        notice*), for this customer and these invoices: its delivery date is
        what the waiting period counts from.

        A pre-report notice of this customer still in draft or waiting for
        its delivery is opened instead of a new one: a second letter would
        be a second notice to print, send and pay for.
        """
        self.ensure_one()
        Letter = self.env["cobranza.certified.letter"]
        pending = self._pending_pre_report_notice()
        if pending:
            Letter._check_collector()
            action = {
                "type": "ir.actions.act_window",
                "res_model": Letter._name,
                "res_id": pending.id,
                "view_mode": "form",
                "views": [(False, "form")],
                "target": "current",
            }
        else:
            action = Letter._action_new(
                self.partner_id.commercial_partner_id, self.invoice_ids
            )
            action["context"] = {**action["context"], "default_purpose": "pre_report"}
        action["name"] = self.env._("Send the pre-report notice")
        return action

    def _pending_pre_report_notice(self):
        """The latest pre-report notice of this customer not yet delivered
        nor returned (draft or sent), if any."""
        self.ensure_one()
        return self.env["cobranza.certified.letter"].search(
            [
                ("partner_id", "=", self.partner_id.commercial_partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("purpose", "=", "pre_report"),
                ("state", "in", ("draft", "sent")),
            ],
            order="id desc",
            limit=1,
        )
