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


def test_costs_to_invoice_once_and_only_chargeable():
    from cobranza_core.cases import costs_to_invoice

    costs = [(1, 10, True, False), (2, 10, True, True), (3, 10, False, False)]
    assert costs_to_invoice(costs) == [1]
    assert costs_to_invoice([(1, 10, True, True)]) == []


def test_fee_caps_are_cumulative_over_the_costs_of_a_case():
    from datetime import datetime, timezone

    from cobranza_core import compliance
    from cobranza_core.cases import check_cost_fees

    cap = compliance.Rule(
        "XX-CAP",
        "CL",
        "fee_cap",
        {"unit": "UF", "tranches": [[None, "0.10"]]},
    )
    facts = dict(
        at=datetime(2026, 3, 16, 15, tzinfo=timezone.utc),
        jurisdiction="CL",
        tz="America/Santiago",
        debtor_type="consumer",
        actor_type="creditor",
        amount_cents=100_000,
        unit_values={"UF": 100},
    )
    # cap: 10 % of 1000.00 = 100.00; 60 + 30 fit, the next 30 does not
    out = check_cost_fees(
        [(1, 6000, True), (2, 3000, True), (3, 3000, True)], [cap], **facts
    )
    assert [out[i].outcome for i in (1, 2, 3)] == ["allow", "allow", "block"]
    assert out[3].reasons[0].code == "fee_over_cap"
    out = check_cost_fees([(4, 1500, True)], [cap], already_cents=9000, **facts)
    assert out[4].outcome == "block"
