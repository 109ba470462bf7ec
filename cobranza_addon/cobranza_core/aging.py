"""Aging arithmetic: days past due and aging buckets.

>>> from datetime import date
>>> days_past_due(date(2026, 1, 10), date(2026, 1, 31))
21
>>> days_past_due(date(2026, 2, 10), date(2026, 1, 31))
-10
>>> bucket_for(0), bucket_for(1), bucket_for(30), bucket_for(31), bucket_for(121)
('not_due', '1_30', '1_30', '31_60', 'over_120')
>>> totals = aging_totals([(-5, 100), (12, 50), (45, 25), (200, 10)])
>>> totals["not_due"], totals["1_30"], totals["31_60"], totals["over_120"]
(100, 50, 25, 10)
"""

from collections.abc import Iterable
from datetime import date

#: (key, first day past due, last day past due); ``None`` is unbounded.
BUCKETS = (
    ("not_due", None, 0),
    ("1_30", 1, 30),
    ("31_60", 31, 60),
    ("61_90", 61, 90),
    ("91_120", 91, 120),
    ("over_120", 121, None),
)
BUCKET_KEYS = tuple(key for key, _low, _high in BUCKETS)
#: Open credits (payments and credit notes not yet matched to an invoice) are
#: not aged: they owe nothing. They get their own column, after the buckets.
CREDIT_KEY = "credit"
#: Every column of an aging table, in the order a reader expects.
ORDERED_KEYS = (*BUCKET_KEYS, CREDIT_KEY)


def days_past_due(due_date: date, today: date) -> int:
    """Signed days from the due date: negative before it, 0 on it."""
    return (today - due_date).days


def bucket_for(days: int) -> str:
    """The aging bucket key for a number of days past due."""
    for key, low, high in BUCKETS:
        if (low is None or days >= low) and (high is None or days <= high):
            return key
    raise AssertionError("buckets cover every integer")  # pragma: no cover


def position_bucket(days: int, amount) -> str:
    """The column of an open amount: its aging bucket, or ``credit`` when the
    customer is owed money (a negative open amount is never "not due").

    >>> position_bucket(-3, 100), position_bucket(45, 100), position_bucket(-3, -50)
    ('not_due', '31_60', 'credit')
    """
    if amount < 0:
        return CREDIT_KEY
    return bucket_for(days)


def bucket_rank(key: str) -> int:
    """Position of a bucket key in :data:`ORDERED_KEYS` (unknown keys last).

    >>> sorted(["over_120", "not_due", "credit", "1_30"], key=bucket_rank)
    ['not_due', '1_30', 'over_120', 'credit']
    """
    try:
        return ORDERED_KEYS.index(key)
    except ValueError:
        return len(ORDERED_KEYS)


def aging_totals(items: Iterable[tuple[int, object]]) -> dict:
    """Sum amounts per bucket from ``(days_past_due, amount)`` pairs.

    Every bucket is present in the result, with 0 when empty. Amounts keep
    their own numeric type (int cents or Decimal).
    """
    totals = {key: 0 for key in BUCKET_KEYS}
    for days, amount in items:
        key = bucket_for(days)
        totals[key] = totals[key] + amount
    return totals
