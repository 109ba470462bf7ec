"""Legal parameters as dated data, and the engine's use of them (issue 12).

A missing year must never silently change a decision: the engine uses the
value in force on the decision date, else the last known value flagged
"parameter out of date", else it refuses to decide and says why.
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from cobranza_core import legal_params
from cobranza_core.compliance import ProposedContact, evaluate
from cobranza_core.legal_params import PUBLISHED, LegalValue, lookup, out_of_date
from cobranza_core.rule_packs import load_rules
from hypothesis import given
from hypothesis import strategies as st

RULES = load_rules(["CO"])
BOGOTA = ZoneInfo("America/Bogota")
SMMLV_2025 = LegalValue(
    "CO", "minimum_wage", date(2025, 1, 1), Decimal(1423500), date(2025, 12, 31)
)
SMMLV_2026 = LegalValue(
    "CO", "minimum_wage", date(2026, 1, 1), Decimal(2000000), date(2026, 12, 31)
)


def report(at, amount_cop, events, legal_values=(SMMLV_2025,)):
    return ProposedContact(
        at,
        "activity",
        "consumer",
        "creditor",
        "America/Bogota",
        "CO",
        kind="bureau_report",
        events=events,
        amount_cents=amount_cop * 100,
        legal_values=legal_values,
    )


ONE_NOTICE = {"notice_sent": date(2026, 2, 1)}
TWO_NOTICES = {"first_notice_sent": date(2026, 1, 20), "notice_sent": date(2026, 2, 1)}
MARCH_2026 = datetime(2026, 3, 10, 10, 0, tzinfo=BOGOTA)


def test_lookup_in_force_stale_missing_and_change_date():
    values = [SMMLV_2025, SMMLV_2026]
    assert lookup(values, "CO", "minimum_wage", date(2025, 12, 31)).value == 1423500
    on_change = lookup(values, "CO", "minimum_wage", date(2026, 1, 1))
    assert on_change.value == 2000000 and on_change.current
    stale = lookup([SMMLV_2025], "CO", "minimum_wage", date(2026, 1, 1))
    assert stale.stale and stale.value == 1423500 and stale.date_from.year == 2025
    assert lookup([SMMLV_2025], "PE", "uit", date(2026, 1, 1)).missing
    # Before the first known value: the earliest is used, flagged.
    early = lookup([SMMLV_2025], "CO", "minimum_wage", date(2024, 6, 1))
    assert early.stale and early.value == 1423500
    # A subdivision reads its country's values.
    assert lookup([SMMLV_2025], "co-dc", "minimum_wage", date(2025, 5, 1)).current


def test_out_of_date_lists_stale_and_missing():
    needed = {("CO", "minimum_wage"), ("PE", "uit")}
    found = out_of_date([SMMLV_2025], needed, date(2026, 2, 1))
    assert [(f.country, f.kind, f.missing) for f in found] == [
        ("CO", "minimum_wage", False),
        ("PE", "uit", True),
    ]
    assert out_of_date([SMMLV_2025], {("CO", "minimum_wage")}, date(2025, 2, 1)) == []


def test_rule_needs():
    hd = next(r for r in RULES if r.rule_id == "CO-HD-NOTICE")
    assert legal_params.needed_by_rule(hd) == {("CO", "minimum_wage")}
    cl_fees = next(r for r in load_rules(["CL"]) if r.rule_id == "CL-FEES")
    assert legal_params.needed_by_rule(cl_fees) == {("CL", "uf")}


def test_2026_with_only_2025_known_uses_last_value_and_flags_it():
    """The defect: a large debt with one proper notice could never be
    reported in 2026 because the missing year read as a small balance."""
    d = evaluate(report(MARCH_2026, 5_000_000, ONE_NOTICE), RULES, [], [])
    assert d.outcome == "allow"
    (note,) = d.notes
    assert note.code == "param_stale" and note.rule_id == "CO-HD-NOTICE"
    assert note.params == {
        "country": "CO",
        "kind": "minimum_wage",
        "on": "2026-03-10",
        "since": "2025-01-01",
    }
    assert "parameter out of date: minimum_wage CO" in note.message
    # A small balance still needs two notices, flagged the same way.
    d = evaluate(report(MARCH_2026, 100_000, ONE_NOTICE), RULES, [], [])
    assert d.outcome == "block" and d.reasons[0].code == "wait_two_notices"
    assert [n.code for n in d.notes] == ["param_stale"]


def test_decision_exactly_on_the_change_date():
    values = (SMMLV_2025, SMMLV_2026)
    events = {"notice_sent": date(2025, 11, 1)}
    # 250,000 COP: above 15 % of the 2025 wage, below 15 % of the 2026 one.
    eve = datetime(2025, 12, 31, 23, 0, tzinfo=BOGOTA)
    new_year = datetime(2026, 1, 1, 0, 0, tzinfo=BOGOTA)
    d = evaluate(report(eve, 250_000, events, values), RULES, [], [])
    assert d.outcome == "allow" and not d.notes
    d = evaluate(report(new_year, 250_000, events, values), RULES, [], [])
    assert d.outcome == "block" and not d.notes
    assert d.reasons[0].code == "wait_two_notices"


def test_no_value_at_all_refuses_to_decide_and_says_why():
    d = evaluate(report(MARCH_2026, 5_000_000, ONE_NOTICE, ()), RULES, [], [])
    assert d.outcome == "block"
    (reason,) = d.reasons
    assert reason.code == "param_missing" and reason.params["kind"] == "minimum_wage"
    # Two notices on different days satisfy the rule whatever the wage.
    d = evaluate(report(MARCH_2026, 5_000_000, TWO_NOTICES, ()), RULES, [], [])
    assert d.outcome == "allow" and not d.notes


def test_core_default_table_is_the_published_one():
    p = report(MARCH_2026, 5_000_000, ONE_NOTICE, None)
    d = evaluate(p, RULES, [], [])
    assert d.outcome == "allow" and d.notes[0].params["since"] == "2025-01-01"
    assert all(v.source for v in PUBLISHED)


def test_fee_cap_unit_from_dated_values():
    rules = load_rules(["CL"])
    uf = LegalValue("CL", "uf", date(2026, 3, 1), Decimal(39000), date(2026, 3, 31))
    at = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("America/Santiago"))

    def fee(cents, values):
        return ProposedContact(
            at,
            "email",
            "consumer",
            "creditor",
            "America/Santiago",
            "CL",
            amount_cents=390_000_00,
            fee_cents=cents,
            days_overdue=30,
            legal_values=values,
        )

    # The debt is 10 UF: the cap is 9 % of it, far above a 1 CLP fee.
    ok = evaluate(fee(100, (uf,)), rules, [], [])
    assert ok.outcome == "allow"
    d = evaluate(fee(100, ()), rules, [], [])
    assert d.outcome == "block" and d.reasons[0].code == "fee_unknown"


years = st.lists(st.integers(2015, 2035), unique=True, min_size=1, max_size=8)


@given(years, st.dates(date(2010, 1, 1), date(2040, 12, 31)))
def test_lookup_is_current_exactly_when_a_value_is_in_force(known, on):
    values = [
        LegalValue("CO", "minimum_wage", date(y, 1, 1), Decimal(y), date(y, 12, 31))
        for y in known
    ]
    found = lookup(values, "CO", "minimum_wage", on)
    assert found.current == (on.year in known)
    if found.current:
        assert found.value == on.year
    else:
        # The last known value before the date, else the first one.
        before = [y for y in known if y < on.year]
        assert found.value == (max(before) if before else min(known))
