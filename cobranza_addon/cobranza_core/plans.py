"""Payment-plan rules that are not about money arithmetic.

* :func:`can_approve` says whether a user may approve a plan;
* :func:`reduction_exceeds` checks a reduction against the company maximum;
* :func:`pause_until` is the day follow-up of a plan's invoices is paused to;
* :func:`reminders_due` picks the installments that need a reminder today.

Amounts are ``int`` cents, dates ``datetime.date``.

>>> from datetime import date
>>> can_approve(is_manager=False, amount_cents=50_000, reduction_cents=0,
...             user_limit_cents=100_000)
True
>>> can_approve(is_manager=False, amount_cents=50_000, reduction_cents=1,
...             user_limit_cents=100_000)
False
"""

from collections.abc import Hashable, Sequence
from datetime import date, timedelta
from fractions import Fraction

from .money import exact

__all__ = [
    "FAR_FUTURE",
    "can_approve",
    "pause_until",
    "reduction_exceeds",
    "reminders_due",
]

#: Pause date used while follow-up must wait for a person (e.g. a write-off).
FAR_FUTURE = date(9999, 12, 31)


def can_approve(
    *, is_manager: bool, amount_cents: int, reduction_cents: int, user_limit_cents: int
) -> bool:
    """Whether a user may approve a plan.

    A manager may approve any plan. A user may approve a plan without a
    reduction whose amount is strictly below ``user_limit_cents`` (a limit of 0
    means users approve nothing).

    >>> can_approve(is_manager=True, amount_cents=10**9, reduction_cents=10,
    ...             user_limit_cents=0)
    True
    >>> can_approve(is_manager=False, amount_cents=100_000, reduction_cents=0,
    ...             user_limit_cents=100_000)
    False
    """
    if is_manager:
        return True
    return reduction_cents == 0 and 0 <= amount_cents < user_limit_cents


def reduction_exceeds(total_cents: int, reduction_cents: int, max_percent) -> bool:
    """Whether ``reduction_cents`` is above ``max_percent`` % of ``total_cents``.

    Exact (no float rounding): 10 % of 100.00 is allowed with a maximum of 10.

    >>> reduction_exceeds(100_000, 10_000, 10), reduction_exceeds(100_000, 10_001, 10)
    (False, True)
    >>> reduction_exceeds(0, 0, 0)
    False
    """
    if reduction_cents <= 0:
        return False
    if total_cents <= 0:
        return True
    return Fraction(reduction_cents * 100, total_cents) > exact(max_percent)


def pause_until(lines: Sequence[tuple[date, int, int]]) -> date | None:
    """The day follow-up of an active plan's invoices is paused until.

    ``lines`` are ``(due_date, amount_cents, paid_cents)``. It is the due date
    of the oldest installment not fully paid: as soon as that day has passed
    unpaid, the plan is in arrears and follow-up resumes on its own. ``None``
    when everything is paid.

    >>> pause_until([(date(2026, 1, 31), 500, 500), (date(2026, 2, 28), 500, 10)])
    datetime.date(2026, 2, 28)
    >>> pause_until([(date(2026, 1, 31), 500, 500)]) is None
    True
    """
    unpaid = [due for due, amount, paid in lines if paid < amount]
    return min(unpaid) if unpaid else None


def reminders_due(
    lines: Sequence[tuple[Hashable, date, str, bool, bool]],
    today: date,
    pre_due_days: int | None,
    overdue_days: int | None = 1,
) -> tuple[list, list]:
    """Installments that need a pre-due or an overdue reminder today.

    ``lines`` are ``(key, due_date, state, pre_due_sent, overdue_sent)`` with
    ``state`` from :func:`.allocation.installment_state`. A pre-due reminder
    goes once, from ``pre_due_days`` days before the due date until the due
    date, to an installment not paid; an overdue reminder goes once to an
    overdue installment, from ``overdue_days`` days after its due date. A
    delay of ``None`` means no reminder of that kind. Returns
    ``(pre_due_keys, overdue_keys)``; a line that is already overdue gets only
    the overdue reminder.

    >>> d = date(2026, 3, 10)
    >>> reminders_due([(1, d, "pending", False, False), (2, d, "paid", False, False),
    ...                (3, date(2026, 3, 1), "overdue", True, False)],
    ...               date(2026, 3, 7), 3)
    ([1], [3])
    >>> reminders_due([(3, date(2026, 3, 1), "overdue", True, False)],
    ...               date(2026, 3, 7), None, overdue_days=7)
    ([], [])
    """
    if pre_due_days is not None and pre_due_days < 0:
        raise ValueError("The reminder delay cannot be negative.")
    if overdue_days is not None and overdue_days < 1:
        raise ValueError(
            "An overdue reminder goes at least one day after the due date."
        )
    pre_due, overdue = [], []
    for key, due, state, pre_sent, overdue_sent in lines:
        if state == "paid":
            continue
        if state == "overdue":
            if (
                not overdue_sent
                and overdue_days is not None
                and today >= due + timedelta(days=overdue_days)
            ):
                overdue.append(key)
        elif (
            not pre_sent
            and pre_due_days is not None
            and due - timedelta(days=pre_due_days) <= today <= due
        ):
            pre_due.append(key)
    return pre_due, overdue
