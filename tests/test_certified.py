from datetime import date, timedelta

import pytest
from cobranza_core import certified
from cobranza_core.rule_packs import JURISDICTIONS
from hypothesis import given
from hypothesis import strategies as st

TODAY = date(2026, 3, 16)


def test_every_shipped_jurisdiction_has_a_kind():
    for code in JURISDICTIONS:
        assert certified.letter_kind(code) in certified.KINDS
    assert certified.letter_kind("ES") == "burofax"
    assert certified.letter_kind("EU") == certified.DEFAULT_KIND


def test_notices_are_what_the_waiting_periods_need():
    for purpose in ("demand", "pre_report"):
        assert "notice_sent" in certified.delivery_events(purpose)
    assert "bureau_warning_sent" in certified.delivery_events("pre_report")
    assert certified.delivery_events("agency_referral") == ("agency_referral_notified",)
    assert set(certified.PURPOSES) == set(certified.EVENTS_ON_DELIVERY)


def test_return_records_undeliverable():
    assert certified.EVENTS_ON_RETURN == ("notice_undeliverable",)


@given(
    sent_ago=st.integers(min_value=0, max_value=400),
    offset=st.integers(min_value=-400, max_value=400),
)
def test_outcome_date_is_between_sending_and_today(sent_ago, offset):
    sent = TODAY - timedelta(days=sent_ago)
    day = sent + timedelta(days=offset)
    problem = certified.outcome_date_problem(day, sent, TODAY)
    assert (problem is None) == (sent <= day <= TODAY)
    if day > TODAY:
        assert problem == "future"


def test_deadline_not_in_the_past():
    assert certified.payment_deadline(TODAY, 20) == date(2026, 4, 5)
    with pytest.raises(ValueError):
        certified.payment_deadline(TODAY, -1)


@given(st.integers(min_value=-30, max_value=30))
def test_a_deadline_leaves_at_least_a_day(offset):
    deadline = TODAY + timedelta(days=offset)
    assert certified.deadline_passed(deadline, TODAY) == (offset <= 0)
