"""Pure tests of cobranza_core.dashboard (the README's worked example)."""

from datetime import date
from decimal import Decimal

from cobranza_core import aging, dashboard, kpi
from hypothesis import given
from hypothesis import strategies as st


def _example():
    position = dashboard.AgingPosition.from_items(
        [(-5, 20_000), (10, 6_000), (40, 4_000)]
    )
    return dashboard.period_kpis(
        days=90,
        opening_ar=10_000,
        credit_sales=90_000,
        position=position,
        monthly_sales=[(30_000, 31), (30_000, 30), (30_000, 29)],
    )


def test_worked_example():
    r = _example()
    assert (r["ar"], r["current_ar"], r["overdue_ar"]) == (30_000, 20_000, 10_000)
    assert r["dso"] == Decimal("30.00")
    assert r["best_dso"] == Decimal("20.00")
    assert r["add"] == Decimal("10.00")
    assert r["cei"] == Decimal("87.50")
    assert r["dso_countback"] == Decimal("31.00")
    assert r["percent_overdue"] == Decimal("33.33")
    # (0 x 20 000 + 10 x 6 000 + 40 x 4 000) / 30 000 = 7.33
    assert r["average_age"] == Decimal("7.33")
    assert r["aging"] == {
        "not_due": 20_000,
        "1_30": 6_000,
        "31_60": 4_000,
        "61_90": 0,
        "91_120": 0,
        "over_120": 0,
    }


def test_no_sales_is_not_measurable():
    r = dashboard.period_kpis(
        days=30,
        opening_ar=0,
        credit_sales=0,
        position=dashboard.AgingPosition(),
        monthly_sales=[],
    )
    assert r["dso"] is None and r["add"] is None and r["percent_overdue"] is None
    assert r["average_age"] is None and r["cei"] is None


items_st = st.lists(
    st.tuples(st.integers(-400, 400), st.integers(-10_000, 100_000)), max_size=30
)


@given(items_st)
def test_position_matches_core(items):
    position = dashboard.AgingPosition.from_items(items)
    assert position.buckets == aging.aging_totals([i for i in items if i[1] >= 0])
    assert position.credits == sum(a for _d, a in items if a < 0)
    assert position.total == sum(a for _d, a in items)
    # no bucket ever holds a negative amount ("-31 750 not due")
    assert all(value >= 0 for value in position.buckets.values())
    clamped = [(max(d, 0), a) for d, a in items]
    assert dashboard.weighted_age_from_sums(
        position.age_weight, position.age_base
    ) == kpi.weighted_average_age(clamped)


@given(st.integers(-1000, 1000))
def test_sql_case_matches_bucket_for(days):
    # Evaluate the generated CASE with a tiny interpreter of its WHEN chain.
    sql = dashboard.bucket_case_sql("d")
    for part in sql.split(" WHEN ")[1:]:
        limit, key = part.split(" THEN ")
        if days <= int(limit.split("<=")[1]):
            assert aging.bucket_for(days) == key.split("'")[1]
            return
    assert aging.bucket_for(days) == "over_120"


def test_months_back_covers_leap_february():
    months = dashboard.months_back(date(2028, 3, 31), 2)
    assert months == [
        (date(2028, 3, 1), date(2028, 3, 31)),
        (date(2028, 2, 1), date(2028, 2, 29)),
    ]


def test_credits_are_not_aged():
    position = dashboard.AgingPosition.from_items([(-3, 1_000), (5, -400)])
    assert position.buckets["not_due"] == 1_000 and position.credits == -400
    assert position.total == 600 and position.owed == 1_000
    assert position.columns()[aging.CREDIT_KEY] == -400


def test_buckets_in_reading_order():
    keys = ["over_120", "credit", "91_120", "not_due", "31_60", "1_30", "61_90"]
    assert sorted(keys, key=aging.bucket_rank) == [
        "not_due",
        "1_30",
        "31_60",
        "61_90",
        "91_120",
        "over_120",
        "credit",
    ]
    assert aging.ORDERED_KEYS[0] == "not_due"


@given(st.integers(-100_000, 100_000), st.integers(-100_000, 100_000))
def test_dso_is_never_negative(ar, sales):
    dso = kpi.dso_standard(ar, sales, 30)
    best = kpi.best_possible_dso(ar, sales, 30)
    for value in (dso, best):
        assert value is None or value >= 0
    assert (dso is None) == (sales <= 0 or ar < 0)


@given(
    st.integers(-100_000, 100_000),
    st.lists(st.tuples(st.integers(-50_000, 50_000), st.integers(28, 31)), max_size=12),
)
def test_countback_is_never_negative(ar, months):
    dso = kpi.dso_countback(ar, months)
    assert dso is None or dso >= 0
    if ar < 0:
        assert dso is None


def test_history_without_sales_is_not_available():
    position = dashboard.AgingPosition.from_items([(10, 600)])
    row = dashboard.history_row(position, 0, 31)
    assert row["dso"] is None and row["ar"] == 600
    assert dashboard.history_row(position, -100, 31)["dso"] is None
    assert dashboard.history_row(position, 600, 30)["dso"] == Decimal("30.00")
