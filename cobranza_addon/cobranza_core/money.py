"""Money as integer cents, and exact half-up rounding.

Inside ``cobranza_core`` every amount of money is an ``int`` number of cents
(hundredths of the currency unit). Conversion happens only at the edges:

* :func:`to_cents` turns an amount in currency units (``Decimal``, ``float``,
  ``str`` or ``int``) into cents, rounding half up (away from zero on a tie);
* :func:`from_cents` turns cents back into a ``Decimal`` with two places.

Floats are converted through their shortest ``repr`` (``str(1.005)`` is
``"1.005"``), so a value typed as ``1.005`` rounds to 101 cents instead of
100 as its binary expansion (1.00499999...) would.

>>> to_cents("12.345"), to_cents(Decimal("-0.005")), to_cents(1.005), to_cents(3)
(1235, -1, 101, 300)
>>> from_cents(1235), from_cents(-1), from_cents(0)
(Decimal('12.35'), Decimal('-0.01'), Decimal('0.00'))
>>> round_half_up(Fraction(5, 2)), round_half_up(Fraction(-5, 2))
(3, -3)
"""

from decimal import Decimal, InvalidOperation
from fractions import Fraction

__all__ = ["exact", "from_cents", "round_half_up", "to_cents"]


def exact(value) -> Fraction:
    """The exact rational value of an ``int``, ``Decimal``, ``float`` or ``str``.

    ``float`` and ``str`` go through ``Decimal(str(value))``, so ``0.1`` is
    exactly one tenth. ``bool``, ``NaN``, infinities and anything else raise.

    >>> exact(0.1), exact("2.50"), exact(Decimal("1E+2")), exact(Fraction(1, 3))
    (Fraction(1, 10), Fraction(5, 2), Fraction(100, 1), Fraction(1, 3))
    >>> exact(float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: not a finite number: NaN
    """
    if isinstance(value, bool):
        raise TypeError("a boolean is not an amount")
    if isinstance(value, int | Fraction):
        return Fraction(value)
    if isinstance(value, float | str):
        text = str(value).strip()
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"not a number: {text!r}") from None
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite number: {value}")
        return Fraction(value)
    raise TypeError(f"expected int, Decimal, float or str, got {type(value).__name__}")


def round_half_up(value) -> int:
    """Round an exact number to the nearest integer, ties away from zero.

    This is ``decimal.ROUND_HALF_UP`` (2.5 → 3, -2.5 → -3) computed exactly,
    without the 28-digit precision limit of the default ``Decimal`` context.
    Accepts whatever :func:`exact` accepts.

    >>> [round_half_up(x) for x in ("0.5", "1.49", "-0.5", "-1.5", "-1.49")]
    [1, 1, -1, -2, -1]
    """
    value = exact(value)
    magnitude = int(abs(value) + Fraction(1, 2))  # floor, since it is >= 0
    return -magnitude if value < 0 else magnitude


def to_cents(amount) -> int:
    """Amount in currency units → ``int`` cents, ROUND_HALF_UP.

    ``amount`` may be a ``Decimal``, a ``float``, a ``str`` (``"12.34"``) or an
    ``int`` (whole units: ``to_cents(5) == 500``). A ``bool`` raises
    ``TypeError``; a non-numeric string, ``NaN`` or an infinity raise
    ``ValueError``.

    >>> to_cents(Decimal("19.99")), to_cents("0.125"), to_cents(-2.675)
    (1999, 13, -268)
    """
    return round_half_up(exact(amount) * 100)


def from_cents(cents: int) -> Decimal:
    """``int`` cents → ``Decimal`` in currency units, always with two places.

    Exact for any size of integer (no context rounding).

    >>> from_cents(123456), from_cents(5), from_cents(-250)
    (Decimal('1234.56'), Decimal('0.05'), Decimal('-2.50'))
    """
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise TypeError(f"cents must be an int, got {type(cents).__name__}")
    return Decimal(f"{cents}E-2")
