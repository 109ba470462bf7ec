from collections import defaultdict
from datetime import timedelta, timezone

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..cobranza_core import compliance
from .mail_template import block_tags, html_text

CHANNEL_SELECTION = [
    ("email", "Email"),
    ("letter", "Letter"),
    ("sms", "SMS"),
    ("call", "Phone call"),
    ("activity", "Call / activity"),
    ("visit", "Visit"),
    ("whatsapp", "WhatsApp"),
]


CALL_OUTCOMES = [
    ("reached", "Reached"),
    ("no_answer", "No answer"),
    ("wrong_number", "Wrong number"),
    ("promise", "Promise made"),
    ("dispute", "Dispute raised"),
]
#: Ledger tags per call outcome: a conversation with the debtor is an
#: effective contact (CO-FREQ) and a conversation (US-FREQ).
OUTCOME_TAGS = {
    "reached": ("effective_contact", "conversation"),
    "promise": ("effective_contact", "conversation"),
    "dispute": ("effective_contact", "conversation"),
    "wrong_number": ("wrong_number",),
}
#: How far back a call task logged by the run is matched with its outcome.
OPEN_TASK_DAYS = 30


class CobranzaContact(models.Model):
    """The contact ledger: every contact (or attempt) with a debtor.

    Allowed rows are the contacts made; deferred and blocked rows record why
    a contact was not made, by rule id. Only allowed rows count against the
    frequency caps.
    """

    _name = "cobranza.contact"
    _description = "Contact Ledger Entry"
    _order = "contact_date desc, id desc"
    _check_company_auto = True
    _rec_name = "partner_id"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner", string="Debtor", required=True, index=True, ondelete="cascade"
    )
    contact_date = fields.Datetime(
        string="Date", required=True, default=fields.Datetime.now, index=True
    )
    channel = fields.Selection(CHANNEL_SELECTION, required=True)
    kind = fields.Selection(
        [
            ("collection", "Collection"),
            ("marketing", "Marketing"),
            ("bureau_report", "Credit bureau report"),
            ("lawsuit", "Lawsuit"),
        ],
        default="collection",
        required=True,
    )
    tags = fields.Char(help="Comma-separated ledger tags, e.g. effective_contact.")
    outcome = fields.Selection(
        [("allowed", "Sent"), ("deferred", "Deferred"), ("blocked", "Blocked")],
        required=True,
        default="allowed",
        index=True,
    )
    not_before = fields.Datetime(string="Deferred until")
    rule_ids_text = fields.Char(string="Rules", help="Rule ids that decided.")
    reason = fields.Text()
    override_justification = fields.Text()
    origin = fields.Selection(
        [("run", "Follow-up run"), ("manual", "Manual send"), ("other", "Other")],
        default="other",
        required=True,
    )
    res_model = fields.Char(string="Source model")
    res_id = fields.Many2oneReference(model_field="res_model", string="Source record")
    action_id = fields.Many2one("cobranza.action", index="btree_not_null")
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user)
    call_outcome = fields.Selection(
        CALL_OUTCOMES,
        help="What happened on the call, recorded by the collector when the call "
        "task is done. Reached, promise made and dispute raised are effective "
        "contacts: the frequency caps (CO-FREQ, US-FREQ) count them.",
    )

    @api.model
    def _log_call_outcome(self, partner, outcome, when=None):
        """Record a call's outcome in the ledger, set-based.

        The run logged the call task when it scheduled it (channel
        ``activity``); that row, if still without outcome, receives it (one
        call, one row). Otherwise a new ``call`` row is created. Tags follow
        ``OUTCOME_TAGS``.
        """
        when = when or fields.Datetime.now()
        debtor = partner.commercial_partner_id
        tags = ",".join(OUTCOME_TAGS.get(outcome, ())) or False
        pending = self.sudo().search(
            [
                ("partner_id", "child_of", debtor.id),
                ("channel", "=", "activity"),
                ("outcome", "=", "allowed"),
                ("origin", "=", "run"),
                ("call_outcome", "=", False),
                ("contact_date", ">=", when - timedelta(days=OPEN_TASK_DAYS)),
                ("contact_date", "<=", when),
            ],
            order="contact_date desc",
            limit=1,
        )
        vals = {"call_outcome": outcome, "tags": tags, "user_id": self.env.uid}
        if pending:
            pending.write({**vals, "contact_date": when})
            return pending
        return self.sudo().create(
            {
                **vals,
                "company_id": self.env.company.id,
                "partner_id": debtor.id,
                "contact_date": when,
                "channel": "call",
                "kind": "collection",
                "outcome": "allowed",
                "origin": "manual",
            }
        )

    @api.model
    def _ledgers(self, partner_ids, company=None):
        """``{partner_id: [compliance.Contact]}``: the contacts made with these
        debtors (and their contacts), whatever the channel, origin or user.

        One query for all partners.
        """
        self.flush_model()
        partner_ids = list(partner_ids)
        result = defaultdict(list)
        if not partner_ids:
            return result
        rows = self.env.execute_query(
            SQL(
                """
                SELECT COALESCE(p.commercial_partner_id, p.id), c.contact_date,
                       c.channel, c.kind, c.tags
                  FROM cobranza_contact c
                  JOIN res_partner p ON p.id = c.partner_id
                 WHERE c.outcome = 'allowed'
                   AND COALESCE(p.commercial_partner_id, p.id) IN %s
                 ORDER BY c.contact_date
                """,
                tuple(partner_ids),
            )
        )
        for partner_id, at, channel, kind, tags in rows:
            result[partner_id].append(
                compliance.Contact(
                    at=at.replace(tzinfo=timezone.utc),
                    channel=channel,
                    kind=kind,
                    tags=[t.strip() for t in (tags or "").split(",") if t.strip()],
                )
            )
        return result

    @api.model
    def _debtors_in_collection(self, partners, company=None):
        """Commercial partners among ``partners`` with invoices in collection."""
        company = company or self.env.company
        partners = partners.commercial_partner_id
        if not partners:
            return partners
        groups = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", partners.ids),
                    ("company_id", "=", company.id),
                    ("cobranza_in_collection", "=", True),
                ],
                ["commercial_partner_id"],
            )
        )
        return self.env["res.partner"].union(*(p for (p,) in groups))

    @api.model
    def _evaluate_emails(self, emails, now, company=None, overrides=()):
        """Compliance decisions for emails written outside the run.

        ``emails`` are ``(partner, subject, body_html)`` of debtors in
        collection; ``now`` a naive UTC datetime. Returns one decision per
        email, ``None`` when no rule applies (no jurisdiction); ``overrides``
        are warn-level rule ids a manager overrode. Rules,
        holidays and ledgers are read once for all the emails.
        """
        company = company or self.env.company
        checked = self.env["res.partner"].union(
            *(partner for partner, _s, _b in emails if partner.cobranza_jurisdiction)
        )
        if not checked:
            return [None] * len(emails)
        jurisdictions = set(checked.mapped("cobranza_jurisdiction"))
        rules = self.env["cobranza.rule"]._core_rules(company, jurisdictions)
        legal_values = self.env["cobranza.legal.param"]._core_values(jurisdictions)
        holidays = self.env["cobranza.holiday"]._holidays_by_jurisdiction(jurisdictions)
        ledgers = self._ledgers(checked.ids)
        events = self._cobranza_event_dates(checked.commercial_partner_id.ids)
        decisions = []
        for partner, subject, body in emails:
            if not partner.cobranza_jurisdiction:
                decisions.append(None)
                continue
            tz, extra = partner._cobranza_timezones()
            proposed = compliance.ProposedContact(
                at=now.replace(tzinfo=timezone.utc),
                channel="email",
                debtor_type=partner.cobranza_debtor_type or "business",
                actor_type=company.cobranza_actor_type or "creditor",
                tz=tz,
                extra_tzs=extra,
                jurisdiction=partner.cobranza_jurisdiction,
                content_tags=block_tags(body or ""),
                text=html_text(body or ""),
                subject=subject or "",
                authorized_channels=partner._cobranza_authorized_channels(),
                recipient_tags=partner._cobranza_recipient_tags(),
                creditor_sector=company.cobranza_creditor_sector or None,
                debtor_person="legal" if partner.is_company else "natural",
                legal_values=legal_values,
                events=events.get(partner.commercial_partner_id.id, {}),
            )
            decisions.append(
                compliance.evaluate(
                    proposed,
                    rules,
                    ledgers[partner.id],
                    holidays.get(
                        partner.cobranza_jurisdiction.split("-")[0], frozenset()
                    ),
                    overrides=overrides,
                )
            )
        return decisions

    @api.model
    def _decision_reasons(self, decision):
        return self.env["cobranza.compliance.message"]._render_decision(decision)

    @api.model
    def _raise_refused(self, records, decisions):
        """Refuse a manual send when a rule blocks or defers it now.

        ``decisions`` holds one ``compliance.Decision`` (or ``None``) per
        record of ``records``. Each refused record words its own line with
        ``_cobranza_refused_line(when, reasons)`` (``when``: the UTC time it
        may be sent from, ``None`` when blocked); ``records`` word the whole
        error with ``_cobranza_refused_message(problems)``.
        """
        problems = []
        for record, decision in zip(records, decisions, strict=True):
            if decision is None or decision.outcome == "allow":
                continue
            when = None
            if decision.outcome == "defer":
                when = fields.Datetime.to_string(
                    decision.not_before.astimezone(timezone.utc).replace(tzinfo=None)
                )
            problems.append(
                record._cobranza_refused_line(when, self._decision_reasons(decision))
            )
        if problems:
            raise UserError(records._cobranza_refused_message("\n".join(problems)))
