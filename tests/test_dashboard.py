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
    assert position.buckets == aging.aging_totals(items)
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
