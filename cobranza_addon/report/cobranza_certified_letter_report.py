from odoo import api, fields, models
from odoo.tools import format_date

from ..cobranza_core import certified
from .cobranza_letter_report import letter_date


class ReportCobranzaCertifiedLetter(models.AbstractModel):
    """A certified demand letter, in the customer's language.

    The text is the report's own (translated with the view, greeting and
    kind of letter included); dates and invoice rows are prepared here in
    the customer's language.
    """

    _name = "report.cobranza_addon.report_cobranza_certified_letter"
    _description = "Certified demand letter"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["cobranza.certified.letter"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "cobranza.certified.letter",
            "docs": docs,
            "letters": {letter.id: self._letter(letter) for letter in docs},
        }

    @api.model
    def _letter(self, letter):
        lang = letter.partner_id.lang or self.env.lang or "en_US"
        day = letter.date_sent or fields.Date.context_today(letter)
        rows = [
            {
                "name": invoice.name,
                "date": format_date(self.env, invoice.invoice_date, lang_code=lang),
                "due": format_date(self.env, invoice.invoice_date_due, lang_code=lang),
                "days": max((day - invoice.invoice_date_due).days, 0)
                if invoice.invoice_date_due
                else 0,
                "amount": invoice.amount_residual_signed,
            }
            for invoice in letter.invoice_ids.sorted(
                lambda inv: (inv.invoice_date_due or day, inv.name or "")
            )
        ]
        return {
            "date": letter_date(self.env, day, lang),
            "place": letter.company_id.partner_id.city or "",
            "deadline": letter_date(self.env, letter.payment_deadline, lang),
            "addressee": letter.partner_id._cobranza_addressee(),
            "kind": certified.letter_kind(letter.partner_id.cobranza_jurisdiction),
            "rows": rows,
        }
