from datetime import date, timedelta
from decimal import Decimal

import pytest
from cobranza_core.cases import OPEN_STATES, STATES, commission, recovered_since
from hypothesis import given
from hypothesis import strategies as st

HANDOFF = date(2026, 3, 15)


def test_only_payments_after_the_handoff_count():
    payments = [
        (date(2026, 3, 14), Decimal("100")),
        (HANDOFF, Decimal("40")),
        (date(2026, 5, 1), Decimal("60.005")),
    ]
    assert recovered_since(payments, HANDOFF) == Decimal("100.01")


def test_commission_rounds_half_up_and_refuses_negatives():
    assert commission(Decimal("333.33"), Decimal("12.5")) == Decimal("41.67")
    assert commission(Decimal("0"), Decimal("20")) == Decimal("0.00")
    with pytest.raises(ValueError):
        commission(Decimal("-1"), Decimal("10"))


def test_open_states_are_states():
    assert OPEN_STATES < set(STATES)


amounts = st.decimals(min_value=0, max_value=10**7, places=2)


@given(
    st.lists(st.tuples(st.integers(-60, 60), amounts), max_size=20),
    st.decimals(min_value=0, max_value=50, places=2),
)
def test_commission_is_bounded_and_monotonic(rows, percent):
    payments = [(HANDOFF + timedelta(days=d), a) for d, a in rows]
    recovered = recovered_since(payments, HANDOFF)
    assert recovered == sum((a for d, a in rows if d >= 0), Decimal(0))
    fee = commission(recovered, percent)
    assert Decimal(0) <= fee <= recovered * percent / 100 + Decimal("0.005")
    assert commission(recovered + 1, percent) >= fee
