from odoo import api, fields, models

from ..cobranza_core import aging

#: Same keys and labels as the aging report, in bucket order.
AGING_SELECTION = [
    ("not_due", "Not due"),
    ("1_30", "1-30"),
    ("31_60", "31-60"),
    ("61_90", "61-90"),
    ("91_120", "91-120"),
    ("over_120", "Over 120"),
]


class AccountMove(models.Model):
    _inherit = "account.move"

    cobranza_aging_bucket = fields.Selection(
        AGING_SELECTION,
        string="Aging",
        compute="_compute_cobranza_aging_bucket",
        help="Aging bucket of the invoice today, from its due date.",
    )

    @api.depends("invoice_date_due", "cobranza_in_collection")
    def _compute_cobranza_aging_bucket(self):
        today = fields.Date.context_today(self)
        for move in self:
            if move.cobranza_in_collection and move.invoice_date_due:
                move.cobranza_aging_bucket = aging.bucket_for(
                    aging.days_past_due(move.invoice_date_due, today)
                )
            else:
                move.cobranza_aging_bucket = False

    def action_open_cobranza_customer(self):
        """The collection view of this invoice's customer."""
        self.ensure_one()
        return self.commercial_partner_id.action_open_cobranza_collection()

    def _cobranza_not_of(self, partner, currency=None, posted=True):
        """The moves of ``self`` a collection record of ``partner`` cannot
        hold: not a customer invoice of its commercial partner, not posted
        (unless ``posted`` is False) or, with ``currency``, in another one.
        Payment plans, promises, certified letters, bureau reports and cases
        all check their invoices with it."""
        customer = partner.commercial_partner_id
        return self.filtered(
            lambda m: m.move_type != "out_invoice"
            or m.commercial_partner_id != customer
            or (posted and m.state != "posted")
            or (currency is not None and m.currency_id != currency)
        )
