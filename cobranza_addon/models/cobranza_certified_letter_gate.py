"""The compliance gate of certified letters: the rules for letters, on the
letter's own content, before it leaves."""

from datetime import timezone

from odoo import models

from ..cobranza_core import compliance
from .cobranza_certified_letter import REPORT
from .mail_template import block_tags, html_text


class CobranzaCertifiedLetter(models.Model):
    _inherit = "cobranza.certified.letter"

    # Compliance gate ----------------------------------------------------------
    def _check_compliance(self, now):
        """Refuse the letters a rule blocks or defers now, with the reasons."""
        self.env["cobranza.contact"]._raise_refused(self, self._decisions(now))

    def _cobranza_refused_line(self, when, reasons):
        """Why the rules refuse this letter now."""
        self.ensure_one()
        if when:
            return self.env._(
                "%(letter)s may be sent from %(when)s (UTC) only: %(reasons)s",
                letter=self.name,
                when=when,
                reasons=reasons,
            )
        return self.env._(
            "%(letter)s may not be sent: %(reasons)s",
            letter=self.name,
            reasons=reasons,
        )

    def _cobranza_refused_message(self, problems):
        return self.env._(
            "The compliance rules do not allow this letter now.\n%(problems)s",
            problems=problems,
        )

    def _decisions(self, now):
        """One ``compliance.Decision`` per letter (``None``: no jurisdiction),
        for a letter with the content it will have. Rules, holidays, ledgers
        and events are read once for all letters."""
        checked = self.filtered("partner_id.cobranza_jurisdiction")
        if not checked:
            return [None] * len(self)
        partners = checked.partner_id
        codes = set(partners.mapped("cobranza_jurisdiction"))
        Contact = self.env["cobranza.contact"]
        context = {
            "rules": self.env["cobranza.rule"]._core_rules(
                self.company_id[:1] or self.env.company, codes
            ),
            "legal": self.env["cobranza.legal.param"]._core_values(codes),
            "holidays": self.env["cobranza.holiday"]._holidays_by_jurisdiction(codes),
            "ledgers": Contact._ledgers(partners.ids),
            "events": Contact._cobranza_event_dates(partners.ids),
            "at": now.replace(tzinfo=timezone.utc),
        }
        return [
            letter._decision(context) if letter in checked else None for letter in self
        ]

    def _decision(self, context):
        self.ensure_one()
        partner, company = self.partner_id, self.company_id
        html = self._content_html()
        tz, extra = partner._cobranza_timezones()
        factor = 10**company.currency_id.decimal_places
        due_dates = [d for d in self.invoice_ids.mapped("invoice_date_due") if d]
        events = dict(context["events"].get(partner.id, {}))
        if due_dates:
            events["due_date"] = min(due_dates)
        proposed = compliance.ProposedContact(
            at=context["at"],
            channel="letter",
            debtor_type=partner.cobranza_debtor_type or "business",
            actor_type=company.cobranza_actor_type or "creditor",
            tz=tz,
            extra_tzs=extra,
            jurisdiction=partner.cobranza_jurisdiction,
            content_tags=block_tags(html),
            text=html_text(html),
            envelope_text=partner._cobranza_envelope_text(),
            events=events,
            amount_cents=round(self.amount_due * factor),
            authorized_channels=partner._cobranza_authorized_channels(),
            recipient_tags=partner._cobranza_recipient_tags(),
            creditor_sector=company.cobranza_creditor_sector or None,
            debtor_person="legal" if partner.is_company else "natural",
            legal_values=context["legal"],
            currency_factor=factor,
        )
        return compliance.evaluate(
            proposed,
            context["rules"],
            context["ledgers"][partner.id],
            context["holidays"].get(
                partner.cobranza_jurisdiction.split("-")[0], frozenset()
            ),
        )

    def _content_html(self):
        """The letter's text as HTML, in the customer's language (what the
        content rules read)."""
        self.ensure_one()
        html, __ = (
            self.env["ir.actions.report"].sudo()._render_qweb_html(REPORT, self.ids)
        )
        return html.decode() if isinstance(html, bytes) else html
