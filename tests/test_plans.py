"""Pure tests of cobranza_core.plans: approval rights, reductions, pauses, reminders."""

from datetime import date, timedelta

import pytest
from cobranza_core.plans import (
    can_approve,
    pause_until,
    reduction_exceeds,
    reminders_due,
)
from hypothesis import given
from hypothesis import strategies as st

D = date(2026, 3, 10)


def test_manager_approves_anything():
    assert can_approve(
        is_manager=True, amount_cents=10**12, reduction_cents=5, user_limit_cents=0
    )


@pytest.mark.parametrize(
    ("amount", "reduction", "limit", "expected"),
    [
        (99_999, 0, 100_000, True),
        (100_000, 0, 100_000, False),
        (1, 1, 100_000, False),
        (1, 0, 0, False),
    ],
)
def test_user_approval_limit(amount, reduction, limit, expected):
    assert (
        can_approve(
            is_manager=False,
            amount_cents=amount,
            reduction_cents=reduction,
            user_limit_cents=limit,
        )
        is expected
    )


@given(
    total=st.integers(min_value=1, max_value=10**12),
    percent=st.integers(min_value=0, max_value=100),
)
def test_reduction_at_the_maximum_is_allowed(total, percent):
    reduction = total * percent // 100
    assert not reduction_exceeds(total, reduction, percent)
    assert reduction_exceeds(total, total * percent // 100 + 1, percent) is (
        (total * percent // 100 + 1) * 100 > total * percent
    )


def test_reduction_decimal_maximum():
    assert not reduction_exceeds(100_000, 12_500, "12.5")
    assert reduction_exceeds(100_000, 12_501, "12.5")


def test_pause_until_oldest_unpaid():
    lines = [(D + timedelta(days=30), 100, 0), (D, 100, 99), (D - timedelta(1), 5, 5)]
    assert pause_until(lines) == D
    assert pause_until([(D, 100, 100)]) is None


def test_reminders():
    lines = [
        ("early", D, "pending", False, False),
        ("window", D - timedelta(days=2), "pending", False, False),
        ("sent", D - timedelta(days=2), "pending", True, False),
        ("due", D - timedelta(days=4), "partial", False, False),
        ("late", D - timedelta(days=10), "overdue", True, False),
        ("late_sent", D - timedelta(days=10), "overdue", True, True),
        ("paid", D - timedelta(days=1), "paid", False, False),
    ]
    today = D - timedelta(days=4)
    pre, over = reminders_due(lines, today, 3)
    assert pre == ["window", "due"]
    assert over == ["late"]
    with pytest.raises(ValueError):
        reminders_due(lines, today, -1)


def test_doctests():
    import doctest

    import cobranza_core.plans as module

    result = doctest.testmod(module, report=False)
    assert result.attempted > 0 and result.failed == 0


def test_overdue_reminder_waits_for_its_delay_and_none_disables():
    lines = [
        ("late", D, "overdue", False, False),
        ("soon", D + timedelta(days=2), "pending", False, False),
    ]
    assert reminders_due(lines, D + timedelta(days=2), None, overdue_days=3) == ([], [])
    assert reminders_due(lines, D + timedelta(days=3), None, overdue_days=3) == (
        [],
        ["late"],
    )
    assert reminders_due(lines, D + timedelta(days=1), 1, overdue_days=None) == (
        ["soon"],
        [],
    )
    with pytest.raises(ValueError):
        reminders_due(lines, D, 3, overdue_days=0)
