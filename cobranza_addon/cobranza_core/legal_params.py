"""Legal parameters as dated data (standard library only).

Yearly (or monthly) legal figures go stale: minimum wages (Colombia's SMMLV),
indexed units (Chile's UF, Peru's UIT, Mexico's UMA), usury caps, legal
interest rates. Each value is in force from ``date_from`` to ``date_to``
(inclusive; ``None`` = until the next value starts).

``lookup`` takes the value in force on a decision date. When none is in force
it falls back to the LAST KNOWN value and marks the result ``stale`` ("parameter
out of date"); when no value is known at all the result is ``missing``. A
missing or stale value never silently changes a decision: the engine either
uses the last known value and says so, or refuses to decide and says why.

Values are in the unit of their kind: money in major currency units
(COP 1,423,500), rates in percent a year (3.25).

    >>> from datetime import date
    >>> from decimal import Decimal
    >>> smmlv = [LegalValue("CO", "minimum_wage", date(2025, 1, 1),
    ...                     Decimal("1423500"), date(2025, 12, 31))]
    >>> lookup(smmlv, "CO", "minimum_wage", date(2025, 6, 1)).stale
    False
    >>> found = lookup(smmlv, "CO", "minimum_wage", date(2026, 3, 1))
    >>> found.value, found.stale, found.date_from
    (Decimal('1423500'), True, datetime.date(2025, 1, 1))
    >>> lookup(smmlv, "PE", "uit", date(2026, 3, 1)).missing
    True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

__all__ = [
    "KINDS",
    "PUBLISHED",
    "UNIT_KINDS",
    "LegalValue",
    "Lookup",
    "from_year_table",
    "lookup",
    "needed_by_rule",
    "out_of_date",
]

#: Kinds of legal parameter.
KINDS = (
    "minimum_wage",
    "uf",
    "uit",
    "uma",
    "usury_cap",
    "legal_interest",
    "ecb_rate",
)
#: Rule ``unit`` names (fee caps in UF...) -> parameter kind.
UNIT_KINDS = {"UF": "uf", "UIT": "uit", "UMA": "uma", "SMMLV": "minimum_wage"}


@dataclass(frozen=True)
class LegalValue:
    country: str
    kind: str
    date_from: date
    value: Decimal
    date_to: date | None = None
    source: str = ""

    def in_force(self, on: date) -> bool:
        return self.date_from <= on and (self.date_to is None or on <= self.date_to)


@dataclass(frozen=True)
class Lookup:
    """The value used for a decision, and whether it was in force."""

    country: str
    kind: str
    on: date
    value: Decimal | None = None
    date_from: date | None = None
    date_to: date | None = None
    stale: bool = False
    source: str = ""

    @property
    def missing(self) -> bool:
        return self.value is None

    @property
    def current(self) -> bool:
        return not self.missing and not self.stale


def lookup(values: Iterable[LegalValue], country: str, kind: str, on: date) -> Lookup:
    """The value of ``kind`` for ``country`` in force on ``on``.

    Among the values that start on or before ``on`` the latest start wins
    (a value starting exactly on ``on`` is in force that day). If it has
    ended before ``on`` (or none started yet but later ones exist, i.e. the
    table begins after ``on``) the nearest known value is used, ``stale``.
    """
    country = (country or "").upper().split("-")[0]
    same = sorted(
        (v for v in values if v.kind == kind and v.country.upper() == country),
        key=lambda v: v.date_from,
    )
    if not same:
        return Lookup(country, kind, on)
    started = [v for v in same if v.date_from <= on]
    best = started[-1] if started else same[0]
    return Lookup(
        country,
        kind,
        on,
        best.value,
        best.date_from,
        best.date_to,
        stale=not best.in_force(on),
        source=best.source,
    )


def from_year_table(country: str, kind: str, table: Mapping) -> list[LegalValue]:
    """``{"2025": value}`` (legacy rule params) as calendar-year values."""
    out = []
    for year, value in (table or {}).items():
        y = int(year)
        out.append(
            LegalValue(
                country, kind, date(y, 1, 1), Decimal(str(value)), date(y, 12, 31)
            )
        )
    return out


def needed_by_rule(rule) -> set[tuple[str, str]]:
    """``{(country, kind)}`` a rule (``compliance.Rule`` or dict) reads."""
    params = rule["params"] if isinstance(rule, Mapping) else rule.params
    jurisdiction = (
        rule["jurisdiction"] if isinstance(rule, Mapping) else rule.jurisdiction
    )
    country = jurisdiction.upper().split("-")[0]
    out = set()
    sb = params.get("small_balance") or {}
    if sb.get("base_param"):
        out.add((country, sb["base_param"]))
    unit = params.get("unit")
    if unit in UNIT_KINDS:
        out.add((country, UNIT_KINDS[unit]))
    for kind in params.get("legal_params") or ():
        out.add((country, kind))
    return out


def out_of_date(
    values: Iterable[LegalValue], needed: Iterable[tuple[str, str]], on: date
) -> list[Lookup]:
    """The needed parameters with no value in force on ``on`` (stale or
    missing), sorted by country and kind."""
    values = list(values)
    found = [lookup(values, c, k, on) for c, k in sorted(set(needed))]
    return [f for f in found if not f.current]


def _v(country, kind, start, end, value, source):
    return LegalValue(
        country,
        kind,
        date.fromisoformat(start),
        Decimal(value),
        date.fromisoformat(end) if end else None,
        source,
    )


#: Published values the core falls back on when the caller passes none
#: (the Odoo addon ships the same values as editable records). Only values
#: checked against their decree; later years are left for the administrator.
PUBLISHED = (
    _v("CO", "minimum_wage", "2024-01-01", "2024-12-31", "1300000",
       "Decreto 2292 de 2023"),
    _v("CO", "minimum_wage", "2025-01-01", "2025-12-31", "1423500",
       "Decreto 1572 de 2024"),
    _v("PE", "uit", "2024-01-01", "2024-12-31", "5150", "D.S. 309-2023-EF"),
    _v("PE", "uit", "2025-01-01", "2025-12-31", "5350", "D.S. 260-2024-EF"),
    _v("MX", "uma", "2024-02-01", "2025-01-31", "108.57",
       "INEGI, DOF 10-Jan-2024 (daily value)"),
    _v("MX", "uma", "2025-02-01", "2026-01-31", "113.14",
       "INEGI, DOF 10-Jan-2025 (daily value)"),
    _v("ES", "legal_interest", "2024-01-01", "2024-12-31", "3.25",
       "Ley 31/2022 (PGE 2023), extended"),
    _v("ES", "legal_interest", "2025-01-01", "2025-12-31", "3.25",
       "Ley 31/2022 (PGE 2023), extended"),
)  # fmt: skip
