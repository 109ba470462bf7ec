"""Mechanics of the compliance engine (cobranza_core.compliance) + properties."""

import doctest
import json
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest
from cobranza_core import compliance
from cobranza_core.compliance import (
    RULE_KINDS,
    Contact,
    Decision,
    ProposedContact,
    Reason,
    Rule,
    applicable_rules,
    evaluate,
    jurisdiction_chain,
    lint_template,
    normalize_text,
    notice_deadlines,
    phrase_found,
)
from cobranza_core.holidays import holidays_for
from cobranza_core.rule_packs import load_rules, rule_packs
from hypothesis import given, settings
from hypothesis import strategies as st

UTC = timezone.utc
BOGOTA = ZoneInfo("America/Bogota")
NY = ZoneInfo("America/New_York")


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def local(tz, *args):
    return datetime(*args, tzinfo=ZoneInfo(tz) if isinstance(tz, str) else tz)


def proposed(at, **kw):
    base = dict(
        channel="call",
        debtor_type="consumer",
        actor_type="agency",
        tz="UTC",
        jurisdiction="XX",
    )
    base.update(kw)
    return ProposedContact(
        at, base.pop("channel"), base.pop("debtor_type"), base.pop("actor_type"), base.pop("tz"),
        base.pop("jurisdiction"), **base,
    )  # fmt: skip


def window_rule(windows, holidays="closed", **kw):
    return Rule(
        "T-WIN",
        "XX",
        "time_window",
        {"windows": windows, "holidays": holidays, **kw.pop("params", {})},
        **kw,
    )


def cap_rule(params, **kw):
    return Rule("T-CAP", "XX", "frequency_cap", params, **kw)


# --------------------------------------------------------------------------
# data classes and packs
# --------------------------------------------------------------------------


def test_module_doctests():
    result = doctest.testmod(compliance)
    assert result.attempted >= 4 and result.failed == 0


def test_rule_round_trip_and_json_for_every_shipped_rule():
    packs = rule_packs()
    assert json.loads(json.dumps(packs)) == packs
    for d in packs:
        rule = Rule.from_dict(d)
        assert rule.to_dict() == d
        assert rule.kind in RULE_KINDS
        assert rule.severity in ("block", "warn")


def test_rule_validation():
    with pytest.raises(ValueError):
        Rule("X", "XX", "no_such_kind", {})
    with pytest.raises(ValueError):
        Rule("X", "XX", "time_window", {}, severity="error")
    rule = Rule(
        "X", "XX", "time_window", {}, channels=["call"], valid_from="2026-01-01"
    )
    assert rule.channels == frozenset({"call"}) and rule.valid_from == date(2026, 1, 1)
    assert hash(rule)  # hashable although params is a dict


def test_contact_and_proposal_need_aware_datetimes():
    with pytest.raises(ValueError):
        Contact(datetime(2026, 1, 1), "call")
    with pytest.raises(ValueError):
        proposed(datetime(2026, 1, 1))
    with pytest.raises(ZoneInfoNotFoundError):
        proposed(utc(2026, 1, 1), tz="Mars/Olympus")


def test_jurisdiction_chain():
    assert jurisdiction_chain("ES") == ("ES", "EU")
    assert jurisdiction_chain("AR-C") == ("AR-C", "AR")
    assert jurisdiction_chain("us-ma") == ("US-MA", "US")
    assert jurisdiction_chain("CO") == ("CO",)


def test_applicability_filters():
    rule = Rule(
        "R", "XX", "forbidden_content", {"tags": ["bad"]}, channels=["sms"], debtor_types=["consumer"],
        actor_types=["agency"], valid_from="2026-02-01", valid_to="2026-02-28",
    )  # fmt: skip
    p = proposed(utc(2026, 2, 10, 12), channel="sms", content_tags={"bad"})
    assert applicable_rules([rule], p) == [rule]
    assert evaluate(p, [rule], [], []).outcome == "block"
    for other in (
        proposed(utc(2026, 2, 10, 12), channel="email", content_tags={"bad"}),
        proposed(
            utc(2026, 2, 10, 12),
            channel="sms",
            debtor_type="business",
            content_tags={"bad"},
        ),
        proposed(
            utc(2026, 2, 10, 12),
            channel="sms",
            actor_type="creditor",
            content_tags={"bad"},
        ),
        proposed(utc(2026, 1, 31, 12), channel="sms", content_tags={"bad"}),
        proposed(utc(2026, 3, 1, 12), channel="sms", content_tags={"bad"}),
        proposed(
            utc(2026, 2, 10, 12), channel="sms", jurisdiction="YY", content_tags={"bad"}
        ),
        proposed(
            utc(2026, 2, 10, 12),
            channel="sms",
            kind="bureau_report",
            content_tags={"bad"},
        ),
    ):
        assert evaluate(other, [rule], [], []).outcome == "allow"


def test_scope_params_unknown_means_applies():
    rule = Rule(
        "R",
        "XX",
        "forbidden_content",
        {"tags": ["bad"], "creditor_sectors": ["financial"]},
    )
    at = utc(2026, 2, 10, 12)
    assert (
        evaluate(proposed(at, content_tags={"bad"}), [rule], [], []).outcome == "block"
    )
    assert (
        evaluate(
            proposed(at, content_tags={"bad"}, creditor_sector="financial"),
            [rule],
            [],
            [],
        ).outcome
        == "block"
    )
    assert (
        evaluate(
            proposed(at, content_tags={"bad"}, creditor_sector="retail"), [rule], [], []
        ).outcome
        == "allow"
    )


def test_rules_may_be_dicts():
    d = window_rule({"daily": ["08:00", "09:00"]}).to_dict()
    dec = evaluate(proposed(utc(2026, 1, 5, 7)), [d], [], [])
    assert dec.outcome == "defer" and dec.not_before == utc(2026, 1, 5, 8)


# --------------------------------------------------------------------------
# time windows
# --------------------------------------------------------------------------


def test_window_start_inclusive_end_exclusive():
    rule = window_rule({"daily": ["08:00", "21:00"]})
    assert evaluate(proposed(utc(2026, 1, 5, 8)), [rule], [], []).outcome == "allow"
    assert (
        evaluate(proposed(utc(2026, 1, 5, 20, 59, 59)), [rule], [], []).outcome
        == "allow"
    )
    dec = evaluate(proposed(utc(2026, 1, 5, 21)), [rule], [], [])
    assert dec.outcome == "defer" and dec.not_before == utc(2026, 1, 6, 8)
    assert dec.reasons == (dec.reasons[0],) and dec.reasons[0].rule_id == "T-WIN"


def test_window_split_day_and_ranges():
    rule = window_rule(
        {"mon-fri": [["09:00", "12:00"], ["14:00", "18:00"]], "sat": ["10:00", "11:00"]}
    )
    dec = evaluate(proposed(utc(2026, 1, 5, 12, 30)), [rule], [], [])  # Monday lunch
    assert dec.not_before == utc(2026, 1, 5, 14)
    dec = evaluate(proposed(utc(2026, 1, 9, 18)), [rule], [], [])  # Friday evening
    assert dec.not_before == utc(2026, 1, 10, 10)
    dec = evaluate(
        proposed(utc(2026, 1, 10, 11)), [rule], [], []
    )  # Saturday after window
    assert dec.not_before == utc(2026, 1, 12, 9)


def test_window_wrapping_day_range():
    rule = window_rule({"fri-mon": ["10:00", "11:00"]})
    dec = evaluate(proposed(utc(2026, 1, 6, 10)), [rule], [], [])  # Tuesday
    assert dec.not_before == utc(2026, 1, 9, 10)


def test_holiday_modes():
    hol = [date(2026, 1, 5)]  # a Monday
    closed = window_rule({"daily": ["08:00", "20:00"]}, holidays="closed")
    assert evaluate(proposed(utc(2026, 1, 5, 9)), [closed], [], hol).not_before == utc(
        2026, 1, 6, 8
    )
    ignore = window_rule({"daily": ["08:00", "20:00"]}, holidays="ignore")
    assert evaluate(proposed(utc(2026, 1, 5, 9)), [ignore], [], hol).outcome == "allow"
    as_sunday = window_rule(
        {"mon-sat": ["08:00", "20:00"], "sun": ["10:00", "12:00"]}, holidays="sun"
    )
    assert evaluate(
        proposed(utc(2026, 1, 5, 9)), [as_sunday], [], hol
    ).not_before == utc(2026, 1, 5, 10)


def test_window_in_local_time_zone():
    rule = window_rule({"mon-fri": ["07:00", "19:00"]})
    at = local(BOGOTA, 2026, 3, 6, 19, 30)  # Friday evening Bogotá = 00:30 UTC Saturday
    dec = evaluate(proposed(at, tz="America/Bogota"), [rule], [], [])
    assert dec.not_before == local(BOGOTA, 2026, 3, 9, 7)


def test_window_start_inside_dst_gap_opens_at_transition():
    # 2026-03-08 02:00 -> 03:00 in New York; a window "02:30" opens at 03:00 EDT.
    rule = window_rule({"daily": ["02:30", "05:00"]})
    at = local(NY, 2026, 3, 8, 1, 0)
    dec = evaluate(proposed(at, tz="America/New_York"), [rule], [], [])
    assert dec.outcome == "defer"
    assert dec.not_before == utc(2026, 3, 8, 7, 0)  # 03:00 EDT
    assert dec.not_before.astimezone(NY).hour == 3


def test_window_all_plausible_time_zones():
    rule = window_rule({"daily": ["08:00", "21:00"]}, params={"all_tzs": True})
    at = local(NY, 2026, 4, 1, 8, 30)  # 05:30 in Los Angeles
    p = proposed(at, tz="America/New_York", extra_tzs=("America/Los_Angeles",))
    dec = evaluate(p, [rule], [], [])
    assert dec.not_before == local("America/Los_Angeles", 2026, 4, 1, 8)
    late = local(NY, 2026, 4, 1, 21, 0)  # 18:00 LA but 21:00 NY
    dec = evaluate(
        proposed(late, tz="America/New_York", extra_tzs=("America/Los_Angeles",)),
        [rule],
        [],
        [],
    )
    assert dec.not_before == local("America/Los_Angeles", 2026, 4, 2, 8)  # 11:00 NY


def test_window_waived_by_consent():
    rule = window_rule(
        {"mon-fri": ["07:00", "19:00"]}, params={"waived_by_consents": ["extended"]}
    )
    at = utc(2026, 1, 4, 12)  # Sunday
    assert evaluate(proposed(at), [rule], [], []).outcome == "defer"
    assert (
        evaluate(proposed(at, consents={"extended"}), [rule], [], []).outcome == "allow"
    )


def test_no_window_within_horizon_blocks():
    rule = window_rule({})
    dec = evaluate(proposed(utc(2026, 1, 5, 9)), [rule], [], [])
    assert dec.outcome == "block" and dec.reasons[0].rule_id == "T-WIN"
    rule = window_rule({"daily": ["08:00", "09:00"]})
    hol = [date(2026, 1, 1) + timedelta(days=i) for i in range(100)]
    dec = evaluate(proposed(utc(2026, 1, 5, 9)), [rule], [], hol, horizon_days=30)
    assert dec.outcome == "block"


def test_rule_expiring_releases_deferral():
    rule = window_rule({"mon-fri": ["07:00", "19:00"]}, valid_to="2026-01-09")
    dec = evaluate(
        proposed(utc(2026, 1, 9, 20)), [rule], [], []
    )  # Friday night, rule ends that day
    assert dec.outcome == "defer" and dec.not_before == utc(2026, 1, 10, 0)
    later = Rule(
        "T-NEW", "XX", "forbidden_content", {"tags": ["x"]}, valid_from="2026-01-10"
    )
    dec = evaluate(
        proposed(utc(2026, 1, 9, 20), content_tags={"x"}), [rule, later], [], []
    )
    assert dec.outcome == "block" and {r.rule_id for r in dec.reasons} >= {"T-NEW"}


# --------------------------------------------------------------------------
# frequency caps
# --------------------------------------------------------------------------


def test_rolling_cap_defers_until_oldest_expires():
    rule = cap_rule({"window": {"type": "rolling_days", "days": 7}, "limit": 2})
    ledger = [
        Contact(utc(2026, 1, 1, 10), "call"),
        Contact(utc(2026, 1, 3, 10), "call"),
    ]
    dec = evaluate(proposed(utc(2026, 1, 5, 10)), [rule], ledger, [])
    assert dec.outcome == "defer" and dec.not_before == utc(2026, 1, 8, 10)
    assert (
        evaluate(proposed(utc(2026, 1, 8, 10)), [rule], ledger, []).outcome == "allow"
    )


def test_rolling_cap_considers_future_entries():
    rule = cap_rule({"window": {"type": "rolling_days", "days": 7}, "limit": 1})
    ledger = [Contact(utc(2026, 1, 10, 10), "call")]
    dec = evaluate(proposed(utc(2026, 1, 5, 10)), [rule], ledger, [])
    assert dec.not_before == utc(2026, 1, 17, 10)
    assert (
        evaluate(proposed(utc(2026, 1, 3, 10)), [rule], ledger, []).outcome == "allow"
    )


def test_rolling_cap_window_fits_between_entries():
    rule = cap_rule({"window": {"type": "rolling_days", "days": 2}, "limit": 2})
    ledger = [Contact(utc(2026, 1, 1), "sms"), Contact(utc(2026, 1, 4), "sms")]
    assert (
        evaluate(proposed(utc(2026, 1, 2, 12)), [rule], ledger, []).outcome == "allow"
    )


def test_count_filters():
    rule = cap_rule(
        {
            "window": {"type": "rolling_days", "days": 7},
            "limit": 1,
            "count_tags": ["conversation"],
        },
        channels=["call"],
    )
    ledger = [
        Contact(utc(2026, 1, 1, 10), "call"),
        Contact(utc(2026, 1, 2, 10), "email", tags={"conversation"}),
    ]
    assert (
        evaluate(proposed(utc(2026, 1, 3, 10)), [rule], ledger, []).outcome == "allow"
    )
    ledger.append(Contact(utc(2026, 1, 2, 12), "call", tags={"conversation"}))
    assert evaluate(
        proposed(utc(2026, 1, 3, 10)), [rule], ledger, []
    ).not_before == utc(2026, 1, 9, 12)
    assert (
        evaluate(
            proposed(utc(2026, 1, 3, 10), channel="sms"), [rule], ledger, []
        ).outcome
        == "allow"
    )
    other_kind = [
        Contact(
            utc(2026, 1, 2, 12), "call", kind="bureau_report", tags={"conversation"}
        )
    ]
    assert (
        evaluate(proposed(utc(2026, 1, 3, 10)), [rule], other_kind, []).outcome
        == "allow"
    )


def test_calendar_day_week_month_caps():
    day = cap_rule({"window": {"type": "day"}, "limit": 1})
    ledger = [Contact(local(BOGOTA, 2026, 3, 4, 9), "call")]
    dec = evaluate(
        proposed(local(BOGOTA, 2026, 3, 4, 17), tz="America/Bogota"), [day], ledger, []
    )
    assert dec.not_before == local(BOGOTA, 2026, 3, 5, 0)
    week = cap_rule({"window": {"type": "calendar_week"}, "limit": 1})
    dec = evaluate(
        proposed(local(BOGOTA, 2026, 3, 6, 17), tz="America/Bogota"), [week], ledger, []
    )
    assert dec.not_before == local(BOGOTA, 2026, 3, 9, 0)  # next Monday
    month = cap_rule({"window": {"type": "calendar_month"}, "limit": 1})
    dec = evaluate(
        proposed(local(BOGOTA, 2026, 3, 30, 17), tz="America/Bogota"),
        [month],
        ledger,
        [],
    )
    assert dec.not_before == local(BOGOTA, 2026, 4, 1, 0)
    full_april = ledger + [Contact(local(BOGOTA, 2026, 4, 2, 9), "call")]
    dec = evaluate(
        proposed(local(BOGOTA, 2026, 3, 30, 17), tz="America/Bogota"),
        [month],
        full_april,
        [],
    )
    assert dec.not_before == local(BOGOTA, 2026, 5, 1, 0)


def test_distinct_channel_cap():
    rule = cap_rule({"window": {"type": "calendar_week"}, "max_distinct_channels": 1})
    ledger = [Contact(utc(2026, 1, 5, 10), "call")]
    assert (
        evaluate(proposed(utc(2026, 1, 6, 10)), [rule], ledger, []).outcome == "allow"
    )
    dec = evaluate(proposed(utc(2026, 1, 6, 10), channel="email"), [rule], ledger, [])
    assert dec.not_before == utc(2026, 1, 12)


def test_min_gap():
    rule = cap_rule({"min_gap_hours": 48})
    ledger = [Contact(utc(2026, 1, 1, 10), "sms"), Contact(utc(2026, 1, 3, 11), "sms")]
    dec = evaluate(proposed(utc(2026, 1, 2, 10)), [rule], ledger, [])
    assert dec.not_before == utc(
        2026, 1, 5, 11
    )  # the slot after Jan 1 is < 48 h before Jan 3
    assert (
        evaluate(proposed(utc(2025, 12, 30, 10)), [rule], ledger, []).outcome == "allow"
    )


def test_cap_and_window_combined_fixed_point():
    rules = [
        window_rule({"mon-fri": ["09:00", "17:00"]}),
        cap_rule({"window": {"type": "rolling_days", "days": 7}, "limit": 1}),
    ]
    ledger = [Contact(utc(2026, 1, 2, 16), "call")]  # Friday 16:00
    dec = evaluate(proposed(utc(2026, 1, 5, 10)), rules, ledger, [])
    assert dec.not_before == utc(
        2026, 1, 9, 16
    )  # cap frees Friday 16:00, inside window
    ledger = [Contact(utc(2026, 1, 2, 17, 30), "call")]
    dec = evaluate(proposed(utc(2026, 1, 5, 10)), rules, ledger, [])
    assert dec.not_before == utc(
        2026, 1, 12, 9
    )  # cap frees Fri 17:30, window reopens Mon
    assert {r.rule_id for r in dec.reasons} == {"T-CAP", "T-WIN"}


# --------------------------------------------------------------------------
# severities and overrides
# --------------------------------------------------------------------------


def test_warn_rule_enforced_unless_overridden():
    warn = window_rule({"daily": ["08:00", "09:00"]}, severity="warn")
    at = utc(2026, 1, 5, 12)
    assert evaluate(proposed(at), [warn], [], []).outcome == "defer"
    dec = evaluate(proposed(at), [warn], [], [], overrides={"T-WIN"})
    assert dec.outcome == "allow"
    assert dec.reasons[0].rule_id == "T-WIN" and dec.reasons[0].message.startswith(
        "[overridden]"
    )
    content_warn = Rule(
        "T-C", "XX", "forbidden_content", {"tags": ["x"]}, severity="warn"
    )
    assert (
        evaluate(proposed(at, content_tags={"x"}), [content_warn], [], []).outcome
        == "block"
    )
    assert (
        evaluate(
            proposed(at, content_tags={"x"}), [content_warn], [], [], overrides=["T-C"]
        ).outcome
        == "allow"
    )


def test_block_rule_cannot_be_overridden():
    block = window_rule({"daily": ["08:00", "09:00"]})
    dec = evaluate(proposed(utc(2026, 1, 5, 12)), [block], [], [], overrides={"T-WIN"})
    assert dec.outcome == "defer"
    content = Rule("T-C", "XX", "forbidden_content", {"tags": ["x"]})
    assert (
        evaluate(
            proposed(utc(2026, 1, 5, 12), content_tags={"x"}),
            [content],
            [],
            [],
            overrides={"T-C"},
        ).outcome
        == "block"
    )


def test_hard_violation_wins_over_deferral():
    rules = [
        window_rule({"daily": ["08:00", "09:00"]}),
        Rule("T-C", "XX", "forbidden_content", {"tags": ["x"]}),
    ]
    dec = evaluate(proposed(utc(2026, 1, 5, 12), content_tags={"x"}), rules, [], [])
    assert dec.outcome == "block" and dec.not_before is None
    assert {r.rule_id for r in dec.reasons} == {"T-C", "T-WIN"}


def test_allow_without_violations_has_no_reasons():
    assert evaluate(proposed(utc(2026, 1, 5, 12)), load_rules(), [], []) == Decision(
        "allow", None, ()
    )


# --------------------------------------------------------------------------
# waiting periods, content, recipients, stops, fees
# --------------------------------------------------------------------------


def wp(params, **kw):
    return Rule(
        "T-WAIT",
        "XX",
        "waiting_period",
        {"action_kinds": ["bureau_report"], **params},
        **kw,
    )


def test_waiting_period_exclusive_and_inclusive():
    excl = wp({"after": [{"event": "notice_sent", "min_days": 10, "exclusive": True}]})
    incl = wp({"after": [{"event": "notice_sent", "min_days": 10}]})
    ev = {"notice_sent": date(2026, 1, 1)}
    at = utc(2026, 1, 11, 12)
    assert (
        evaluate(proposed(at, kind="bureau_report", events=ev), [incl], [], []).outcome
        == "allow"
    )
    dec = evaluate(proposed(at, kind="bureau_report", events=ev), [excl], [], [])
    assert dec.outcome == "defer" and dec.not_before == utc(2026, 1, 12)
    assert (
        evaluate(proposed(at, kind="bureau_report"), [excl], [], []).outcome == "block"
    )
    assert evaluate(proposed(at, kind="collection"), [excl], [], []).outcome == "allow"


def test_waiting_period_any_mode_and_unless():
    rule = wp(
        {
            "after_mode": "any",
            "after": [
                {"event": "spoke", "min_days": 0},
                {"event": "mailed", "min_days": 14, "unless_events": ["returned"]},
            ],
        }
    )
    at = utc(2026, 1, 10, 12)
    assert evaluate(
        proposed(at, kind="bureau_report", events={"spoke": date(2026, 1, 9)}),
        [rule],
        [],
        [],
    ).allowed
    dec = evaluate(
        proposed(at, kind="bureau_report", events={"mailed": date(2026, 1, 1)}),
        [rule],
        [],
        [],
    )
    assert dec.not_before == utc(2026, 1, 15)
    ev = {"mailed": date(2026, 1, 1), "returned": date(2026, 1, 4)}
    assert (
        evaluate(proposed(at, kind="bureau_report", events=ev), [rule], [], []).outcome
        == "block"
    )


def test_waiting_period_limits():
    rule = wp(
        {
            "max_after": [
                {"event": "due_date", "years": 5},
                {"event": "paid", "days": 30, "required": False},
            ],
            "min_amount_cents": 5000,
            "unless_debt_tags": ["disputed"],
        }
    )
    at = utc(2026, 1, 10, 12)
    ok = dict(
        kind="bureau_report", amount_cents=5000, events={"due_date": date(2021, 1, 10)}
    )
    assert evaluate(proposed(at, **ok), [rule], [], []).allowed
    assert (
        evaluate(proposed(utc(2026, 1, 11, 12), **ok), [rule], [], []).outcome
        == "block"
    )
    assert (
        evaluate(proposed(at, **{**ok, "amount_cents": 4999}), [rule], [], []).outcome
        == "block"
    )
    assert (
        evaluate(proposed(at, **ok, debt_tags={"disputed"}), [rule], [], []).outcome
        == "block"
    )
    ev = {"due_date": date(2021, 1, 10), "paid": date(2025, 12, 1)}
    assert (
        evaluate(proposed(at, **{**ok, "events": ev}), [rule], [], []).outcome
        == "block"
    )


def test_required_content_first_and_subsequent():
    rule = Rule(
        "T-REQ", "XX", "required_content",
        {"tags": [["a", "b"]], "first_contact_tags": ["first"], "subsequent_tags": ["later"]},
    )  # fmt: skip
    at = utc(2026, 1, 5, 12)
    assert evaluate(proposed(at, content_tags={"a", "first"}), [rule], [], []).allowed
    assert not evaluate(proposed(at, content_tags={"a"}), [rule], [], []).allowed
    ledger = [Contact(utc(2026, 1, 1), "letter")]
    assert evaluate(
        proposed(at, content_tags={"b", "later"}), [rule], ledger, []
    ).allowed
    assert not evaluate(
        proposed(at, content_tags={"first"}), [rule], ledger, []
    ).allowed


def test_forbidden_phrases_are_accent_case_and_word_insensitive():
    assert phrase_found("carcel", "Usted irá a la CÁRCEL.")
    assert phrase_found("por que no ha pagado", "¿Por qué no ha pagado?")
    assert not phrase_found("debt", "Debtrix Corp")
    assert phrase_found("debt*", "Debtrix Corp")
    assert phrase_found("collection*", "ACME Collections, LLC")
    assert not phrase_found("arrest", "we will not arrestrict")
    assert normalize_text("  Ñandú—ÚLTIMO aviso!! ") == "nandu ultimo aviso"


def test_recipient_restrictions():
    rule = Rule(
        "T-REC", "XX", "recipient_restriction",
        {
            "allowed_roles": ["debtor", "guarantor"], "forbidden_channels": ["visit"],
            "non_debtor_forbidden_tags": ["minor"], "required_recipient_tags": ["debtor_supplied"],
            "require_authorized_channel": True, "required_consents": ["marketing"],
        },
    )  # fmt: skip
    ok = dict(
        recipient_tags={"debtor_supplied"},
        authorized_channels={"call"},
        consents={"marketing"},
    )
    at = utc(2026, 1, 5, 12)
    assert evaluate(proposed(at, **ok), [rule], [], []).allowed
    bad_cases = [
        {**ok, "recipient_role": "reference"},
        {
            **ok,
            "recipient_role": "guarantor",
            "recipient_tags": {"debtor_supplied", "minor"},
        },
        {**ok, "recipient_tags": set()},
        {**ok, "authorized_channels": None},
        {**ok, "authorized_channels": {"email"}},
        {**ok, "consents": set()},
        {**ok, "channel": "visit", "authorized_channels": {"visit"}},
    ]
    for case in bad_cases:
        assert evaluate(proposed(at, **case), [rule], [], []).outcome == "block", case
    assert evaluate(
        proposed(at, **{**ok, "recipient_tags": {"debtor_supplied", "minor"}}),
        [rule],
        [],
        [],
    ).allowed


def test_stop_conditions():
    rule = Rule(
        "T-STOP", "XX", "stop_condition",
        {
            "conditions": [
                {"events": ["cease"], "except_content_tags": ["ack"]},
                {"events": ["dispute"], "ledger_tags": ["dispute"], "resumed_by": ["verified"]},
                {"debt_tags": ["sued"]},
            ]
        },
    )  # fmt: skip
    at = utc(2026, 1, 10, 12)
    assert evaluate(proposed(at), [rule], [], []).allowed
    assert (
        evaluate(
            proposed(at, events={"cease": date(2026, 1, 2)}), [rule], [], []
        ).outcome
        == "block"
    )
    assert evaluate(
        proposed(at, events={"cease": date(2026, 1, 2)}, content_tags={"ack"}),
        [rule],
        [],
        [],
    ).allowed
    assert evaluate(
        proposed(at, events={"cease": date(2026, 1, 11)}), [rule], [], []
    ).allowed  # not yet
    assert (
        evaluate(
            proposed(at, events={"dispute": date(2026, 1, 2)}), [rule], [], []
        ).outcome
        == "block"
    )
    ev = {"dispute": date(2026, 1, 2), "verified": date(2026, 1, 5)}
    assert evaluate(proposed(at, events=ev), [rule], [], []).allowed
    ledger = [Contact(utc(2026, 1, 6), "letter", kind="inbound", tags={"dispute"})]
    assert (
        evaluate(proposed(at, events=ev), [rule], ledger, []).outcome == "block"
    )  # new dispute after verification
    assert evaluate(proposed(at, debt_tags={"sued"}), [rule], [], []).outcome == "block"


def test_fee_cap_rule():
    rule = Rule(
        "T-FEE", "XX", "fee_cap",
        {"tranches": [[10, "0.09"], [50, "0.06"], [None, "0.03"]], "unit": "UF", "min_days_overdue": 20},
    )  # fmt: skip
    at = utc(2026, 1, 5, 12)
    base = dict(amount_cents=390_000, unit_values={"UF": 39_000}, days_overdue=25)
    assert evaluate(proposed(at, fee_cents=35_100, **base), [rule], [], []).allowed
    assert (
        evaluate(proposed(at, fee_cents=35_101, **base), [rule], [], []).outcome
        == "block"
    )
    assert (
        evaluate(
            proposed(at, fee_cents=1, **{**base, "days_overdue": 19}), [rule], [], []
        ).outcome
        == "block"
    )
    assert (
        evaluate(
            proposed(at, fee_cents=1, **{**base, "unit_values": {}}), [rule], [], []
        ).outcome
        == "block"
    )
    assert evaluate(
        proposed(at, **base), [rule], [], []
    ).allowed  # no fee, rule does not apply
    doc = Rule(
        "T-DOC",
        "XX",
        "fee_cap",
        {"documented_costs_only": True, "forbidden_if_debt_tags": ["housing"]},
    )
    assert evaluate(proposed(at, fee_cents=100), [doc], [], []).outcome == "block"
    assert evaluate(
        proposed(at, fee_cents=100, fee_documented=True), [doc], [], []
    ).allowed
    assert (
        evaluate(
            proposed(at, fee_cents=100, fee_documented=True, debt_tags={"housing"}),
            [doc],
            [],
            [],
        ).outcome
        == "block"
    )


def test_lint_template_generic():
    rules = [
        Rule(
            "T-REQ",
            "XX",
            "required_content",
            {"tags": ["opt_out"], "first_contact_tags": ["intro"]},
            channels=["sms"],
        ),
        Rule(
            "T-BAD",
            "XX",
            "forbidden_content",
            {"phrases": {"subject": ["urgent*"]}, "max_sms_length": 100},
        ),
        Rule(
            "T-TB",
            "XX",
            "forbidden_content",
            {"tags": ["suit"], "if_debt_tags": ["old"]},
        ),
    ]
    reasons = lint_template(
        channel="sms",
        tags={"suit"},
        subject="URGENTE",
        body_text="x" * 120,
        rules=rules,
    )
    ids = [r.rule_id for r in reasons]
    assert ids == ["T-REQ", "T-BAD", "SMS-LENGTH"]
    assert "100" in reasons[-1].message
    assert (
        lint_template(channel="sms", tags={"opt_out"}, body_text="ok", rules=rules)
        == []
    )
    first = lint_template(
        channel="sms", tags={"opt_out"}, body_text="ok", rules=rules, first_contact=True
    )
    assert [r.rule_id for r in first] == ["T-REQ"]
    assert (
        lint_template(
            channel="email", tags=set(), subject="hi", rules=rules, jurisdiction="YY"
        )
        == []
    )


def test_lint_sms_encoding_warning():
    text = "Aviso: su cuota vence mañana, pague en línea " * 2  # "í" is not GSM-7
    reasons = lint_template(channel="sms", tags=set(), body_text=text, rules=[])
    assert [(r.rule_id, r.severity) for r in reasons] == [("SMS-ENCODING", "warn")]
    assert (
        lint_template(channel="sms", tags=set(), body_text="Pague hoy", rules=[]) == []
    )
    assert (
        lint_template(
            channel="sms", tags=set(), body_text="x", sms_length=161, rules=[]
        )[0].rule_id
        == "SMS-LENGTH"
    )


def test_notice_deadlines():
    rules = load_rules(["CL", "US"])
    owed = notice_deadlines(
        rules,
        jurisdiction="CL",
        debtor_type="consumer",
        actor_type="creditor",
        events={"due_date": date(2026, 3, 1)},
    )
    assert [(r.rule_id, d) for r, d in owed] == [("CL-FIRST", date(2026, 3, 16))]
    done = notice_deadlines(
        rules, jurisdiction="CL", debtor_type="consumer", actor_type="creditor",
        events={"due_date": date(2026, 3, 1), "arrears_notice_sent": date(2026, 3, 5)},
    )  # fmt: skip
    assert done == []
    ledger = [Contact(utc(2026, 3, 2, 15), "call")]
    owed = notice_deadlines(
        rules,
        jurisdiction="US",
        debtor_type="consumer",
        actor_type="agency",
        events={},
        ledger=ledger,
    )
    assert [(r.rule_id, d) for r, d in owed] == [("US-VALIDATION", date(2026, 3, 7))]
    assert (
        notice_deadlines(
            rules,
            jurisdiction="US",
            debtor_type="consumer",
            actor_type="creditor",
            events={},
            ledger=ledger,
        )
        == []
    )


def test_reason_is_plain_data():
    r = Reason("X", "block", "m", "c")
    assert (r.rule_id, r.severity, r.message, r.citation) == ("X", "block", "m", "c")


# --------------------------------------------------------------------------
# properties
# --------------------------------------------------------------------------

# Independent oracle of the shipped hour rules: (tz, {weekday: (start_h, end_h)}, holidays closed?)
ORACLE = {
    "CO": (
        "America/Bogota",
        {0: (7, 19), 1: (7, 19), 2: (7, 19), 3: (7, 19), 4: (7, 19), 5: (8, 15)},
        True,
    ),
    "PE": (
        "America/Lima",
        {0: (7, 20), 1: (7, 20), 2: (7, 20), 3: (7, 20), 4: (7, 20)},
        True,
    ),
    "CL": ("America/Santiago", {d: (8, 20) for d in range(6)}, True),
    "MX": ("America/Mexico_City", {d: (7, 22) for d in range(7)}, False),
    "US": ("America/New_York", {d: (8, 21) for d in range(7)}, False),
}
HOLIDAYS = {j: holidays_for(j, (2026, 2027)) for j in ORACLE}
WINDOW_RULES = {
    j: [r for r in load_rules([j]) if r.kind == "time_window"] for j in ORACLE
}


def oracle_allows(j, instant, extra_tzs=()):
    tz, table, closed = ORACLE[j]
    for zone in (tz, *extra_tzs):
        loc = instant.astimezone(ZoneInfo(zone))
        if closed and loc.date() in HOLIDAYS[j]:
            return False
        if loc.weekday() not in table:
            return False
        start, end = table[loc.weekday()]
        if not time(start) <= loc.time() < time(end):
            return False
    return True


quarter_hours = st.builds(
    lambda days, q: datetime(2026, 1, 1, tzinfo=UTC)
    + timedelta(days=days, minutes=15 * q),
    st.integers(min_value=0, max_value=700),
    st.integers(min_value=0, max_value=95),
)


@given(
    j=st.sampled_from(sorted(ORACLE)),
    at=quarter_hours,
    channel=st.sampled_from(["call", "activity", "visit"]),
)
@settings(max_examples=200, deadline=None)
def test_property_never_allowed_outside_window_and_deferral_is_earliest(j, at, channel):
    tz = ORACLE[j][0]
    extra = ("America/Los_Angeles",) if j == "US" else ()
    p = proposed(at, channel=channel, tz=tz, jurisdiction=j, extra_tzs=extra)
    dec = evaluate(p, WINDOW_RULES[j], [], HOLIDAYS[j])
    assert dec.outcome in ("allow", "defer")
    if dec.outcome == "allow":
        assert oracle_allows(j, at, extra)
        return
    assert not oracle_allows(j, at, extra)
    assert dec.not_before > at and oracle_allows(j, dec.not_before, extra)
    assert evaluate(proposed(dec.not_before, channel=channel, tz=tz, jurisdiction=j, extra_tzs=extra),
                    WINDOW_RULES[j], [], HOLIDAYS[j]).outcome == "allow"  # fmt: skip
    # Brute force: no quarter-hour before not_before is allowed.
    step = at
    while step < dec.not_before:
        assert not oracle_allows(j, step, extra), (j, at, step, dec.not_before)
        step += timedelta(minutes=15)
    assert step == dec.not_before  # windows open on quarter hours


CL_RULES = load_rules(["CL"])
US_RULES = load_rules(["US"])
US_TAGS = frozenset({"mini_miranda", "debt_collector_disclosure", "opt_out"})


def _run_sequence(rules, steps, make, tag_of=None):
    ledger = []
    for when, channel in steps:
        p = make(when, channel)
        dec = evaluate(p, rules, ledger, HOLIDAYS.get(p.jurisdiction, ()))
        if dec.outcome == "block":
            continue
        at = when if dec.outcome == "allow" else dec.not_before
        if dec.outcome == "defer":
            assert at > when
            again = evaluate(
                make(at, channel), rules, ledger, HOLIDAYS.get(p.jurisdiction, ())
            )
            assert again.outcome == "allow", again
        tags = tag_of(at, ledger) if tag_of else frozenset()
        ledger.append(Contact(at, channel, tags=tags))
    return sorted(ledger, key=lambda c: c.at)


steps_strategy = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=60 * 24 * 30).map(
            lambda m: datetime(2026, 2, 2, tzinfo=UTC) + timedelta(minutes=m)
        ),
        st.sampled_from(["letter", "sms", "email", "call"]),
    ),
    min_size=1,
    max_size=12,
)


@given(steps_strategy)
@settings(max_examples=120, deadline=None)
def test_property_chile_caps_hold_over_any_sequence(steps):
    def make(at, channel):
        return proposed(
            at,
            channel=channel,
            tz="America/Santiago",
            jurisdiction="CL",
            actor_type="agency",
        )

    ledger = _run_sequence(CL_RULES, steps, make)
    written = [c.at for c in ledger if c.channel != "call"]
    calls = [c.at for c in ledger if c.channel == "call"]
    week = timedelta(days=7)
    for i, a in enumerate(written):
        assert (
            sum(1 for b in written if a <= b < a + week) <= 2
        ), "CL-FREQ-OTHER: max 2 per 7 days"
        assert all(
            abs(a - b) >= timedelta(hours=48) for b in written[i + 1 :]
        ), "CL-FREQ-OTHER: 48 h apart"
    for i, a in enumerate(calls):
        assert all(
            abs(a - b) >= week for b in calls[i + 1 :]
        ), "CL-FREQ-VOICE: 1 per 7 days"
        assert oracle_allows("CL", a), "CL-HOURS"


@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=60 * 24 * 20), st.booleans()),
        min_size=1,
        max_size=14,
    )
)
@settings(max_examples=120, deadline=None)
def test_property_us_call_caps_hold_over_any_sequence(raw):
    raw = sorted(raw)

    def make(at, channel):
        return proposed(
            at,
            channel=channel,
            tz="America/Chicago",
            jurisdiction="US",
            actor_type="agency",
            content_tags=US_TAGS,
        )

    steps = []
    for minutes, _talk in raw:
        when = datetime(2026, 3, 2, tzinfo=UTC) + timedelta(minutes=minutes)
        steps.append((when, "call"))

    flags = iter(talk for _, talk in raw)

    def tag_of(at, ledger):
        # A call becomes a conversation only if nothing is scheduled after it
        # (a real caller re-evaluates scheduled calls after a conversation).
        talk = next(flags)
        latest = max((c.at for c in ledger), default=at)
        return frozenset({"conversation"}) if talk and at >= latest else frozenset()

    ledger = _run_sequence(US_RULES, steps, make, tag_of)
    week = timedelta(days=7)
    times = [c.at for c in ledger]
    for a in times:
        assert (
            sum(1 for b in times if a <= b < a + week) <= 7
        ), "US-FREQ: max 7 calls in 7 days"
        loc = a.astimezone(ZoneInfo("America/Chicago"))
        assert time(8) <= loc.time() < time(21), "US-HOURS"
    for c in ledger:
        if "conversation" in c.tags:
            assert not any(
                c.at < b < c.at + week for b in times
            ), "US-FREQ: no call within 7 days after a conversation"
