"""Statutory late-payment interest, fixed compensation and collection-fee caps.

Standard library only. Amounts are integers in the currency's minor unit
("cents"; for currencies without decimals such as CLP the minor unit is the
unit itself). Rates are annual rates expressed as fractions
(``Decimal("0.1015")`` = 10.15 %). Rounding of computed amounts is
``ROUND_HALF_UP`` to the minor unit, except caps, which are rounded DOWN so a
fee charged at the cap never exceeds the legal maximum.

Sources are the rule ids of ``shared/reference/compliance_rules.md``; the
reference is not legal advice and neither is this module.

Worked examples (also used as tests)::

    >>> from datetime import date
    >>> from decimal import Decimal
    >>> ECB = [(date(2024, 12, 18), "0.0315"), (date(2025, 2, 5), "0.029"),
    ...        (date(2025, 3, 12), "0.0265"), (date(2025, 4, 23), "0.024"),
    ...        (date(2025, 6, 11), "0.0215")]

    Spain, B2B invoice of EUR 10,000.00 paid 45 days late in autumn 2025
    (ES-B2B-INT: ECB rate of the last operation before 1 Jul 2025 = 2.15 %,
    plus 8 points = 10.15 %), plus the EUR 40 fixed compensation
    (ES-B2B-40)::

    >>> rate = statutory_rate("ES", date(2025, 9, 1), ECB)
    >>> rate
    Decimal('0.1015')
    >>> late_payment_interest(1_000_000, rate, 45)   # 10,000.00 x 10.15 % x 45/365
    12514
    >>> fixed_compensation("ES", "business")
    4000

    First half of 2025 (ECB 3.15 % in force on 1 Jan 2025)::

    >>> statutory_rate("EU", date(2025, 3, 31), ECB)
    Decimal('0.1115')

    Mexico, no agreed rate (MX-INT)::

    >>> statutory_rate("MX", date(2026, 1, 15))
    Decimal('0.06')
    >>> statutory_rate("MX", date(2026, 1, 15), debt_nature="civil")
    Decimal('0.09')

    Colombia (CO-INT): 1.5 x the interés bancario corriente certified by the
    SFC for the month (here a hypothetical 16.5 % effective annual)::

    >>> statutory_rate(
    ...     "CO", date(2026, 2, 10), reference_rates=[(date(2026, 2, 1), "0.165")]
    ... )
    Decimal('0.2475')

    Chile (CL-FEES): consumer debt of CLP 2,000,000 with UF = CLP 39,000, 30
    days overdue: 9 % of the first 10 UF + 6 % of the next 40 UF + 3 % of the
    remaining 1.28 UF (35,100 + 93,600 + 1,500)::

    >>> collection_fee_cap("CL", 2_000_000, days_overdue=30, uf_value=39000)
    130200
    >>> collection_fee_cap("CL", 2_000_000, days_overdue=19, uf_value=39000)
    0
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

__all__ = [
    "EU_MEMBER_STATES",
    "collection_fee_cap",
    "fixed_compensation",
    "late_payment_interest",
    "payment_term_limit",
    "rate_in_force",
    "statutory_rate",
]

#: ISO codes of the EU member states (Greece as "GR"; "EL" is accepted too).
EU_MEMBER_STATES = frozenset(
    (
        "AT BE BG HR CY CZ DK EE FI FR DE GR EL HU IE IT LV LT LU MT NL PL PT RO SK SI "
        "ES SE"
    ).split()
)

_EIGHT_POINTS = Decimal("0.08")


def _dec(value) -> Decimal:
    """Decimal from Decimal/int/str; floats go through ``str`` (no binary noise)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    return Decimal(value)


def _country(jurisdiction: str) -> str:
    return jurisdiction.upper().split("-")[0]


def late_payment_interest(principal_cents: int, annual_rate, days: int) -> int:
    """Simple interest, actual/365, rounded half-up to the minor unit.

    >>> late_payment_interest(100_000, Decimal("0.10"), 365)
    10000
    >>> late_payment_interest(100_000, "0.1015", 1)     # 27.808... cents
    28
    >>> late_payment_interest(100_000, "0.10", 0)
    0
    """
    if days < 0:
        raise ValueError("days must be >= 0")
    if principal_cents < 0:
        raise ValueError("principal_cents must be >= 0")
    amount = Decimal(principal_cents) * _dec(annual_rate) * Decimal(days) / Decimal(365)
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def rate_in_force(
    rates: Sequence, on: date, *, strictly_before: bool = False
) -> Decimal:
    """Rate of a step series ``[(date_from, rate), ...]`` in force on ``on``.

    With ``strictly_before`` only entries with ``date_from < on`` count (Spain:
    "the most recent operation carried out before the first day of the
    half-year"). Raises ``ValueError`` when no entry qualifies.
    """
    best = None
    for date_from, rate in rates:
        ok = date_from < on if strictly_before else date_from <= on
        if ok and (best is None or date_from >= best[0]):
            best = (date_from, rate)
    if best is None:
        raise ValueError(f"no rate in force on {on.isoformat()}")
    return _dec(best[1])


def _half_year_start(d: date) -> date:
    return date(d.year, 1 if d.month <= 6 else 7, 1)


def statutory_rate(
    jurisdiction: str,
    on_date: date,
    ecb_rates: Sequence = (),
    *,
    debtor_type: str = "business",
    debt_nature: str | None = None,
    reference_rates: Sequence | None = None,
) -> Decimal:
    """Default (statutory) annual interest rate when the parties agreed none.

    ``ecb_rates`` and ``reference_rates`` are step series
    ``[(date_from, rate_fraction), ...]``; the caller supplies them (they are
    published data, not constants).

    * ``EU`` and member states other than Spain, B2B (EU-LPD-INT): the ECB main
      refinancing rate in force on 1 January / 1 July of the half-year
      containing ``on_date`` + 8 points (the Directive's floor).
    * ``ES`` B2B (ES-B2B-INT): the rate of the most recent ECB operation
      carried out *before* the first day of the half-year + 8 points.
    * ``ES`` B2C (ES-B2C-INT, conf. M): the *interés legal del dinero* (Código
      Civil art. 1108) from ``reference_rates`` (set yearly by the budget law).
    * ``MX`` (MX-INT): 6 % for commercial debts (Código de Comercio art. 362),
      9 % for civil debts (Código Civil Federal art. 2395, conf. M).
      ``debt_nature`` defaults to ``"commercial"``: a merchant's receivable is
      governed by commercial law even against a consumer (CCom art. 1050).
    * ``CO`` (CO-INT): 1.5 x the *interés bancario corriente* certified
      monthly by the SFC, from ``reference_rates`` (effective annual rates).
      1.5 x IBC is also the usury ceiling, so the default equals the ceiling.
      The result is an effective annual rate, not a nominal one.
    * ``PE`` (reference flag, conf. M) and ``CL`` (not in the reference's
      table; Ley 18.010 *interés corriente*, conf. L): the caller-supplied
      published rate in ``reference_rates`` is returned unchanged.
    * ``US``, ``AR``: no statutory default in the reference -> ``ValueError``.
    """
    country = _country(jurisdiction)
    if country in EU_MEMBER_STATES or country == "EU":
        return _eu_statutory_rate(
            country, jurisdiction, on_date, ecb_rates, debtor_type, reference_rates
        )
    if country == "MX":
        return _mx_statutory_rate(debt_nature)
    if country in ("CO", "PE", "CL"):
        return _published_statutory_rate(country, on_date, reference_rates)
    raise ValueError(f"no statutory default rate for {jurisdiction} in the reference")


def _eu_statutory_rate(
    country: str,
    jurisdiction: str,
    on_date: date,
    ecb_rates: Sequence,
    debtor_type: str,
    reference_rates: Sequence | None,
) -> Decimal:
    """EU-LPD-INT / ES-B2B-INT (ECB + 8 points) and ES-B2C-INT (the
    *interés legal del dinero*); see :func:`statutory_rate`."""
    if debtor_type == "business":
        start = _half_year_start(on_date)
        ecb = rate_in_force(ecb_rates, start, strictly_before=(country == "ES"))
        return ecb + _EIGHT_POINTS
    if country == "ES":
        if not reference_rates:
            raise ValueError(
                "ES consumer debts need reference_rates (interés legal del dinero)"
            )
        return rate_in_force(reference_rates, on_date)
    raise ValueError(f"no statutory consumer rate encoded for {jurisdiction}")


def _mx_statutory_rate(debt_nature: str | None) -> Decimal:
    """MX-INT: 6 % commercial (the default), 9 % civil."""
    nature = debt_nature or "commercial"
    if nature == "commercial":
        return Decimal("0.06")
    if nature == "civil":
        return Decimal("0.09")
    raise ValueError("debt_nature must be 'commercial' or 'civil'")


def _published_statutory_rate(
    country: str, on_date: date, reference_rates: Sequence | None
) -> Decimal:
    """CO (1.5 x the IBC in force), PE and CL (the published rate in force)
    from the caller's ``reference_rates``."""
    if country == "CO":
        if not reference_rates:
            raise ValueError(
                "CO needs reference_rates (interés bancario corriente, SFC)"
            )
        return rate_in_force(reference_rates, on_date) * Decimal("1.5")
    if not reference_rates:
        raise ValueError(
            f"{country} needs reference_rates (published legal/current rate)"
        )
    return rate_in_force(reference_rates, on_date)


def fixed_compensation(jurisdiction: str, debtor_type: str) -> int:
    """Fixed recovery compensation per late invoice, in euro cents.

    EU member states and ``EU``, B2B only: EUR 40 (EU-LPD-40, ES-B2B-40), due
    automatically, without reminder, on top of the interest. 0 elsewhere (the
    Chilean B2B "1 %" charge of CL-B2B-TERM is low-confidence and not encoded).

    >>> fixed_compensation("EU", "business"), fixed_compensation("ES", "consumer")
    (4000, 0)
    """
    country = _country(jurisdiction)
    if debtor_type == "business" and (country == "EU" or country in EU_MEMBER_STATES):
        return 4000
    return 0


# Chile CL-FEES: marginal tranches on the overdue amount, in UF.
_CL_TRANCHES = (
    (Decimal(10), Decimal("0.09")),
    (Decimal(50), Decimal("0.06")),
    (None, Decimal("0.03")),
)


def tranche_cap(amount, tranches) -> Decimal:
    """Marginal-tranche cap: ``tranches`` = [(upper_bound or None, pct_fraction)]."""
    amount = _dec(amount)
    cap = Decimal(0)
    lower = Decimal(0)
    for upper, pct in tranches:
        upper = None if upper is None else _dec(upper)
        top = amount if upper is None else min(amount, upper)
        if top > lower:
            cap += (top - lower) * _dec(pct)
        if upper is None or amount <= upper:
            break
        lower = upper
    return cap


def collection_fee_cap(
    jurisdiction: str,
    debt_cents: int,
    *,
    days_overdue: int | None = None,
    uf_value=None,
    debtor_type: str = "consumer",
) -> int | None:
    """Maximum out-of-court collection fee in minor units, or ``None`` if the
    reference gives no numeric cap for that jurisdiction.

    * ``CL`` consumer debts (CL-FEES): nothing before 20 days of delay; then 9 %
      of the first 10 UF of the overdue amount, 6 % of the part between 10 and
      50 UF and 3 % above 50 UF. ``uf_value`` = value of one UF in the debt's
      minor unit (CLP). Rounded down.
    * ``CO`` (CO-SFC-FEES) and ``AR`` (AR-FEES): only real, documented costs may
      be charged: there is no percentage cap, so ``None`` (the compliance
      engine's ``fee_cap`` rules check documentation instead).
    * Everything else: ``None``.

    >>> collection_fee_cap("CL", 390_000, days_overdue=20, uf_value=39000)  # 10 UF x 9%
    35100
    >>> collection_fee_cap("ES", 100_000) is None
    True
    """
    country = _country(jurisdiction)
    if country == "CL" and debtor_type == "consumer":
        if days_overdue is None or uf_value is None:
            raise ValueError("CL fee cap needs days_overdue and uf_value")
        if days_overdue < 20:
            return 0
        uf = _dec(uf_value)
        if uf <= 0:
            raise ValueError("uf_value must be positive")
        capped = tranche_cap(Decimal(debt_cents) / uf, _CL_TRANCHES) * uf
        return int(capped.quantize(Decimal(1), rounding=ROUND_DOWN))
    return None


def payment_term_limit(jurisdiction: str, debtor_type: str = "business") -> int | None:
    """Statutory maximum B2B payment term in days, or ``None``.

    ES-B2B-TERM 60 (30 by default), EU-LPD-TERM 60 (unless expressly agreed and
    not grossly unfair), CO-B2B-TERM 45 (conf. M; 60 in the health system and
    state contracts), CL-B2B-TERM 30 (longer only with a registered agreement).

    >>> payment_term_limit("CO"), payment_term_limit("CL"), payment_term_limit("US")
    (45, 30, None)
    """
    if debtor_type != "business":
        return None
    country = _country(jurisdiction)
    if country == "EU" or country in EU_MEMBER_STATES:
        return 60
    return {"CO": 45, "CL": 30}.get(country)
