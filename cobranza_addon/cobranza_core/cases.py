"""Agency and legal handoff cases (standard library only).

A case hands a customer's invoices to an agency, a lawyer or a court. While
it is open the run sends no reminders for them. The agency earns its
commission on what is recovered after the handoff.

    >>> from datetime import date
    >>> from decimal import Decimal
    >>> payments = [(date(2026, 3, 1), Decimal("100")),   # before the handoff
    ...             (date(2026, 4, 2), Decimal("250.50")),
    ...             (date(2026, 4, 9), Decimal("49.50"))]
    >>> recovered_since(payments, date(2026, 3, 15))
    Decimal('300.00')
    >>> commission(Decimal("300.00"), Decimal("15"))
    Decimal('45.00')
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from . import compliance

__all__ = [
    "CASE_EVENTS",
    "OPEN_STATES",
    "STATES",
    "STOP_EVENTS",
    "check_cost_fees",
    "commission",
    "costs_to_invoice",
    "recovered_since",
]

STATES = ("open", "in_court", "settled", "won", "lost", "written_off")
#: States in which the case holds the invoices (no reminders from the run).
OPEN_STATES = frozenset({"open", "in_court"})
CENT = Decimal("0.01")
#: Ledger events a case records (the buttons of the case).
CASE_EVENTS = (
    "cease_request_written",
    "refusal_to_pay_written",
    "lawsuit_served",
    "insolvency_started",
)
#: Events that, recorded on an open case, stop every channel to the customer
#: (the house rule, beyond each jurisdiction's stop conditions). A written
#: refusal to pay alone does not: the rules of the jurisdiction decide
#: (e.g. US-CEASE).
STOP_EVENTS = frozenset(
    {"cease_request_written", "lawsuit_served", "insolvency_started"}
)


def recovered_since(payments: Iterable[tuple[date, Decimal]], since: date) -> Decimal:
    """Sum of the payments reconciled on or after ``since`` (the handoff)."""
    total = sum(
        (Decimal(str(amount)) for day, amount in payments if day >= since), Decimal(0)
    )
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def commission(recovered: Decimal, percent: Decimal) -> Decimal:
    """The agency's commission: ``percent`` % of ``recovered``, to the cent
    (half up)."""
    if recovered < 0 or percent < 0:
        raise ValueError("recovered amount and percent must not be negative")
    value = Decimal(str(recovered)) * Decimal(str(percent)) / 100
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def costs_to_invoice(costs: Iterable[tuple]) -> list:
    """Ids of the costs to put on the customer's invoice: chargeable, not
    invoiced yet, with an amount. ``costs``: ``(id, amount, chargeable,
    invoiced)``.

    >>> costs_to_invoice([(1, 50, True, False), (2, 80, True, True),
    ...                   (3, 20, False, False), (4, 0, True, False)])
    [1]
    """
    return [
        cost_id
        for cost_id, amount, chargeable, invoiced in costs
        if chargeable and not invoiced and amount and amount > 0
    ]


def check_cost_fees(costs, rules, *, already_cents=0, overrides=(), **facts):
    """``{cost_id: Decision}``: may each cost be charged to the customer?

    Only the ``fee_cap`` rules are checked (a cost is not a contact). The
    fee checked is cumulative, in the order given: what was already charged
    on the case (``already_cents``), the costs accepted before it, and the
    cost itself, so a cap on the total (CL-FEES) holds over several costs.
    ``costs``: ``(cost_id, amount_cents, documented)``; ``facts``: the other
    fields of ``compliance.ProposedContact`` (``at``, ``jurisdiction``,
    ``tz``, ``amount_cents``, ``days_overdue``...).

    >>> from datetime import datetime, timezone
    >>> ar_fees = compliance.Rule("AR-FEES", "AR", "fee_cap",
    ...                           {"documented_costs_only": True})
    >>> facts = dict(at=datetime(2026, 3, 16, 15, tzinfo=timezone.utc),
    ...              jurisdiction="AR", tz="America/Argentina/Buenos_Aires",
    ...              debtor_type="consumer", actor_type="creditor")
    >>> out = check_cost_fees([(1, 5000, True), (2, 3000, False)], [ar_fees],
    ...                       **facts)
    >>> out[1].outcome, out[2].outcome, out[2].reasons[0].code
    ('allow', 'block', 'fee_documented')
    """
    fee_rules = [
        r if isinstance(r, compliance.Rule) else compliance.Rule.from_dict(r)
        for r in rules
    ]
    fee_rules = [r for r in fee_rules if r.kind == "fee_cap"]
    channel = facts.pop("channel", "letter")
    charged = already_cents
    out = {}
    for cost_id, amount_cents, documented in costs:
        proposed = compliance.ProposedContact(
            channel=channel,
            kind="case_cost",
            fee_cents=charged + amount_cents,
            fee_documented=bool(documented),
            **facts,
        )
        decision = compliance.evaluate(proposed, fee_rules, [], (), overrides=overrides)
        if decision.outcome == "allow":
            charged += amount_cents
        out[cost_id] = decision
    return out
