from datetime import timedelta

from odoo import api, fields, models

from ..cobranza_core.aging import BUCKET_KEYS
from .cobranza_letter_report import letter_date

#: Days of payments shown when the period is not given.
DEFAULT_PERIOD_DAYS = 90


class ReportCobranzaStatement(models.AbstractModel):
    """Statement of account (estado de cuenta) of customers, per company.

    Open items and aging come from the aging report (``cobranza.aging.report``),
    so both always agree; payments received in the period, active payment
    plans and open promises complete it. Gathered in a few queries for all
    the customers, then grouped.
    """

    _name = "report.cobranza_addon.report_cobranza_statement"
    _description = "Statement of account"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        docs = self.env["res.partner"].browse(docids)
        date_to = fields.Date.to_date(data.get("date_to")) or fields.Date.context_today(
            self
        )
        date_from = fields.Date.to_date(data.get("date_from")) or (
            date_to - timedelta(days=DEFAULT_PERIOD_DAYS)
        )
        company = self.env.company
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": docs,
            "company": company,
            "statements": self._statements(docs, company, date_from, date_to),
            "bucket_keys": BUCKET_KEYS,
        }

    @api.model
    def _statements(self, partners, company, date_from, date_to):
        """``{partner_id: dict}``: the statement data of each customer."""
        commercial = partners.commercial_partner_id
        rows = self._open_items(commercial, company)
        payments = self._payments(commercial, company, date_from, date_to)
        plans = self._plans(commercial, company)
        promises = self._promises(commercial, company)
        result = {}
        for partner in partners:
            key = partner.commercial_partner_id
            lang = partner.lang or self.env.lang or "en_US"
            items = rows.get(key, [])
            buckets = {
                bucket: sum(row[f"amount_{bucket}"] for row in items)
                for bucket in BUCKET_KEYS
            }
            total = sum(row.amount_residual for row in items)
            result[partner.id] = {
                "customer": key,
                "lang": lang,
                "currency": company.currency_id,
                "items": items,
                "buckets": buckets,
                "total": total,
                "overdue": total - buckets["not_due"],
                "payments": payments.get(key, []),
                "payments_total": sum(
                    p.amount_company_currency_signed for p in payments.get(key, [])
                ),
                "plans": plans.get(key, []),
                "promises": promises.get(key, []),
                "date": letter_date(self.env, date_to, lang),
                "date_from": date_from,
                "date_to": date_to,
                "place": company.partner_id.city or "",
            }
        return result

    @api.model
    def _open_items(self, partners, company):
        rows = self.env["cobranza.aging.report"].search(
            [("partner_id", "in", partners.ids), ("company_id", "=", company.id)],
            order="date_due, id",
        )
        return rows.grouped("partner_id")

    @api.model
    def _payments(self, partners, company, date_from, date_to):
        payments = self.env["account.payment"].search(
            [
                ("partner_id", "child_of", partners.ids),
                ("company_id", "=", company.id),
                ("partner_type", "=", "customer"),
                ("payment_type", "=", "inbound"),
                ("state", "in", ("in_process", "paid")),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ],
            order="date, id",
        )
        return payments.grouped(lambda p: p.partner_id.commercial_partner_id)

    @api.model
    def _plans(self, partners, company):
        plans = self.env["cobranza.payment.plan"].search(
            [
                ("partner_id", "in", partners.ids),
                ("company_id", "=", company.id),
                ("state", "=", "active"),
            ],
            order="date_start, id",
        )
        return plans.grouped(lambda p: p.partner_id.commercial_partner_id)

    @api.model
    def _promises(self, partners, company):
        promises = self.env["cobranza.promise"].search(
            [
                ("partner_id", "child_of", partners.ids),
                ("company_id", "=", company.id),
                ("state", "=", "open"),
            ],
            order="promise_date, id",
        )
        return promises.grouped(lambda p: p.partner_id.commercial_partner_id)
