"""Pure tests of cobranza_core.money (cents conversion and half-up rounding)."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from cobranza_core.money import exact, from_cents, round_half_up, to_cents
from hypothesis import given
from hypothesis import strategies as st


@pytest.mark.parametrize(
    ("amount", "cents"),
    [
        (Decimal("19.99"), 1999),
        (Decimal("0.005"), 1),
        (Decimal("0.004"), 0),
        (Decimal("-0.005"), -1),
        (Decimal("-0.004"), 0),
        ("12.345", 1235),
        (" 7 ", 700),
        ("1E+2", 10000),
        (1.005, 101),  # shortest repr, not the binary 1.00499999...
        (0.1 + 0.2, 30),
        (-2.675, -268),
        (3, 300),
        (0, 0),
    ],
)
def test_to_cents_examples(amount, cents):
    assert to_cents(amount) == cents
    assert type(to_cents(amount)) is int


@pytest.mark.parametrize(
    ("cents", "text"),
    [(123456, "1234.56"), (5, "0.05"), (0, "0.00"), (-250, "-2.50"), (100, "1.00")],
)
def test_from_cents_examples(cents, text):
    value = from_cents(cents)
    assert isinstance(value, Decimal)
    assert str(value) == text
    assert value.as_tuple().exponent == -2


def test_from_cents_is_exact_beyond_decimal_context_precision():
    cents = 10**40 + 1
    assert str(from_cents(cents)) == "1" + "0" * 37 + "0.01"
    assert to_cents(from_cents(cents)) == cents


@pytest.mark.parametrize("bad", [True, None, [1], object()])
def test_to_cents_rejects_non_numbers_by_type(bad):
    with pytest.raises(TypeError):
        to_cents(bad)


@pytest.mark.parametrize(
    "bad", ["", "abc", "1,50", float("nan"), float("inf"), Decimal("NaN"), "Infinity"]
)
def test_to_cents_rejects_non_finite_or_unparsable(bad):
    with pytest.raises(ValueError):
        to_cents(bad)


@pytest.mark.parametrize("bad", [1.5, Decimal("1"), "1", True, None])
def test_from_cents_requires_int(bad):
    with pytest.raises(TypeError):
        from_cents(bad)


def test_exact_values():
    assert exact(0.1) == Fraction(1, 10)
    assert exact("2.50") == Fraction(5, 2)
    assert exact(Fraction(1, 3)) == Fraction(1, 3)
    assert exact(7) == 7


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(1, 2), 1),
        (Fraction(3, 2), 2),
        (Fraction(-1, 2), -1),
        (Fraction(-3, 2), -2),
        (Decimal("1.49"), 1),
        (Decimal("-1.49"), -1),
        (Decimal("2.5000001"), 3),
        (0, 0),
    ],
)
def test_round_half_up_examples(value, expected):
    assert round_half_up(value) == expected


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_cents_round_trip(cents):
    assert to_cents(from_cents(cents)) == cents
    assert to_cents(str(from_cents(cents))) == cents


@given(
    st.decimals(
        min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, places=6
    )
)
def test_to_cents_matches_decimal_quantize_half_up(amount):
    expected = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert to_cents(amount) == int(expected * 100)


@given(st.fractions(max_denominator=1000))
def test_round_half_up_is_symmetric_and_nearest(value):
    rounded = round_half_up(value)
    assert round_half_up(-value) == -rounded
    assert abs(value - rounded) <= Fraction(1, 2)
    if abs(value - rounded) == Fraction(1, 2):
        assert abs(rounded) > abs(value)  # ties go away from zero
