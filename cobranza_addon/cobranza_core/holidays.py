"""National public holidays used by the compliance engine's time windows.

Standard library only. Movable feasts are computed by code (Easter, Colombia's
"Ley Emiliani" Monday moves, Chile's and Argentina's Monday moves, US
nth-weekday rules), so the tables are reproducible and testable.

Scope and sources (rules as in force for 2026 and 2027; other years in
``SUPPORTED_YEARS`` are computed with the same rules and may miss later
legislative changes or one-off decrees):

* ``MX``: statutory rest days of the Ley Federal del Trabajo art. 74 (Jan 1,
  first Monday of February, third Monday of March, May 1, Sep 16, third Monday
  of November, Dec 25, Oct 1 in presidential-inauguration years, federal
  election day). Holy Thursday/Friday are customary, not statutory: excluded.
* ``CO``: Ley 51 de 1983 (Ley Emiliani): fixed days plus religious days moved
  to the following Monday, plus Easter-based days (Holy Thursday and Good Friday
  fixed; Ascension, Corpus Christi and Sacred Heart moved to Monday).
* ``PE``: national holidays incl. Jun 7, Jul 23, Aug 6 and Dec 9 (added
  2022-2024). Ad-hoc public-sector "días no laborables" are excluded.
* ``CL``: national holidays incl. Holy Saturday, the National Day of Indigenous
  Peoples (winter-solstice day, Ley 21.357), Ley 19.668 Monday moves (Jun 29,
  Oct 12), Ley 20.299 (Oct 31) and Sep 17 / Sep 20 bridge rules. Regional
  holidays (Arica, Chillán) are excluded.
* ``AR``: Ley 27.399 national holidays: fixed ones, Carnival Monday and
  Tuesday, Good Friday, and the movable ones (Jun 17, Aug 17, Oct 12, Nov 20:
  Tuesday/Wednesday -> previous Monday, Thursday/Friday -> next Monday).
  "Días no laborables" (Holy Thursday, tourist bridge days) are excluded.
* ``ES``: the national holidays common to the whole of Spain (Jan 1, Jan 6,
  Good Friday, May 1, Aug 15, Oct 12, Nov 1, Dec 6, Dec 8, Dec 25). Regional
  and local days and regional Sunday->Monday moves are NOT included; a caller
  that knows the debtor's region should add them.
* ``EU``: none. The EU has no common public-holiday calendar and none of the
  EU rule packs has a time window; use the member state's calendar.
* ``US``: the 11 federal holidays (5 U.S.C. 6103). When a holiday falls on a
  Saturday the preceding Friday is observed, on a Sunday the following Monday;
  both the actual and the observed date are listed (Jan 1 2028 is a Saturday,
  so Dec 31 2027 is in the 2027 list).

>>> easter_sunday(2026), easter_sunday(2027)
(datetime.date(2026, 4, 5), datetime.date(2027, 3, 28))
>>> date(2026, 3, 23) in public_holidays("CO", 2026)   # San José, moved Monday
True
>>> nth_weekday(2026, 11, THURSDAY, 4)                 # US Thanksgiving
datetime.date(2026, 11, 26)
"""

from __future__ import annotations

from datetime import date, timedelta

__all__ = [
    "COUNTRIES",
    "HOLIDAYS",
    "SUPPORTED_YEARS",
    "easter_sunday",
    "emiliani_monday",
    "holidays_for",
    "nth_weekday",
    "public_holidays",
]

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)

#: Years for which the rules above are believed current.
SUPPORTED_YEARS = range(2025, 2031)

#: Countries with a calendar ("EU" deliberately maps to an empty calendar).
COUNTRIES = ("MX", "CO", "PE", "CL", "AR", "ES", "EU", "US")

# Day of the June solstice in Chile's continental time zone (UTC-4 in June),
# used for the National Day of Indigenous Peoples (Ley 21.357).
_CL_SOLSTICE_DAY = {2025: 20, 2026: 21, 2027: 21, 2028: 20, 2029: 20, 2030: 21}

# Mexican federal election days (first Sunday of June in election years).
_MX_ELECTION_DAYS = {2027: date(2027, 6, 6), 2030: date(2030, 6, 2)}


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian / Meeus algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The ``n``-th ``weekday`` (0=Monday) of a month; ``n=-1`` is the last."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7 + 7 * (-n - 1))


def emiliani_monday(d: date) -> date:
    """Colombia's Ley 51/1983 move: the date itself if a Monday, else next Monday."""
    return d + timedelta(days=(7 - d.weekday()) % 7)


def _nearest_monday_tue_thu(d: date) -> date:
    """Tue/Wed -> previous Monday, Thu/Fri -> next Monday (AR Ley 27.399)."""
    wd = d.weekday()
    if wd in (TUESDAY, WEDNESDAY):
        return d - timedelta(days=wd)
    if wd in (THURSDAY, FRIDAY):
        return d + timedelta(days=7 - wd)
    return d


def _cl_19668(d: date) -> date:
    """Chile Ley 19.668: Tue/Wed/Thu -> Monday of that week, Fri -> next Monday."""
    wd = d.weekday()
    if wd in (TUESDAY, WEDNESDAY, THURSDAY):
        return d - timedelta(days=wd)
    if wd == FRIDAY:
        return d + timedelta(days=3)
    return d


def _mx(year: int) -> set[date]:
    days = {
        date(year, 1, 1),
        nth_weekday(year, 2, MONDAY, 1),
        nth_weekday(year, 3, MONDAY, 3),
        date(year, 5, 1),
        date(year, 9, 16),
        nth_weekday(year, 11, MONDAY, 3),
        date(year, 12, 25),
    }
    if (year - 2024) % 6 == 0:  # presidential inauguration (Oct 1 since 2024)
        days.add(date(year, 10, 1))
    if year in _MX_ELECTION_DAYS:
        days.add(_MX_ELECTION_DAYS[year])
    return days


def _co(year: int) -> set[date]:
    e = easter_sunday(year)
    fixed = {
        date(year, m, d)
        for m, d in ((1, 1), (5, 1), (7, 20), (8, 7), (12, 8), (12, 25))
    }
    moved = {
        emiliani_monday(date(year, m, d))
        for m, d in ((1, 6), (3, 19), (6, 29), (8, 15), (10, 12), (11, 1), (11, 11))
    }
    easter_based = {
        e - timedelta(days=3),  # Holy Thursday
        e - timedelta(days=2),  # Good Friday
        emiliani_monday(e + timedelta(days=39)),  # Ascension
        emiliani_monday(e + timedelta(days=60)),  # Corpus Christi
        emiliani_monday(e + timedelta(days=68)),  # Sacred Heart
    }
    return fixed | moved | easter_based


def _pe(year: int) -> set[date]:
    e = easter_sunday(year)
    md = (
        (1, 1),
        (5, 1),
        (6, 7),
        (6, 29),
        (7, 23),
        (7, 28),
        (7, 29),
        (8, 6),
        (8, 30),
        (10, 8),
        (11, 1),
        (12, 8),
        (12, 9),
        (12, 25),
    )
    return {date(year, m, d) for m, d in md} | {
        e - timedelta(days=3),
        e - timedelta(days=2),
    }


def _cl(year: int) -> set[date]:
    e = easter_sunday(year)
    days = {
        date(year, m, d)
        for m, d in (
            (1, 1),
            (5, 1),
            (5, 21),
            (7, 16),
            (8, 15),
            (9, 18),
            (9, 19),
            (11, 1),
        )
    }
    days |= {date(year, 12, 8), date(year, 12, 25)}
    days |= {e - timedelta(days=2), e - timedelta(days=1)}  # Good Friday, Holy Saturday
    days.add(date(year, 6, _CL_SOLSTICE_DAY[year]))
    days.add(_cl_19668(date(year, 6, 29)))
    days.add(_cl_19668(date(year, 10, 12)))
    oct31 = date(year, 10, 31)
    if oct31.weekday() == TUESDAY:
        oct31 -= timedelta(days=4)  # previous Friday
    elif oct31.weekday() == WEDNESDAY:
        oct31 += timedelta(days=2)  # next Friday
    days.add(oct31)
    if date(year, 9, 17).weekday() == MONDAY:
        days.add(date(year, 9, 17))
    if date(year, 9, 20).weekday() == FRIDAY:
        days.add(date(year, 9, 20))
    return days


def _ar(year: int) -> set[date]:
    e = easter_sunday(year)
    fixed = {
        date(year, m, d)
        for m, d in (
            (1, 1),
            (3, 24),
            (4, 2),
            (5, 1),
            (5, 25),
            (6, 20),
            (7, 9),
            (12, 8),
            (12, 25),
        )
    }
    easter_based = {
        e - timedelta(days=48),
        e - timedelta(days=47),
        e - timedelta(days=2),
    }
    movable = {
        _nearest_monday_tue_thu(date(year, m, d))
        for m, d in ((6, 17), (8, 17), (10, 12), (11, 20))
    }
    return fixed | easter_based | movable


def _es(year: int) -> set[date]:
    e = easter_sunday(year)
    md = (
        (1, 1),
        (1, 6),
        (5, 1),
        (8, 15),
        (10, 12),
        (11, 1),
        (12, 6),
        (12, 8),
        (12, 25),
    )
    return {date(year, m, d) for m, d in md} | {e - timedelta(days=2)}


def _us_observed(d: date) -> date:
    if d.weekday() == SATURDAY:
        return d - timedelta(days=1)
    if d.weekday() == SUNDAY:
        return d + timedelta(days=1)
    return d


def _us(year: int) -> set[date]:
    actual = {
        date(year, 1, 1),
        nth_weekday(year, 1, MONDAY, 3),  # Martin Luther King Jr.
        nth_weekday(year, 2, MONDAY, 3),  # Washington's Birthday
        nth_weekday(year, 5, MONDAY, -1),  # Memorial Day
        date(year, 6, 19),  # Juneteenth
        date(year, 7, 4),
        nth_weekday(year, 9, MONDAY, 1),  # Labor Day
        nth_weekday(year, 10, MONDAY, 2),  # Columbus Day
        date(year, 11, 11),  # Veterans Day
        nth_weekday(year, 11, THURSDAY, 4),  # Thanksgiving
        date(year, 12, 25),
    }
    days = set(actual)
    days |= {_us_observed(d) for d in actual}
    # New Year's Day of the next year observed on Friday Dec 31.
    if date(year + 1, 1, 1).weekday() == SATURDAY:
        days.add(date(year, 12, 31))
    # This year's Jan 1 observed on Dec 31 of the previous year is not in this year.
    days = {d for d in days if d.year == year}
    return days


_BUILDERS = {
    "MX": _mx,
    "CO": _co,
    "PE": _pe,
    "CL": _cl,
    "AR": _ar,
    "ES": _es,
    "EU": lambda year: set(),
    "US": _us,
}


def public_holidays(country: str, year: int) -> list[date]:
    """Sorted national public holidays of ``country`` (ISO code) in ``year``.

    A subdivision code such as ``"US-MA"`` or ``"AR-C"`` uses the national
    calendar. Raises ``ValueError`` for an unknown country or a year outside
    ``SUPPORTED_YEARS``.
    """
    key = country.upper().split("-")[0]
    if key not in _BUILDERS:
        raise ValueError(f"no holiday calendar for {country!r}")
    if year not in SUPPORTED_YEARS:
        raise ValueError(
            f"holiday rules are maintained for {SUPPORTED_YEARS}, not {year}"
        )
    return sorted(_BUILDERS[key](year))


def holidays_for(country: str, years=(2026, 2027)) -> frozenset[date]:
    """Union of ``public_holidays`` over ``years`` (handy for ``evaluate``)."""
    return frozenset(d for y in years for d in public_holidays(country, y))


#: Plain data: ``{country: [date, ...]}`` for 2026 and 2027.
HOLIDAYS: dict[str, list[date]] = {
    c: public_holidays(c, 2026) + public_holidays(c, 2027) for c in COUNTRIES
}
