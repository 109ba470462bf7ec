"""Pure tests of cobranza_core.kpi.

The worked examples below are the ones documented in the README; keep them
in step with the docstrings of ``cobranza_core/kpi.py``.
"""

from decimal import Decimal

import pytest
from cobranza_core import kpi
from hypothesis import given
from hypothesis import strategies as st

# --- worked examples ----------------------------------------------------------


def test_dso_standard_example():
    # AR 30 000, credit sales 90 000 over 90 days -> 30 000 / 90 000 x 90 = 30
    assert kpi.dso_standard(30_000, 90_000, 90) == Decimal("30.00")


def test_dso_countback_example():
    # AR 50 000; newest month 30 000 over 31 days is covered (31 days, 20 000 left);
    # next month 25 000 over 30 days: 20 000 / 25 000 x 30 = 24 -> 31 + 24 = 55
    months = [(30_000, 31), (25_000, 30), (20_000, 31)]
    assert kpi.dso_countback(50_000, months) == Decimal("55.00")


def test_best_possible_dso_example():
    # current AR 18 000, credit sales 90 000 over 90 days -> 18
    assert kpi.best_possible_dso(18_000, 90_000, 90) == Decimal("18.00")


def test_add_example():
    # DSO 30 - best possible DSO 18 -> 12 average days delinquent
    assert kpi.add(Decimal("30.00"), Decimal("18.00")) == Decimal("12.00")


def test_cei_example():
    # (10 000 + 90 000 - 30 000) / (10 000 + 90 000 - 20 000) x 100 = 87.5
    assert kpi.cei(10_000, 90_000, 30_000, 20_000) == Decimal("87.50")


def test_percent_overdue_example():
    # 12 000 overdue of 30 000 -> 40 %
    assert kpi.percent_overdue(12_000, 30_000) == Decimal("40.00")


def test_weighted_average_age_example():
    # 1 000 at 10 days and 3 000 at 40 days -> (10 000 + 120 000) / 4 000 = 32.5
    assert kpi.weighted_average_age([(10, 1_000), (40, 3_000)]) == Decimal("32.50")


def test_promise_kept_rate_example():
    # 3 kept, 1 broken -> 75 %
    assert kpi.promise_kept_rate(3, 1) == Decimal("75.00")


def test_plan_compliance_example():
    # 9 completed or current, 1 broken -> 90 %
    assert kpi.plan_compliance(9, 1) == Decimal("90.00")


def test_recovery_rate_example():
    # 2 000 due at the action, 500 recovered within the window -> 25 %
    assert kpi.recovery_rate(2_000, 500) == Decimal("25.00")


# --- zero denominators -> None --------------------------------------------------------


@pytest.mark.parametrize(
    ("func", "args"),
    [
        (kpi.dso_standard, (30_000, 0, 90)),
        (kpi.best_possible_dso, (18_000, 0, 90)),
        (kpi.add, (None, Decimal("18"))),
        (kpi.add, (Decimal("30"), None)),
        (kpi.cei, (10_000, 90_000, 30_000, 100_000)),
        (kpi.percent_overdue, (0, 0)),
        (kpi.weighted_average_age, ([],)),
        (kpi.weighted_average_age, ([(10, 0), (20, -500)],)),
        (kpi.promise_kept_rate, (0, 0)),
        (kpi.plan_compliance, (0, 0)),
        (kpi.recovery_rate, (0, 500)),
        (kpi.dso_countback, (50_000, [])),
    ],
)
def test_zero_denominator_gives_none(func, args):
    assert func(*args) is None


# --- details ------------------------------------------------------------------


def test_results_are_decimals_with_two_places():
    for value in (
        kpi.dso_standard(1, 3, 1),
        kpi.percent_overdue(0, 5),
        kpi.plan_compliance(1, 0),
    ):
        assert isinstance(value, Decimal)
        assert value.as_tuple().exponent == -2


def test_rounding_is_half_up():
    assert kpi.dso_standard(1, 3, 1) == Decimal("0.33")
    assert kpi.dso_standard(2, 3, 1) == Decimal("0.67")
    assert kpi.percent_overdue(1, 8) == Decimal("12.50")
    assert kpi.percent_overdue(1, 16) == Decimal("6.25")
    assert kpi.percent_overdue(1, 32) == Decimal("3.13")  # 3.125 -> 3.13
    assert kpi.percent_overdue(-1, 32) == Decimal("-3.13")  # away from zero
    assert kpi.cei(10_000, 90_000, 30_000, 18_000) == Decimal("85.37")  # 85.365...


def test_accepts_decimal_and_float_inputs():
    assert kpi.dso_standard(Decimal("30000.00"), Decimal("90000"), 90) == Decimal(
        "30.00"
    )
    assert kpi.percent_overdue(0.1, 0.3) == Decimal("33.33")
    assert kpi.percent_overdue(0.1 + 0.2, 0.3) == Decimal("100.00")


@pytest.mark.parametrize("bad", ["30000", None, True, [1]])
def test_rejects_other_types(bad):
    with pytest.raises(TypeError):
        kpi.dso_standard(bad, 90_000, 90)


def test_dso_countback_covers_whole_months():
    assert kpi.dso_countback(30_000, [(30_000, 31), (25_000, 30)]) == Decimal("31.00")
    assert kpi.dso_countback(10_000, [(40_000, 31)]) == Decimal("7.75")


def test_dso_countback_no_ar():
    assert kpi.dso_countback(0, [(30_000, 31)]) == Decimal("0.00")
    # customers owed money: no DSO can be measured ("n/a")
    assert kpi.dso_countback(-100, [(30_000, 31)]) is None


def test_dso_countback_month_without_sales_counts_in_full():
    assert kpi.dso_countback(5_000, [(0, 31), (10_000, 30)]) == Decimal("46.00")


def test_dso_countback_beyond_history_is_a_floor():
    assert kpi.dso_countback(1_000_000, [(30_000, 31), (25_000, 30)]) == Decimal(
        "61.00"
    )


def test_add_can_be_negative_and_takes_rounded_inputs():
    assert kpi.add(Decimal("17.50"), Decimal("18.25")) == Decimal("-0.75")


def test_weighted_average_age_ignores_non_positive_amounts():
    items = [(10, 1_000), (40, 3_000), (99, -500), (500, 0)]
    assert kpi.weighted_average_age(items) == Decimal("32.50")
    assert kpi.weighted_average_age(iter([(7, Decimal("10.50"))])) == Decimal("7.00")


def test_recovery_rate_is_not_capped():
    assert kpi.recovery_rate(2_000, 2_500) == Decimal("125.00")


@pytest.mark.parametrize("func", [kpi.promise_kept_rate, kpi.plan_compliance])
@pytest.mark.parametrize("args", [(-1, 2), (1, -2), (1.0, 2), (True, 2)])
def test_counts_must_be_non_negative_ints(func, args):
    with pytest.raises(ValueError):
        func(*args)


def test_large_values_are_exact():
    big = 10**30
    assert kpi.percent_overdue(big, 3 * big) == Decimal("33.33")
    assert kpi.dso_standard(big + 1, big, 1) == Decimal("1.00")


# --- properties ---------------------------------------------------------------

AMOUNTS = st.integers(min_value=0, max_value=10**12)


@given(AMOUNTS, st.integers(1, 10**12), st.integers(1, 366))
def test_dso_matches_decimal_formula(ar, sales, days):
    expected = (Decimal(ar) * days / Decimal(sales)).quantize(Decimal("0.01"))
    assert abs(kpi.dso_standard(ar, sales, days) - expected) <= Decimal("0.01")


@given(st.integers(0, 10**6), st.integers(0, 10**6))
def test_rates_are_between_0_and_100(kept, broken):
    rate = kpi.promise_kept_rate(kept, broken)
    if kept + broken == 0:
        assert rate is None
    else:
        assert Decimal(0) <= rate <= Decimal(100)
        assert kpi.plan_compliance(kept, broken) == rate


@given(st.lists(st.tuples(st.integers(0, 365), st.integers(-1000, 10**6)), max_size=30))
def test_weighted_average_age_between_min_and_max_days(items):
    result = kpi.weighted_average_age(items)
    counted = [days for days, amount in items if amount > 0]
    if not counted:
        assert result is None
    else:
        assert min(counted) <= result <= max(counted)


@given(
    st.integers(0, 10**9),
    st.lists(
        st.tuples(st.integers(1, 10**8), st.integers(28, 31)), min_size=1, max_size=24
    ),
)
def test_dso_countback_bounds(ar, months):
    result = kpi.dso_countback(ar, months)
    assert Decimal(0) <= result <= sum(days for _s, days in months)
    if ar <= months[0][0]:  # the newest month covers everything
        expected = kpi.dso_standard(ar, months[0][0], months[0][1])
        assert result == expected


@given(AMOUNTS, st.integers(1, 10**12))
def test_percent_overdue_of_part_is_within_bounds(part, extra):
    assert Decimal(0) <= kpi.percent_overdue(part, part + extra) <= Decimal(100)
