"""Pure tests of cobranza_core.installments (payment-plan schedules)."""

import calendar
import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest
from cobranza_core.installments import (
    FREQUENCIES,
    Installment,
    ScheduleError,
    add_months,
    build_schedule,
    due_dates,
    period_before,
    reduction_cents,
    validate_lines,
)
from hypothesis import assume, given
from hypothesis import strategies as st


def _rows(lines):
    return [
        (x.sequence, x.due_date, x.principal_cents, x.interest_cents, x.amount_cents)
        for x in lines
    ]


# --- dates -----------------------------------------------------------------


def test_frequencies():
    assert FREQUENCIES == ("weekly", "biweekly", "monthly")


def test_monthly_dates_keep_the_anchor_day_after_a_short_month():
    dates = due_dates(date(2026, 1, 31), 5, "monthly")
    assert dates == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
    ]


def test_monthly_dates_in_a_leap_year():
    assert due_dates(date(2024, 1, 31), 3, "monthly") == [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),
    ]
    assert due_dates(date(2024, 1, 30), 3, "monthly") == [
        date(2024, 1, 30),
        date(2024, 2, 29),
        date(2024, 3, 30),
    ]


def test_monthly_dates_cross_the_year():
    assert due_dates(date(2026, 11, 15), 3, "monthly") == [
        date(2026, 11, 15),
        date(2026, 12, 15),
        date(2027, 1, 15),
    ]


def test_weekly_and_biweekly_dates():
    assert due_dates(date(2026, 2, 26), 3, "weekly") == [
        date(2026, 2, 26),
        date(2026, 3, 5),
        date(2026, 3, 12),
    ]
    assert due_dates(date(2026, 1, 30), 3, "biweekly") == [
        date(2026, 1, 30),
        date(2026, 2, 13),
        date(2026, 2, 27),
    ]


def test_add_months_and_period_before():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 2, 28), 1, 31) == date(2026, 3, 31)
    assert add_months(date(2026, 1, 15), -13) == date(2024, 12, 15)
    assert period_before(date(2026, 3, 31), "monthly") == date(2026, 2, 28)
    assert period_before(date(2026, 3, 1), "weekly") == date(2026, 2, 22)
    assert period_before(date(2026, 3, 1), "biweekly") == date(2026, 2, 15)


# --- build_schedule: principal ------------------------------------------------


def test_last_line_absorbs_the_rounding():
    lines = build_schedule(1000, 3, "monthly", date(2026, 1, 31))
    assert _rows(lines) == [
        (1, date(2026, 1, 31), 333, 0, 333),
        (2, date(2026, 2, 28), 333, 0, 333),
        (3, date(2026, 3, 31), 334, 0, 334),
    ]


def test_single_installment():
    lines = build_schedule(12345, 1, "weekly", date(2026, 1, 1))
    assert _rows(lines) == [(1, date(2026, 1, 1), 12345, 0, 12345)]


def test_one_cent_per_installment_is_the_minimum():
    lines = build_schedule(3, 3, "weekly", date(2026, 1, 1))
    assert [x.amount_cents for x in lines] == [1, 1, 1]
    with pytest.raises(ScheduleError, match="less than one cent per installment"):
        build_schedule(2, 3, "weekly", date(2026, 1, 1))


def test_reduction_and_down_payment_reduce_the_financed_amount():
    lines = build_schedule(
        100_000,
        4,
        "biweekly",
        date(2026, 2, 1),
        down_payment_cents=10_000,
        reduction_cents=5_000,
    )
    assert _rows(lines) == [
        (0, date(2026, 2, 1), 10_000, 0, 10_000),  # down payment, on first_date
        (1, date(2026, 2, 1), 21_250, 0, 21_250),
        (2, date(2026, 2, 15), 21_250, 0, 21_250),
        (3, date(2026, 3, 1), 21_250, 0, 21_250),
        (4, date(2026, 3, 15), 21_250, 0, 21_250),
    ]
    assert sum(x.amount_cents for x in lines) == 100_000 - 5_000


def test_down_payment_is_due_on_start_date_when_given():
    lines = build_schedule(
        60_000,
        2,
        "monthly",
        date(2026, 2, 10),
        down_payment_cents=20_000,
        start_date=date(2026, 1, 10),
    )
    assert _rows(lines) == [
        (0, date(2026, 1, 10), 20_000, 0, 20_000),
        (1, date(2026, 2, 10), 20_000, 0, 20_000),
        (2, date(2026, 3, 10), 20_000, 0, 20_000),
    ]


def test_no_down_payment_line_when_zero():
    lines = build_schedule(
        100, 2, "weekly", date(2026, 1, 1), start_date=date(2025, 12, 1)
    )
    assert [x.sequence for x in lines] == [1, 2]


def test_installment_is_frozen():
    line = build_schedule(100, 1, "weekly", date(2026, 1, 1))[0]
    assert isinstance(line, Installment)
    with pytest.raises(dataclasses.FrozenInstanceError):
        line.amount_cents = 1


# --- build_schedule: interest -------------------------------------------------


def test_interest_worked_example_with_start_date_and_down_payment():
    # Financed 800.00; 800.00 x 12 % x 30/365 = 7.89; 400.00 x 12 % x 28/365 = 3.68
    lines = build_schedule(
        100_000,
        2,
        "monthly",
        date(2026, 1, 31),
        down_payment_cents=20_000,
        annual_rate=Decimal("0.12"),
        start_date=date(2026, 1, 1),
    )
    assert _rows(lines) == [
        (0, date(2026, 1, 1), 20_000, 0, 20_000),
        (1, date(2026, 1, 31), 40_000, 789, 40_789),
        (2, date(2026, 2, 28), 40_000, 368, 40_368),
    ]


def test_interest_default_start_is_one_period_before_first_date():
    # first period 2026-02-28 -> 2026-03-31 = 31 days on 1 200.00 at 10 %:
    # 120 000 x 0.10 x 31 / 365 = 1 019.18 -> 1 019; then 30 days on 600.00:
    # 60 000 x 0.10 x 30 / 365 = 493.15 -> 493
    lines = build_schedule(120_000, 2, "monthly", date(2026, 3, 31), annual_rate=0.10)
    assert _rows(lines) == [
        (1, date(2026, 3, 31), 60_000, 1019, 61_019),
        (2, date(2026, 4, 30), 60_000, 493, 60_493),
    ]


def test_interest_weekly_default_start():
    # 7 days on 3 650.00 at 10 %: 365 000 x 0.1 x 7 / 365 = 700 cents exactly,
    # then 7 days on 1 825.00: 350 cents.
    lines = build_schedule(365_000, 2, "weekly", date(2026, 1, 8), annual_rate="0.1")
    assert [x.interest_cents for x in lines] == [700, 350]


def test_interest_is_rounded_half_up_per_line():
    # 73 cents x 50 % x 5 / 365 = 0.5 cent exactly -> 1 (banker's would give 0)
    lines = build_schedule(
        73,
        1,
        "weekly",
        date(2026, 1, 10),
        annual_rate=Decimal("0.5"),
        start_date=date(2026, 1, 5),
    )
    assert _rows(lines) == [(1, date(2026, 1, 10), 73, 1, 74)]


def test_float_and_decimal_rates_agree():
    args = (987_654, 7, "monthly", date(2026, 1, 31))
    assert build_schedule(*args, annual_rate=0.12) == build_schedule(
        *args, annual_rate=Decimal("0.12")
    )


def test_start_date_equal_to_first_date_gives_no_first_interest():
    lines = build_schedule(
        100_000,
        2,
        "weekly",
        date(2026, 1, 1),
        annual_rate=0.2,
        start_date=date(2026, 1, 1),
    )
    assert lines[0].interest_cents == 0
    assert lines[1].interest_cents == round(50_000 * 0.2 * 7 / 365)


def test_down_payment_bears_no_interest():
    lines = build_schedule(
        100_000,
        1,
        "monthly",
        date(2026, 2, 1),
        down_payment_cents=50_000,
        annual_rate=0.12,
    )
    assert lines[0].interest_cents == 0
    # 500.00 x 12 % x 31 / 365 = 5.0958... -> 510 cents
    assert lines[1].interest_cents == 510


# --- build_schedule: errors ---------------------------------------------------


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((1000, 0, "monthly"), {}, "at least one installment"),
        ((1000, -1, "monthly"), {}, "at least one installment"),
        ((1000, 2.0, "monthly"), {}, "at least one installment"),
        ((1000, 2, "daily"), {}, "Unknown frequency 'daily'"),
        ((1000, 2, "Monthly"), {}, "Unknown frequency"),
        ((-1000, 2, "monthly"), {}, "total cannot be negative"),
        ((0, 2, "monthly"), {}, "total must be greater than zero"),
        ((Decimal(1000), 2, "monthly"), {}, "integer number of cents"),
        ((10.5, 2, "monthly"), {}, "integer number of cents"),
        (
            (1000, 2, "monthly"),
            {"down_payment_cents": -1},
            "down payment cannot be negative",
        ),
        ((1000, 2, "monthly"), {"reduction_cents": -1}, "reduction cannot be negative"),
        ((1000, 2, "monthly"), {"reduction_cents": 1000}, "reduction must be less"),
        ((1000, 2, "monthly"), {"reduction_cents": 1001}, "reduction must be less"),
        (
            (1000, 2, "monthly"),
            {"down_payment_cents": 1000},
            "down payment must be less",
        ),
        (
            (1000, 2, "monthly"),
            {"down_payment_cents": 600, "reduction_cents": 400},
            "leave nothing to finance",
        ),
        (
            (1000, 2, "monthly"),
            {"down_payment_cents": 599, "reduction_cents": 400},
            "less than one cent per installment",
        ),
        ((1000, 2, "monthly"), {"annual_rate": -0.01}, "rate cannot be negative"),
        ((1000, 2, "monthly"), {"annual_rate": float("nan")}, "finite number"),
        ((1000, 2, "monthly"), {"annual_rate": None}, "finite number"),
        (
            (1000, 2, "monthly"),
            {"start_date": date(2026, 1, 2)},
            "start date cannot be after",
        ),
    ],
)
def test_build_schedule_errors(args, kwargs, message):
    with pytest.raises(ScheduleError, match=message):
        build_schedule(*args, date(2026, 1, 1), **kwargs)


def test_schedule_error_is_a_value_error():
    assert issubclass(ScheduleError, ValueError)


def test_schedule_outside_the_calendar():
    with pytest.raises(ScheduleError, match="outside the supported calendar"):
        build_schedule(1000, 2, "monthly", date(9999, 12, 1))
    with pytest.raises(ScheduleError, match="outside the supported calendar"):
        build_schedule(1000, 2, "weekly", date(9999, 12, 28))
    with pytest.raises(ScheduleError, match="outside the supported calendar"):
        build_schedule(1000, 1, "monthly", date(1, 1, 1), annual_rate=0.1)
    # without interest, no period before first_date is needed
    assert build_schedule(1000, 1, "monthly", date(1, 1, 1))[0].amount_cents == 1000


# --- reduction_cents ----------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, 0),
        ({"amount_cents": 2_500}, 2_500),
        ({"amount_cents": 0}, 0),
        ({"amount_cents": 100_000}, 100_000),
        ({"percent": 10}, 10_000),
        ({"percent": Decimal("12.5")}, 12_500),
        ({"percent": 0.5}, 500),
        ({"percent": "33.333"}, 33_333),
        ({"percent": 0}, 0),
        ({"percent": 100}, 100_000),
    ],
)
def test_reduction_cents(kwargs, expected):
    assert reduction_cents(100_000, **kwargs) == expected


def test_reduction_percent_rounds_half_up():
    assert reduction_cents(999, percent=50) == 500  # 499.5 -> 500
    assert reduction_cents(1, percent=50) == 1  # 0.5 -> 1
    assert reduction_cents(1, percent=49) == 0


@pytest.mark.parametrize(
    ("total", "kwargs", "message"),
    [
        (1000, {"amount_cents": 1, "percent": 1}, "not both"),
        (1000, {"amount_cents": -1}, "cannot be negative"),
        (1000, {"amount_cents": 1001}, "cannot exceed the total"),
        (1000, {"percent": -1}, "between 0 and 100"),
        (1000, {"percent": Decimal("100.01")}, "between 0 and 100"),
        (1000, {"percent": "ten"}, "must be a number"),
        (-1, {"percent": 10}, "total cannot be negative"),
    ],
)
def test_reduction_cents_errors(total, kwargs, message):
    with pytest.raises(ScheduleError, match=message):
        reduction_cents(total, **kwargs)


# --- validate_lines ------------------------------------------------------------


def test_validate_lines_accepts_a_good_schedule():
    assert (
        validate_lines(1000, [(date(2026, 1, 1), 600), (date(2026, 2, 1), 400)]) is None
    )


@pytest.mark.parametrize(
    ("total", "lines", "message"),
    [
        (1000, [], "at least one line"),
        (
            1000,
            [(date(2026, 1, 1), 600), (date(2026, 2, 1), 399)],
            r"sum to 9\.99 but the plan total is 10\.00 \(difference -0\.01\)",
        ),
        (
            1000,
            [(date(2026, 1, 1), 700), (date(2026, 2, 1), 400)],
            r"difference 1\.00",
        ),
        (
            1000,
            [(date(2026, 1, 1), 1000), (date(2026, 2, 1), 0)],
            "Line 2: the amount must be greater than zero",
        ),
        (
            1000,
            [(date(2026, 1, 1), 1100), (date(2026, 2, 1), -100)],
            "Line 2: the amount must be greater than zero",
        ),
        (
            1000,
            [(date(2026, 1, 1), Decimal(1000))],
            "Line 1: the amount must be an integer",
        ),
        (
            1000,
            [(date(2026, 2, 1), 600), (date(2026, 2, 1), 400)],
            "Line 2: due date 2026-02-01 must be after 2026-02-01",
        ),
        (
            1000,
            [(date(2026, 2, 1), 600), (date(2026, 1, 1), 400)],
            "Line 2: due date 2026-01-01 must be after 2026-02-01",
        ),
    ],
)
def test_validate_lines_errors(total, lines, message):
    with pytest.raises(ScheduleError, match=message):
        validate_lines(total, lines)


# --- properties -------------------------------------------------------------------

DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@st.composite
def plans(draw, with_rate=True):
    total = draw(st.integers(min_value=1, max_value=10**10))
    count = draw(st.integers(min_value=1, max_value=48))
    frequency = draw(st.sampled_from(FREQUENCIES))
    first = draw(DATES)
    reduction = draw(st.integers(min_value=0, max_value=total - 1))
    down = draw(st.integers(min_value=0, max_value=total - reduction - 1))
    assume(total - reduction - down >= count)
    kwargs = {"down_payment_cents": down, "reduction_cents": reduction}
    if with_rate and draw(st.booleans()):
        kwargs["annual_rate"] = draw(
            st.decimals(min_value=0, max_value=2, places=4, allow_nan=False)
        )
    if draw(st.booleans()):
        kwargs["start_date"] = first - timedelta(days=draw(st.integers(0, 60)))
    return total, count, frequency, first, kwargs


@given(plans())
def test_principals_sum_exactly_to_the_financed_amount(plan):
    total, count, frequency, first, kwargs = plan
    lines = build_schedule(total, count, frequency, first, **kwargs)
    installments = [x for x in lines if x.sequence >= 1]
    financed = total - kwargs["reduction_cents"] - kwargs["down_payment_cents"]
    assert [x.sequence for x in installments] == list(range(1, count + 1))
    assert sum(x.principal_cents for x in installments) == financed
    base = financed // count
    assert all(x.principal_cents == base for x in installments[:-1])
    assert base <= installments[-1].principal_cents < base + count
    assert all(x.principal_cents >= 1 for x in installments)
    # the whole schedule (down payment included) covers the total minus reduction
    assert sum(x.principal_cents for x in lines) == total - kwargs["reduction_cents"]


@given(plans())
def test_dates_strictly_increase_and_amounts_add_up(plan):
    total, count, frequency, first, kwargs = plan
    lines = build_schedule(total, count, frequency, first, **kwargs)
    installments = [x for x in lines if x.sequence >= 1]
    assert installments[0].due_date == first
    assert all(
        a.due_date < b.due_date
        for a, b in zip(installments, installments[1:], strict=False)
    )
    for line in lines:
        assert line.amount_cents == line.principal_cents + line.interest_cents
        assert line.interest_cents >= 0
    if kwargs.get("annual_rate", 0) == 0:
        assert all(x.interest_cents == 0 for x in lines)
    if kwargs["down_payment_cents"]:
        down = lines[0]
        assert down.sequence == 0
        assert down.amount_cents == kwargs["down_payment_cents"]
        assert down.interest_cents == 0
        assert down.due_date == kwargs.get("start_date", first) <= first
    else:
        assert lines[0].sequence == 1


@given(plans(with_rate=False))
def test_step_between_due_dates(plan):
    total, count, frequency, first, kwargs = plan
    lines = build_schedule(total, count, frequency, first, **kwargs)
    dates = [x.due_date for x in lines if x.sequence >= 1]
    if frequency == "monthly":
        for n, due in enumerate(dates):
            year, month0 = divmod(first.year * 12 + first.month - 1 + n, 12)
            assert (due.year, due.month) == (year, month0 + 1)
            month_end = calendar.monthrange(year, month0 + 1)[1]
            assert due.day == min(first.day, month_end)
    else:
        step = 7 if frequency == "weekly" else 14
        assert all((b - a).days == step for a, b in zip(dates, dates[1:], strict=False))


@given(
    st.integers(min_value=1, max_value=10**9),
    st.integers(min_value=1, max_value=30),
    st.sampled_from(("weekly", "biweekly")),
    DATES,
    st.decimals(min_value=0, max_value=1, places=3),
)
def test_interest_decreases_with_the_balance_on_fixed_periods(
    total, count, frequency, first, rate
):
    assume(total >= count)
    lines = build_schedule(total, count, frequency, first, annual_rate=rate)
    interests = [x.interest_cents for x in lines]
    assert all(a >= b for a, b in zip(interests, interests[1:], strict=False))


@given(plans())
def test_built_schedules_pass_validation(plan):
    total, count, frequency, first, kwargs = plan
    lines = build_schedule(total, count, frequency, first, **kwargs)
    pairs = [(x.due_date, x.amount_cents) for x in lines]
    if lines[0].sequence == 0 and lines[0].due_date == lines[1].due_date:
        pairs = pairs[1:]  # down payment on the first due date: validate the rest
    validate_lines(sum(a for _d, a in pairs), pairs)
