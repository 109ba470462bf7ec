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
    "holiday_names",
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


def _named(*pairs) -> dict[date, str]:
    """``{date: name}`` of ``(date, name)`` pairs; two holidays on one day
    share it ("A / B")."""
    days: dict[date, str] = {}
    for day, name in pairs:
        days[day] = f"{days[day]} / {name}" if day in days else name
    return days


def _mx(year: int) -> dict[date, str]:
    pairs = [
        (date(year, 1, 1), "New Year's Day"),
        (nth_weekday(year, 2, MONDAY, 1), "Constitution Day"),
        (nth_weekday(year, 3, MONDAY, 3), "Benito Juárez's Birthday"),
        (date(year, 5, 1), "Labour Day"),
        (date(year, 9, 16), "Independence Day"),
        (nth_weekday(year, 11, MONDAY, 3), "Revolution Day"),
        (date(year, 12, 25), "Christmas Day"),
    ]
    if (year - 2024) % 6 == 0:  # presidential inauguration (Oct 1 since 2024)
        pairs.append((date(year, 10, 1), "Presidential Inauguration Day"))
    if year in _MX_ELECTION_DAYS:
        pairs.append((_MX_ELECTION_DAYS[year], "Federal Election Day"))
    return _named(*pairs)


def _co(year: int) -> dict[date, str]:
    e = easter_sunday(year)
    fixed = [
        ((1, 1), "New Year's Day"),
        ((5, 1), "Labour Day"),
        ((7, 20), "Independence Day"),
        ((8, 7), "Battle of Boyacá"),
        ((12, 8), "Immaculate Conception"),
        ((12, 25), "Christmas Day"),
    ]
    moved = [
        ((1, 6), "Epiphany"),
        ((3, 19), "Saint Joseph's Day"),
        ((6, 29), "Saints Peter and Paul"),
        ((8, 15), "Assumption of Mary"),
        ((10, 12), "Columbus Day (Día de la Raza)"),
        ((11, 1), "All Saints' Day"),
        ((11, 11), "Independence of Cartagena"),
    ]
    easter_based = [
        (e - timedelta(days=3), "Holy Thursday"),
        (e - timedelta(days=2), "Good Friday"),
        (emiliani_monday(e + timedelta(days=39)), "Ascension Day"),
        (emiliani_monday(e + timedelta(days=60)), "Corpus Christi"),
        (emiliani_monday(e + timedelta(days=68)), "Sacred Heart"),
    ]
    return _named(
        *[(date(year, m, d), name) for (m, d), name in fixed],
        *[(emiliani_monday(date(year, m, d)), name) for (m, d), name in moved],
        *easter_based,
    )


def _pe(year: int) -> dict[date, str]:
    e = easter_sunday(year)
    md = (
        ((1, 1), "New Year's Day"),
        ((5, 1), "Labour Day"),
        ((6, 7), "Battle of Arica and Flag Day"),
        ((6, 29), "Saints Peter and Paul"),
        ((7, 23), "Peruvian Air Force Day"),
        ((7, 28), "Independence Day"),
        ((7, 29), "National Holidays (Fiestas Patrias)"),
        ((8, 6), "Battle of Junín"),
        ((8, 30), "Saint Rose of Lima"),
        ((10, 8), "Battle of Angamos"),
        ((11, 1), "All Saints' Day"),
        ((12, 8), "Immaculate Conception"),
        ((12, 9), "Battle of Ayacucho"),
        ((12, 25), "Christmas Day"),
    )
    return _named(
        *[(date(year, m, d), name) for (m, d), name in md],
        (e - timedelta(days=3), "Holy Thursday"),
        (e - timedelta(days=2), "Good Friday"),
    )


def _cl(year: int) -> dict[date, str]:
    e = easter_sunday(year)
    md = (
        ((1, 1), "New Year's Day"),
        ((5, 1), "Labour Day"),
        ((5, 21), "Navy Day"),
        ((7, 16), "Our Lady of Mount Carmel"),
        ((8, 15), "Assumption of Mary"),
        ((9, 18), "National Holidays (Fiestas Patrias)"),
        ((9, 19), "Army Day"),
        ((11, 1), "All Saints' Day"),
        ((12, 8), "Immaculate Conception"),
        ((12, 25), "Christmas Day"),
    )
    pairs = [(date(year, m, d), name) for (m, d), name in md]
    pairs += [
        (e - timedelta(days=2), "Good Friday"),
        (e - timedelta(days=1), "Holy Saturday"),
        (date(year, 6, _CL_SOLSTICE_DAY[year]), "National Day of Indigenous Peoples"),
        (_cl_19668(date(year, 6, 29)), "Saints Peter and Paul"),
        (_cl_19668(date(year, 10, 12)), "Meeting of Two Worlds Day"),
    ]
    oct31 = date(year, 10, 31)
    if oct31.weekday() == TUESDAY:
        oct31 -= timedelta(days=4)  # previous Friday
    elif oct31.weekday() == WEDNESDAY:
        oct31 += timedelta(days=2)  # next Friday
    pairs.append((oct31, "Reformation Day"))
    if date(year, 9, 17).weekday() == MONDAY:
        pairs.append((date(year, 9, 17), "Fiestas Patrias bridge holiday"))
    if date(year, 9, 20).weekday() == FRIDAY:
        pairs.append((date(year, 9, 20), "Fiestas Patrias bridge holiday"))
    return _named(*pairs)


def _ar(year: int) -> dict[date, str]:
    e = easter_sunday(year)
    fixed = (
        ((1, 1), "New Year's Day"),
        ((3, 24), "Day of Remembrance for Truth and Justice"),
        ((4, 2), "Malvinas Day"),
        ((5, 1), "Labour Day"),
        ((5, 25), "May Revolution Day"),
        ((6, 20), "Flag Day (General Manuel Belgrano)"),
        ((7, 9), "Independence Day"),
        ((12, 8), "Immaculate Conception"),
        ((12, 25), "Christmas Day"),
    )
    movable = (
        ((6, 17), "General Martín Miguel de Güemes Day"),
        ((8, 17), "General José de San Martín Day"),
        ((10, 12), "Day of Respect for Cultural Diversity"),
        ((11, 20), "National Sovereignty Day"),
    )
    return _named(
        *[(date(year, m, d), name) for (m, d), name in fixed],
        (e - timedelta(days=48), "Carnival Monday"),
        (e - timedelta(days=47), "Carnival Tuesday"),
        (e - timedelta(days=2), "Good Friday"),
        *[
            (_nearest_monday_tue_thu(date(year, m, d)), name)
            for (m, d), name in movable
        ],
    )


def _es(year: int) -> dict[date, str]:
    e = easter_sunday(year)
    md = (
        ((1, 1), "New Year's Day"),
        ((1, 6), "Epiphany"),
        ((5, 1), "Labour Day"),
        ((8, 15), "Assumption of Mary"),
        ((10, 12), "National Day of Spain"),
        ((11, 1), "All Saints' Day"),
        ((12, 6), "Constitution Day"),
        ((12, 8), "Immaculate Conception"),
        ((12, 25), "Christmas Day"),
    )
    return _named(
        *[(date(year, m, d), name) for (m, d), name in md],
        (e - timedelta(days=2), "Good Friday"),
    )


def _us_observed(d: date) -> date:
    if d.weekday() == SATURDAY:
        return d - timedelta(days=1)
    if d.weekday() == SUNDAY:
        return d + timedelta(days=1)
    return d


def _us(year: int) -> dict[date, str]:
    actual = [
        (date(year, 1, 1), "New Year's Day"),
        (nth_weekday(year, 1, MONDAY, 3), "Martin Luther King Jr. Day"),
        (nth_weekday(year, 2, MONDAY, 3), "Washington's Birthday"),
        (nth_weekday(year, 5, MONDAY, -1), "Memorial Day"),
        (date(year, 6, 19), "Juneteenth"),
        (date(year, 7, 4), "Independence Day"),
        (nth_weekday(year, 9, MONDAY, 1), "Labor Day"),
        (nth_weekday(year, 10, MONDAY, 2), "Columbus Day"),
        (date(year, 11, 11), "Veterans Day"),
        (nth_weekday(year, 11, THURSDAY, 4), "Thanksgiving Day"),
        (date(year, 12, 25), "Christmas Day"),
    ]
    pairs = list(actual)
    pairs += [
        (_us_observed(d), f"{name} (observed)")
        for d, name in actual
        if _us_observed(d) != d
    ]
    # New Year's Day of the next year observed on Friday Dec 31.
    if date(year + 1, 1, 1).weekday() == SATURDAY:
        pairs.append((date(year, 12, 31), "New Year's Day (observed)"))
    # This year's Jan 1 observed on Dec 31 of the previous year is not in this year.
    return _named(*[(d, name) for d, name in pairs if d.year == year])


_BUILDERS = {
    "MX": _mx,
    "CO": _co,
    "PE": _pe,
    "CL": _cl,
    "AR": _ar,
    "ES": _es,
    "EU": lambda year: {},
    "US": _us,
}


def holiday_names(country: str, year: int) -> dict[date, str]:
    """``{date: English name}`` of the national public holidays of
    ``country`` (ISO code) in ``year``, sorted by date. Same arguments and
    errors as ``public_holidays``; the Odoo shell translates the names.

    >>> holiday_names("CO", 2026)[date(2026, 3, 23)]
    "Saint Joseph's Day"
    >>> holiday_names("US", 2026)[date(2026, 7, 3)]
    'Independence Day (observed)'
    """
    key = country.upper().split("-")[0]
    if key not in _BUILDERS:
        raise ValueError(f"no holiday calendar for {country!r}")
    if year not in SUPPORTED_YEARS:
        raise ValueError(
            f"holiday rules are maintained for {SUPPORTED_YEARS}, not {year}"
        )
    return dict(sorted(_BUILDERS[key](year).items()))


def public_holidays(country: str, year: int) -> list[date]:
    """Sorted national public holidays of ``country`` (ISO code) in ``year``.

    A subdivision code such as ``"US-MA"`` or ``"AR-C"`` uses the national
    calendar. Raises ``ValueError`` for an unknown country or a year outside
    ``SUPPORTED_YEARS``.
    """
    return list(holiday_names(country, year))


def holidays_for(country: str, years=(2026, 2027)) -> frozenset[date]:
    """Union of ``public_holidays`` over ``years`` (handy for ``evaluate``)."""
    return frozenset(d for y in years for d in public_holidays(country, y))


#: Plain data: ``{country: [date, ...]}`` for 2026 and 2027.
HOLIDAYS: dict[str, list[date]] = {
    c: public_holidays(c, 2026) + public_holidays(c, 2027) for c in COUNTRIES
}
