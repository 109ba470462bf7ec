"""Typed fields of the rule form over the JSON parameters (cobranza_core.rule_form)."""

from cobranza_core import rule_form
from cobranza_core.rule_packs import rule_packs
from hypothesis import given
from hypothesis import strategies as st


def _rules():
    return rule_packs()


def test_shipped_rules_round_trip():
    simple = 0
    for rule in _rules():
        kind, params = rule["kind"], rule["params"]
        typed = rule_form.typed_from_params(kind, params)
        if not typed["simple"]:
            continue
        simple += 1
        again = rule_form.params_from_typed(kind, params, typed)
        if kind == "time_window":
            # windows are written back per day group: the same hours
            assert rule_form.typed_from_params(kind, again) == typed
            assert {k: v for k, v in again.items() if k != "windows"} == {
                k: v for k, v in params.items() if k != "windows"
            }
        else:
            assert again == params, rule["rule_id"]
    assert simple > 20


def test_every_time_window_and_cap_has_typed_fields_or_json():
    kinds = {rule["kind"] for rule in _rules()}
    assert {"time_window", "frequency_cap", "waiting_period"} <= kinds
    hours = [
        r
        for r in _rules()
        if r["kind"] == "time_window"
        and rule_form.typed_from_params("time_window", r["params"])["simple"]
    ]
    assert {"CO-HOURS", "CL-HOURS", "PE-HOURS"} <= {r["rule_id"] for r in hours}


def test_complex_params_are_left_alone():
    params = {"caps": [{"limit": 1}, {"limit": 2}]}
    assert (
        rule_form.params_from_typed("frequency_cap", params, {"cap_limit": 9}) == params
    )


def test_closing_a_day_and_changing_a_cap():
    cap = {"window": {"type": "rolling_days", "days": 7}, "limit": 2, "note": "x"}
    typed = rule_form.typed_from_params("frequency_cap", cap)
    new = rule_form.params_from_typed(
        "frequency_cap", cap, {**typed, "cap_window": "day", "cap_limit": 1}
    )
    assert new == {"window": {"type": "day"}, "limit": 1, "note": "x"}


@given(st.integers(0, 24 * 60))
def test_hours_round_trip(minutes):
    text = f"{minutes // 60:02d}:{minutes % 60:02d}"
    assert rule_form.hours_to_text(rule_form.text_to_hours(text)) == text
