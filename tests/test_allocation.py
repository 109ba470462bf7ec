"""Pure tests of cobranza_core.allocation: payments, installment/plan/promise states."""

import dataclasses
from datetime import date, timedelta

import pytest
from cobranza_core.allocation import (
    INSTALLMENT_STATES,
    PLAN_STATUSES,
    PROMISE_STATUSES,
    Allocation,
    AllocationError,
    AllocationResult,
    allocate,
    installment_state,
    plan_status,
    promise_status,
)
from hypothesis import given
from hypothesis import strategies as st

D1, D2, D3 = date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)


def _triples(result):
    return [(a.key, a.paid_cents, a.residual_cents) for a in result.lines]


# --- allocate -----------------------------------------------------------------


def test_allocate_oldest_first():
    result = allocate([("a", D1, 500), ("b", D2, 500), ("c", D3, 500)], 700)
    assert _triples(result) == [("a", 500, 0), ("b", 200, 300), ("c", 0, 500)]
    assert result.surplus_cents == 0
    assert result.allocated_cents == 700


def test_allocate_by_due_date_but_returns_the_given_order():
    result = allocate([("late", D3, 300), ("early", D1, 300), ("mid", D2, 300)], 400)
    assert _triples(result) == [("late", 0, 300), ("early", 300, 0), ("mid", 100, 200)]


def test_allocate_ties_follow_the_given_order():
    result = allocate([("x", D1, 300), ("y", D1, 300), ("z", D1, 300)], 450)
    assert _triples(result) == [("x", 300, 0), ("y", 150, 150), ("z", 0, 300)]


def test_allocate_overpayment_is_surplus():
    result = allocate([(1, D1, 300), (2, D2, 200)], 650)
    assert _triples(result) == [(1, 300, 0), (2, 200, 0)]
    assert result.surplus_cents == 150


def test_allocate_exact_and_nothing_paid():
    assert allocate([(1, D1, 300), (2, D2, 200)], 500).surplus_cents == 0
    result = allocate([(1, D1, 300), (2, D2, 200)], 0)
    assert _triples(result) == [(1, 0, 300), (2, 0, 200)]


def test_allocate_without_installments_is_all_surplus():
    result = allocate([], 100)
    assert result == AllocationResult(lines=(), surplus_cents=100)


def test_allocate_zero_amount_installment():
    result = allocate([(1, D1, 0), (2, D2, 100)], 50)
    assert _triples(result) == [(1, 0, 0), (2, 50, 50)]


def test_allocation_types_are_frozen():
    result = allocate([(1, D1, 100)], 10)
    assert isinstance(result.lines, tuple)
    assert result.lines[0] == Allocation(key=1, paid_cents=10, residual_cents=90)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.surplus_cents = 5
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.lines[0].paid_cents = 5


@pytest.mark.parametrize(
    ("installments", "paid"),
    [
        ([(1, D1, 100)], -1),
        ([(1, D1, -100)], 10),
        ([(1, D1, 100)], 1.5),
        ([(1, D1, 100.0)], 10),
        ([(1, D1, 100)], True),
    ],
)
def test_allocate_rejects_bad_amounts(installments, paid):
    with pytest.raises(AllocationError):
        allocate(installments, paid)


def test_allocation_error_is_a_value_error():
    assert issubclass(AllocationError, ValueError)


# --- installment_state ------------------------------------------------------------

DUE = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("amount", "paid", "today", "state"),
    [
        (100, 0, date(2026, 3, 9), "pending"),
        (100, 0, DUE, "due"),
        (100, 0, date(2026, 3, 11), "overdue"),
        (100, 40, date(2026, 3, 9), "partial"),
        (100, 40, DUE, "partial"),  # partial wins over due
        (100, 40, date(2026, 3, 11), "overdue"),  # overdue wins over partial
        (100, 100, date(2026, 3, 1), "paid"),
        (100, 100, date(2026, 12, 1), "paid"),
        (100, 150, date(2026, 3, 1), "paid"),
        (0, 0, date(2026, 12, 1), "paid"),
    ],
)
def test_installment_state(amount, paid, today, state):
    assert installment_state(DUE, amount, paid, today) == state
    assert state in INSTALLMENT_STATES


@pytest.mark.parametrize(("amount", "paid"), [(-1, 0), (100, -1), (100.0, 0)])
def test_installment_state_rejects_bad_amounts(amount, paid):
    with pytest.raises(AllocationError):
        installment_state(DUE, amount, paid, DUE)


# --- plan_status -----------------------------------------------------------------


def test_plan_status_tolerance_boundary():
    lines = [(D1, 500, 500), (D2, 500, 0)]
    assert plan_status(lines, date(2026, 2, 27), 5) == "active"
    assert plan_status(lines, D2, 5) == "active"  # due today is not late
    assert plan_status(lines, date(2026, 3, 1), 5) == "in_arrears"
    assert plan_status(lines, date(2026, 3, 5), 5) == "in_arrears"  # 5 days late
    assert plan_status(lines, date(2026, 3, 6), 5) == "broken"  # 6 days late


def test_plan_status_zero_tolerance():
    lines = [(D1, 500, 0)]
    assert plan_status(lines, D1, 0) == "active"
    assert plan_status(lines, D1 + timedelta(days=1), 0) == "broken"


def test_plan_status_partial_payment_still_counts_as_unpaid():
    lines = [(D1, 500, 499)]
    assert plan_status(lines, D1 + timedelta(days=3), 5) == "in_arrears"


def test_plan_status_completed_even_long_after():
    lines = [(D1, 500, 500), (D2, 500, 600)]
    assert plan_status(lines, date(2030, 1, 1), 0) == "completed"


def test_plan_status_worst_line_decides():
    lines = [(D1, 500, 0), (D3, 500, 0)]
    # D1 is 31 days late on 2026-03-03; D3 not yet due
    assert plan_status(lines, date(2026, 3, 3), 30) == "broken"
    assert plan_status(lines, date(2026, 3, 3), 31) == "in_arrears"


@pytest.mark.parametrize(
    ("lines", "tolerance"),
    [
        ([], 5),
        ([(D1, 500, 0)], -1),
        ([(D1, 500, 0)], 1.5),
        ([(D1, -500, 0)], 5),
        ([(D1, 500, -1)], 5),
    ],
)
def test_plan_status_rejects_bad_input(lines, tolerance):
    with pytest.raises(AllocationError):
        plan_status(lines, D1, tolerance)


# --- promise_status --------------------------------------------------------------

PROMISE = date(2026, 5, 15)


@pytest.mark.parametrize(
    ("paid", "today", "status"),
    [
        (10_000, date(2026, 5, 1), "kept"),  # kept before the date
        (12_000, date(2026, 6, 30), "kept"),
        (0, date(2026, 5, 1), "open"),
        (9_999, PROMISE, "open"),
        (9_999, date(2026, 5, 17), "open"),  # last day of the 2-day grace
        (9_999, date(2026, 5, 18), "broken"),
        (0, date(2027, 1, 1), "broken"),
    ],
)
def test_promise_status(paid, today, status):
    assert promise_status(10_000, PROMISE, paid, today, 2) == status
    assert status in PROMISE_STATUSES


def test_promise_status_zero_grace():
    assert promise_status(100, PROMISE, 0, PROMISE, 0) == "open"
    assert promise_status(100, PROMISE, 0, PROMISE + timedelta(days=1), 0) == "broken"


@pytest.mark.parametrize(
    ("promised", "paid", "grace"), [(0, 0, 0), (-1, 0, 0), (100, -1, 0), (100, 0, -1)]
)
def test_promise_status_rejects_bad_input(promised, paid, grace):
    with pytest.raises(AllocationError):
        promise_status(promised, PROMISE, paid, PROMISE, grace)


# --- properties ----------------------------------------------------------------------

DATES = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
INSTALLMENTS = st.lists(
    st.tuples(st.integers(0, 10**6), DATES, st.integers(0, 10**7)), max_size=30
)


@given(INSTALLMENTS, st.integers(0, 10**8))
def test_allocation_invariants(installments, paid):
    result = allocate(installments, paid)
    assert len(result.lines) == len(installments)
    for (key, _due, amount), line in zip(installments, result.lines, strict=False):
        assert line.key == key
        assert 0 <= line.paid_cents <= amount
        assert line.paid_cents + line.residual_cents == amount
    assert result.surplus_cents >= 0
    assert result.allocated_cents + result.surplus_cents == paid
    total = sum(amount for _k, _d, amount in installments)
    assert result.surplus_cents == max(0, paid - total)


@given(INSTALLMENTS, st.integers(0, 10**8))
def test_allocation_is_oldest_first(installments, paid):
    result = allocate(installments, paid)
    order = sorted(range(len(installments)), key=lambda i: installments[i][1])
    # once an installment (in due order) is not fully paid, nothing later got anything
    started_gap = False
    for i in order:
        line = result.lines[i]
        if started_gap:
            assert line.paid_cents == 0
        if line.residual_cents > 0:
            started_gap = True


@given(
    st.lists(
        st.tuples(DATES, st.integers(0, 10**6), st.integers(0, 2 * 10**6)),
        min_size=1,
        max_size=20,
    ),
    DATES,
    st.integers(0, 60),
)
def test_plan_status_properties(lines, today, tolerance):
    status = plan_status(lines, today, tolerance)
    assert status in PLAN_STATUSES
    all_paid = all(paid >= amount for _d, amount, paid in lines)
    assert (status == "completed") == all_paid
    late = [(today - due).days for due, amount, paid in lines if paid < amount]
    assert (status == "broken") == any(days > tolerance for days in late)
    if status == "active":
        assert all(days <= 0 for days in late)
    # agrees with the per-installment states
    states = [installment_state(d, a, p, today) for d, a, p in lines]
    assert (status in ("active", "completed")) == ("overdue" not in states)


@given(
    st.integers(1, 10**6), DATES, st.integers(0, 2 * 10**6), DATES, st.integers(0, 30)
)
def test_promise_status_properties(promised, promise_date, paid, today, grace):
    status = promise_status(promised, promise_date, paid, today, grace)
    if paid >= promised:
        assert status == "kept"
    elif today > promise_date + timedelta(days=grace):
        assert status == "broken"
    else:
        assert status == "open"
