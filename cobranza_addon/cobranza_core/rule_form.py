"""Typed fields of a compliance rule over its JSON parameters.

The rule form shows a few plain fields (hours per day group, a cap, a number
of days) instead of JSON; this module reads them from the parameters and
writes them back, leaving every other parameter untouched. A parameter shape
the typed fields cannot express (several windows a day, several caps...) is
reported as not ``simple``: the form then shows the JSON only.

Hours are floats (7.5 is 07:30); a day group with no window has ``None``.

>>> params = {"windows": {"mon-fri": ["07:00", "19:00"], "sat": ["08:00", "15:00"],
...                       "sun": []}, "holidays": "closed", "kinds": ["collection"]}
>>> typed = typed_from_params("time_window", params)
>>> typed["simple"], typed["weekdays"], typed["saturday"], typed["sunday"]
(True, (7.0, 19.0), (8.0, 15.0), None)
>>> new = params_from_typed("time_window", params, {**typed, "saturday": None})
>>> new["windows"], new["kinds"]
({'mon-fri': ['07:00', '19:00'], 'sat': [], 'sun': []}, ['collection'])

A frequency cap is one cap (its keys at the top) or up to two in ``caps``;
the second cap's typed values start with ``cap2_``. What a cap counts
(``count_tags``...) is shown, never written: it is kept as it is.

>>> co_freq = {"caps": [
...     {"window": {"type": "day"}, "limit": 1, "count_tags": ["effective_contact"]},
...     {"window": {"type": "calendar_week"}, "max_distinct_channels": 1,
...      "count_tags": ["effective_contact"]}]}
>>> typed = typed_from_params("frequency_cap", co_freq)
>>> typed["cap_count"], typed["cap_limit"], typed["cap_window"]
(2, 1, 'day')
>>> typed["cap2_window"], typed["cap2_max_channels"], typed["cap2_counts"]
('calendar_week', 1, {'count_tags': ['effective_contact']})
>>> new = params_from_typed("frequency_cap", co_freq,
...                         {**typed, "cap2_max_channels": 2})
>>> new["caps"][1]["max_distinct_channels"], new["caps"][1]["count_tags"]
(2, ['effective_contact'])
"""

#: Day groups of the form and the keys of ``windows`` they stand for.
DAY_GROUPS = (("weekdays", "mon-fri"), ("saturday", "sat"), ("sunday", "sun"))
#: Window types of a cap; "none" is a cap with no window (a gap only).
CAP_WINDOWS = (
    "none",
    "rolling_days",
    "rolling_hours",
    "day",
    "calendar_week",
    "calendar_month",
)


def hours_to_text(value: float) -> str:
    """``7.5`` -> ``"07:30"`` (``24.0`` -> ``"24:00"``).

    >>> hours_to_text(7.5), hours_to_text(24)
    ('07:30', '24:00')
    """
    minutes = round(float(value) * 60)
    minutes = max(0, min(minutes, 24 * 60))
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def text_to_hours(text: str) -> float:
    """``"07:30"`` -> ``7.5``.

    >>> text_to_hours("07:30"), text_to_hours("24:00")
    (7.5, 24.0)
    """
    hours, minutes = str(text).split(":")
    return int(hours) + int(minutes) / 60


def _window(value):
    """``[]`` -> None; ``[a, b]`` -> (a, b) in hours; anything else -> error."""
    if value in ([], None):
        return None
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, str) for v in value)
    ):
        return (text_to_hours(value[0]), text_to_hours(value[1]))
    raise ValueError("not a single window")


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _days_of(key):
    """``"mon-fri"`` -> the five days; ``"daily"`` -> all; ``"sat"`` -> sat."""
    if key == "daily":
        return DAYS
    first, _sep, last = key.partition("-")
    start, end = DAYS.index(first), DAYS.index(last or first)
    if end < start:
        raise ValueError("day range")
    return DAYS[start : end + 1]


def _time_window(params):
    per_day = {}
    for key, value in (params.get("windows") or {}).items():
        for day in _days_of(key):
            per_day[day] = _window(value)
    weekdays = {per_day.get(day) for day in DAYS[:5]}
    if len(weekdays) != 1:
        raise ValueError("weekdays differ")
    return {
        "holidays": params.get("holidays", "ignore"),
        "weekdays": weekdays.pop(),
        "saturday": per_day.get("sat"),
        "sunday": per_day.get("sun"),
    }


#: Prefix of each cap's typed values (the first cap keeps its old names).
CAP_PREFIXES = ("cap_", "cap2_")
#: Integer keys of a cap: {typed suffix: cap key}.
CAP_INTEGERS = {
    "limit": "limit",
    "min_gap_hours": "min_gap_hours",
    "max_channels": "max_distinct_channels",
}
#: What a cap counts: shown as text, kept as it is when writing.
COUNT_KEYS = ("count_tags", "count_channels", "count_kinds")
#: Rolling windows: the key of their length and the engine's default.
CAP_LENGTHS = {"rolling_days": ("days", 7), "rolling_hours": ("hours", 24)}


def _positive(value):
    """None, or an integer of at least 1 (what an integer field can show)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("not a positive integer")
    return value


def _cap_window(window):
    """A cap's ``window`` -> (type, length); an unknown shape is an error."""
    if window is None:
        return "none", None
    kind = window.get("type", "rolling_days")
    if kind not in CAP_WINDOWS[1:]:
        raise ValueError("unknown window")
    key, default = CAP_LENGTHS.get(kind, (None, None))
    if set(window) - {"type", key}:
        raise ValueError("window shape")
    return kind, _positive(window.get(key, default)) if key else None


def _read_cap(cap, prefix):
    if not isinstance(cap, dict):
        raise ValueError("not a cap")
    kind, length = _cap_window(cap.get("window"))
    values = {f"{prefix}window": kind, f"{prefix}length": length}
    for suffix, key in CAP_INTEGERS.items():
        values[prefix + suffix] = _positive(cap.get(key))
    counts = {key: cap[key] for key in COUNT_KEYS if key in cap}
    for codes in counts.values():
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise ValueError("not a list of codes")
    values[f"{prefix}counts"] = counts
    return values


def _frequency_cap(params):
    caps = params["caps"] if "caps" in params else [params]
    if not isinstance(caps, list) or not 1 <= len(caps) <= len(CAP_PREFIXES):
        raise ValueError("not one or two caps")
    values = {"cap_count": len(caps)}
    for prefix, cap in zip(CAP_PREFIXES, caps, strict=False):
        values.update(_read_cap(cap, prefix))
    return values


def _write_cap(cap, typed, prefix):
    """``cap`` with the typed values of ``prefix`` written in."""
    new = dict(cap)
    kind = typed.get(f"{prefix}window") or "none"
    if kind == "none":
        new.pop("window", None)
    else:
        window = {"type": kind}
        if kind in CAP_LENGTHS:
            window[CAP_LENGTHS[kind][0]] = typed.get(f"{prefix}length") or 1
        new["window"] = window
    for suffix, key in CAP_INTEGERS.items():
        _set(new, key, typed.get(prefix + suffix))
    return new


def _write_caps(params, typed):
    if "caps" not in params:
        return _write_cap(params, typed, CAP_PREFIXES[0])
    caps = [
        _write_cap(cap, typed, prefix)
        for prefix, cap in zip(CAP_PREFIXES, params["caps"], strict=False)
    ]
    return {**params, "caps": caps}


def _waiting_period(params):
    after = params.get("after") or []
    if len(after) != 1 or "min_days" not in after[0]:
        raise ValueError("not a single waiting period")
    return {"wait_days": after[0]["min_days"]}


#: Plain integer parameters, per kind: {typed name: params key}.
INTEGER_PARAMS = {
    "fee_cap": {"fee_min_days_overdue": "min_days_overdue"},
    "payment_term": {"term_default_days": "default_days", "term_max_days": "max_days"},
    "notice_deadline": {"notice_within_days": "within_days"},
    "data_retention": {
        "retention_min_years": "min_years",
        "retention_max_years": "max_years",
    },
}
READERS = {
    "time_window": _time_window,
    "frequency_cap": _frequency_cap,
    "waiting_period": _waiting_period,
}


def typed_from_params(kind: str, params: dict) -> dict:
    """The typed values of a rule, and ``simple``: whether they express it.

    >>> typed_from_params("frequency_cap", {"caps": []})["simple"]
    False
    >>> typed_from_params("frequency_cap", {"caps": [{"limit": 1}] * 3})["simple"]
    False
    >>> typed_from_params("frequency_cap", {"caps": [{"limit": 1},
    ...                   {"min_gap_hours": 48}]})["cap2_window"]
    'none'
    >>> typed_from_params("waiting_period", {"after": [{"event": "notice_sent",
    ...                   "min_days": 20}]})["wait_days"]
    20
    """
    try:
        values = READERS[kind](params) if kind in READERS else {}
    except (ValueError, TypeError, AttributeError, KeyError):
        return {"simple": False}
    for name, key in INTEGER_PARAMS.get(kind, {}).items():
        values[name] = params.get(key)
    return {"simple": True, **values}


def params_from_typed(kind: str, params: dict, typed: dict) -> dict:
    """``params`` with the typed values written in (other keys kept).

    A rule whose parameters are not ``simple`` is returned unchanged.

    >>> cap = {"window": {"type": "rolling_days", "days": 7}, "limit": 2}
    >>> params_from_typed("frequency_cap", cap, {"cap_limit": 3,
    ...     "cap_window": "rolling_days", "cap_length": 7})["limit"]
    3
    """
    if not typed_from_params(kind, params)["simple"]:
        return params
    new = dict(params)
    if kind == "time_window":
        new["windows"] = {
            key: [hours_to_text(v) for v in typed[group]] if typed.get(group) else []
            for group, key in DAY_GROUPS
        }
        if typed.get("holidays"):
            new["holidays"] = typed["holidays"]
    elif kind == "frequency_cap":
        new = _write_caps(params, typed)
    elif kind == "waiting_period":
        new["after"] = [{**params["after"][0], "min_days": typed.get("wait_days") or 0}]
    for name, key in INTEGER_PARAMS.get(kind, {}).items():
        _set(new, key, typed.get(name))
    return new


def _set(params, key, value):
    """Set an optional integer parameter; empty removes it."""
    if value in (None, False, ""):
        params.pop(key, None)
    else:
        params[key] = value
