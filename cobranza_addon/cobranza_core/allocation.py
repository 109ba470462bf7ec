"""Payments against a plan's installments, and the states that follow.

All amounts are ``int`` cents (see :mod:`.money`); dates are ``datetime.date``.

* :func:`allocate` spreads what was paid over the installments, oldest due
  date first, and reports any overpayment as a surplus;
* :func:`installment_state` is the state of one installment on a day;
* :func:`plan_status` is the state of a whole plan on a day;
* :func:`promise_status` is the state of a promise to pay on a day.

>>> from datetime import date
>>> plan = [("a", date(2026, 1, 31), 500), ("b", date(2026, 2, 28), 500)]
>>> result = allocate(plan, 700)
>>> [(line.key, line.paid_cents, line.residual_cents) for line in result.lines]
[('a', 500, 0), ('b', 200, 300)]
>>> result.surplus_cents
0
"""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date

__all__ = [
    "INSTALLMENT_STATES",
    "PLAN_STATUSES",
    "PROMISE_STATUSES",
    "Allocation",
    "AllocationError",
    "AllocationResult",
    "allocate",
    "installment_state",
    "plan_status",
    "promise_status",
]

#: Values returned by :func:`installment_state`.
INSTALLMENT_STATES = ("pending", "due", "partial", "overdue", "paid")
#: Values returned by :func:`plan_status`.
PLAN_STATUSES = ("active", "in_arrears", "broken", "completed")
#: Values returned by :func:`promise_status`.
PROMISE_STATUSES = ("open", "kept", "broken")


class AllocationError(ValueError):
    """Inputs that cannot be allocated or evaluated (negative amounts, no lines)."""


@dataclass(frozen=True)
class Allocation:
    """What one installment received: ``paid_cents + residual_cents`` is its amount."""

    key: Hashable
    paid_cents: int
    residual_cents: int


@dataclass(frozen=True)
class AllocationResult:
    """The allocation of each installment (in the order given) and the surplus."""

    lines: tuple[Allocation, ...]
    surplus_cents: int

    @property
    def allocated_cents(self) -> int:
        """Total allocated to the installments (``paid - surplus``)."""
        return sum(line.paid_cents for line in self.lines)


def _check_cents(name: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise AllocationError(f"{name} must be an integer number of cents.")
    if value < 0:
        raise AllocationError(f"{name} cannot be negative.")


def _check_days(name: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise AllocationError(f"{name} must be a non-negative integer.")


def allocate(
    installments: Sequence[tuple[Hashable, date, int]], paid_cents: int
) -> AllocationResult:
    """Allocate ``paid_cents`` to ``(key, due_date, amount_cents)`` installments.

    ``paid_cents`` is the total really paid towards the plan (the reconciled
    payments on the covered invoices since the plan start). It fills the
    installments in due-date order, ties in the order given, each up to its
    amount; what is left once all are filled is ``surplus_cents``.

    ``result.lines`` keeps the order of ``installments`` (so it can be zipped
    with them), whatever order the allocation used. Keys are opaque and
    returned as given. Raises :class:`AllocationError` for a negative amount
    or a negative payment.

    >>> r = allocate([(2, date(2026, 2, 1), 300), (1, date(2026, 1, 1), 300)], 400)
    >>> [(a.key, a.paid_cents, a.residual_cents) for a in r.lines], r.surplus_cents
    ([(2, 100, 200), (1, 300, 0)], 0)
    >>> allocate([(1, date(2026, 1, 1), 300)], 450).surplus_cents
    150
    """
    _check_cents("The amount paid", paid_cents)
    for _key, _due, amount in installments:
        _check_cents("An installment amount", amount)
    order = sorted(range(len(installments)), key=lambda i: installments[i][1])
    paid = [0] * len(installments)
    remaining = paid_cents
    for index in order:
        if remaining == 0:
            break
        share = min(remaining, installments[index][2])
        paid[index] = share
        remaining -= share
    lines = tuple(
        Allocation(key=key, paid_cents=paid[i], residual_cents=amount - paid[i])
        for i, (key, _due, amount) in enumerate(installments)
    )
    return AllocationResult(lines=lines, surplus_cents=remaining)


def installment_state(
    due_date: date, amount_cents: int, paid_cents: int, today: date
) -> str:
    """State of one installment on ``today``.

    Checked in this order:

    * ``"paid"``: ``paid_cents >= amount_cents``;
    * ``"overdue"``: ``today`` is after ``due_date`` (and it is not paid);
    * ``"partial"``: something is paid, not all, and it is not overdue
      (this wins over ``"due"`` on the due date itself);
    * ``"due"``: nothing paid and ``today == due_date``;
    * ``"pending"``: nothing paid and not yet due.

    >>> d = date(2026, 3, 10)
    >>> [installment_state(d, 100, paid, today) for paid, today in [
    ...     (100, date(2026, 4, 1)), (0, date(2026, 3, 11)), (40, date(2026, 3, 10)),
    ...     (0, date(2026, 3, 10)), (0, date(2026, 3, 9))]]
    ['paid', 'overdue', 'partial', 'due', 'pending']
    """
    _check_cents("The installment amount", amount_cents)
    _check_cents("The amount paid", paid_cents)
    if paid_cents >= amount_cents:
        return "paid"
    if today > due_date:
        return "overdue"
    if paid_cents > 0:
        return "partial"
    if today == due_date:
        return "due"
    return "pending"


def plan_status(
    lines: Sequence[tuple[date, int, int]], today: date, tolerance_days: int
) -> str:
    """Status of a plan from its ``(due_date, amount_cents, paid_cents)`` lines.

    * ``"completed"``: every line is fully paid (``paid >= amount``);
    * ``"broken"``: some unpaid line is more than ``tolerance_days`` past its
      due date (``today > due_date + tolerance_days``);
    * ``"in_arrears"``: some unpaid line is past due, none beyond the tolerance;
    * ``"active"``: otherwise (nothing unpaid is past due).

    Use the paid amounts from :func:`allocate`. A plan without lines raises
    :class:`AllocationError` (its status is undefined), as does a negative
    tolerance.

    >>> lines = [(date(2026, 1, 31), 500, 500), (date(2026, 2, 28), 500, 0)]
    >>> [plan_status(lines, day, 5) for day in (
    ...     date(2026, 2, 28), date(2026, 3, 5), date(2026, 3, 6))]
    ['active', 'in_arrears', 'broken']
    >>> plan_status([(date(2026, 1, 31), 500, 500)], date(2030, 1, 1), 5)
    'completed'
    """
    _check_days("The tolerance", tolerance_days)
    if not lines:
        raise AllocationError("A plan without lines has no status.")
    worst = None
    all_paid = True
    for due, amount, paid in lines:
        _check_cents("A line amount", amount)
        _check_cents("A line payment", paid)
        if paid >= amount:
            continue
        all_paid = False
        late = (today - due).days
        if late > 0 and (worst is None or late > worst):
            worst = late
    if all_paid:
        return "completed"
    if worst is None:
        return "active"
    if worst > tolerance_days:
        return "broken"
    return "in_arrears"


def promise_status(
    promised_cents: int,
    promise_date: date,
    paid_cents_since_promise: int,
    today: date,
    grace_days: int,
) -> str:
    """Status of a promise to pay ``promised_cents`` by ``promise_date``.

    * ``"kept"`` as soon as ``paid_cents_since_promise >= promised_cents``,
      even before the promise date;
    * ``"broken"`` when not kept and ``today > promise_date + grace_days``;
    * ``"open"`` otherwise.

    ``promised_cents`` must be > 0; a negative payment or grace raises
    :class:`AllocationError`.

    >>> d = date(2026, 5, 15)
    >>> (promise_status(10_000, d, 10_000, date(2026, 5, 1), 2),
    ...  promise_status(10_000, d, 9_999, date(2026, 5, 17), 2),
    ...  promise_status(10_000, d, 9_999, date(2026, 5, 18), 2))
    ('kept', 'open', 'broken')
    """
    _check_cents("The promised amount", promised_cents)
    if promised_cents == 0:
        raise AllocationError("The promised amount must be greater than zero.")
    _check_cents("The amount paid", paid_cents_since_promise)
    _check_days("The grace period", grace_days)
    if paid_cents_since_promise >= promised_cents:
        return "kept"
    if (today - promise_date).days > grace_days:
        return "broken"
    return "open"
