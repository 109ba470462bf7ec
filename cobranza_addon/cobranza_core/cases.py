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

__all__ = ["OPEN_STATES", "STATES", "commission", "recovered_since"]

STATES = ("open", "in_court", "settled", "won", "lost", "written_off")
#: States in which the case holds the invoices (no reminders from the run).
OPEN_STATES = frozenset({"open", "in_court"})
CENT = Decimal("0.01")


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
