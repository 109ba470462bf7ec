"""Assemble the dashboard KPIs of one period from aggregated figures.

The Odoo shell fetches sums (per aging bucket, per month) with one query each
and hands them over here; every formula lives in :mod:`.kpi` and
:mod:`.aging`. Nothing here knows about the database.

Worked example (the one of the README): opening AR 10 000; credit sales of
90 000 over a 90-day period; at the end of the period 20 000 is not yet due,
6 000 is 10 days late and 4 000 is 40 days late.

>>> from decimal import Decimal
>>> position = AgingPosition.from_items([(-5, 20_000), (10, 6_000), (40, 4_000)])
>>> result = period_kpis(
...     days=90, opening_ar=10_000, credit_sales=90_000, position=position,
...     monthly_sales=[(30_000, 31), (30_000, 30), (30_000, 29)],
... )
>>> result["ar"], result["current_ar"], result["overdue_ar"]
(30000, 20000, 10000)
>>> result["dso"], result["best_dso"], result["add"], result["cei"]
(Decimal('30.00'), Decimal('20.00'), Decimal('10.00'), Decimal('87.50'))
>>> result["dso_countback"], result["percent_overdue"], result["average_age"]
(Decimal('31.00'), Decimal('33.33'), Decimal('7.33'))
>>> result["aging"]["1_30"], result["aging"]["31_60"]
(6000, 4000)
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from . import kpi
from .aging import BUCKET_KEYS, BUCKETS, CREDIT_KEY, position_bucket

__all__ = [
    "AgingPosition",
    "bucket_case_sql",
    "history_row",
    "month_ends",
    "months_back",
    "period_kpis",
    "weighted_age_from_sums",
]


@dataclass
class AgingPosition:
    """What is open at one date: sums per aging bucket and the age weights.

    The buckets hold what customers owe (positive open amounts); ``credits``
    the open credits (payments and credit notes not yet matched, negative):
    ``total`` = Σ buckets + credits is the balance of the receivable
    accounts. ``age_weight`` is Σ(days past due × amount) and ``age_base``
    Σ amount, both over positive open amounts only, days not yet due
    counting as 0.
    """

    buckets: dict = field(default_factory=lambda: {k: 0 for k in BUCKET_KEYS})
    age_weight: object = 0
    age_base: object = 0
    credits: object = 0

    @classmethod
    def from_items(cls, items):
        """Build from ``(days_past_due, amount)`` pairs (the core's rules)."""
        position = cls()
        for days, amount in items:
            position.add(
                position_bucket(days, amount), amount, max(days, 0) * amount, amount
            )
        return position

    def add(self, bucket, amount, age_weight=0, age_base=0):
        """Add one aggregated row (as a ``GROUP BY bucket`` query returns)."""
        if bucket == CREDIT_KEY:
            self.credits = self.credits + amount
            return self
        self.buckets[bucket] = self.buckets[bucket] + amount
        if age_base and age_base > 0:
            self.age_weight = self.age_weight + age_weight
            self.age_base = self.age_base + age_base
        return self

    def merge(self, other):
        for key in BUCKET_KEYS:
            self.buckets[key] = self.buckets[key] + other.buckets[key]
        self.age_weight = self.age_weight + other.age_weight
        self.age_base = self.age_base + other.age_base
        self.credits = self.credits + other.credits
        return self

    @property
    def owed(self):
        """What customers owe: the sum of the aging buckets."""
        return sum(self.buckets.values())

    @property
    def total(self):
        """The receivables balance: owed minus the open credits."""
        return self.owed + self.credits

    @property
    def current(self):
        return self.buckets["not_due"]

    @property
    def overdue(self):
        return self.owed - self.current

    def columns(self):
        """``{key: amount}`` of every column, credits included."""
        return {**self.buckets, CREDIT_KEY: self.credits}


def weighted_age_from_sums(age_weight, age_base) -> Decimal | None:
    """Average age from Σ(days × amount) and Σ amount (``None`` if no debt).

    The same figure as :func:`kpi.weighted_average_age` over the items the
    sums came from.

    >>> weighted_age_from_sums(130_000, 4_000)
    Decimal('32.50')
    """
    if not age_base or age_base <= 0:
        return None
    return kpi._ratio(kpi._num(age_weight), kpi._num(age_base), 1)


def period_kpis(*, days, opening_ar, credit_sales, position, monthly_sales):
    """Every KPI of one period.

    ``days`` is the length of the period, ``opening_ar`` the receivables the
    day before it starts, ``credit_sales`` the invoices (net of credit notes)
    dated in it, ``position`` the :class:`AgingPosition` at its last day and
    ``monthly_sales`` the ``(sales, days)`` of the months up to its last day,
    newest first, for the count-back DSO.
    """
    ar, current, overdue = position.total, position.current, position.overdue
    dso = kpi.dso_standard(ar, credit_sales, days)
    best = kpi.best_possible_dso(current, credit_sales, days)
    return {
        "days": days,
        "opening_ar": opening_ar,
        "credit_sales": credit_sales,
        "ar": ar,
        "current_ar": current,
        "overdue_ar": overdue,
        "credits": position.credits,
        "aging": dict(position.buckets),
        "dso": dso,
        "dso_countback": kpi.dso_countback(ar, monthly_sales),
        "best_dso": best,
        "add": kpi.add(dso, best),
        "cei": kpi.cei(opening_ar, credit_sales, ar, current),
        "percent_overdue": kpi.percent_overdue(overdue, position.owed),
        "average_age": weighted_age_from_sums(position.age_weight, position.age_base),
    }


def history_row(position, credit_sales, days):
    """The figures of one point of the history: a snapshot's position and
    the credit sales of its month (``days`` long, up to the snapshot).

    Only values that can exist: a DSO without sales is ``None`` ("n/a").

    >>> row = history_row(AgingPosition.from_items([(10, 600), (-1, 400)]), 0, 30)
    >>> row["ar"], row["overdue"], row["percent_overdue"], row["dso"]
    (1000, 600, Decimal('60.00'), None)
    """
    return {
        "ar": position.total,
        "owed": position.owed,
        "overdue": position.overdue,
        "credits": position.credits,
        "percent_overdue": kpi.percent_overdue(position.overdue, position.owed),
        "average_age": weighted_age_from_sums(position.age_weight, position.age_base),
        "dso": kpi.dso_standard(position.total, credit_sales, days),
    }


def bucket_case_sql(days_expr: str, amount_expr: str | None = None) -> str:
    """A SQL ``CASE`` giving the bucket key of ``days_expr``, from :data:`BUCKETS`
    (and ``credit`` for a negative ``amount_expr``, as :func:`position_bucket`).

    The expressions are SQL written by the caller (never user input). Keeps
    the database and the core on the same bucket limits.

    >>> print(bucket_case_sql("d"))  # doctest: +NORMALIZE_WHITESPACE
    CASE WHEN d <= 0 THEN 'not_due' WHEN d <= 30 THEN '1_30'
    WHEN d <= 60 THEN '31_60' WHEN d <= 90 THEN '61_90'
    WHEN d <= 120 THEN '91_120' ELSE 'over_120' END
    >>> print(bucket_case_sql("d", "a")[:41])
    CASE WHEN a < 0 THEN 'credit' WHEN d <= 0
    """
    parts = ["CASE"]
    if amount_expr:
        parts.append(f"WHEN {amount_expr} < 0 THEN '{CREDIT_KEY}'")
    for key, _low, high in BUCKETS:
        if high is None:
            parts.append(f"ELSE '{key}'")
        else:
            parts.append(f"WHEN {days_expr} <= {int(high)} THEN '{key}'")
    parts.append("END")
    return " ".join(parts)


def month_start(day: date) -> date:
    return day.replace(day=1)


def months_back(end: date, count: int) -> list:
    """``(first_day, last_day)`` of ``count`` calendar months up to ``end``,
    newest first; the newest month stops at ``end`` itself.

    >>> months_back(date(2026, 3, 15), 3)  # doctest: +NORMALIZE_WHITESPACE
    [(datetime.date(2026, 3, 1), datetime.date(2026, 3, 15)),
     (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)),
     (datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))]
    """
    result = []
    last = end
    for _i in range(count):
        first = month_start(last)
        result.append((first, last))
        last = first - timedelta(days=1)
    return result


def month_ends(end: date, count: int) -> list:
    """The last day of each of the ``count`` months up to ``end``, oldest first.

    >>> month_ends(date(2026, 3, 15), 3)
    [datetime.date(2026, 1, 31), datetime.date(2026, 2, 28), datetime.date(2026, 3, 15)]
    """
    return [last for _first, last in reversed(months_back(end, count))]
