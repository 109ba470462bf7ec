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
"""

#: Day groups of the form and the keys of ``windows`` they stand for.
DAY_GROUPS = (("weekdays", "mon-fri"), ("saturday", "sat"), ("sunday", "sun"))
CAP_WINDOWS = (
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


def _frequency_cap(params):
    if "caps" in params:
        raise ValueError("several caps")
    window = params.get("window") or {}
    kind = window.get("type", "rolling_days")
    if kind not in CAP_WINDOWS:
        raise ValueError("unknown window")
    length = window.get("days") if kind == "rolling_days" else window.get("hours")
    return {
        "cap_limit": params.get("limit"),
        "cap_window": kind,
        "cap_length": length,
        "cap_min_gap_hours": params.get("min_gap_hours"),
    }


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
        window = {"type": typed.get("cap_window") or "rolling_days"}
        if window["type"] == "rolling_days":
            window["days"] = typed.get("cap_length") or 1
        elif window["type"] == "rolling_hours":
            window["hours"] = typed.get("cap_length") or 1
        new["window"] = window
        for name, key in (
            ("cap_limit", "limit"),
            ("cap_min_gap_hours", "min_gap_hours"),
        ):
            _set(new, key, typed.get(name))
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
