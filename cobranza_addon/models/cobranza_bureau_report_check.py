"""The compliance check of a credit-bureau report, and what a report logs.

Built like the run's gate (``cobranza_run_compliance._proposed_contact``):
the engine gets a ``ProposedContact`` of kind ``bureau_report`` with the
ledger events of the customer (delivered notices, conversations), the
oldest due date and the payment date.
"""

from datetime import timezone
from zoneinfo import ZoneInfo

from markupsafe import Markup

from odoo import fields, models
from odoo.tools import format_date, formatLang

from ..cobranza_core import bureau as core
from ..cobranza_core import compliance

#: The channel a report is checked and logged on (a file sent to a bureau).
REPORT_CHANNEL = "letter"


class CobranzaBureauReport(models.Model):
    _inherit = "cobranza.bureau.report"

    # ------------------------------------------------------------------
    # The compliance check
    # ------------------------------------------------------------------
    def _jurisdiction(self):
        self.ensure_one()
        return self.partner_id.cobranza_jurisdiction or self.country_id.code or False

    def _bureau_gate(self):
        """What the checks of these reports read: one query per kind."""
        jurisdictions = {r._jurisdiction() for r in self} - {False}
        partners = self.partner_id
        return {
            "now": fields.Datetime.now().replace(tzinfo=timezone.utc),
            "rules": {
                company: self.env["cobranza.rule"]._core_rules(company, jurisdictions)
                for company in self.company_id
            },
            "legal_values": self.env["cobranza.legal.param"]._core_values(
                jurisdictions
            ),
            "holidays": self.env["cobranza.holiday"]._holidays_by_jurisdiction(
                jurisdictions
            ),
            "ledger": self.env["cobranza.contact"]._ledgers(partners.ids),
            "events": self.env["cobranza.contact"]._cobranza_event_dates(partners.ids),
        }

    def _bureau_events(self, gate):
        self.ensure_one()
        events = dict(gate["events"].get(self.partner_id.id, {}))
        due_dates = [d for d in self.invoice_ids.mapped("invoice_date_due") if d]
        if due_dates:
            events["due_date"] = min(due_dates)
        if self.settled_date:
            events["paid"] = self.settled_date
        return events

    def _proposed_report(self, gate):
        """The report as the engine sees it (cf. the run's ``_proposed_contact``)."""
        self.ensure_one()
        partner = self.partner_id
        company = self.company_id
        tz, extra_tzs = partner._cobranza_timezones()
        currency_factor = 10**company.currency_id.decimal_places
        disputed = any(self.invoice_ids.mapped("cobranza_dispute"))
        return compliance.ProposedContact(
            at=gate["now"],
            channel=REPORT_CHANNEL,
            kind="bureau_report",
            debtor_type=self.debtor_type or "business",
            actor_type=company.cobranza_actor_type or "creditor",
            tz=tz,
            extra_tzs=extra_tzs,
            jurisdiction=self._jurisdiction(),
            events=self._bureau_events(gate),
            amount_cents=round(self.amount_open * currency_factor),
            debt_tags={"disputed"} if disputed else set(),
            authorized_channels=partner._cobranza_authorized_channels(),
            recipient_tags=partner._cobranza_recipient_tags(),
            creditor_sector=company.cobranza_creditor_sector or None,
            debtor_person=self.debtor_person,
            unit_values=company._cobranza_unit_values(),
            legal_values=gate["legal_values"],
            currency_factor=currency_factor,
        )

    def _bureau_decisions(self):
        """``{report id: compliance.Decision or None}`` (None: no jurisdiction)."""
        gate = self._bureau_gate()
        decisions = {}
        for report in self:
            jurisdiction = report._jurisdiction()
            if not jurisdiction:
                decisions[report.id] = None
                continue
            decisions[report.id] = compliance.evaluate(
                report._proposed_report(gate),
                gate["rules"][report.company_id],
                gate["ledger"][report.partner_id.id],
                gate["holidays"].get(jurisdiction.split("-")[0], frozenset()),
            )
        return decisions

    def _decision_vals(self, decision):
        """The decision as the report shows it, in the user's language."""
        self.ensure_one()
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        if decision is None:
            return {
                "decision_outcome": "allow",
                "decision_text": self.env._(
                    "The customer has no collection jurisdiction: no rule was "
                    "checked (%(date)s).",
                    date=format_date(self.env, today),
                ),
                "allowed_from": False,
                "missing_events": False,
                "rule_ids_text": False,
                "checked_on": now,
            }
        tz = ZoneInfo(self.partner_id._cobranza_timezones()[0])
        allowed_from = (
            decision.not_before.astimezone(tz).date()
            if decision.outcome == "defer" and decision.not_before
            else False
        )
        if decision.outcome == "allow":
            head = self.env._("Allowed on %(date)s.", date=format_date(self.env, today))
        elif allowed_from:
            head = self.env._(
                "Refused: allowed from %(date)s.",
                date=format_date(self.env, allowed_from),
            )
        else:
            head = self.env._("Refused.")
        reasons = self.env["cobranza.compliance.message"]._render_decision(
            decision, sep="\n"
        )
        return {
            "decision_outcome": decision.outcome,
            "decision_text": "\n".join(part for part in (head, reasons) if part),
            "allowed_from": allowed_from,
            "missing_events": self._missing_events_text(decision) or False,
            "rule_ids_text": ",".join(sorted({r.rule_id for r in decision.reasons}))
            or False,
            "checked_on": now,
        }

    def _missing_events_text(self, decision):
        label = self.env["cobranza.compliance.message"]._event_label
        missing = []
        for reason in decision.reasons:
            if reason.code in ("wait_no_event", "wait_voided"):
                event = dict(reason.args).get("event")
                if event and label(event) not in missing:
                    missing.append(label(event))
        return ", ".join(missing)

    def _report_vals(self, today):
        self.ensure_one()
        return {
            "state": "reported",
            "report_date": today,
            "amount_reported": self.amount_open,
            "bureau_reference": self.bureau_reference or self.name,
            "retention_until": self._retention_until(),
        }

    def _retention_until(self):
        self.ensure_one()
        rules = self.env["cobranza.rule"]._core_rules(
            self.company_id, {self._jurisdiction()} - {False}
        )
        due_dates = [d for d in self.invoice_ids.mapped("invoice_date_due") if d]
        limit = core.retention_limit(
            rules,
            self._jurisdiction(),
            min(due_dates) if due_dates else None,
            self.settled_date or None,
        )
        return limit.until or False

    def _log_reported(self):
        if not self:
            return
        self.env["cobranza.contact"].sudo().create(
            [report._ledger_vals() for report in self]
        )
        for report in self:
            report.partner_id.sudo()._message_log(
                body=self.env._(
                    "Reported to %(bureau)s on %(date)s: %(amount)s (%(report)s, "
                    "reference %(reference)s).",
                    bureau=report._bureau_label(),
                    date=format_date(self.env, report.report_date),
                    amount=report._amount_text(report.amount_reported),
                    report=report.name,
                    reference=report.bureau_reference,
                )
            )

    def _log_refused(self):
        for report in self:
            report.message_post(
                body=Markup("<br/>").join(report.decision_text.splitlines()),
                subtype_xmlid="mail.mt_note",
            )

    def _ledger_vals(self):
        self.ensure_one()
        return {
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.id,
            "contact_date": fields.Datetime.now(),
            "channel": REPORT_CHANNEL,
            "kind": "bureau_report",
            "outcome": "allowed",
            "origin": "manual",
            "res_model": self._name,
            "res_id": self.id,
            "user_id": self.env.uid,
            "rule_ids_text": self.rule_ids_text or False,
            "reason": self.decision_text or False,
        }

    def _bureau_label(self):
        return dict(self._fields["bureau"]._description_selection(self.env)).get(
            self.bureau, self.bureau
        )

    def _amount_text(self, amount):
        return formatLang(self.env, amount, currency_obj=self.currency_id)
