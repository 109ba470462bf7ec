"""What the template set needs from an action to word its message.

The wording itself lives in the templates (one body per language, so that
each language chooses its own greeting and its own singular or plural
sentence); these helpers only give them language-neutral facts: who the
addressee is, which invoices are overdue and which are not yet due, their
totals, and a pay link that works without a portal account.
"""

from odoo import models
from odoo.tools import SQL, format_amount

#: Titles (res.partner.title) that tell the grammatical gender of a person.
FEMININE_TITLES = ("base.res_partner_title_madam", "base.res_partner_title_miss")
MASCULINE_TITLES = ("base.res_partner_title_mister",)


class CobranzaAction(models.Model):
    _inherit = "cobranza.action"

    # Addressee ---------------------------------------------------------------
    def _cobranza_addressee(self):
        """How to greet the customer (see res.partner._cobranza_addressee)."""
        self.ensure_one()
        return self.partner_id._cobranza_addressee()

    def _cobranza_addressee_name(self):
        self.ensure_one()
        return self.partner_id.name or ""

    # Invoices by status ------------------------------------------------------
    def _cobranza_days_late(self, invoice):
        """Days ``invoice`` is past due on the action's date (<= 0: not due)."""
        self.ensure_one()
        if not invoice.invoice_date_due:
            return 0
        return (self.date - invoice.invoice_date_due).days

    def _cobranza_overdue_invoices(self):
        """The action's invoices past due on its date, oldest first."""
        self.ensure_one()
        return self.invoice_ids.filtered(
            lambda inv: self._cobranza_days_late(inv) > 0
        ).sorted(lambda inv: (inv.invoice_date_due, inv.name or ""))

    def _cobranza_upcoming_invoices(self):
        """The action's invoices due today or later, soonest first."""
        self.ensure_one()
        return self.invoice_ids.filtered(
            lambda inv: self._cobranza_days_late(inv) <= 0
        ).sorted(lambda inv: (inv.invoice_date_due or self.date, inv.name or ""))

    def _cobranza_totals(self, invoices):
        """[(currency, residual)] of ``invoices``, by currency name."""
        totals = {}
        for move in invoices:
            totals[move.currency_id] = (
                totals.get(move.currency_id, 0.0) + move.amount_residual
            )
        return sorted(totals.items(), key=lambda item: item[0].name)

    def _cobranza_amount_text(self, scope="all"):
        """What the customer owes on the ``scope`` invoices (``overdue``,
        ``upcoming`` or ``all``; all when the scope has none), computed from
        the invoices now and formatted in the rendering language: "$ 243.00",
        or "$ 243.00 + € 10.00" across currencies. For SMS texts."""
        self.ensure_one()
        invoices = {
            "overdue": self._cobranza_overdue_invoices,
            "upcoming": self._cobranza_upcoming_invoices,
        }.get(scope, lambda: self.invoice_ids)() or self.invoice_ids
        return " + ".join(
            format_amount(self.env, amount, currency)
            for currency, amount in self._cobranza_totals(invoices)
        )

    # Pay links ---------------------------------------------------------------
    def _cobranza_pay_url(self, invoice=None):
        """Absolute URL where the customer sees and pays ``invoice`` (or the
        action's only invoice, or its payment plan) without logging in: the
        portal page of the document with its access token, as Odoo's own
        invoice emails link it."""
        self.ensure_one()
        if not invoice and self.plan_id:
            plan = self.plan_id.sudo()
            return plan.get_base_url() + plan.get_portal_url()
        invoice = (invoice or self._cobranza_most_urgent_invoice()).sudo()
        if not invoice:
            return self.get_base_url() + "/my/invoices"
        return invoice.get_base_url() + invoice.get_portal_url()

    def _cobranza_ensure_pay_tokens(self):
        """Give every invoice of these actions its portal access token, in
        one statement, before the pay links are rendered.

        ``get_portal_url`` otherwise writes a missing token one invoice at a
        time through ``account.move.write`` (which re-synchronises the
        move's lines): about 50 ms per invoice, most of a delivery chunk's
        time on a book whose invoices were never sent from Odoo. The token
        is the same kind portal makes (a random UUID)."""
        invoices = self.invoice_ids.filtered(lambda m: not m.access_token)
        if not invoices:
            return
        invoices.flush_recordset(["access_token"])
        self.env.execute_query(
            SQL(
                "UPDATE account_move SET access_token = gen_random_uuid()::text"
                " WHERE id = ANY(%s) AND access_token IS NULL",
                invoices.ids,
            )
        )
        # read the new tokens back in one query: the pay links then find
        # them in the cache instead of fetching each action's invoices
        invoices.invalidate_recordset(["access_token"])
        invoices.fetch(["access_token"])

    def _cobranza_most_urgent_invoice(self):
        """The invoice an SMS links to: the oldest overdue one, else the
        next one to fall due."""
        self.ensure_one()
        return (
            self._cobranza_overdue_invoices() or self._cobranza_upcoming_invoices()
        )[:1]


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _cobranza_addressee(self):
        """How a message greets this partner: ``company``, ``female``,
        ``male`` or ``person`` (a person whose gender we do not know).

        A company is greeted collectively ("Estimados señores:"); a person by
        name, with the gendered adjective only when the contact's title tells
        the gender ("Estimada Lucía Fernández:"). Templates greet ``person``
        with the name alone ("Lucía Fernández:"), never with "Estimado/a".
        """
        self.ensure_one()
        if self.is_company or not self.name:
            return "company"
        if not self.title:
            return "person"
        for gender, xmlids in (("female", FEMININE_TITLES), ("male", MASCULINE_TITLES)):
            titles = [self.env.ref(x, raise_if_not_found=False) for x in xmlids]
            if self.title in titles:
                return gender
        return "person"
