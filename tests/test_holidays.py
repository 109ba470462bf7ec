"""Public-holiday calendars (cobranza_core.holidays)."""

from datetime import date, timedelta

import pytest
from cobranza_core import holidays as h
from hypothesis import given, settings
from hypothesis import strategies as st


@pytest.mark.parametrize(
    "year, easter",
    [
        (2000, date(2000, 4, 23)),
        (2019, date(2019, 4, 21)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2028, date(2028, 4, 16)),
    ],
)
def test_easter_known_dates(year, easter):
    assert h.easter_sunday(year) == easter


@given(st.integers(min_value=1900, max_value=2200))
@settings(max_examples=150, deadline=None)
def test_easter_is_a_sunday_between_march_22_and_april_25(year):
    e = h.easter_sunday(year)
    assert e.weekday() == 6
    assert date(year, 3, 22) <= e <= date(year, 4, 25)


def test_nth_weekday():
    assert h.nth_weekday(2026, 1, h.MONDAY, 3) == date(2026, 1, 19)  # MLK
    assert h.nth_weekday(2026, 5, h.MONDAY, -1) == date(2026, 5, 25)  # Memorial Day
    assert h.nth_weekday(2027, 5, h.MONDAY, -1) == date(2027, 5, 31)
    assert h.nth_weekday(2026, 11, h.THURSDAY, 4) == date(2026, 11, 26)  # Thanksgiving
    assert h.nth_weekday(2026, 12, h.THURSDAY, -1) == date(2026, 12, 31)


def test_emiliani_monday():
    assert h.emiliani_monday(date(2026, 1, 6)) == date(
        2026, 1, 12
    )  # Tuesday -> next Monday
    assert h.emiliani_monday(date(2026, 6, 29)) == date(2026, 6, 29)  # already Monday
    assert h.emiliani_monday(date(2026, 11, 1)) == date(2026, 11, 2)  # Sunday -> Monday


def test_colombia_2026_full_list():
    expected = [
        (1, 1), (1, 12), (3, 23), (4, 2), (4, 3), (5, 1), (5, 18), (6, 8), (6, 15),
        (6, 29), (7, 20), (8, 7), (8, 17), (10, 12), (11, 2), (11, 16), (12, 8), (12, 25),
    ]  # fmt: skip
    assert h.public_holidays("CO", 2026) == [date(2026, m, d) for m, d in expected]


def test_colombia_2027_movable():
    co = set(h.public_holidays("CO", 2027))
    assert {
        date(2027, 1, 11),
        date(2027, 3, 22),
        date(2027, 3, 25),
        date(2027, 3, 26),
    } <= co
    assert {
        date(2027, 5, 10),
        date(2027, 5, 31),
        date(2027, 6, 7),
    } <= co  # Ascension, Corpus, S. Heart
    assert {
        date(2027, 7, 5),
        date(2027, 8, 16),
        date(2027, 10, 18),
        date(2027, 11, 15),
    } <= co
    assert len(co) == 18


def test_colombia_moved_holidays_fall_on_mondays():
    for year in (2026, 2027):
        for d in h.public_holidays("CO", year):
            fixed = {(1, 1), (5, 1), (7, 20), (8, 7), (12, 8), (12, 25)}
            easter = h.easter_sunday(year)
            if (d.month, d.day) in fixed or d in (
                easter - timedelta(days=3),
                easter - timedelta(days=2),
            ):
                continue
            assert d.weekday() == h.MONDAY, d


def test_us_federal_2026_and_observed_dates():
    us26 = h.public_holidays("US", 2026)
    assert (
        date(2026, 7, 3) in us26 and date(2026, 7, 4) in us26
    )  # Saturday -> Friday observed
    assert date(2026, 1, 19) in us26 and date(2026, 2, 16) in us26
    assert date(2026, 9, 7) in us26 and date(2026, 10, 12) in us26
    us27 = h.public_holidays("US", 2027)
    assert date(2027, 6, 18) in us27  # Juneteenth on Saturday
    assert date(2027, 7, 5) in us27  # July 4 on Sunday
    assert date(2027, 12, 24) in us27  # Christmas on Saturday
    assert date(2027, 12, 31) in us27  # New Year 2028 on Saturday
    assert date(2027, 11, 25) in us27  # Thanksgiving


def test_mexico_lft_mondays():
    mx = h.public_holidays("MX", 2026)
    assert mx == [
        date(2026, 1, 1), date(2026, 2, 2), date(2026, 3, 16), date(2026, 5, 1),
        date(2026, 9, 16), date(2026, 11, 16), date(2026, 12, 25),
    ]  # fmt: skip
    assert date(2027, 2, 1) in h.public_holidays("MX", 2027)


def test_peru_chile_argentina_spain_samples():
    pe = h.public_holidays("PE", 2026)
    assert {
        date(2026, 4, 2),
        date(2026, 4, 3),
        date(2026, 7, 28),
        date(2026, 7, 29),
        date(2026, 12, 9),
    } <= set(pe)
    cl26, cl27 = set(h.public_holidays("CL", 2026)), set(h.public_holidays("CL", 2027))
    assert {
        date(2026, 4, 3),
        date(2026, 4, 4),
        date(2026, 6, 21),
        date(2026, 9, 18),
    } <= cl26
    assert (
        date(2027, 6, 28) in cl27 and date(2027, 6, 29) not in cl27
    )  # Ley 19.668 move
    assert date(2027, 10, 11) in cl27 and date(2027, 10, 12) not in cl27
    ar26 = set(h.public_holidays("AR", 2026))
    assert {
        date(2026, 2, 16),
        date(2026, 2, 17),
        date(2026, 3, 24),
        date(2026, 6, 15),
        date(2026, 11, 23),
    } <= ar26
    assert date(2026, 6, 17) not in ar26
    es27 = set(h.public_holidays("ES", 2027))
    assert {
        date(2027, 1, 6),
        date(2027, 3, 26),
        date(2027, 10, 12),
        date(2027, 12, 8),
    } <= es27


def test_eu_has_no_calendar_and_subdivisions_use_country():
    assert h.public_holidays("EU", 2026) == []
    assert h.public_holidays("US-MA", 2026) == h.public_holidays("US", 2026)
    assert h.HOLIDAYS["EU"] == []


def test_holidays_table_covers_2026_2027():
    for country in h.COUNTRIES:
        years = {d.year for d in h.HOLIDAYS[country]}
        assert years <= {2026, 2027}
        if country != "EU":
            assert years == {2026, 2027}
    assert h.holidays_for("CO") == frozenset(h.HOLIDAYS["CO"])


def test_unknown_country_or_year():
    with pytest.raises(ValueError):
        h.public_holidays("BR", 2026)
    with pytest.raises(ValueError):
        h.public_holidays("CO", 1990)
