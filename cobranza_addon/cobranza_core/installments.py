"""Payment-plan schedules: due dates, equal principal, optional simple interest.

All amounts are ``int`` cents (see :mod:`.money`).

How :func:`build_schedule` works:

* financed amount = ``total_cents - reduction_cents - down_payment_cents``;
* the financed amount is split into ``count`` equal principals in exact
  cents; the **last** line absorbs the rounding, so the principals always sum
  exactly to the financed amount;
* due dates start at ``first_date`` and advance by 7 days (``weekly``),
  14 days (``biweekly``) or one month (``monthly``: same day of the month as
  ``first_date``, clamped to the month end, always going back to the anchor
  day: Jan 31 → Feb 29 → Mar 31 → Apr 30);
* with an ``annual_rate`` (a fraction: ``0.12`` is 12 % a year) each line
  carries simple interest on the balance still outstanding before it, over
  the actual days since the previous due date (for the first line: since
  ``start_date``, default one period before ``first_date``), on an
  actual/365 basis, rounded half up per line;
* ``amount_cents = principal_cents + interest_cents``;
* a down payment > 0 is returned as its own line, ``sequence`` 0, due on
  ``start_date`` (or on ``first_date`` when no ``start_date`` is given), with
  no interest, before the installments numbered 1..``count``.

Due dates of the installments (sequence >= 1) are strictly increasing. The
down-payment line is due on or before the first installment: on the *same*
day when ``start_date`` is not given.

>>> from datetime import date
>>> for line in build_schedule(100_000, 3, "monthly", date(2026, 1, 31)):
...     print(line.sequence, line.due_date, line.principal_cents, line.amount_cents)
1 2026-01-31 33333 33333
2 2026-02-28 33333 33333
3 2026-03-31 33334 33334
"""

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from .money import exact, from_cents, round_half_up

__all__ = [
    "FREQUENCIES",
    "Installment",
    "ScheduleError",
    "add_months",
    "build_schedule",
    "due_dates",
    "period_before",
    "reduction_cents",
    "validate_lines",
]

#: Accepted values of ``frequency``.
FREQUENCIES = ("weekly", "biweekly", "monthly")

_DAYS = {"weekly": 7, "biweekly": 14}
_YEAR_DAYS = 365


class ScheduleError(ValueError):
    """A payment plan that cannot be built or accepted; the message says why."""


@dataclass(frozen=True)
class Installment:
    """One line of a schedule. ``sequence`` 0 is the down payment."""

    sequence: int
    due_date: date
    principal_cents: int
    interest_cents: int
    amount_cents: int


def _check_cents(name: str, value, *, positive: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScheduleError(f"{name} must be an integer number of cents.")
    if value < 0:
        raise ScheduleError(f"{name} cannot be negative.")
    if positive and value == 0:
        raise ScheduleError(f"{name} must be greater than zero.")


def _check_frequency(frequency: str) -> None:
    if frequency not in FREQUENCIES:
        raise ScheduleError(
            f"Unknown frequency {frequency!r}; use one of: {', '.join(FREQUENCIES)}."
        )


def add_months(day: date, months: int, anchor_day: int | None = None) -> date:
    """``day`` moved by ``months`` months, on ``anchor_day`` clamped to the month end.

    ``anchor_day`` defaults to ``day.day``; pass the original day of the month
    to avoid drifting (Jan 31 → Feb 28 → Mar 28 would be wrong).

    >>> add_months(date(2026, 1, 31), 1), add_months(date(2026, 2, 28), 1, 31)
    (datetime.date(2026, 2, 28), datetime.date(2026, 3, 31))
    >>> add_months(date(2024, 1, 31), 1), add_months(date(2026, 3, 31), -1)
    (datetime.date(2024, 2, 29), datetime.date(2026, 2, 28))
    """
    anchor = day.day if anchor_day is None else anchor_day
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1] if 1 <= year <= 9999 else 31
    return date(year, month, min(anchor, last))


def _shift(first_date: date, frequency: str, periods: int) -> date:
    try:
        if frequency == "monthly":
            return add_months(first_date, periods, first_date.day)
        return first_date + timedelta(days=_DAYS[frequency] * periods)
    except (OverflowError, ValueError):
        raise ScheduleError(
            "The schedule runs outside the supported calendar (years 1-9999)."
        ) from None


def due_dates(first_date: date, count: int, frequency: str) -> list[date]:
    """The ``count`` due dates of a plan, starting at ``first_date``.

    >>> [d.isoformat() for d in due_dates(date(2026, 1, 30), 3, "biweekly")]
    ['2026-01-30', '2026-02-13', '2026-02-27']
    """
    _check_frequency(frequency)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ScheduleError("A plan needs at least one installment.")
    return [_shift(first_date, frequency, i) for i in range(count)]


def period_before(first_date: date, frequency: str) -> date:
    """The date one period before ``first_date`` (default interest start).

    >>> period_before(date(2026, 3, 31), "monthly")
    datetime.date(2026, 2, 28)
    >>> period_before(date(2026, 3, 1), "weekly")
    datetime.date(2026, 2, 22)
    """
    _check_frequency(frequency)
    return _shift(first_date, frequency, -1)


def _annual_rate(annual_rate) -> Fraction:
    try:
        rate = exact(annual_rate)
    except (TypeError, ValueError):
        raise ScheduleError(
            f"The annual rate must be a finite number, got {annual_rate!r}."
        ) from None
    if rate < 0:
        raise ScheduleError("The annual rate cannot be negative.")
    return rate


def reduction_cents(
    total_cents: int,
    *,
    amount_cents: int | None = None,
    percent: Decimal | float | int | None = None,
) -> int:
    """The reduction (discount) granted on a plan, in cents.

    Give either a fixed ``amount_cents`` or a ``percent`` of ``total_cents``
    (in percent points, 0-100: ``10`` is ten per cent; rounded half up), not
    both. With neither the reduction is 0. Raises :class:`ScheduleError` for a
    negative total, an amount outside ``0..total_cents`` or a percent outside
    ``0..100``. Whether the reduction leaves something to finance is checked
    by :func:`build_schedule`.

    >>> reduction_cents(100_000, percent=Decimal("12.5"))
    12500
    >>> reduction_cents(999, percent=50)  # 499.5 rounds up
    500
    >>> reduction_cents(100_000, amount_cents=2_500), reduction_cents(100_000)
    (2500, 0)
    """
    _check_cents("The total", total_cents)
    if amount_cents is not None and percent is not None:
        raise ScheduleError("Give the reduction as an amount or a percent, not both.")
    if amount_cents is not None:
        _check_cents("The reduction", amount_cents)
        if amount_cents > total_cents:
            raise ScheduleError("The reduction cannot exceed the total.")
        return amount_cents
    if percent is None:
        return 0
    try:
        share = exact(percent)
    except (TypeError, ValueError):
        raise ScheduleError(
            f"The reduction percent must be a number, got {percent!r}."
        ) from None
    if not 0 <= share <= 100:
        raise ScheduleError("The reduction percent must be between 0 and 100.")
    return round_half_up(total_cents * share / 100)


def build_schedule(
    total_cents: int,
    count: int,
    frequency: str,
    first_date: date,
    *,
    down_payment_cents: int = 0,
    reduction_cents: int = 0,
    annual_rate: Decimal | float = 0,
    start_date: date | None = None,
) -> list[Installment]:
    """Build the lines of a payment plan (see the module docstring for the rules).

    Returns the down-payment line (``sequence`` 0, only when
    ``down_payment_cents > 0``) followed by installments ``1..count``.

    ``start_date`` is the plan start: the due date of the down payment and
    the day interest starts for the first installment. It must not be after
    ``first_date``. When omitted, the down payment is due on ``first_date``
    and the first interest period is one period long.

    Raises :class:`ScheduleError` when ``count < 1``, the frequency is
    unknown, an amount is negative (or the total is zero), the reduction or
    the down payment reaches the total (alone or together), the financed
    amount is below one cent per installment, the annual rate is negative,
    ``start_date`` is after ``first_date``, or the dates leave the calendar.

    A worked example with 12 % a year (ACT/365): 1 000.00 in two monthly
    installments from 2026-01-31, plan started 2026-01-01 with 200.00 down.
    Financed 800.00; line 1: 800.00 x 0.12 x 30/365 = 7.89; line 2:
    400.00 x 0.12 x 28/365 = 3.68.

    >>> lines = build_schedule(
    ...     100_000, 2, "monthly", date(2026, 1, 31), down_payment_cents=20_000,
    ...     annual_rate=Decimal("0.12"), start_date=date(2026, 1, 1))
    >>> for line in lines:
    ...     print(line.sequence, line.due_date, line.principal_cents,
    ...           line.interest_cents, line.amount_cents)
    0 2026-01-01 20000 0 20000
    1 2026-01-31 40000 789 40789
    2 2026-02-28 40000 368 40368
    >>> try:
    ...     build_schedule(100, 3, "fortnightly", date(2026, 1, 1))
    ... except ScheduleError as exc:
    ...     print(exc)
    Unknown frequency 'fortnightly'; use one of: weekly, biweekly, monthly.
    """
    financed = _financed_cents(
        total_cents, count, frequency, down_payment_cents, reduction_cents
    )
    rate = _annual_rate(annual_rate)
    dates, previous = _schedule_dates(first_date, count, frequency, start_date, rate)
    lines = _installment_lines(financed, dates, rate, previous)
    if down_payment_cents > 0:
        due = start_date if start_date is not None else first_date
        lines.insert(0, _down_payment_line(down_payment_cents, due))
    return lines


def _schedule_dates(
    first_date: date,
    count: int,
    frequency: str,
    start_date: date | None,
    rate: Fraction,
) -> tuple[list[date], date | None]:
    """The installments' due dates and the day interest starts for the first one.

    That day is ``start_date``; without it, one period before ``first_date``
    when there is interest, else ``None`` (no interest is computed).
    """
    if start_date is not None and start_date > first_date:
        raise ScheduleError("The plan start date cannot be after the first due date.")
    dates = due_dates(first_date, count, frequency)
    previous = start_date
    if previous is None and rate:
        previous = period_before(first_date, frequency)
    return dates, previous


def _financed_cents(
    total_cents: int,
    count: int,
    frequency: str,
    down_payment_cents: int,
    reduction: int,
) -> int:
    """Check the plan's count, frequency and amounts; return the financed cents.

    Raises :class:`ScheduleError` in the order :func:`build_schedule` documents.
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ScheduleError("A plan needs at least one installment.")
    _check_frequency(frequency)
    _check_cents("The total", total_cents, positive=True)
    _check_cents("The down payment", down_payment_cents)
    _check_cents("The reduction", reduction)
    if reduction >= total_cents:
        raise ScheduleError("The reduction must be less than the total.")
    if down_payment_cents >= total_cents:
        raise ScheduleError("The down payment must be less than the total.")
    financed = total_cents - reduction - down_payment_cents
    if financed <= 0:
        raise ScheduleError(
            "The reduction and the down payment together leave nothing to finance."
        )
    if financed < count:
        raise ScheduleError(
            f"The financed amount ({from_cents(financed)}) is less than one cent "
            f"per installment ({count} installments)."
        )
    return financed


def _down_payment_line(down_payment_cents: int, due: date) -> Installment:
    """The down payment as its own interest-free line, ``sequence`` 0."""
    return Installment(
        sequence=0,
        due_date=due,
        principal_cents=down_payment_cents,
        interest_cents=0,
        amount_cents=down_payment_cents,
    )


def _installment_lines(
    financed: int, dates: list[date], rate: Fraction, previous: date | None
) -> list[Installment]:
    """Installments ``1..len(dates)``: equal principals, the last one absorbing
    the rounding, each with simple interest (ACT/365, half up) on the balance
    outstanding since ``previous`` (the prior due date) when ``rate`` is set.
    """
    count = len(dates)
    base = financed // count
    balance = financed
    lines = []
    for sequence, due in enumerate(dates, start=1):
        principal = base if sequence < count else balance
        interest = 0
        if rate:
            days = (due - previous).days
            interest = round_half_up(balance * rate * days / _YEAR_DAYS)
        lines.append(
            Installment(
                sequence=sequence,
                due_date=due,
                principal_cents=principal,
                interest_cents=interest,
                amount_cents=principal + interest,
            )
        )
        balance -= principal
        previous = due
    return lines


def validate_lines(total_cents: int, lines: Sequence[tuple[date, int]]) -> None:
    """Check edited plan lines, given as ``(due_date, amount_cents)`` pairs.

    Raises :class:`ScheduleError` when there is no line, an amount is not a
    positive ``int``, a due date is not strictly after the previous one, or
    the amounts do not sum exactly to ``total_cents``. Returns ``None`` when
    the lines are acceptable.

    Note: a down payment built without ``start_date`` shares its date with
    installment 1, so validate such a schedule without its sequence-0 line
    (and with the total reduced accordingly), or give the plan a
    ``start_date`` before the first due date.

    >>> validate_lines(1000, [(date(2026, 1, 1), 600), (date(2026, 2, 1), 400)])
    >>> try:
    ...     validate_lines(1000, [(date(2026, 1, 1), 600), (date(2026, 2, 1), 399)])
    ... except ScheduleError as exc:
    ...     print(exc)
    The lines sum to 9.99 but the plan total is 10.00 (difference -0.01).
    """
    _check_cents("The total", total_cents)
    if not lines:
        raise ScheduleError("A plan needs at least one line.")
    previous = None
    running = 0
    for number, (due, amount) in enumerate(lines, start=1):
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise ScheduleError(
                f"Line {number}: the amount must be an integer of cents."
            )
        if amount <= 0:
            raise ScheduleError(f"Line {number}: the amount must be greater than zero.")
        if previous is not None and due <= previous:
            raise ScheduleError(
                f"Line {number}: due date {due.isoformat()} must be after "
                f"{previous.isoformat()} (line {number - 1})."
            )
        previous = due
        running += amount
    if running != total_cents:
        raise ScheduleError(
            f"The lines sum to {from_cents(running)} but the plan total is "
            f"{from_cents(total_cents)} "
            f"(difference {from_cents(running - total_cents)})."
        )
