"""Statutory interest, fixed compensation and fee caps (cobranza_core.interest)."""

import doctest
from datetime import date
from decimal import Decimal

import pytest
from cobranza_core import interest
from cobranza_core.interest import (
    collection_fee_cap,
    fixed_compensation,
    late_payment_interest,
    payment_term_limit,
    statutory_rate,
)
from hypothesis import given, settings
from hypothesis import strategies as st

ECB = [
    (date(2023, 9, 20), "0.045"),
    (date(2024, 6, 12), "0.0425"),
    (date(2024, 9, 18), "0.0365"),
    (date(2024, 10, 23), "0.034"),
    (date(2024, 12, 18), "0.0315"),
    (date(2025, 2, 5), "0.029"),
    (date(2025, 3, 12), "0.0265"),
    (date(2025, 4, 23), "0.024"),
    (date(2025, 6, 11), "0.0215"),
]


def test_module_doctests():
    result = doctest.testmod(interest)
    assert result.attempted >= 10 and result.failed == 0


def test_late_payment_interest_basic_and_rounding():
    assert late_payment_interest(100_000, Decimal("0.10"), 365) == 10_000
    assert late_payment_interest(365, Decimal("0.5"), 1) == 1  # exactly 0.5 -> half up
    assert late_payment_interest(364, Decimal("0.5"), 1) == 0  # 0.4986
    assert late_payment_interest(0, "0.2", 100) == 0
    assert late_payment_interest(100_000, 0.1, 365) == 10_000  # floats go through str
    with pytest.raises(ValueError):
        late_payment_interest(100, "0.1", -1)


@given(
    st.integers(min_value=0, max_value=10**12),
    st.decimals(min_value=0, max_value=1, places=4),
    st.integers(min_value=0, max_value=3650),
)
@settings(max_examples=150, deadline=None)
def test_late_payment_interest_matches_exact_formula(principal, rate, days):
    exact = Decimal(principal) * rate * days / 365
    got = late_payment_interest(principal, rate, days)
    assert abs(Decimal(got) - exact) <= Decimal("0.5")
    assert late_payment_interest(principal, rate, days + 1) >= got


def test_eu_es_half_year_rate():
    assert statutory_rate("ES", date(2025, 1, 1), ECB) == Decimal("0.1115")
    assert statutory_rate("ES", date(2025, 6, 30), ECB) == Decimal("0.1115")
    assert statutory_rate("ES", date(2025, 7, 1), ECB) == Decimal("0.1015")
    assert statutory_rate("ES", date(2025, 12, 31), ECB) == Decimal("0.1015")
    assert statutory_rate("EU", date(2024, 8, 1), ECB) == Decimal("0.1225")
    assert statutory_rate("FR", date(2024, 3, 1), ECB) == Decimal("0.125")


def test_es_uses_operation_before_half_year_eu_uses_rate_in_force():
    series = [(date(2026, 1, 1), "0.02"), (date(2025, 6, 1), "0.03")]
    assert statutory_rate("ES", date(2026, 2, 1), series) == Decimal(
        "0.11"
    )  # strictly before Jan 1
    assert statutory_rate("EU", date(2026, 2, 1), series) == Decimal(
        "0.10"
    )  # in force on Jan 1


def test_statutory_rate_other_jurisdictions():
    assert statutory_rate("MX", date(2026, 5, 1)) == Decimal("0.06")
    assert statutory_rate("MX", date(2026, 5, 1), debt_nature="civil") == Decimal(
        "0.09"
    )
    ibc = [(date(2026, 1, 1), "0.18"), (date(2026, 2, 1), "0.17")]
    assert statutory_rate("CO", date(2026, 1, 31), reference_rates=ibc) == Decimal(
        "0.270"
    )
    assert statutory_rate("CO", date(2026, 2, 1), reference_rates=ibc) == Decimal(
        "0.255"
    )
    legal = [(date(2025, 1, 1), "0.0325")]
    assert statutory_rate(
        "ES", date(2025, 5, 1), debtor_type="consumer", reference_rates=legal
    ) == Decimal("0.0325")
    assert statutory_rate(
        "PE", date(2026, 1, 2), reference_rates=[(date(2026, 1, 1), "0.02")]
    ) == Decimal("0.02")
    for bad in (
        lambda: statutory_rate("US", date(2026, 1, 1)),
        lambda: statutory_rate("AR", date(2026, 1, 1)),
        lambda: statutory_rate("CO", date(2026, 1, 1)),
        lambda: statutory_rate("ES", date(2026, 1, 1), debtor_type="consumer"),
        lambda: statutory_rate("ES", date(2023, 1, 1), ECB[1:]),
        lambda: statutory_rate("MX", date(2026, 1, 1), debt_nature="other"),
    ):
        with pytest.raises(ValueError):
            bad()


def test_fixed_compensation():
    assert fixed_compensation("ES", "business") == 4000
    assert fixed_compensation("EU", "business") == 4000
    assert fixed_compensation("DE", "business") == 4000
    assert fixed_compensation("ES", "consumer") == 0
    assert fixed_compensation("CO", "business") == 0
    assert fixed_compensation("US", "business") == 0


@pytest.mark.parametrize(
    "debt_uf, expected_uf",
    [
        (Decimal(5), Decimal("0.45")),
        (Decimal(10), Decimal("0.9")),
        (Decimal(30), Decimal("0.9") + Decimal("1.2")),
        (Decimal(50), Decimal("0.9") + Decimal("2.4")),
        (Decimal(100), Decimal("0.9") + Decimal("2.4") + Decimal("1.5")),
    ],
)
def test_cl_fee_cap_tranches(debt_uf, expected_uf):
    uf = 39_000
    assert collection_fee_cap(
        "CL", int(debt_uf * uf), days_overdue=25, uf_value=uf
    ) == int(expected_uf * uf)


def test_cl_fee_cap_waiting_and_scope():
    assert collection_fee_cap("CL", 1_000_000, days_overdue=19, uf_value=39_000) == 0
    assert collection_fee_cap("CL", 1_000_000, days_overdue=20, uf_value=39_000) > 0
    assert collection_fee_cap("CL", 1_000_000, debtor_type="business") is None
    assert collection_fee_cap("CO", 1_000_000) is None
    assert collection_fee_cap("AR", 1_000_000) is None
    with pytest.raises(ValueError):
        collection_fee_cap("CL", 1_000_000, days_overdue=30)


@given(
    st.integers(min_value=0, max_value=10**10),
    st.integers(min_value=20_000, max_value=50_000),
)
@settings(max_examples=150, deadline=None)
def test_cl_fee_cap_is_monotone_and_below_nine_percent(debt, uf):
    cap = collection_fee_cap("CL", debt, days_overdue=30, uf_value=uf)
    assert 0 <= cap <= debt * Decimal("0.09")
    assert collection_fee_cap("CL", debt + uf, days_overdue=30, uf_value=uf) >= cap


def test_payment_term_limits():
    assert payment_term_limit("ES") == 60
    assert payment_term_limit("EU") == 60
    assert payment_term_limit("CO") == 45
    assert payment_term_limit("CL") == 30
    assert payment_term_limit("MX") is None
    assert payment_term_limit("ES", "consumer") is None
