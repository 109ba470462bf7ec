import csv
import io
from datetime import date, timedelta

import pytest
from cobranza_core import bureau
from cobranza_core.compliance import ProposedContact, evaluate
from cobranza_core.rule_packs import load_rules, rule_packs
from hypothesis import given
from hypothesis import strategies as st

DAY = date(2026, 3, 16)
RULES = load_rules()
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


def record(**values):
    return {
        "document_type": "CC",
        "document_number": "79123456",
        "name": "Camilo Restrepo",
        "person_type": "natural",
        "address": "Calle 1 # 2-3, Bogotá",
        "debt_type": "consumer",
        "reference": "INV/2026/0001",
        "original_amount": 1200,
        "outstanding_balance": 1000,
        "currency": "COP",
        "due_date": date(2026, 1, 15),
        "report_date": DAY,
        "status": "delinquent",
        **values,
    }


def test_every_country_with_a_bureau_has_the_expected_ones():
    assert {b.country for b in bureau.BUREAUS} == {
        "MX",
        "CO",
        "PE",
        "CL",
        "AR",
        "ES",
        "US",
    }
    assert [b.code for b in bureau.bureaus_for("US-MA")] == [
        "equifax_us",
        "experian_us",
        "transunion_us",
    ]
    assert bureau.bureaus_for("FR") == ()


def test_every_bureau_has_a_layout_of_common_columns():
    for b in bureau.BUREAUS:
        layout = bureau.LAYOUTS[b.code]
        keys = [key for key, _header in layout]
        assert set(keys) <= set(bureau.COMMON_COLUMNS), b.code
        assert len(keys) == len(set(keys)), b.code
        # what every bureau needs to identify the debtor and the debt
        assert {
            "document_number",
            "name",
            "reference",
            "outstanding_balance",
            "due_date",
            "status",
        } <= set(keys), b.code


def test_unknown_bureau_and_status_are_refused():
    with pytest.raises(ValueError):
        bureau.bureau("nope")
    with pytest.raises(ValueError):
        bureau.export_rows("asnef", [record(status="lost")])


def test_asnef_csv_round_trips():
    text = bureau.csv_text(
        bureau.export_rows("asnef", [record(name='Ana "La" Pérez, S.L.')])
    )
    rows = list(csv.reader(io.StringIO(text)))
    header, row = rows
    assert header[:3] == ["TipoDocumento", "NIF", "Nombre"]
    values = dict(zip(header, row, strict=True))
    assert values["Nombre"] == 'Ana "La" Pérez, S.L.'
    assert values["ImportePendiente"] == "1000.00"
    assert values["DiasImpago"] == "60"
    assert values["FechaVencimiento"] == "2026-01-15"
    assert values["Situacion"] == "delinquent"


@given(
    code=st.sampled_from([b.code for b in bureau.BUREAUS]),
    name=st.text(max_size=40),
    balance=st.decimals(min_value=0, max_value=10**9, places=3),
)
def test_any_row_survives_the_csv(code, name, balance):
    rows = bureau.export_rows(code, [record(name=name, outstanding_balance=balance)])
    parsed = list(csv.reader(io.StringIO(bureau.csv_text(rows), newline="")))
    assert parsed == rows
    assert len(rows[1]) == len(bureau.LAYOUTS[code])


@given(due=DAYS, on=DAYS)
def test_days_past_due_never_negative(due, on):
    days = bureau.days_past_due(due, on)
    assert days >= 0
    assert days == max(0, (on - due).days)


@given(
    country=st.sampled_from(["MX", "CO", "PE", "CL", "AR", "ES", "US", "US-CA"]),
    settled=DAYS,
    days=st.one_of(st.none(), st.integers(min_value=0, max_value=365)),
)
def test_no_country_has_an_invented_legal_deadline(country, settled, days):
    deadline = bureau.update_deadline(country, settled, days)
    # The reference notes give no number of days anywhere: company policy.
    assert deadline.basis == "company_policy"
    expected = bureau.DEFAULT_UPDATE_DAYS if days is None else days
    assert deadline.day == settled + timedelta(days=expected)


def test_a_negative_policy_is_refused():
    with pytest.raises(ValueError):
        bureau.update_deadline("CO", DAY, -1)


@given(due=DAYS, paid=st.one_of(st.none(), DAYS))
def test_argentina_retention(due, paid):
    limit = bureau.retention_limit(RULES, "AR", due, paid)
    assert limit.rule_ids == ("AR-DATA",)
    assert limit.until <= bureau._add_years(due, 5)
    if paid:
        assert limit.until <= bureau._add_years(paid, 2)


@given(due=DAYS, days=st.integers(min_value=0, max_value=4000))
def test_colombia_retention_twice_the_default_capped_at_four_years(due, days):
    paid = due + timedelta(days=days)
    limit = bureau.retention_limit(rule_packs(["CO"]), "CO", due, paid)
    assert limit.rule_ids == ("CO-HD-PERM",)
    assert limit.until == min(
        paid + timedelta(days=2 * days), bureau._add_years(paid, 4)
    )


def test_retention_without_rules_or_dates():
    assert bureau.retention_limit(RULES, "CO", date(2026, 1, 1)).until is None
    assert bureau.retention_limit(RULES, "MX", date(2026, 1, 1)).until is None
    assert bureau.retention_limit(RULES, "ES", None).until is None
    assert bureau.retention_limit(RULES, "ES", date(2026, 1, 1)).until == date(
        2031, 1, 1
    )


def _report(jurisdiction, events, **kw):
    from datetime import datetime, timezone

    values = {
        "at": datetime(2026, 3, 16, 15, 0, tzinfo=timezone.utc),
        "channel": "letter",
        "debtor_type": "consumer",
        "actor_type": "creditor",
        "tz": "America/Bogota",
        "jurisdiction": jurisdiction,
        "kind": "bureau_report",
        "amount_cents": 500_000_000,
        "debtor_person": "natural",
        "events": events,
    }
    values.update(kw)
    return evaluate(ProposedContact(**values), RULES, [], [])


def test_the_bureau_report_rules_are_the_engines():
    """What the Odoo model relies on: the engine decides the waiting periods."""
    waiting = _report("CO", {"notice_sent": DAY - timedelta(days=5)})
    assert waiting.outcome == "defer"
    assert waiting.reasons[0].rule_id == "CO-HD-NOTICE"
    assert _report("CO", {"notice_sent": DAY - timedelta(days=21)}).allowed
    assert _report("CO", {}).outcome == "block"
    disputed = _report(
        "ES",
        {"bureau_warning_sent": DAY, "due_date": date(2026, 1, 1)},
        tz="Europe/Madrid",
        debt_tags={"disputed"},
    )
    assert disputed.outcome == "block"
    assert {r.code for r in disputed.reasons} == {"wait_debt_tag"}


def test_doctests():
    import doctest

    result = doctest.testmod(bureau, optionflags=doctest.ELLIPSIS, report=False)
    assert result.attempted > 0
    assert result.failed == 0
