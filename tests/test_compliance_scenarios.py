"""Scenario tests per jurisdiction with the shipped rule packs.

Every test names the reference rule id it exercises. All packs are passed to
``evaluate`` at once, as the Odoo side will do; the engine selects by
jurisdiction, channel, debtor type and actor type.
"""

import re
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from cobranza_core.compliance import Contact, ProposedContact, evaluate, lint_template
from cobranza_core.holidays import holidays_for
from cobranza_core.interest import collection_fee_cap
from cobranza_core.rule_packs import NOT_ENCODED, load_rules, rule_packs

RULES = load_rules()
UTC = timezone.utc
TZ = {
    "MX": "America/Mexico_City",
    "CO": "America/Bogota",
    "PE": "America/Lima",
    "CL": "America/Santiago",
    "AR": "America/Argentina/Buenos_Aires",
    "AR-C": "America/Argentina/Buenos_Aires",
    "ES": "Europe/Madrid",
    "EU": "Europe/Brussels",
    "US": "America/New_York",
    "US-MA": "America/New_York",
}
HOL = {j: holidays_for(j.split("-")[0]) for j in TZ}


MX_ID_TAGS = {
    "collector_identity", "collector_contact", "creditor_identity", "contract_reference", "amount_due",
    "payment_terms",
}  # fmt: skip


def loc(j, *args):
    return datetime(*args, tzinfo=ZoneInfo(TZ[j]))


def make(j, at, channel="call", debtor_type="consumer", actor_type="agency", **kw):
    if j.startswith("CO"):
        kw.setdefault(
            "authorized_channels",
            {"call", "email", "sms", "letter", "whatsapp", "activity"},
        )
    if j.startswith("MX"):
        kw.setdefault("recipient_tags", {"debtor_supplied"})
        kw.setdefault("content_tags", MX_ID_TAGS | kw.pop("extra_tags", set()))
    if j.startswith("US"):
        kw.setdefault(
            "content_tags", {"mini_miranda", "debt_collector_disclosure", "opt_out"}
        )
    return ProposedContact(at, channel, debtor_type, actor_type, TZ[j], j, **kw)


def run(p, ledger=(), overrides=()):
    return evaluate(p, RULES, list(ledger), HOL[p.jurisdiction], overrides=overrides)


def ids(decision_or_reasons):
    reasons = getattr(decision_or_reasons, "reasons", decision_or_reasons)
    return {r.rule_id for r in reasons}


def in_tz(j, dt):
    return dt.astimezone(ZoneInfo(TZ[j]))


# --------------------------------------------------------------------------
# Reference coverage
# --------------------------------------------------------------------------

SHIPPED = {
    "MX": {"MX-HOURS", "MX-ID", "MX-THIRD", "MX-THREAT", "MX-LEGALLOOK", "MX-PUBLIC", "MX-PAYMENT", "MX-CRIME", "MX-INT"},
    "CO": {
        "CO-CHANNEL", "CO-HOURS", "CO-FREQ", "CO-THIRD", "CO-REASON", "CO-MKT", "CO-HD-NOTICE", "CO-HD-PERM",
        "CO-SFC-FEES", "CO-INT", "CO-B2B-TERM",
    },
    "PE": {"PE-HOURS", "PE-LEGALLOOK", "PE-PUBLIC", "PE-GENERAL", "PE-MKT"},
    "CL": {
        "CL-FREQ-VOICE", "CL-FREQ-OTHER", "CL-HOURS", "CL-LEGALLOOK", "CL-THIRD", "CL-STOP", "CL-FIRST",
        "CL-FEES", "CL-B2B-TERM",
    },
    "AR": {"AR-DIGNITY", "AR-THIRD", "AR-CABA", "AR-DATA", "AR-FEES"},
    "ES": {"ES-B2B-INT", "ES-B2B-40", "ES-B2B-TERM", "ES-SIC", "ES-HONOR", "ES-B2C-INT"},
    "EU": {"EU-LPD-INT", "EU-LPD-40", "EU-LPD-TERM", "EU-UCPD", "EU-GDPR", "EU-CSD"},
    "US": {
        "US-HOURS", "US-FREQ", "US-MIRANDA", "US-VALIDATION", "US-OPTOUT", "US-THIRD", "US-ENVELOPE", "US-FALSE",
        "US-CEASE", "US-TIMEBAR", "US-CREDIT", "US-RECORDS", "US-STATE",
    },
}  # fmt: skip
NOT_SHIPPED = {"MX-REDECO"}


def test_every_reference_rule_id_is_shipped_or_explained():
    for j, expected in SHIPPED.items():
        assert {d["rule_id"] for d in rule_packs([j])} == expected, j
    assert any(k.startswith("MX-REDECO") for k in NOT_ENCODED)
    keys = [(d["rule_id"], d["kind"]) for d in rule_packs()]
    assert len(keys) == len(set(keys)), "(rule_id, kind) must be unique"


def test_high_confidence_rules_are_block_and_medium_are_warn():
    for d in rule_packs():
        conf = d["confidence"]
        if conf == "H":
            assert d["severity"] == "block", d["rule_id"]
        if conf == "M":
            assert d["severity"] == "warn", d["rule_id"]
        assert d["citation"], d["rule_id"]


REFERENCE = (
    Path(__file__).resolve().parents[2] / "shared" / "reference" / "compliance_rules.md"
)


@pytest.mark.skipif(not REFERENCE.exists(), reason="shared reference not present")
def test_rule_ids_match_the_reference_document():
    text = REFERENCE.read_text(encoding="utf-8")
    ref_ids = set(re.findall(r"^\| ([A-Z]{2}-[A-Z0-9-]+) \|", text, flags=re.M))
    shipped = {d["rule_id"] for d in rule_packs()}
    assert shipped <= ref_ids
    assert ref_ids - shipped == NOT_SHIPPED


# --------------------------------------------------------------------------
# Colombia
# --------------------------------------------------------------------------


def test_CO_HOURS_sunday_deferred_to_monday_0700_local():
    d = run(make("CO", loc("CO", 2026, 3, 8, 10, 0)))  # Sunday
    assert d.outcome == "defer", "CO-HOURS"
    assert d.not_before == loc("CO", 2026, 3, 9, 7, 0), "CO-HOURS: Monday 07:00 Bogotá"
    assert ids(d) == {"CO-HOURS"}
    assert "Ley 2300" in d.reasons[0].citation


def test_CO_HOURS_holiday_deferral_san_jose_monday():
    d = run(
        make("CO", loc("CO", 2026, 3, 23, 10, 0), channel="email")
    )  # Monday, San José (moved)
    assert d.outcome == "defer" and d.not_before == loc(
        "CO", 2026, 3, 24, 7, 0
    ), "CO-HOURS holiday"
    d = run(
        make("CO", loc("CO", 2026, 3, 21, 15, 0))
    )  # Saturday 15:00: window just closed
    assert d.not_before == loc(
        "CO", 2026, 3, 24, 7, 0
    ), "CO-HOURS: Sat 15:00 -> Sun, holiday Mon -> Tue"
    assert (
        run(make("CO", loc("CO", 2026, 3, 21, 14, 59))).outcome == "allow"
    ), "CO-HOURS Saturday window"


def test_CO_HOURS_separate_consent_and_business_debtor():
    sunday = loc("CO", 2026, 3, 8, 10, 0)
    assert (
        run(make("CO", sunday, consents={"co_extended_hours"})).outcome == "allow"
    ), "CO-HOURS consent"
    assert (
        run(make("CO", sunday, debtor_type="business")).outcome == "allow"
    ), "CO-HOURS is B2C only"


def test_CO_FREQ_no_second_contact_same_day_after_effective_contact():
    ledger = [Contact(loc("CO", 2026, 3, 10, 9, 0), "call", tags={"effective_contact"})]
    d = run(make("CO", loc("CO", 2026, 3, 10, 16, 0)), ledger)
    assert d.outcome == "defer" and d.reasons[0].rule_id == "CO-FREQ"
    assert ids(d) == {"CO-FREQ", "CO-HOURS"}  # freed at midnight, then the window opens
    assert d.not_before == loc(
        "CO", 2026, 3, 11, 7, 0
    ), "CO-FREQ: next day at the CO-HOURS opening"
    unanswered = [Contact(loc("CO", 2026, 3, 10, 9, 0), "call")]
    assert (
        run(make("CO", loc("CO", 2026, 3, 10, 16, 0)), unanswered).outcome == "allow"
    ), "CO-FREQ counts effective"


def test_CO_FREQ_no_channel_switch_in_the_same_week():
    ledger = [Contact(loc("CO", 2026, 3, 10, 9, 0), "call", tags={"effective_contact"})]
    d = run(
        make("CO", loc("CO", 2026, 3, 12, 10, 0), channel="email"), ledger
    )  # Thursday, other channel
    assert d.outcome == "defer" and d.not_before == loc(
        "CO", 2026, 3, 16, 7, 0
    ), "CO-FREQ: next ISO week"
    assert (
        run(make("CO", loc("CO", 2026, 3, 12, 10, 0)), ledger).outcome == "allow"
    ), "CO-FREQ same channel"


def test_CO_CHANNEL_only_authorised_channels():
    at = loc("CO", 2026, 3, 10, 10, 0)
    d = run(make("CO", at, channel="whatsapp", authorized_channels={"email"}))
    assert d.outcome == "block" and "CO-CHANNEL" in ids(d)
    d = run(make("CO", at, authorized_channels=None))
    assert d.outcome == "block" and "CO-CHANNEL" in ids(
        d
    ), "CO-CHANNEL: unknown authorisation blocks"


def test_CO_THIRD_visits_and_references_warn_overridable():
    at = loc("CO", 2026, 3, 10, 10, 0)
    visit = make("CO", at, channel="visit", authorized_channels={"visit"})
    d = run(visit)
    assert d.outcome == "block" and ids(d) == {"CO-THIRD"}
    d = run(visit, overrides={"CO-THIRD"})
    assert d.outcome == "allow" and ids(d) == {
        "CO-THIRD"
    }, "CO-THIRD override is logged"
    assert run(make("CO", at, recipient_role="reference")).outcome == "block"


def test_CO_REASON_do_not_ask_why_the_debtor_did_not_pay():
    p = make(
        "CO",
        loc("CO", 2026, 3, 10, 10),
        channel="email",
        text="Hola. ¿Por qué no ha pagado su cuota?",
    )
    d = run(p)
    assert d.outcome == "block" and ids(d) == {"CO-REASON"}


def test_CO_MKT_marketing_messages_have_the_same_hours():
    d = run(make("CO", loc("CO", 2026, 3, 8, 10), channel="sms", kind="marketing"))
    assert d.outcome == "defer" and ids(d) == {"CO-MKT"}


def test_CO_HD_NOTICE_bureau_report_19_days_after_notice_refused():
    events = {"first_notice_sent": date(2026, 2, 20), "notice_sent": date(2026, 3, 2)}

    def report(day):
        return make(
            "CO",
            loc("CO", 2026, 3, day, 10),
            channel="activity",
            kind="bureau_report",
            events=events,
        )

    d = run(report(21))  # 19 days after the notice
    assert d.outcome != "allow" and ids(d) == {
        "CO-HD-NOTICE"
    }, "CO-HD-NOTICE: 19 days is too early"
    assert d.outcome == "defer" and d.not_before == loc("CO", 2026, 3, 23, 0, 0)
    assert run(report(22)).outcome == "defer", "CO-HD-NOTICE: 20 days not yet complete"
    assert run(report(23)).outcome == "allow", "CO-HD-NOTICE: 20 full days elapsed"


def test_CO_HD_NOTICE_missing_notice_or_second_notice_blocks():
    at = loc("CO", 2026, 4, 30, 10)
    d = run(make("CO", at, kind="bureau_report"))
    assert d.outcome == "block" and ids(d) == {"CO-HD-NOTICE"}
    one_notice = {"notice_sent": date(2026, 3, 2)}
    d = run(
        make("CO", at, kind="bureau_report", events=one_notice, amount_cents=1_000_000)
    )
    assert d.outcome == "block", "CO-HD-NOTICE: small/unknown balance needs two notices"
    big = make("CO", loc("CO", 2025, 4, 30, 10), kind="bureau_report", events={"notice_sent": date(2025, 3, 2)},
               amount_cents=50_000_000)  # fmt: skip
    assert (
        run(big).outcome == "allow"
    ), "CO-HD-NOTICE: balance above 15 % SMMLV 2025 needs one notice"
    legal_person = make("CO", at, kind="bureau_report", debtor_person="legal")
    assert (
        run(legal_person).outcome == "allow"
    ), "CO-HD-NOTICE applies to natural persons"


def test_CO_SFC_FEES_fees_need_documented_work():
    at = loc("CO", 2026, 3, 10, 10)
    d = run(
        make("CO", at, channel="email", fee_cents=50_000, creditor_sector="financial")
    )
    assert d.outcome == "block" and ids(d) == {"CO-SFC-FEES"}
    ok = make(
        "CO",
        at,
        channel="email",
        fee_cents=50_000,
        creditor_sector="financial",
        fee_documented=True,
    )
    assert run(ok).outcome == "allow"
    housing = make(
        "CO",
        at,
        channel="email",
        fee_cents=1,
        fee_documented=True,
        debt_tags={"housing_loan"},
    )
    assert run(housing).outcome == "block"
    assert (
        run(
            make("CO", at, channel="email", fee_cents=50_000, creditor_sector="retail")
        ).outcome
        == "allow"
    )


# --------------------------------------------------------------------------
# Chile
# --------------------------------------------------------------------------


def test_CL_FREQ_OTHER_third_letter_in_5_days_deferred():
    ledger = [
        Contact(loc("CL", 2026, 3, 2, 10), "letter"),
        Contact(loc("CL", 2026, 3, 4, 10), "letter"),
    ]
    d = run(make("CL", loc("CL", 2026, 3, 6, 10), channel="letter"), ledger)
    assert d.outcome == "defer" and ids(d) == {"CL-FREQ-OTHER"}
    assert d.not_before == loc(
        "CL", 2026, 3, 9, 10
    ), "CL-FREQ-OTHER: 7 days after the first letter"


def test_CL_FREQ_OTHER_two_days_apart_across_channels():
    ledger = [Contact(loc("CL", 2026, 3, 2, 18), "email")]
    d = run(make("CL", loc("CL", 2026, 3, 4, 9), channel="sms"), ledger)
    assert d.outcome == "defer" and d.not_before == loc(
        "CL", 2026, 3, 4, 18
    ), "CL-FREQ-OTHER: 48 h"


def test_CL_FREQ_VOICE_one_call_per_week_then_hours():
    ledger = [Contact(loc("CL", 2026, 3, 3, 19, 30), "call")]  # Tuesday 19:30
    d = run(make("CL", loc("CL", 2026, 3, 5, 10)), ledger)
    assert d.outcome == "defer" and "CL-FREQ-VOICE" in ids(d)
    assert d.not_before == loc("CL", 2026, 3, 10, 19, 30)
    visit = run(make("CL", loc("CL", 2026, 3, 5, 10), channel="visit"), ledger)
    assert visit.not_before == loc(
        "CL", 2026, 3, 10, 19, 30
    ), "CL-FREQ-VOICE counts calls and visits together"


def test_CL_HOURS_holiday_is_warn_and_overridable():
    at = loc("CL", 2026, 5, 21, 10)  # Glorias Navales (Thursday)
    d = run(make("CL", at))
    assert d.outcome == "defer" and d.not_before == loc(
        "CL", 2026, 5, 22, 8
    ), "CL-HOURS holiday"
    assert ids(d) == {"CL-HOURS"} and d.reasons[0].severity == "warn"
    d = run(make("CL", at), overrides={"CL-HOURS"})
    assert d.outcome == "allow" and ids(d) == {"CL-HOURS"}
    assert (
        run(make("CL", loc("CL", 2026, 3, 8, 10))).outcome == "defer"
    ), "CL-HOURS: no Sundays"
    assert (
        run(make("CL", loc("CL", 2026, 3, 7, 10))).outcome == "allow"
    ), "CL-HOURS: Saturday is a working day"


def test_CL_STOP_lawsuit_served_blocks_out_of_court_collection():
    d = run(
        make(
            "CL",
            loc("CL", 2026, 3, 10, 10),
            channel="email",
            events={"lawsuit_served": date(2026, 3, 1)},
        )
    )
    assert d.outcome == "block" and ids(d) == {"CL-STOP"}


def test_CL_FEES_tranche_cap_and_20_days():
    base = dict(channel="email", amount_cents=2_000_000, unit_values={"UF": 39_000})
    cap = collection_fee_cap("CL", 2_000_000, days_overdue=30, uf_value=39_000)
    at = loc("CL", 2026, 3, 10, 10)
    assert (
        run(make("CL", at, fee_cents=cap, days_overdue=30, **base)).outcome == "allow"
    ), "CL-FEES at the cap"
    d = run(make("CL", at, fee_cents=cap + 1, days_overdue=30, **base))
    assert d.outcome == "block" and ids(d) == {"CL-FEES"}
    assert (
        run(make("CL", at, fee_cents=100, days_overdue=19, **base)).outcome == "block"
    ), "CL-FEES: 20 days"


def test_CL_LEGALLOOK_and_THIRD():
    at = loc("CL", 2026, 3, 10, 10)
    d = run(make("CL", at, channel="letter", subject="NOTIFICACIÓN JUDICIAL"))
    assert d.outcome == "block" and ids(d) == {"CL-LEGALLOOK"}
    d = run(make("CL", at, channel="email", recipient_role="employer"))
    assert d.outcome == "block" and ids(d) == {"CL-THIRD"}


# --------------------------------------------------------------------------
# United States
# --------------------------------------------------------------------------


def test_US_FREQ_8th_call_in_7_days_blocked():
    ledger = [
        Contact(loc("US", 2026, 4, 6 + i, 10), "call") for i in range(7)
    ]  # Mon..Sun 10:00
    d = run(make("US", loc("US", 2026, 4, 12, 15)), ledger)
    assert (
        d.outcome == "block"
    ), "US-FREQ: an 8th call in 7 days is presumed harassment: refused"
    assert ids(d) == {"US-FREQ"}
    assert d.not_before is None
    assert "refused, not deferred" in d.reasons[0].message
    # Once the first call has left the 7-day window, a call is allowed again.
    assert run(make("US", loc("US", 2026, 4, 13, 11)), ledger).outcome == "allow"
    assert (
        run(make("US", loc("US", 2026, 4, 12, 15), channel="email"), ledger).outcome
        == "allow"
    )


def test_US_FREQ_no_call_within_7_days_after_a_conversation():
    ledger = [Contact(loc("US", 2026, 4, 6, 10), "call", tags={"conversation"})]
    d = run(make("US", loc("US", 2026, 4, 8, 10)), ledger)
    assert d.outcome == "block" and ids(d) == {"US-FREQ"}, "US-FREQ conversation"
    assert run(make("US", loc("US", 2026, 4, 13, 11)), ledger).outcome == "allow"


def test_US_HOURS_all_plausible_time_zones():
    p = make("US", loc("US", 2026, 4, 7, 8, 30), extra_tzs=("America/Los_Angeles",))
    d = run(p)
    assert d.outcome == "defer" and ids(d) == {"US-HOURS"}
    assert in_tz("US", d.not_before) == loc("US", 2026, 4, 7, 11, 0)
    assert run(make("US", loc("US", 2026, 4, 7, 8, 30))).outcome == "allow"
    assert (
        run(make("US", loc("US", 2026, 7, 3, 10))).outcome == "allow"
    ), "US-HOURS: holidays not excluded"


def test_US_scope_original_creditor_and_business_debts_are_outside():
    at = loc("US", 2026, 4, 7, 23)
    assert (
        run(make("US", at, actor_type="creditor", content_tags=set())).outcome
        == "allow"
    )
    assert (
        run(make("US", at, debtor_type="business", content_tags=set())).outcome
        == "allow"
    )
    assert (
        run(make("US", at, actor_type="buyer")).outcome == "defer"
    ), "debt buyers are debt collectors"


def test_US_MIRANDA_first_and_later_communications():
    at = loc("US", 2026, 4, 7, 10)
    d = run(make("US", at, content_tags={"debt_collector_disclosure"}))
    assert d.outcome == "block" and ids(d) == {
        "US-MIRANDA"
    }, "US-MIRANDA: full notice at first contact"
    ledger = [Contact(loc("US", 2026, 4, 1, 10), "letter")]
    assert (
        run(make("US", at, content_tags={"debt_collector_disclosure"}), ledger).outcome
        == "allow"
    )
    assert run(make("US", at, content_tags=set()), ledger).outcome == "block"


def test_US_OPTOUT_electronic_messages():
    at = loc("US", 2026, 4, 7, 10)
    d = run(make("US", at, channel="email", content_tags={"mini_miranda"}))
    assert d.outcome == "block" and ids(d) == {"US-OPTOUT"}
    assert (
        run(make("US", at, channel="letter", content_tags={"mini_miranda"})).outcome
        == "allow"
    )


def test_US_CEASE_and_dispute_pause():
    at = loc("US", 2026, 4, 7, 10)
    d = run(make("US", at, events={"cease_request_written": date(2026, 4, 1)}))
    assert d.outcome == "block" and ids(d) == {"US-CEASE"}
    ack = make(
        "US", at, channel="letter", events={"cease_request_written": date(2026, 4, 1)},
        content_tags={"debt_collector_disclosure", "mini_miranda", "cease_acknowledgement"},
    )  # fmt: skip
    assert run(ack).outcome == "allow", "US-CEASE: termination notice is allowed"
    assert (
        run(make("US", at, events={"dispute_written": date(2026, 4, 1)})).outcome
        == "block"
    )
    resumed = {
        "dispute_written": date(2026, 4, 1),
        "verification_sent": date(2026, 4, 3),
    }
    assert (
        run(make("US", at, events=resumed)).outcome == "allow"
    ), "US-CEASE: resumes after verification"


def test_US_CREDIT_waiting_period_before_furnishing():
    def report(day, **events):
        return make(
            "US", loc("US", 2026, 4, day, 10), kind="bureau_report", events=events
        )

    d = run(report(10, notice_sent=date(2026, 4, 1)))
    assert d.outcome == "defer" and ids(d) == {"US-CREDIT"}
    assert d.not_before == loc(
        "US", 2026, 4, 16, 0
    ), "US-CREDIT: 14 full days after mailing"
    assert run(report(10, spoke_to_consumer=date(2026, 4, 9))).outcome == "allow"
    d = run(
        report(20, notice_sent=date(2026, 4, 1), notice_undeliverable=date(2026, 4, 5))
    )
    assert d.outcome == "block", "US-CREDIT: undeliverable notice"
    assert run(report(20)).outcome == "block"


def test_US_TIMEBAR_no_lawsuit_threats_or_suits_on_time_barred_debt():
    tags = {"mini_miranda", "lawsuit_threat"}
    at = loc("US", 2026, 4, 7, 10)
    d = run(
        make("US", at, channel="letter", content_tags=tags, debt_tags={"time_barred"})
    )
    assert d.outcome == "block" and ids(d) == {"US-TIMEBAR"}
    assert run(make("US", at, channel="letter", content_tags=tags)).outcome == "allow"
    d = run(
        make("US", at, channel="activity", kind="lawsuit", debt_tags={"time_barred"})
    )
    assert d.outcome == "block" and ids(d) == {"US-TIMEBAR"}


def test_US_THIRD_and_US_FALSE():
    at = loc("US", 2026, 4, 7, 10)
    d = run(make("US", at, channel="email", recipient_tags={"employer_email"}))
    assert d.outcome == "block" and ids(d) == {"US-THIRD"}
    d = run(make("US", at, channel="letter", text="Pay now or face arrest."))
    assert d.outcome == "block" and ids(d) == {"US-FALSE"}


def test_US_STATE_massachusetts_two_calls_per_week_covers_creditors():
    ledger = [
        Contact(loc("US-MA", 2026, 4, 6, 10), "call"),
        Contact(loc("US-MA", 2026, 4, 8, 10), "call"),
    ]
    p = make("US-MA", loc("US-MA", 2026, 4, 9, 10), actor_type="creditor")
    d = run(p, ledger)
    assert (
        d.outcome == "defer"
        and ids(d) == {"US-STATE"}
        and d.not_before == loc("US-MA", 2026, 4, 13, 10)
    )
    assert run(p, ledger, overrides={"US-STATE"}).outcome == "allow"
    assert (
        run(make("US", loc("US", 2026, 4, 9, 10)), ledger).outcome == "allow"
    ), "US-STATE only in MA"


# --------------------------------------------------------------------------
# Mexico, Peru, Argentina, Spain, EU
# --------------------------------------------------------------------------


def test_MX_HOURS_07_to_22_every_day():
    d = run(make("MX", loc("MX", 2026, 3, 10, 22, 30)))
    assert d.outcome == "defer" and d.not_before == loc(
        "MX", 2026, 3, 11, 7
    ), "MX-HOURS"
    assert (
        run(make("MX", loc("MX", 2026, 3, 8, 10))).outcome == "allow"
    ), "MX-HOURS: Sundays allowed (L not encoded)"
    assert (
        run(make("MX", loc("MX", 2026, 3, 10, 23), creditor_sector="retail")).outcome
        == "allow"
    )


def test_MX_THREAT_and_MX_CRIME_threat_phrase():
    at = loc("MX", 2026, 3, 10, 10)
    d = run(make("MX", at, channel="email", text="Si no paga hoy irá a la CÁRCEL."))
    assert d.outcome == "block" and ids(d) == {"MX-THREAT", "MX-CRIME"}
    d = run(
        make(
            "MX",
            at,
            channel="email",
            text="Si no paga hoy irá a la cárcel.",
            creditor_sector="retail",
        )
    )
    assert ids(d) == {"MX-CRIME"}, "MX-CRIME applies beyond financial entities"


def test_MX_THIRD_recipients():
    at = loc("MX", 2026, 3, 10, 10)
    assert run(make("MX", at, recipient_role="reference")).outcome == "block"
    minor = make(
        "MX",
        at,
        recipient_role="guarantor",
        recipient_tags={"debtor_supplied", "minor"},
    )
    assert ids(run(minor)) == {"MX-THIRD"}
    d = run(make("MX", at, recipient_tags=set()))
    assert ids(d) == {"MX-THIRD"}, "MX-THIRD: only contact data supplied by the debtor"


def test_MX_PAYMENT_agency_may_not_take_payment():
    at = loc("MX", 2026, 3, 10, 10)
    tags = {"agency_payment_account"}
    assert ids(run(make("MX", at, channel="email", extra_tags=tags))) == {"MX-PAYMENT"}
    assert (
        run(
            make("MX", at, channel="email", extra_tags=tags, actor_type="creditor")
        ).outcome
        == "allow"
    )


def test_PE_HOURS_weekends_and_fiestas_patrias():
    d = run(make("PE", loc("PE", 2026, 3, 7, 10)))  # Saturday
    assert d.outcome == "defer" and d.not_before == loc("PE", 2026, 3, 9, 7), "PE-HOURS"
    d = run(
        make("PE", loc("PE", 2026, 7, 28, 10), channel="sms")
    )  # Tue 28 and Wed 29 are holidays
    assert d.not_before == loc("PE", 2026, 7, 30, 7), "PE-HOURS holiday, SMS included"
    assert (
        run(make("PE", loc("PE", 2026, 7, 28, 10), channel="email")).outcome == "allow"
    )


def test_PE_MKT_and_PE_LEGALLOOK():
    at = loc("PE", 2026, 3, 10, 10)
    d = run(make("PE", at, channel="sms", kind="marketing"))
    assert d.outcome == "block" and ids(d) == {"PE-MKT"}
    assert (
        run(
            make("PE", at, channel="sms", kind="marketing", consents={"marketing"})
        ).outcome
        == "allow"
    )
    d = run(make("PE", at, channel="letter", envelope_text="Cédula de Notificación"))
    assert ids(d) == {"PE-LEGALLOOK"}


def test_AR_DIGNITY_AR_THIRD_and_AR_CABA():
    at = loc("AR", 2026, 3, 10, 10)
    assert ids(run(make("AR", at, channel="email", content_tags={"shaming"}))) == {
        "AR-DIGNITY"
    }
    assert ids(run(make("AR", at, channel="call", recipient_role="employer"))) == {
        "AR-THIRD"
    }
    assert run(make("AR", at)).outcome == "allow", "AR-CABA only for AR-C"
    d = run(make("AR-C", at))
    assert d.outcome == "block" and ids(d) == {
        "AR-CABA"
    }, "AR-CABA: referral notice first"
    ok = make("AR-C", at, events={"agency_referral_notified": date(2026, 3, 1)})
    assert run(ok).outcome == "allow"


def test_AR_DATA_five_year_reporting_limit():
    report = make(
        "AR",
        loc("AR", 2026, 3, 10, 10),
        kind="bureau_report",
        events={"due_date": date(2021, 3, 9)},
    )
    assert ids(run(report)) == {"AR-DATA"}
    ok = make(
        "AR",
        loc("AR", 2026, 3, 10, 10),
        kind="bureau_report",
        events={"due_date": date(2021, 3, 10)},
    )
    assert run(ok).outcome == "allow"


def test_ES_no_hours_but_EU_and_ES_rules_apply():
    at = loc("ES", 2026, 3, 8, 23, 30)  # Sunday night
    assert (
        run(make("ES", at, channel="email")).outcome == "allow"
    ), "no collection hours in Spain"
    d = run(make("ES", at, channel="email", recipient_role="employer"))
    assert ids(d) == {"EU-GDPR", "ES-HONOR"}, "EU-GDPR applies to member states"
    d = run(
        make(
            "ES", at, channel="email", recipient_role="employer", debtor_person="legal"
        ),
        overrides={"ES-HONOR"},
    )
    assert d.outcome == "allow", "EU-GDPR protects natural persons only"
    assert ids(
        run(make("ES", at, channel="email", content_tags={"unlawful_threat"}))
    ) == {"EU-UCPD"}


def test_ES_SIC_debtor_file_conditions():
    events = {"bureau_warning_sent": date(2026, 1, 10), "due_date": date(2026, 1, 1)}
    at = loc("ES", 2026, 3, 10, 10)
    ok = make("ES", at, kind="bureau_report", events=events, amount_cents=10_000)
    assert run(ok).outcome == "allow"
    for bad in (
        make("ES", at, kind="bureau_report", events=events, amount_cents=4_999),
        make(
            "ES",
            at,
            kind="bureau_report",
            events=events,
            amount_cents=10_000,
            debt_tags={"disputed"},
        ),
        make(
            "ES",
            at,
            kind="bureau_report",
            events={"due_date": date(2026, 1, 1)},
            amount_cents=10_000,
        ),
    ):
        d = run(bad)
        assert d.outcome == "block" and ids(d) == {"ES-SIC"}


# --------------------------------------------------------------------------
# Template lint
# --------------------------------------------------------------------------


def test_lint_missing_mandatory_disclosures_US_MIRANDA_US_OPTOUT():
    reasons = lint_template(
        channel="email", tags={"amount_due"}, subject="Your account", body_text="Please pay.", rules=RULES,
        jurisdiction="US", debtor_type="consumer", actor_type="agency",
    )  # fmt: skip
    assert ids(reasons) == {"US-MIRANDA", "US-OPTOUT"}
    clean = lint_template(
        channel="email", tags={"mini_miranda", "opt_out"}, subject="Your account", body_text="Please pay.",
        rules=RULES, jurisdiction="US", debtor_type="consumer", actor_type="agency", first_contact=True,
    )  # fmt: skip
    assert clean == []


def test_lint_missing_first_contact_identification_MX_ID():
    reasons = lint_template(
        channel="letter", tags={"amount_due"}, body_text="Estimado cliente", rules=RULES, jurisdiction="MX",
        first_contact=True,
    )  # fmt: skip
    assert ids(reasons) == {"MX-ID"} and reasons[0].severity == "warn"
    assert "collector_identity" in reasons[0].message


def test_lint_forbidden_threat_phrase_MX_THREAT():
    reasons = lint_template(
        channel="sms",
        tags=set(),
        body_text="Pague hoy o ira a la Carcel",
        rules=RULES,
        jurisdiction="MX",
    )
    assert ids(reasons) == {"MX-THREAT", "MX-CRIME"}
    assert all("carcel" in r.message for r in reasons)


def test_lint_collection_wording_on_envelope_US_ENVELOPE():
    reasons = lint_template(
        channel="letter", tags={"mini_miranda"}, envelope_text="ACME Debt Collections, PO Box 1, Springfield",
        rules=RULES, jurisdiction="US",
    )  # fmt: skip
    assert ids(reasons) == {"US-ENVELOPE"}
    assert lint_template(
        channel="letter", tags={"mini_miranda"}, envelope_text="ACME Services, PO Box 1, Springfield",
        rules=RULES, jurisdiction="US",
    ) == []  # fmt: skip


def test_lint_sms_longer_than_160():
    reasons = lint_template(channel="sms", tags={"opt_out", "mini_miranda"}, body_text="A" * 161, rules=RULES,
                            jurisdiction="US")  # fmt: skip
    assert ids(reasons) == {"SMS-LENGTH"} and reasons[0].severity == "block"
    ok = lint_template(channel="sms", tags={"opt_out", "mini_miranda"}, body_text="A" * 160, rules=RULES,
                       jurisdiction="US")  # fmt: skip
    assert ok == []


def test_lint_legal_lookalike_subject_CL_LEGALLOOK_and_CO_REASON():
    reasons = lint_template(
        channel="email", tags=set(), subject="Citatorio", rules=RULES, jurisdiction="CL"
    )
    assert ids(reasons) == {"CL-LEGALLOOK"}
    reasons = lint_template(
        channel="email",
        tags=set(),
        body_text="Cuéntenos el motivo del no pago",
        rules=RULES,
        jurisdiction="CO",
    )
    assert ids(reasons) == {"CO-REASON"}


def test_deferred_not_before_is_itself_allowed_for_every_jurisdiction():
    at = datetime(2026, 3, 8, 4, 0, tzinfo=UTC)  # Sunday night across the Americas
    for j in ("MX", "CO", "PE", "CL", "US", "ES", "AR"):
        d = run(make(j, at))
        if d.outcome == "defer":
            assert run(make(j, d.not_before)).outcome == "allow", j
        assert d.outcome in ("allow", "defer"), (j, d)
