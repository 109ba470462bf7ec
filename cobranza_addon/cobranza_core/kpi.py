"""Collection KPIs computed from aggregated figures.

Inputs are plain numbers in the same unit (currency units or cents, it does
not matter as long as one KPI gets one unit): ``int`` or ``Decimal``; a
``float`` (as Odoo returns for monetary sums) is read through its shortest
``repr``, so ``0.1`` is exactly one tenth. ``bool`` and other types raise
``TypeError``.

Every KPI is computed exactly and returned as a ``Decimal`` rounded half up
to two places (``Decimal('30.00')``), or ``None`` when its denominator is
zero (no sales, no receivables, nothing decided yet...): "not measurable" is
not the same as 0. Signs are taken as given (a credit balance gives a
negative result); only the count-based rates refuse negative counts.

>>> dso_standard(30_000, 90_000, 90), cei(10_000, 90_000, 30_000, 20_000)
(Decimal('30.00'), Decimal('87.50'))
>>> percent_overdue(0, 0) is None
True
"""

from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction

from .money import exact, round_half_up

__all__ = [
    "add",
    "best_possible_dso",
    "cei",
    "dso_countback",
    "dso_standard",
    "percent_overdue",
    "plan_compliance",
    "promise_kept_rate",
    "recovery_rate",
    "weighted_average_age",
]


def _num(value) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        raise TypeError(
            f"expected an int, Decimal or float, got {type(value).__name__}"
        )
    return exact(value)


def _result(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(f"{round_half_up(value * 100)}E-2")


def _ratio(numerator: Fraction, denominator: Fraction, scale) -> Decimal | None:
    if denominator == 0:
        return None
    return _result(numerator / denominator * scale)


def _count(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer count.")
    return value


def dso_standard(ar_balance, credit_sales, days) -> Decimal | None:
    """Days Sales Outstanding: AR ÷ credit sales × days of the period.

    ``None`` ("n/a") when it cannot be measured: no positive credit sales
    (a period of credit notes only) or a negative balance (the customers
    are owed money). A negative DSO is never shown.

    AR 30 000, credit sales 90 000 over 90 days → 30 000 / 90 000 × 90 = 30.

    >>> dso_standard(30_000, 90_000, 90)
    Decimal('30.00')
    >>> dso_standard(30_000, 0, 90) is None, dso_standard(30_000, -5_000, 90) is None
    (True, True)
    >>> dso_standard(-1_000, 90_000, 90) is None
    True
    """
    if not measurable_dso(ar_balance, credit_sales):
        return None
    return _ratio(_num(ar_balance), _num(credit_sales), _num(days))


def measurable_dso(ar_balance, credit_sales) -> bool:
    """A DSO is defined only for positive sales and a balance of 0 or more.

    >>> measurable_dso(100, 10), measurable_dso(100, 0), measurable_dso(-1, 10)
    (True, False, False)
    """
    return _num(credit_sales) > 0 and _num(ar_balance) >= 0


def dso_countback(ar_balance, monthly_sales: Sequence[tuple]) -> Decimal | None:
    """DSO by the count-back method, from ``(sales, days_in_month)`` newest first.

    Walking back from the newest month: while the remaining AR covers the
    month's sales, subtract them and add the month's days; for the first
    month it does not cover, add ``remaining ÷ sales × days`` and stop.

    An AR of zero gives ``0.00``; a negative AR (the customers are owed
    money) gives ``None``, as does an empty list. A month whose sales are
    zero or negative (credit notes only) covers its days and no amount.
    If the AR exceeds the sales of every month given, the result is the
    total of their days: a floor, pass more history for the true value.

    AR 50 000; months (newest first) 30 000 over 31 days, 25 000 over 30 days,
    20 000 over 31 days → 31 days cover 30 000, the remaining 20 000 is
    20 000 / 25 000 × 30 = 24 days: DSO = 31 + 24 = 55.

    >>> dso_countback(50_000, [(30_000, 31), (25_000, 30), (20_000, 31)])
    Decimal('55.00')
    >>> dso_countback(30_000, [(30_000, 31), (25_000, 30)])
    Decimal('31.00')
    """
    if not monthly_sales or _num(ar_balance) < 0:
        return None
    remaining = _num(ar_balance)
    total_days = Fraction(0)
    for sales, days in monthly_sales:
        if remaining <= 0:
            break
        sales, days = max(_num(sales), Fraction(0)), _num(days)
        if remaining >= sales:
            remaining -= sales
            total_days += days
        else:  # 0 < remaining < sales
            total_days += remaining / sales * days
            remaining = Fraction(0)
    return _result(total_days)


def best_possible_dso(current_ar, credit_sales, days) -> Decimal | None:
    """Best Possible DSO: current (not overdue) AR ÷ credit sales × days.

    ``None`` when there were no credit sales.

    Current AR 18 000, credit sales 90 000 over 90 days → 18.

    >>> best_possible_dso(18_000, 90_000, 90)
    Decimal('18.00')
    """
    if not measurable_dso(current_ar, credit_sales):
        return None
    return _ratio(_num(current_ar), _num(credit_sales), _num(days))


def add(dso, best_dso) -> Decimal | None:
    """Average Days Delinquent: DSO − Best Possible DSO.

    ``None`` when either input is ``None`` (as the two functions above return
    when there were no sales).

    DSO 30, best possible DSO 18 → 12 days delinquent on average.

    >>> add(Decimal("30.00"), Decimal("18.00"))
    Decimal('12.00')
    >>> add(None, Decimal("18.00")) is None
    True
    """
    if dso is None or best_dso is None:
        return None
    return _result(_num(dso) - _num(best_dso))


def cei(
    opening_ar, credit_sales, closing_total_ar, closing_current_ar
) -> Decimal | None:
    """Collection Effectiveness Index, in percent.

    (opening AR + credit sales − closing total AR)
    ÷ (opening AR + credit sales − closing current AR) × 100.
    ``None`` when the denominator is zero.

    Opening AR 10 000, credit sales 90 000, closing AR 30 000 of which
    20 000 current → (100 000 − 30 000) / (100 000 − 20 000) × 100 = 87.5 %.

    >>> cei(10_000, 90_000, 30_000, 20_000)
    Decimal('87.50')
    """
    available = _num(opening_ar) + _num(credit_sales)
    return _ratio(
        available - _num(closing_total_ar), available - _num(closing_current_ar), 100
    )


def percent_overdue(overdue_ar, total_ar) -> Decimal | None:
    """Share of the receivables that is past due, in percent.

    ``None`` when there are no receivables.

    Overdue 12 000 of 30 000 → 40 %.

    >>> percent_overdue(12_000, 30_000)
    Decimal('40.00')
    >>> percent_overdue(0, -500) is None
    True
    """
    if _num(total_ar) <= 0:
        return None
    return _ratio(_num(overdue_ar), _num(total_ar), 100)


def weighted_average_age(items: Iterable[tuple]) -> Decimal | None:
    """Amount-weighted average days overdue: Σ(days × amount) ÷ Σ amount.

    ``items`` are ``(days_overdue, amount)`` pairs; only positive amounts
    count (credit notes and zero lines are ignored). ``None`` when no item
    has a positive amount.

    1 000 at 10 days and 3 000 at 40 days → (10 000 + 120 000) / 4 000 = 32.5.

    >>> weighted_average_age([(10, 1_000), (40, 3_000), (99, -500)])
    Decimal('32.50')
    """
    weighted = Fraction(0)
    total = Fraction(0)
    for days, amount in items:
        amount = _num(amount)
        if amount <= 0:
            continue
        weighted += _num(days) * amount
        total += amount
    return _ratio(weighted, total, 1)


def promise_kept_rate(kept: int, broken: int) -> Decimal | None:
    """Promises kept ÷ (kept + broken) × 100; open promises are left out.

    ``None`` when no promise is decided yet. Counts must be non-negative ints.

    3 kept, 1 broken → 75 %.

    >>> promise_kept_rate(3, 1)
    Decimal('75.00')
    """
    kept, broken = _count("kept", kept), _count("broken", broken)
    return _ratio(Fraction(kept), Fraction(kept + broken), 100)


def plan_compliance(completed_or_current: int, broken: int) -> Decimal | None:
    """Plans completed or on track ÷ (those + broken plans) × 100.

    ``None`` when there is no plan to judge. Counts must be non-negative ints.

    9 completed or current, 1 broken → 90 %.

    >>> plan_compliance(9, 1)
    Decimal('90.00')
    """
    good = _count("completed_or_current", completed_or_current)
    broken = _count("broken", broken)
    return _ratio(Fraction(good), Fraction(good + broken), 100)


def recovery_rate(
    amount_due_at_action, amount_recovered_within_n_days
) -> Decimal | None:
    """Percent of the amount due at a collection action recovered within N days.

    The N-day window is the caller's choice. Not capped: an overpayment
    gives more than 100. ``None`` when nothing was due.

    2 000 due when the reminder went out, 500 recovered within 30 days → 25 %.

    >>> recovery_rate(2_000, 500)
    Decimal('25.00')
    """
    return _ratio(_num(amount_recovered_within_n_days), _num(amount_due_at_action), 100)
