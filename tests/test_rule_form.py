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
    for params in (
        {"caps": [{"limit": 1}, {"limit": 2}, {"limit": 3}]},
        {"caps": [{"limit": 1}, {"window": {"type": "fortnight"}}]},
        {"caps": [{"limit": 1}, {"window": {"type": "day", "days": 2}}]},
        {"caps": [{"limit": 0}]},
        {"limit": 1, "count_tags": "effective_contact"},
    ):
        typed = {"cap_limit": 9, "cap2_limit": 9}
        assert rule_form.params_from_typed("frequency_cap", params, typed) == params


def test_every_shipped_cap_is_typed_and_round_trips():
    caps = [r for r in _rules() if r["kind"] == "frequency_cap"]
    assert {"CO-FREQ", "CL-FREQ-OTHER", "US-FREQ"} <= {r["rule_id"] for r in caps}
    for rule in caps:
        params = rule["params"]
        typed = rule_form.typed_from_params("frequency_cap", params)
        assert typed["simple"], rule["rule_id"]
        assert typed["cap_count"] == len(params.get("caps", [params]))
        again = rule_form.params_from_typed("frequency_cap", params, typed)
        assert again == params, rule["rule_id"]


def test_second_cap_written_counts_kept():
    params = {
        "caps": [
            {"window": {"type": "rolling_days", "days": 7}, "limit": 2},
            {"min_gap_hours": 48, "count_channels": ["letter"]},
        ],
        "note": "x",
    }
    typed = rule_form.typed_from_params("frequency_cap", params)
    assert (typed["cap2_window"], typed["cap2_min_gap_hours"]) == ("none", 48)
    assert typed["cap2_counts"] == {"count_channels": ["letter"]}
    new = rule_form.params_from_typed(
        "frequency_cap",
        params,
        {**typed, "cap2_window": "rolling_hours", "cap2_length": 72, "cap2_limit": 1},
    )
    assert new["caps"][1] == {
        "min_gap_hours": 48,
        "count_channels": ["letter"],
        "window": {"type": "rolling_hours", "hours": 72},
        "limit": 1,
    }
    assert new["caps"][0] == params["caps"][0] and new["note"] == "x"
    # a single cap keeps its shape: no "caps" key appears
    single = {"window": {"type": "day"}, "limit": 1}
    typed = rule_form.typed_from_params("frequency_cap", single)
    assert typed["cap_count"] == 1
    new = rule_form.params_from_typed(
        "frequency_cap", single, {**typed, "cap_window": "none", "cap2_limit": 5}
    )
    assert new == {"limit": 1}


_positive = st.one_of(st.none(), st.integers(1, 1000))
_windows = st.one_of(
    st.none(),
    st.sampled_from([{"type": t} for t in ("day", "calendar_week", "calendar_month")]),
    st.builds(lambda d: {"type": "rolling_days", "days": d}, st.integers(1, 90)),
    st.builds(lambda h: {"type": "rolling_hours", "hours": h}, st.integers(1, 999)),
)
_codes = st.lists(st.sampled_from(["effective_contact", "conversation", "call"]))


@st.composite
def _caps(draw):
    cap = {}
    if (window := draw(_windows)) is not None:
        cap["window"] = window
    for key in ("limit", "min_gap_hours", "max_distinct_channels"):
        if (value := draw(_positive)) is not None:
            cap[key] = value
    for key in ("count_tags", "count_channels", "count_kinds"):
        if draw(st.booleans()):
            cap[key] = draw(_codes)
    return cap


@given(st.lists(_caps(), min_size=1, max_size=2), st.booleans())
def test_caps_round_trip(caps, single):
    params = dict(caps[0]) if single else {"caps": caps}
    params["note"] = "kept"
    typed = rule_form.typed_from_params("frequency_cap", params)
    assert typed["simple"]
    assert rule_form.params_from_typed("frequency_cap", params, typed) == params


@given(_caps(), _caps(), _windows, _positive)
def test_second_cap_edit_keeps_the_first_and_the_counts(first, second, window, limit):
    params = {"caps": [first, second]}
    typed = rule_form.typed_from_params("frequency_cap", params)
    typed["cap2_window"] = window["type"] if window else "none"
    typed["cap2_length"] = (window or {}).get("days") or (window or {}).get("hours")
    typed["cap2_limit"] = limit
    new = rule_form.params_from_typed("frequency_cap", params, typed)
    assert new["caps"][0] == first
    again = rule_form.typed_from_params("frequency_cap", new)
    assert again["cap2_window"] == typed["cap2_window"]
    assert again["cap2_limit"] == limit
    assert again["cap2_counts"] == typed["cap2_counts"]
    for key in ("count_tags", "count_channels", "count_kinds", "min_gap_hours"):
        assert new["caps"][1].get(key) == second.get(key)


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


def test_an_unset_cap_integer_is_none_and_zero_clears_it():
    """An Odoo integer field holds 0 for "not set": a cap integer is at least
    1 when set, so 0 written back removes the key, and a stored 0 (which the
    field could not tell from "not set") leaves the rule to the JSON."""
    cap = {"window": {"type": "day"}, "limit": 2, "min_gap_hours": 4}
    typed = rule_form.typed_from_params("frequency_cap", cap)
    assert typed["cap_max_channels"] is None
    typed = {**typed, "cap_max_channels": 0, "cap_min_gap_hours": 0}
    assert rule_form.params_from_typed("frequency_cap", cap, typed) == {
        "window": {"type": "day"},
        "limit": 2,
    }
    assert not rule_form.typed_from_params("frequency_cap", {**cap, "limit": 0})[
        "simple"
    ]
