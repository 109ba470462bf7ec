"""Dated events in the contact ledger: what the waiting periods count from.

A certified letter delivered, a notice returned undelivered, a written
request to stop contact, a lawsuit served: each is one ledger row with
``outcome = "event"`` and ``event`` set, dated on the day it happened (the
delivery date for a certified letter, not the sending date). Event rows are
not contacts: the frequency caps never count them (``_ledgers`` reads only
``allowed`` rows).

``_cobranza_event_dates`` turns them into the ``events`` mapping of the
compliance engine (``compliance.ProposedContact.events``), one query for
many debtors. It also derives:

* ``first_notice_sent``: the earliest ``notice_sent`` (the small-balance
  rule of CO-HD-NOTICE wants two notices on different days);
* ``spoke_to_consumer``: the latest call whose outcome was a conversation
  (tag ``conversation``, set by the call outcome).
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

EVENT_SELECTION = [
    ("notice_sent", "Prior notice delivered"),
    ("bureau_warning_sent", "Credit-bureau warning delivered"),
    ("notice_undeliverable", "Notice returned undelivered"),
    ("agency_referral_notified", "Agency referral notified"),
    ("dispute_written", "Written dispute received"),
    ("cease_request_written", "Written request to stop contact"),
    ("refusal_to_pay_written", "Written refusal to pay"),
    ("lawsuit_served", "Collection lawsuit served"),
    ("insolvency_started", "Insolvency proceeding started"),
]
EVENTS = frozenset(key for key, _label in EVENT_SELECTION)


class CobranzaContact(models.Model):
    _inherit = "cobranza.contact"

    outcome = fields.Selection(
        selection_add=[("event", "Event recorded")],
        ondelete={"event": "cascade"},
    )
    event = fields.Selection(
        EVENT_SELECTION,
        index="btree_not_null",
        help="For event rows: what happened on this date. The waiting "
        "periods of the compliance rules count from it.",
    )

    @api.model
    def _record_event(self, partner, event, day, source=None, reason=None):
        """Record that ``event`` happened to ``partner``'s debtor on ``day``.

        ``source`` is the record it comes from (a certified letter, a case),
        kept as the row's source. Internal: callers check the user's role
        first. Returns the ledger row.
        """
        if event not in EVENTS:
            raise ValueError(f"unknown ledger event {event!r}")
        when = fields.Datetime.to_datetime(fields.Date.to_date(day))
        return self.sudo().create(
            {
                "company_id": (
                    source.company_id.id
                    if source and "company_id" in source
                    else self.env.company.id
                ),
                "partner_id": partner.commercial_partner_id.id,
                "contact_date": when,
                "channel": "letter",
                "kind": "collection",
                "outcome": "event",
                "event": event,
                "origin": "other",
                "res_model": source._name if source else False,
                "res_id": source.id if source else False,
                "reason": reason or False,
            }
        )

    @api.model
    def _cobranza_event_dates(self, partner_ids):
        """``{commercial_partner_id: {event: date}}`` for these debtors.

        The latest date of each event, ``first_notice_sent`` the earliest
        ``notice_sent``, ``spoke_to_consumer`` the latest conversation. One
        query for all partners.
        """
        partner_ids = list(partner_ids)
        result = defaultdict(dict)
        if not partner_ids:
            return result
        self.flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT COALESCE(p.commercial_partner_id, p.id) AS debtor,
                       CASE WHEN c.outcome = 'event' THEN c.event
                            ELSE 'spoke_to_consumer' END AS name,
                       MIN(c.contact_date)::date, MAX(c.contact_date)::date
                  FROM cobranza_contact c
                  JOIN res_partner p ON p.id = c.partner_id
                 WHERE COALESCE(p.commercial_partner_id, p.id) IN %s
                   AND ((c.outcome = 'event' AND c.event IS NOT NULL)
                        OR (c.outcome = 'allowed'
                            AND string_to_array(c.tags, ',') @> ARRAY['conversation']))
                 GROUP BY 1, 2
                """,
                tuple(partner_ids),
            )
        )
        for debtor, name, first, last in rows:
            result[debtor][name] = last
            if name == "notice_sent":
                result[debtor]["first_notice_sent"] = first
        return result
