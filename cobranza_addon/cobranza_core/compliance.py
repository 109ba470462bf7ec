"""Pure compliance engine for collection communications (standard library only).

Rules are data (``Rule``, loadable from the JSON-serialisable dicts of
``rule_packs``). ``evaluate`` decides whether a proposed contact may be sent
now, must wait (``defer`` with the earliest instant at which every applicable
rule allows it), or may not be sent (``block``). ``lint_template`` runs the
content checks when a template is saved. Rule packs are reference notes, NOT
legal advice; every ``Reason`` carries the rule's citation.

Decision semantics
==================

* Only rules that apply are checked: jurisdiction (a rule of ``"US"`` also
  applies to ``"US-MA"``; rules of ``"EU"`` apply to every member state, e.g.
  ``"ES"``), channel, debtor type, actor type, the proposal's ``kind`` (see
  ``params["kinds"]`` below), scope params and the validity dates (compared
  with the local date of the instant being checked).
* A violation that waiting can cure (``time_window``, ``frequency_cap``, a
  ``waiting_period`` not yet elapsed) gives ``defer``; ``not_before`` is the
  EARLIEST instant >= ``proposed.at`` at which ALL applicable rules allow the
  send. The search jumps over candidate instants (window openings in the
  debtor's local time, expiry of ledger entries from rolling windows, the next
  calendar day/week/month, end of a waiting period, end of a rule's validity)
  until a fixed point; each jump goes to the maximum, over the violated
  constraints, of that constraint's own earliest allowed instant, so no
  allowed instant is ever skipped. If no instant within ``horizon_days``
  (default 60) works the outcome is ``block``.
* Any other violation (content, recipient, stop condition, fee, a missing
  event, a waiting period that can no longer be met) gives ``block``.
* Severity ``"block"``: can never be overridden. Nothing is ever allowed in
  breach of a block rule.
* Severity ``"warn"`` (used for medium-confidence rules): behaves exactly like
  a block rule (defer or block) UNLESS its ``rule_id`` is in ``overrides``
  (a manager overrode it, with a justification recorded by the caller). An
  overridden rule no longer constrains the decision; its violation is still
  reported as a ``Reason`` (message prefixed ``[overridden]``) so it is logged.
* ``allow`` carries no reasons unless overridden warn rules were violated.

Channels
========

``email``, ``letter``, ``sms``, ``call``, ``activity``, ``visit``,
``whatsapp``, ``social_media_public`` (any string works; these are the ones
the shipped packs use). ``activity`` is an Odoo scheduled activity performed
by a collector (typically a phone call or visit): the shipped packs treat it
as a voice contact wherever the reference constrains calls and visits.

Kinds of proposal (``ProposedContact.kind`` / ``Contact.kind``)
===============================================================

``"collection"`` (default: any collection communication), ``"marketing"``
(offers/advertising), and non-communication actions such as
``"bureau_report"`` (furnishing to a credit bureau / debtor file) or
``"lawsuit"``. Communication rules apply to ``["collection"]`` unless
``params["kinds"]`` says otherwise; ``waiting_period`` rules apply to their
``action_kinds``; ``fee_cap`` rules apply to any kind that carries a fee.

Common params (any kind)
========================

``kinds``: list of proposal kinds the rule applies to (see above).
``creditor_sectors``: e.g. ``["financial"]``; the rule applies when
``proposed.creditor_sector`` is in the list OR unknown (``None``).
``debtor_person``: e.g. ``["natural"]``; applies when
``proposed.debtor_person`` is in the list or unknown (``None``).

Params per rule kind
====================

``time_window``::

    {"windows": {"mon-fri": ["07:00", "19:00"], "sat": ["08:00", "15:00"],
                 "sun": []},
     "holidays": "closed",            # "closed" | "ignore" | a day key ("sun")
     "all_tzs": false,                # true: must hold in proposed.tz AND
                                      # every proposed.extra_tzs (US-HOURS)
     "waived_by_consents": ["co_extended_hours"]}  # consent that lifts it

  Day keys: ``mon`` .. ``sun``, ranges such as ``mon-fri``, ``daily``. A day
  not listed has no window. A value is ``[]``, ``[start, end]`` or a list of
  such pairs; times ``HH:MM`` local, start inclusive, end exclusive ("24:00"
  allowed). Local times falling in a DST gap open at the transition.

``frequency_cap`` (a single cap, or ``{"caps": [cap, ...]}``)::

    {"window": {"type": "rolling_days", "days": 7},   # or "rolling_hours"
                                  # + "hours", or "day" | "calendar_week"
                                  # (ISO, Mon-Sun) | "calendar_month", local tz
     "limit": 2,                  # max contacts in any such window, the
                                  # proposed one included
     "max_distinct_channels": 1,  # max distinct channels in the window,
                                  # the proposed one included
     "min_gap_hours": 48,         # min distance to any counted contact
     "count_channels": ["call"],  # default: the rule's channels (or all)
     "count_kinds": ["collection"],
     "count_tags": ["effective_contact"]}   # only ledger entries with a tag

  Rolling windows consider every window of that length containing the
  proposed instant, so ledger entries in the future (already scheduled)
  count too. The cap only constrains a proposal whose channel is counted.

``waiting_period`` (for proposals whose kind is in ``action_kinds``)::

    {"action_kinds": ["bureau_report"],
     "after": [{"event": "notice_sent", "min_days": 20, "exclusive": true,
                "unless_events": ["notice_undeliverable"]}],
     "after_mode": "all",          # "all" | "any" of the "after" items
     "max_after": [{"event": "due_date", "years": 5, "required": true}],
     "min_amount_cents": 5000,
     "unless_debt_tags": ["disputed"],
     "small_balance": {"fraction": "0.15", "base_param": "minimum_wage",
                       "earlier_event": "first_notice_sent",
                       "event": "notice_sent"}}

  ``events`` are dates in the debtor's local calendar. With ``exclusive`` the
  event day is not counted: ``min_days`` whole days must pass, so the action
  is allowed from ``event + min_days + 1`` (conservative); otherwise from
  ``event + min_days``. Not yet elapsed -> defer to local midnight of the
  first allowed day. A missing event, an ``unless`` event/tag, a too-small
  amount or an exceeded ``max_after`` -> block. ``small_balance``: when the
  amount is unknown or <= fraction x base, an earlier notice on a different
  (earlier) day is required. The base is the legal parameter ``base_param``
  of the rule's country in force on the decision date (``legal_params``):
  none in force -> the last known value, and the decision carries a
  ``param_stale`` note; none known -> block (code ``param_missing``), unless
  the two notices were sent anyway. A legacy ``base_cents_by_year`` table is
  used only when no value of that kind is known.

Every ``Reason`` carries ``code`` and ``args`` so the caller can render it in
the user's language (the Odoo layer does, see
``models/cobranza_compliance_message.py``); ``message`` is English, for logs.

``required_content``::

    {"tags": ["opt_out", ["mini_miranda", "debt_collector_disclosure"]],
     "first_contact_tags": [...],  # only when the ledger has no earlier
                                   # communication (kind "collection")
     "subsequent_tags": [...],     # only when it has one
     "if_content_tags": ["validation_notice"]}  # only for such content

  An item that is a list means "any of these tags".

``forbidden_content``::

    {"tags": ["threat"],
     "phrases": {"body": ["carcel"], "subject": [...], "envelope": ["debt*"]},
     "if_debt_tags": ["time_barred"],   # only for such debts
     "max_sms_length": 160}

  Phrases match case-, accent- and punctuation-insensitively on whole words;
  a trailing ``*`` matches any word ending ("collect*" -> "collections").
  ``body`` is ``proposed.text``.

``recipient_restriction``::

    {"allowed_roles": ["debtor", "co_obligor", "guarantor"],
     "forbidden_roles": [...], "forbidden_channels": ["visit"],
     "forbidden_recipient_tags": ["employer_email"],
     "required_recipient_tags": ["debtor_supplied"],
     "non_debtor_forbidden_tags": ["minor", "older_adult"],
     "require_authorized_channel": true,     # channel in authorized_channels
     "required_consents": ["marketing"]}

``stop_condition``::

    {"conditions": [{"events": ["dispute_written"], "ledger_tags": [...],
                     "debt_tags": [...], "resumed_by": ["verification_sent"],
                     "except_content_tags": ["cease_acknowledgement"]}]}

  Triggered by an event dated on/before the local date, a ledger entry
  at/before the instant with one of ``ledger_tags``, or a debt tag; lifted by
  a ``resumed_by`` event dated on/after the trigger; a proposal carrying an
  ``except_content_tags`` tag is exempt.

``fee_cap`` (checked when ``proposed.fee_cents`` > 0)::

    {"tranches": [[10, "0.09"], [50, "0.06"], [null, "0.03"]],  # marginal
     "unit": "UF",                     # tranche bounds in proposed.unit_values
     "min_days_overdue": 20,
     "documented_costs_only": true,    # needs proposed.fee_documented
     "forbidden_if_debt_tags": ["housing_loan"]}

Informative kinds (never evaluated by ``evaluate``): ``statutory_interest``
(see ``interest.py``), ``payment_term`` (``{"default_days", "max_days"}``),
``data_retention`` (``{"min_years"}``/``{"max_years"}``) and
``notice_deadline`` (``{"after_event": "due_date" | "first_contact",
"within_days": 15, "satisfied_by_event": "arrears_notice_sent"}``, see
``notice_deadlines``).

Example::

    >>> from datetime import datetime, timezone
    >>> rule = Rule("CO-HOURS", "CO", "time_window",
    ...             {"windows": {"mon-fri": ["07:00", "19:00"],
    ...                          "sat": ["08:00", "15:00"], "sun": []},
    ...              "holidays": "closed"})
    >>> sunday = datetime(2026, 3, 8, 15, 0, tzinfo=timezone.utc)  # 10:00 Bogotá
    >>> p = ProposedContact(sunday, "call", "consumer", "agency",
    ...                     "America/Bogota", "CO")
    >>> d = evaluate(p, [rule], [], [])
    >>> d.outcome, d.not_before.astimezone(ZoneInfo("America/Bogota")).isoformat()
    ('defer', '2026-03-09T07:00:00-05:00')
    >>> d.reasons[0].rule_id
    'CO-HOURS'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import ROUND_DOWN, Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from . import legal_params
from .interest import EU_MEMBER_STATES, tranche_cap

__all__ = [
    "CHANNELS",
    "INFORMATIVE_KINDS",
    "RULE_KINDS",
    "Contact",
    "Decision",
    "ProposedContact",
    "Reason",
    "Rule",
    "applicable_rules",
    "evaluate",
    "jurisdiction_chain",
    "lint_template",
    "normalize_text",
    "notice_deadlines",
    "phrase_found",
]

UTC = timezone.utc

#: Every rule kind the engine knows (the first nine are evaluated).
RULE_KINDS = (
    "time_window",
    "frequency_cap",
    "waiting_period",
    "required_content",
    "forbidden_content",
    "recipient_restriction",
    "stop_condition",
    "fee_cap",
    "statutory_interest",
    "payment_term",
    "data_retention",
    "notice_deadline",
)
INFORMATIVE_KINDS = frozenset(
    {"statutory_interest", "payment_term", "data_retention", "notice_deadline"}
)
CHANNELS = (
    "email",
    "letter",
    "sms",
    "call",
    "activity",
    "visit",
    "whatsapp",
    "social_media_public",
)
SEVERITIES = ("block", "warn")
DEFAULT_SMS_LENGTH = 160

_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_EPOCH_MONDAY = date(2000, 1, 3)


def _fs(value) -> frozenset:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset({value})
    return frozenset(value)


def _as_date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _require_aware(at: datetime, what: str) -> None:
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{what} must be a timezone-aware datetime")


# --------------------------------------------------------------------------
# Data classes
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One encoded rule. ``channels``/``debtor_types``/``actor_types`` empty = all."""

    rule_id: str
    jurisdiction: str
    kind: str
    params: dict = field(default_factory=dict, hash=False)
    severity: str = "block"
    channels: frozenset = frozenset()
    debtor_types: frozenset = frozenset()
    actor_types: frozenset = frozenset()
    citation: str = ""
    confidence: str = ""
    valid_from: date | None = None
    valid_to: date | None = None

    def __post_init__(self):
        if self.kind not in RULE_KINDS:
            raise ValueError(f"{self.rule_id}: unknown rule kind {self.kind!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"{self.rule_id}: severity must be 'block' or 'warn'")
        for name in ("channels", "debtor_types", "actor_types"):
            object.__setattr__(self, name, _fs(getattr(self, name)))
        object.__setattr__(self, "valid_from", _as_date(self.valid_from))
        object.__setattr__(self, "valid_to", _as_date(self.valid_to))
        object.__setattr__(self, "params", dict(self.params or {}))

    @classmethod
    def from_dict(cls, data: Mapping) -> Rule:
        """Build from a rule-pack dict (lists and ISO date strings accepted)."""
        return cls(
            rule_id=data["rule_id"],
            jurisdiction=data["jurisdiction"],
            kind=data["kind"],
            params=dict(data.get("params") or {}),
            severity=data.get("severity", "block"),
            channels=data.get("channels") or (),
            debtor_types=data.get("debtor_types") or (),
            actor_types=data.get("actor_types") or (),
            citation=data.get("citation", ""),
            confidence=data.get("confidence", ""),
            valid_from=data.get("valid_from"),
            valid_to=data.get("valid_to"),
        )

    def to_dict(self) -> dict:
        """JSON-serialisable dict (inverse of ``from_dict``)."""
        return {
            "rule_id": self.rule_id,
            "jurisdiction": self.jurisdiction,
            "kind": self.kind,
            "params": self.params,
            "severity": self.severity,
            "channels": sorted(self.channels),
            "debtor_types": sorted(self.debtor_types),
            "actor_types": sorted(self.actor_types),
            "citation": self.citation,
            "confidence": self.confidence,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
        }


@dataclass(frozen=True)
class Contact:
    """A ledger entry: a contact made (or already scheduled) with the debtor.

    ``tags`` e.g. ``effective_contact`` (CO-FREQ), ``conversation`` (US-FREQ).
    """

    at: datetime
    channel: str
    kind: str = "collection"
    tags: frozenset = frozenset()

    def __post_init__(self):
        _require_aware(self.at, "Contact.at")
        object.__setattr__(self, "tags", _fs(self.tags))


@dataclass(frozen=True)
class ProposedContact:
    """A contact (or action) that the caller wants to perform at ``at``.

    ``tz`` is the debtor's IANA time zone; ``extra_tzs`` other plausible ones
    (US-HOURS). ``events`` maps event names to local dates (``notice_sent``,
    ``due_date``, ``dispute_written`` ...). ``debt_tags``: ``time_barred``,
    ``disputed``, ``housing_loan``, ``lawsuit_served`` ... ``recipient_role``:
    ``debtor`` | ``co_obligor`` | ``guarantor`` | ``spouse`` |
    ``legal_representative`` | ``reference`` | ``employer`` | ``third_party``.
    ``recipient_tags``: ``debtor_supplied``, ``employer_email``, ``minor``,
    ``older_adult``. ``authorized_channels``: channels the debtor authorised
    (``None`` = not recorded). ``unit_values``: value of one unit (e.g.
    ``{"UF": 39000}``) in the debt's minor currency unit; it wins over the
    dated ``legal_values``. ``legal_values``: ``legal_params.LegalValue``
    records (``None``: the core's ``legal_params.PUBLISHED``), in major
    currency units; ``currency_factor`` converts them to the debt's minor
    unit (100 for cents).
    """

    at: datetime
    channel: str
    debtor_type: str
    actor_type: str
    tz: str
    jurisdiction: str
    content_tags: frozenset = frozenset()
    text: str = ""
    subject: str = ""
    envelope_text: str = ""
    sms_length: int | None = None
    events: Mapping = field(default_factory=dict, hash=False)
    fee_cents: int | None = None
    amount_cents: int | None = None
    kind: str = "collection"
    recipient_role: str = "debtor"
    recipient_tags: frozenset = frozenset()
    authorized_channels: frozenset | None = None
    consents: frozenset = frozenset()
    debt_tags: frozenset = frozenset()
    creditor_sector: str | None = None
    debtor_person: str | None = None
    extra_tzs: tuple = ()
    days_overdue: int | None = None
    fee_documented: bool = False
    unit_values: Mapping = field(default_factory=dict, hash=False)
    legal_values: tuple | None = None
    currency_factor: int = 100

    def __post_init__(self):
        _require_aware(self.at, "ProposedContact.at")
        if self.legal_values is not None:
            object.__setattr__(self, "legal_values", tuple(self.legal_values))
        for name in ("content_tags", "recipient_tags", "consents", "debt_tags"):
            object.__setattr__(self, name, _fs(getattr(self, name)))
        if self.authorized_channels is not None:
            object.__setattr__(
                self, "authorized_channels", _fs(self.authorized_channels)
            )
        object.__setattr__(self, "extra_tzs", tuple(self.extra_tzs))
        events = {
            k: _as_date(v) for k, v in dict(self.events or {}).items() if v is not None
        }
        object.__setattr__(self, "events", events)
        ZoneInfo(self.tz)  # fail early on an unknown zone


@dataclass(frozen=True)
class Reason:
    """Why a rule constrained a decision.

    ``message`` is an English sentence for logs and tests; ``code`` and
    ``args`` (a tuple of ``(name, value)`` pairs, values str/int) let the
    caller render the sentence in the user's language.
    """

    rule_id: str
    severity: str
    message: str
    citation: str = ""
    code: str = ""
    args: tuple = ()

    @property
    def params(self) -> dict:
        return dict(self.args)


@dataclass(frozen=True)
class Decision:
    """``notes``: reasons that did not change the outcome but must be shown,
    e.g. a legal parameter out of date (code ``param_stale``)."""

    outcome: str  # "allow" | "defer" | "block"
    not_before: datetime | None = None
    reasons: tuple = ()
    notes: tuple = ()

    @property
    def allowed(self) -> bool:
        return self.outcome == "allow"


# --------------------------------------------------------------------------
# Applicability
# --------------------------------------------------------------------------


def jurisdiction_chain(code: str) -> tuple[str, ...]:
    """Codes whose rules apply to ``code``: itself, its country, and ``EU``
    for member states. ``"AR-C"`` -> ``("AR-C", "AR")``, ``"ES"`` ->
    ``("ES", "EU")``."""
    code = (code or "").upper()
    chain = [code]
    country = code.split("-")[0]
    if country != code:
        chain.append(country)
    if country in EU_MEMBER_STATES:
        chain.append("EU")
    return tuple(chain)


def _local_date(at: datetime, tz: str) -> date:
    return at.astimezone(ZoneInfo(tz)).date()


def _rule_kinds(rule: Rule):
    p = rule.params
    if rule.kind == "waiting_period":
        return _fs(p.get("action_kinds") or ["collection"])
    if "kinds" in p:
        return _fs(p["kinds"])
    if rule.kind == "fee_cap":
        return None  # any kind carrying a fee
    return frozenset({"collection"})


def _scope_ok(rule: Rule, p: ProposedContact) -> bool:
    params = rule.params
    sectors = params.get("creditor_sectors")
    if sectors and p.creditor_sector is not None and p.creditor_sector not in sectors:
        return False
    persons = params.get("debtor_person")
    if persons and p.debtor_person is not None and p.debtor_person not in persons:
        return False
    return True


def _applies(rule: Rule, p: ProposedContact, at: datetime, chain=None) -> bool:
    if rule.kind in INFORMATIVE_KINDS:
        return False
    if rule.jurisdiction.upper() not in (chain or jurisdiction_chain(p.jurisdiction)):
        return False
    if rule.channels and p.channel not in rule.channels:
        return False
    if rule.debtor_types and p.debtor_type not in rule.debtor_types:
        return False
    if rule.actor_types and p.actor_type not in rule.actor_types:
        return False
    kinds = _rule_kinds(rule)
    if kinds is not None and p.kind not in kinds:
        return False
    if rule.kind == "fee_cap" and not (p.fee_cents or 0) > 0:
        return False
    if not _scope_ok(rule, p):
        return False
    if rule.valid_from or rule.valid_to:
        d = _local_date(at, p.tz)
        if rule.valid_from and d < rule.valid_from:
            return False
        if rule.valid_to and d > rule.valid_to:
            return False
    return True


def applicable_rules(
    rules: Iterable, proposed: ProposedContact, at: datetime | None = None
) -> list[Rule]:
    """The rules ``evaluate`` would check for ``proposed`` at ``at``."""
    at = at or proposed.at
    chain = jurisdiction_chain(proposed.jurisdiction)
    return [r for r in map(_to_rule, rules) if _applies(r, proposed, at, chain)]


def _to_rule(r) -> Rule:
    return r if isinstance(r, Rule) else Rule.from_dict(r)


# --------------------------------------------------------------------------
# Local-time helpers
# --------------------------------------------------------------------------


def _local_to_utc(naive: datetime, tz: ZoneInfo) -> datetime:
    """Earliest instant whose local wall time in ``tz`` is >= ``naive``."""
    a = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if a.astimezone(tz).replace(tzinfo=None) == naive:
        return a
    b = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    lo, hi = min(a, b), max(a, b)
    eps = timedelta(microseconds=1)
    while hi - lo > eps:
        mid = lo + (hi - lo) / 2
        if mid.astimezone(tz).replace(tzinfo=None) >= naive:
            hi = mid
        else:
            lo = mid
    return hi


def _midnight(d: date, tz: ZoneInfo) -> datetime:
    return _local_to_utc(datetime.combine(d, time()), tz)


def _parse_hhmm(value: str) -> int:
    hh, mm = str(value).split(":")
    minutes = int(hh) * 60 + int(mm)
    if not 0 <= minutes <= 1440:
        raise ValueError(f"bad time {value!r}")
    return minutes


def _day_keys(key: str) -> list[int]:
    key = key.strip().lower()
    if key in ("daily", "all", "*", "mon-sun"):
        return list(range(7))
    if "-" in key:
        a, b = key.split("-")
        i, j = _DAY_NAMES.index(a[:3]), _DAY_NAMES.index(b[:3])
        return (
            list(range(i, j + 1))
            if i <= j
            else list(range(i, 7)) + list(range(0, j + 1))
        )
    return [_DAY_NAMES.index(key[:3])]


def _intervals(value) -> list[tuple[int, int]]:
    if not value:
        return []
    if isinstance(value[0], str):
        value = [value]
    out = []
    for start, end in value:
        s, e = _parse_hhmm(start), _parse_hhmm(end)
        if e > s:
            out.append((s, e))
    return sorted(out)


@lru_cache(maxsize=256)
def _parse_windows_cached(items: tuple) -> dict[int, list[tuple[int, int]]]:
    table: dict[int, list[tuple[int, int]]] = {i: [] for i in range(7)}
    for key, value in items:
        for wd in _day_keys(key):
            table[wd] = _intervals(_thaw(value))
    return table


def _freeze(value):
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value):
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return value


def _windows(params: Mapping) -> dict[int, list[tuple[int, int]]]:
    return _parse_windows_cached(
        tuple((k, _freeze(v)) for k, v in params.get("windows", {}).items())
    )


def _day_intervals(params, table, d: date, holidays) -> list[tuple[int, int]]:
    if d in holidays:
        mode = params.get("holidays", "closed")
        if mode == "closed":
            return []
        if mode not in ("ignore", "open"):
            return table[_day_keys(mode)[0]]
    return table[d.weekday()]


def _window_earliest(params, at: datetime, tz: ZoneInfo, holidays, horizon_days: int):
    """(inside, earliest instant >= at inside a window, or None)."""
    table = _windows(params)
    local = at.astimezone(tz)
    d = local.date()
    secs = (
        local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6
    )
    for offset in range(horizon_days + 2):
        day = d + timedelta(days=offset)
        for start, end in _day_intervals(params, table, day, holidays):
            if offset == 0:
                if secs >= end * 60:
                    continue
                if secs >= start * 60:
                    return True, at
            cand = _local_to_utc(
                datetime.combine(day, time()) + timedelta(minutes=start), tz
            )
            if cand >= at:
                return False, cand
    return False, None


# --------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------


def normalize_text(text: str) -> str:
    """Lower-case, accent-free, punctuation-free, single-spaced text."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[\W_]+", " ", text)
    return " ".join(text.split())


@lru_cache(maxsize=2048)
def _phrase_re(phrase: str):
    star = phrase.strip().endswith("*")
    words = normalize_text(phrase.strip().rstrip("*")).split()
    if not words:
        return None
    body = r"\s+".join(re.escape(w) for w in words)
    return re.compile(r"(?<!\w)" + body + (r"\w*" if star else r"(?!\w)"))


def phrase_found(phrase: str, text: str) -> bool:
    """Whole-word, case/accent-insensitive phrase search (``*`` = prefix)."""
    rx = _phrase_re(phrase)
    return bool(rx and rx.search(normalize_text(text)))


_GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€"
)


# --------------------------------------------------------------------------
# Violations
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Msg:
    """A problem: a code, its arguments and the English sentence."""

    code: str
    text: str
    args: tuple = ()


def _msg(code: str, text: str, **args) -> _Msg:
    return _Msg(code, text, tuple(sorted((k, _arg(v)) for k, v in args.items())))


def _arg(value):
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return ""
    return value if isinstance(value, int | str) else str(value)


@dataclass(frozen=True)
class _Violation:
    rule: Rule
    problem: _Msg
    earliest: datetime | None = None  # None: waiting cannot cure it

    @property
    def message(self) -> str:
        return self.problem.text

    def reason(self, overridden: bool = False) -> Reason:
        args = self.problem.args
        if overridden:
            args = tuple(sorted(args + (("overridden", 1),)))
        return Reason(
            self.rule.rule_id,
            self.rule.severity,
            ("[overridden] " if overridden else "") + self.problem.text,
            self.rule.citation,
            self.problem.code,
            args,
        )


def _fmt(at: datetime, tz: ZoneInfo) -> str:
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")


def _validity_end(rule: Rule, tz: ZoneInfo) -> datetime | None:
    return _midnight(rule.valid_to + timedelta(days=1), tz) if rule.valid_to else None


class _Ctx:
    def __init__(
        self, p: ProposedContact, ledger: Sequence[Contact], holidays, horizon_days: int
    ):
        self.p = p
        self.ledger = sorted(ledger, key=lambda c: c.at)
        self.holidays = holidays
        self.horizon_days = horizon_days
        self.tz = ZoneInfo(p.tz)
        self.extra_tzs = [ZoneInfo(z) for z in p.extra_tzs]
        self.notes: dict = {}  # (rule_id, kind, country) -> Reason

    def legal_value(self, rule, kind, on, legacy=None):
        """The legal parameter ``kind`` of the rule's country on ``on``, in
        the debt's minor unit (``None`` if unknown); a stale value is noted."""
        country = rule.jurisdiction.upper().split("-")[0]
        values = self.p.legal_values
        if values is None:
            values = legal_params.PUBLISHED
        found = legal_params.lookup(values, country, kind, on)
        if found.missing and legacy:
            factor = Decimal(self.p.currency_factor)
            table = {y: Decimal(str(v)) / factor for y, v in legacy.items()}
            found = legal_params.lookup(
                legal_params.from_year_table(country, kind, table), country, kind, on
            )
        if found.missing:
            return None
        if found.stale:
            since = found.date_from.isoformat()
            self.notes.setdefault(
                (rule.rule_id, kind, country),
                Reason(
                    rule.rule_id,
                    "warn",
                    f"parameter out of date: {kind} {country} (last known value "
                    f"in force from {since}, used for {on.isoformat()})",
                    rule.citation,
                    "param_stale",
                    (("country", country), ("kind", kind), ("on", on.isoformat()),
                     ("since", since)),
                ),
            )  # fmt: skip
        return found.value * self.p.currency_factor


def _check_time_window(rule, at, ctx):
    params = rule.params
    p = ctx.p
    waivers = params.get("waived_by_consents") or []
    if any(w in p.consents for w in waivers):
        return []
    tzs = [ctx.tz] + (ctx.extra_tzs if params.get("all_tzs") else [])
    out = []
    for tz in tzs:
        inside, earliest = _window_earliest(
            params, at, tz, ctx.holidays, ctx.horizon_days
        )
        if inside:
            continue
        local = at.astimezone(tz)
        holiday = local.date() in ctx.holidays
        what = "a public holiday" if holiday else local.strftime("%a %H:%M")
        msg = f"{_fmt(at, tz)} ({what}) is outside the allowed contact hours"
        if earliest is not None:
            msg += f"; next window opens {_fmt(earliest, tz)}"
        problem = _msg(
            "hours_outside",
            msg,
            at=_fmt(at, tz),
            weekday=local.weekday(),
            holiday=int(holiday),
            next=_fmt(earliest, tz) if earliest is not None else "",
        )
        out.append(_Violation(rule, problem, earliest))
    return out


# -- frequency caps -----------------------------------------------------------


def _caps(params: Mapping) -> list[Mapping]:
    return list(params["caps"]) if "caps" in params else [params]


def _counted(rule: Rule, cap: Mapping, ledger: Sequence[Contact]) -> list[Contact]:
    channels = cap.get("count_channels") or (
        sorted(rule.channels) if rule.channels else None
    )
    kinds = cap.get("count_kinds") or ["collection"]
    tags = cap.get("count_tags")
    out = []
    for c in ledger:
        if channels is not None and c.channel not in channels:
            continue
        if c.kind not in kinds:
            continue
        if tags and not (c.tags & set(tags)):
            continue
        out.append(c)
    return out


def _window_span(window: Mapping) -> timedelta | None:
    wtype = window.get("type", "rolling_days")
    if wtype == "rolling_days":
        return timedelta(days=window.get("days", 7))
    if wtype == "rolling_hours":
        return timedelta(hours=window.get("hours", 24))
    return None


def _unit_bounds(d: date, wtype: str) -> tuple[date, date]:
    if wtype == "day":
        return d, d + timedelta(days=1)
    if wtype == "calendar_week":
        start = d - timedelta(days=d.weekday())
        return start, start + timedelta(days=7)
    if wtype == "calendar_month":
        start = d.replace(day=1)
        return start, date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    raise ValueError(f"unknown window type {wtype!r}")


def _too_many(entries: list[Contact], cap: Mapping, channel: str) -> _Msg | None:
    limit = cap.get("limit")
    if limit is not None and len(entries) >= limit:
        return _msg(
            "freq_limit",
            f"{len(entries)} counted contact(s) already in the window (limit {limit})",
            count=len(entries),
            limit=limit,
        )
    distinct = cap.get("max_distinct_channels")
    if distinct is not None:
        chans = {c.channel for c in entries} | {channel}
        if len(chans) > distinct:
            return _msg(
                "freq_channels",
                f"channels {sorted(chans)} in one window (max {distinct} distinct)",
                channels=sorted(chans),
                limit=distinct,
            )
    return None


def _freq(problem: _Msg, window: str) -> _Msg:
    return _Msg(
        problem.code,
        f"frequency cap ({window}): {problem.text}",
        tuple(sorted(problem.args + (("window", window),))),
    )


def _rolling_problem(counted, at, span, cap, channel):
    near = [c for c in counted if abs(c.at - at) < span]
    if not near:
        return None
    starts = [c.at for c in near if c.at <= at] + [at]
    for a in starts:
        entries = [c for c in near if a <= c.at < a + span]
        problem = _too_many(entries, cap, channel)
        if problem:
            return problem
    return None


def _cap_violations(rule, cap, at, ctx, counted):
    p = ctx.p
    channels = cap.get("count_channels")
    if channels and p.channel not in channels:
        return []
    out = []
    window = cap.get("window")
    if window and (
        cap.get("limit") is not None or cap.get("max_distinct_channels") is not None
    ):
        span = _window_span(window)
        if span is not None:
            v = _rolling_violation(rule, cap, at, counted, span, p.channel)
        else:
            v = _calendar_violation(rule, cap, at, ctx, counted, window["type"])
        if v is not None:
            out.append(v)
    gap_h = cap.get("min_gap_hours")
    if gap_h:
        v = _gap_violation(rule, gap_h, at, counted)
        if v is not None:
            out.append(v)
    return out


def _rolling_violation(rule, cap, at, counted, span, channel):
    """The cap's violation in a rolling window of ``span`` (or ``None``), with
    the first instant a counted contact leaves the window that clears it."""
    problem = _rolling_problem(counted, at, span, cap, channel)
    if not problem:
        return None
    earliest = None
    for cand in sorted({c.at + span for c in counted if c.at + span > at}):
        if not _rolling_problem(counted, cand, span, cap, channel):
            earliest = cand
            break
    amount = span.days or span.seconds // 3600
    desc = f"rolling {amount}{'d' if span.days else 'h'}"
    return _Violation(rule, _freq(problem, desc), earliest)


def _calendar_violation(rule, cap, at, ctx, counted, wtype):
    """The cap's violation in a calendar unit (day, week, month) in the debtor's
    time zone (or ``None``), with the first next unit's midnight, within the
    horizon, that clears it."""

    def unit_problem(instant):
        lo, hi = _unit_bounds(instant.astimezone(ctx.tz).date(), wtype)
        entries = [c for c in counted if lo <= c.at.astimezone(ctx.tz).date() < hi]
        return _too_many(entries, cap, ctx.p.channel), hi

    problem, hi = unit_problem(at)
    if not problem:
        return None
    earliest = None
    limit_at = at + timedelta(days=ctx.horizon_days + 1)
    cand = _midnight(hi, ctx.tz)
    while cand <= limit_at:
        still, hi2 = unit_problem(cand)
        if not still:
            earliest = cand
            break
        cand = _midnight(hi2, ctx.tz)
    return _Violation(rule, _freq(problem, wtype), earliest)


def _gap_violation(rule, gap_h, at, counted):
    """A violation when a counted contact is less than ``gap_h`` hours from
    ``at`` (or ``None``), with the first instant that respects the gap."""
    gap = timedelta(hours=gap_h)

    def gap_problem(instant):
        return any(abs(c.at - instant) < gap for c in counted)

    if not gap_problem(at):
        return None
    earliest = None
    for cand in sorted({c.at + gap for c in counted if c.at + gap > at}):
        if not gap_problem(cand):
            earliest = cand
            break
    problem = _msg(
        "freq_gap",
        f"less than {gap_h} h from another counted contact",
        hours=gap_h,
    )
    return _Violation(rule, problem, earliest)


def _check_frequency_cap(rule, at, ctx):
    out = []
    for cap in _caps(rule.params):
        counted = _counted(rule, cap, ctx.ledger)
        out.extend(_cap_violations(rule, cap, at, ctx, counted))
    if rule.params.get("defer") is False:
        # The law presumes a breach: the contact is refused, not postponed.
        out = [
            _Violation(
                v.rule,
                _Msg(
                    v.problem.code,
                    v.message + " (refused, not deferred)",
                    tuple(sorted(v.problem.args + (("refused", 1),))),
                ),
                None,
            )
            for v in out
        ]
    return out


# -- waiting periods ------------------------------------------------------------


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # Feb 29
        return d.replace(year=d.year + years, day=28)


def _check_waiting_period(rule, at, ctx):
    params = rule.params
    today = at.astimezone(ctx.tz).date()
    hard = _waiting_hard_problems(rule, ctx, today)
    met, curable, missing = _waiting_after_status(params, ctx.p, today)
    out = [_Violation(rule, msg) for msg in hard]
    if params.get("after") or []:
        mode = params.get("after_mode", "all")
        out.extend(_waiting_after_violations(rule, ctx, mode, met, curable, missing))
    return out


def _waiting_hard_problems(rule, ctx, today) -> list[_Msg]:
    """Problems no amount of waiting can cure (tags, amount, limits, notices)."""
    params, p = rule.params, ctx.p
    hard: list[_Msg] = []
    for tag in params.get("unless_debt_tags") or []:
        if tag in p.debt_tags:
            hard.append(
                _msg("wait_debt_tag", f"not allowed while the debt is {tag!r}", tag=tag)
            )
    min_amount = params.get("min_amount_cents")
    if min_amount is not None and (
        p.amount_cents is None or p.amount_cents < min_amount
    ):
        hard.append(
            _msg(
                "wait_min_amount",
                f"amount {p.amount_cents} below the minimum {min_amount} (or unknown)",
                amount=p.amount_cents,
                minimum=min_amount,
            )
        )
    hard.extend(_waiting_max_after_problems(params, p, today))
    sb = params.get("small_balance")
    if sb:
        hard.extend(_waiting_small_balance_problems(rule, sb, ctx, today))
    return hard


def _waiting_max_after_problems(params, p, today) -> list[_Msg]:
    problems: list[_Msg] = []
    for item in params.get("max_after") or []:
        ev = p.events.get(item["event"])
        if ev is None:
            if item.get("required", True):
                problems.append(
                    _msg(
                        "wait_limit_unknown",
                        f"event {item['event']!r} unknown; cannot check the time limit",
                        event=item["event"],
                    )
                )
            continue
        last = (
            _add_years(ev, item["years"])
            if "years" in item
            else ev + timedelta(days=item["days"])
        )
        if today > last:
            problems.append(
                _msg(
                    "wait_too_late",
                    f"too late: allowed only until {last.isoformat()} "
                    f"({item['event']} + limit)",
                    until=last,
                    event=item["event"],
                )
            )
    return problems


def _waiting_small_balance_problems(rule, sb, ctx, today) -> list[_Msg]:
    """Two notices on different days when the balance is small.

    The base (e.g. Colombia's SMMLV) is the legal parameter ``base_param``
    in force on the decision date; when none is, the last known one (the
    decision is then marked "parameter out of date"); when none is known
    the engine refuses to decide rather than assume a small balance.
    """
    p = ctx.p
    first = p.events.get(sb["earlier_event"])
    last = p.events.get(sb["event"])
    if first is not None and last is not None and first < last:
        return []  # the stricter requirement is met whatever the balance
    two = _msg(
        "wait_two_notices",
        "small balance (or amount unknown): two notices on different days "
        f"({sb['earlier_event']!r} before {sb['event']!r}) are required",
        earlier=sb["earlier_event"],
        event=sb["event"],
    )
    if p.amount_cents is None:
        return [two]
    kind = sb.get("base_param", "minimum_wage")
    base = ctx.legal_value(rule, kind, today, sb.get("base_cents_by_year"))
    if base is None:
        country = rule.jurisdiction.upper().split("-")[0]
        return [
            _msg(
                "param_missing",
                f"legal parameter {kind} {country} unknown for {today.isoformat()}: "
                "cannot tell whether the balance is small",
                kind=kind,
                country=country,
                on=today,
            )
        ]
    if Decimal(p.amount_cents) <= Decimal(str(sb["fraction"])) * base:
        return [two]
    return []


def _waiting_after_status(params, p, today):
    """Split the ``after`` events into met, curable (by waiting) and missing."""
    met, curable, missing = [], [], []
    for item in params.get("after") or []:
        name = item["event"]
        ev = p.events.get(name)
        if ev is None:
            missing.append(
                _msg("wait_no_event", f"event {name!r} has not happened", event=name)
            )
            continue
        blocked = [
            u
            for u in item.get("unless_events") or []
            if u in p.events and p.events[u] >= ev
        ]
        if blocked:
            missing.append(
                _msg(
                    "wait_voided",
                    f"event {name!r} is voided by {blocked}",
                    event=name,
                    by=blocked,
                )
            )
            continue
        first_day = ev + timedelta(
            days=item.get("min_days", 0) + (1 if item.get("exclusive") else 0)
        )
        if today >= first_day:
            met.append(name)
        else:
            curable.append((first_day, name))
    return met, curable, missing


def _waiting_after_violations(rule, ctx, mode, met, curable, missing):
    if mode == "any":
        if met:
            return []
        if curable:
            first_day, name = min(curable)
            return [_wait(rule, name, first_day, ctx)]
        return [_Violation(rule, m) for m in missing]
    if missing:
        return [_Violation(rule, m) for m in missing]
    if curable:
        first_day, name = max(curable)
        return [_wait(rule, name, first_day, ctx)]
    return []


def _wait(rule, name, first_day, ctx):
    earliest = _midnight(first_day, ctx.tz)
    return _Violation(
        rule,
        _msg(
            "wait_until",
            f"waiting period after {name!r}: not before {first_day.isoformat()}",
            event=name,
            date=first_day,
        ),
        earliest,
    )


# -- content ------------------------------------------------------------------------


def _is_first_contact(ledger, at) -> bool:
    return not any(c.kind == "collection" and c.at < at for c in ledger)


def _missing_tags(required, tags) -> list[str]:
    missing = []
    for item in required or []:
        options = [item] if isinstance(item, str) else list(item)
        if not any(o in tags for o in options):
            missing.append(" or ".join(options))
    return missing


def tags_a_rule_may_require(params) -> set[str]:
    """Every content tag a ``required_content`` rule's ``params`` can ask
    for, whatever the contact (first or later) and the content.

    >>> sorted(tags_a_rule_may_require(
    ...     {"tags": ["opt_out", ["mini_miranda", "debt_collector_disclosure"]],
    ...      "first_contact_tags": ["validation_notice"]}))
    ['debt_collector_disclosure', 'mini_miranda', 'opt_out', 'validation_notice']
    """
    found = set()
    for key in ("tags", "first_contact_tags", "subsequent_tags"):
        for item in params.get(key) or []:
            found.update([item] if isinstance(item, str) else item)
    return found


def channel_may_require(rules, channel, tag) -> bool:
    """Whether any ``required_content`` rule of ``rules`` that applies to
    ``channel`` (a rule without channels applies to every channel) can
    require ``tag``, whatever the contact and the content.

    >>> optout = Rule("US-OPTOUT", "US", "required_content",
    ...               {"tags": ["opt_out"]}, channels=["email", "sms"])
    >>> channel_may_require([optout], "letter", "opt_out")
    False
    >>> channel_may_require([optout], "email", "opt_out")
    True
    >>> everywhere = Rule("X-ALL", "US", "required_content",
    ...                   {"first_contact_tags": ["opt_out"]})
    >>> channel_may_require([optout, everywhere], "letter", "opt_out")
    True
    """
    return any(
        rule.kind == "required_content"
        and (not rule.channels or channel in rule.channels)
        and tag in tags_a_rule_may_require(rule.params)
        for rule in rules
    )


def _required_content_problems(params, tags, first_contact) -> list[_Msg]:
    cond = params.get("if_content_tags")
    if cond and not all(t in tags for t in cond):
        return []
    required = list(params.get("tags") or [])
    if first_contact is True:
        required += params.get("first_contact_tags") or []
    elif first_contact is False:
        required += params.get("subsequent_tags") or []
    missing = _missing_tags(required, tags)
    if not missing:
        return []
    when = (
        " (first contact)" if first_contact and params.get("first_contact_tags") else ""
    )
    return [
        _msg(
            "content_missing",
            f"missing required content{when}: {', '.join(missing)}",
            tags=missing,
            first=int(bool(when)),
        )
    ]


def _forbidden_content_problems(
    params, channel, tags, fields, sms_length, debt_tags=None
) -> list[_Msg]:
    cond = params.get("if_debt_tags")
    if cond and (debt_tags is None or not set(cond) & set(debt_tags)):
        return []
    problems = []
    bad = sorted(set(params.get("tags") or []) & set(tags))
    if bad:
        problems.append(
            _msg(
                "content_forbidden",
                f"forbidden content blocks: {', '.join(bad)}",
                tags=bad,
            )
        )
    for field_name, phrases in (params.get("phrases") or {}).items():
        text = fields.get(field_name, "")
        if not text:
            continue
        hits = [ph for ph in phrases if phrase_found(ph, text)]
        if hits:
            problems.append(
                _msg(
                    "content_wording",
                    f"forbidden wording in {field_name}: "
                    + ", ".join(repr(h) for h in hits),
                    field=field_name,
                    words=hits,
                )
            )
    max_len = params.get("max_sms_length")
    if max_len and channel == "sms" and sms_length is not None and sms_length > max_len:
        problems.append(
            _msg(
                "sms_length",
                f"SMS of {sms_length} characters exceeds {max_len}",
                length=sms_length,
                limit=max_len,
            )
        )
    return problems


def _fields(p) -> dict:
    return {"body": p.text, "subject": p.subject, "envelope": p.envelope_text}


def _sms_len(p) -> int | None:
    if p.channel != "sms":
        return None
    return p.sms_length if p.sms_length is not None else len(p.text or "")


def _check_required_content(rule, at, ctx):
    first = _is_first_contact(ctx.ledger, at)
    return [
        _Violation(rule, m)
        for m in _required_content_problems(rule.params, ctx.p.content_tags, first)
    ]


def _check_forbidden_content(rule, at, ctx):
    p = ctx.p
    probs = _forbidden_content_problems(
        rule.params, p.channel, p.content_tags, _fields(p), _sms_len(p), p.debt_tags
    )
    return [_Violation(rule, m) for m in probs]


def _check_recipient(rule, at, ctx):
    params = rule.params
    p = ctx.p
    problems = []
    allowed = params.get("allowed_roles")
    if allowed and p.recipient_role not in allowed:
        problems.append(
            _msg(
                "recipient_role",
                f"recipient role {p.recipient_role!r} may not be contacted "
                f"(allowed: {allowed})",
                role=p.recipient_role,
                allowed=allowed,
            )
        )
    if p.recipient_role in (params.get("forbidden_roles") or []):
        problems.append(
            _msg(
                "recipient_role",
                f"recipient role {p.recipient_role!r} may not be contacted",
                role=p.recipient_role,
            )
        )
    if p.channel in (params.get("forbidden_channels") or []):
        problems.append(
            _msg(
                "channel_forbidden",
                f"channel {p.channel!r} is not allowed",
                channel=p.channel,
            )
        )
    problems += _recipient_tag_problems(params, p)
    if params.get("require_authorized_channel"):
        if p.authorized_channels is None:
            problems.append(
                _msg(
                    "channels_unrecorded",
                    "no record of the channels the debtor authorised",
                )
            )
        elif p.channel not in p.authorized_channels:
            problems.append(
                _msg(
                    "channel_unauthorised",
                    f"channel {p.channel!r} was not authorised by the debtor",
                    channel=p.channel,
                )
            )
    missing = [c for c in params.get("required_consents") or [] if c not in p.consents]
    if missing:
        problems.append(
            _msg(
                "consent_missing",
                f"missing prior consent {missing}",
                consents=missing,
            )
        )
    return [_Violation(rule, m) for m in problems]


def _recipient_tag_problems(params, p) -> list[_Msg]:
    problems = []
    bad = sorted(set(params.get("forbidden_recipient_tags") or []) & p.recipient_tags)
    if bad:
        problems.append(
            _msg("recipient_flagged", f"recipient/address flagged {bad}", tags=bad)
        )
    if p.recipient_role != "debtor":
        bad = sorted(
            set(params.get("non_debtor_forbidden_tags") or []) & p.recipient_tags
        )
        if bad:
            problems.append(
                _msg(
                    "recipient_flagged",
                    f"non-debtor recipient flagged {bad}",
                    tags=bad,
                )
            )
    missing = [
        t
        for t in params.get("required_recipient_tags") or []
        if t not in p.recipient_tags
    ]
    if missing:
        problems.append(
            _msg(
                "recipient_lacks",
                f"recipient/address lacks {missing}",
                tags=missing,
            )
        )
    return problems


def _check_stop(rule, at, ctx):
    p = ctx.p
    today = at.astimezone(ctx.tz).date()
    params = rule.params
    conditions = params.get("conditions") or [params]
    out = []
    for cond in conditions:
        if set(cond.get("except_content_tags") or []) & p.content_tags:
            continue
        triggers: list[tuple[date, str]] = []
        for name in cond.get("events") or []:
            ev = p.events.get(name)
            if ev is not None and ev <= today:
                triggers.append((ev, name))
        ltags = set(cond.get("ledger_tags") or [])
        if ltags:
            for c in ctx.ledger:
                if c.at <= at and c.tags & ltags:
                    triggers.append(
                        (c.at.astimezone(ctx.tz).date(), sorted(c.tags & ltags)[0])
                    )
        for tag in cond.get("debt_tags") or []:
            if tag in p.debt_tags:
                triggers.append((date.max, tag))
        if not triggers:
            continue
        when, what = max(triggers)
        resumed = [
            r
            for r in cond.get("resumed_by") or []
            if r in p.events
            and p.events[r] <= today
            and (when == date.max or p.events[r] >= when)
        ]
        if resumed and when != date.max:
            continue
        out.append(
            _Violation(rule, _msg("stopped", f"contact stopped: {what}", what=what))
        )
    return out


def _check_fee_cap(rule, at, ctx):
    problems = _fee_condition_problems(rule.params, ctx.p)
    tranches = rule.params.get("tranches")
    if tranches:
        problem = _fee_tranche_problem(rule, tranches, at, ctx)
        if problem is not None:
            problems.append(problem)
    return [_Violation(rule, m) for m in problems]


def _fee_condition_problems(params, p) -> list[_Msg]:
    """When a fee may be charged at all: not on the debt tags in
    ``forbidden_if_debt_tags``, only documented costs, not before
    ``min_days_overdue``."""
    problems = []
    bad = sorted(set(params.get("forbidden_if_debt_tags") or []) & p.debt_tags)
    if bad:
        problems.append(
            _msg(
                "fee_forbidden",
                f"no collection fee may be charged on {bad}",
                tags=bad,
            )
        )
    if params.get("documented_costs_only") and not p.fee_documented:
        problems.append(
            _msg(
                "fee_documented",
                "fee must cover real, documented, pre-disclosed collection work",
            )
        )
    min_days = params.get("min_days_overdue")
    if min_days is not None and (p.days_overdue is None or p.days_overdue < min_days):
        problems.append(
            _msg(
                "fee_too_early",
                f"no fee before {min_days} days overdue "
                f"(days overdue: {p.days_overdue})",
                days=min_days,
                overdue=p.days_overdue,
            )
        )
    return problems


def _fee_tranche_problem(rule, tranches, at, ctx) -> _Msg | None:
    """The fee against the tranche cap on the amount, counted in the rule's
    ``unit`` (UF, UIT...): unknown amount or unit value, or over the cap."""
    p = ctx.p
    unit = rule.params.get("unit")
    unit_value = _unit_value(rule, unit, at, ctx)
    if p.amount_cents is None or unit_value is None:
        return _msg(
            "fee_unknown",
            f"cannot check fee cap: amount or {unit} value unknown",
            unit=unit,
        )
    uv = Decimal(str(unit_value))
    cap = (
        tranche_cap(
            Decimal(p.amount_cents) / uv, [(u, str(pct)) for u, pct in tranches]
        )
        * uv
    )
    cap = int(cap.quantize(Decimal(1), rounding=ROUND_DOWN))
    if p.fee_cents > cap:
        return _msg(
            "fee_over_cap",
            f"fee {p.fee_cents} exceeds the cap {cap}",
            fee=p.fee_cents,
            cap=cap,
        )
    return None


def _unit_value(rule, unit, at, ctx):
    """Value of one ``unit`` (UF, UIT...) in the debt's minor unit: the
    caller's ``unit_values`` first, else the dated legal parameter."""
    if not unit:
        return 1
    if unit in ctx.p.unit_values:
        return ctx.p.unit_values[unit]
    kind = legal_params.UNIT_KINDS.get(unit)
    if kind is None:
        return None
    value = ctx.legal_value(rule, kind, at.astimezone(ctx.tz).date())
    return None if value is None else int(value)


_CHECKS = {
    "time_window": _check_time_window,
    "frequency_cap": _check_frequency_cap,
    "waiting_period": _check_waiting_period,
    "required_content": _check_required_content,
    "forbidden_content": _check_forbidden_content,
    "recipient_restriction": _check_recipient,
    "stop_condition": _check_stop,
    "fee_cap": _check_fee_cap,
}


def _violations(rules, at, ctx, chain) -> list[_Violation]:
    out = []
    for rule in rules:
        if _applies(rule, ctx.p, at, chain):
            for v in _CHECKS[rule.kind](rule, at, ctx):
                end = _validity_end(rule, ctx.tz)
                if v.earliest is not None and end is not None and end < v.earliest:
                    v = _Violation(v.rule, v.problem, end)
                out.append(v)
    return out


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def evaluate(
    proposed: ProposedContact,
    rules: Iterable,
    ledger: Sequence[Contact],
    holidays: Collection[date],
    *,
    overrides: Collection[str] = (),
    horizon_days: int = 60,
) -> Decision:
    """Decide ``allow`` / ``defer`` (with ``not_before``) / ``block``.

    ``rules``: ``Rule`` objects or rule-pack dicts (all jurisdictions may be
    passed; only applicable ones are used). ``ledger``: the debtor's past (and
    already scheduled) contacts, per person and per debt where the law counts
    that way (US-FREQ). ``holidays``: public holidays of the debtor's country
    (see ``holidays.py``). ``overrides``: rule ids of *warn* rules a manager
    has overridden. See the module docstring for the exact semantics.
    """
    rules = [_to_rule(r) for r in rules]
    chain = jurisdiction_chain(proposed.jurisdiction)
    ctx = _Ctx(proposed, ledger, frozenset(holidays), horizon_days)
    overrides = frozenset(overrides)
    limit = proposed.at + timedelta(days=horizon_days)
    at = proposed.at
    seen: dict[tuple[str, str], Reason] = {}
    while True:
        binding, waived_reasons = _split_waived(
            _violations(rules, at, ctx, chain), overrides
        )
        notes = tuple(ctx.notes.values())
        if not binding:
            if at == proposed.at:
                return Decision("allow", None, waived_reasons, notes)
            return Decision("defer", at, tuple(seen.values()) + waived_reasons, notes)
        _remember(seen, binding)
        hard = [v for v in binding if v.earliest is None]
        if hard:
            reasons = tuple(
                dict.fromkeys([v.reason() for v in hard] + list(seen.values()))
            )
            return Decision("block", None, reasons + waived_reasons, notes)
        at = _next_instant(binding, at)
        if at > limit:
            return _horizon_block(seen, waived_reasons, notes, horizon_days)


def _split_waived(violations, overrides):
    """``(binding, waived_reasons)``: the violations that bind, and the reasons
    (deduplicated, marked overridden) of the *warn* ones in ``overrides``."""
    waived = [
        v
        for v in violations
        if v.rule.severity == "warn" and v.rule.rule_id in overrides
    ]
    binding = [
        v
        for v in violations
        if not (v.rule.severity == "warn" and v.rule.rule_id in overrides)
    ]
    return binding, tuple(dict.fromkeys(v.reason(True) for v in waived))


def _remember(seen: dict, violations) -> None:
    """Keep the first reason met for each (rule id, kind) in ``seen``."""
    for v in violations:
        key = (v.rule.rule_id, v.rule.kind)
        seen.setdefault(key, v.reason())


def _next_instant(binding, at: datetime) -> datetime:
    """The next instant to try: the latest ``earliest`` of the binding
    violations (at least one minute after ``at``)."""
    nxt = max(v.earliest for v in binding)
    if nxt <= at:  # defensive: a checker must always move forward
        nxt = at + timedelta(minutes=1)
    return nxt


def _horizon_block(seen, waived_reasons, notes, horizon_days: int) -> Decision:
    """Block: no instant within the horizon satisfies every rule."""
    horizon = Reason(
        "ENGINE-HORIZON",
        "block",
        f"no instant within {horizon_days} days satisfies every applicable rule",
        "",
        "horizon",
        (("days", horizon_days),),
    )
    return Decision(
        "block",
        None,
        tuple(seen.values()) + (horizon,) + waived_reasons,
        notes,
    )


def lint_template(
    *,
    channel: str,
    tags: Collection[str],
    subject: str = "",
    body_text: str = "",
    envelope_text: str = "",
    sms_length: int | None = None,
    rules: Iterable,
    jurisdiction: str | None = None,
    debtor_type: str | None = None,
    actor_type: str | None = None,
    kind: str = "collection",
    first_contact: bool | None = None,
    on: date | None = None,
) -> list[Reason]:
    """Save-time checks of a template against content rules.

    Checks ``required_content`` (``tags``; ``first_contact_tags`` only when
    ``first_contact`` is True, ``subsequent_tags`` when False) and
    ``forbidden_content`` (tags and phrases in body/subject/envelope; rules
    with ``if_debt_tags`` are skipped: they depend on the debt and are checked
    by ``evaluate``). Rules are filtered by channel and ``kind``, and also by
    jurisdiction / debtor / actor type / validity date when given. For SMS
    the length (``sms_length`` or ``len(body_text)``) must not exceed the
    smallest ``max_sms_length`` of the rules, default 160 (reason id
    ``SMS-LENGTH``, severity block); text needing UCS-2 (characters outside
    GSM-7, e.g. "á") longer than 70 adds an ``SMS-ENCODING`` warning.
    """
    tags = frozenset(tags)
    chain = jurisdiction_chain(jurisdiction) if jurisdiction else None
    fields = {"body": body_text, "subject": subject, "envelope": envelope_text}
    length = (
        (sms_length if sms_length is not None else len(body_text or ""))
        if channel == "sms"
        else None
    )
    reasons: list[Reason] = []
    sms_limit = DEFAULT_SMS_LENGTH
    for rule in map(_to_rule, rules):
        if not _lint_rule_applies(
            rule, channel, chain, debtor_type, actor_type, kind, on
        ):
            continue
        if rule.kind == "required_content":
            problems = _required_content_problems(rule.params, tags, first_contact)
        else:
            if rule.params.get("if_debt_tags"):
                continue
            problems = _forbidden_content_problems(
                rule.params, channel, tags, fields, None
            )
            if rule.params.get("max_sms_length"):
                sms_limit = min(sms_limit, int(rule.params["max_sms_length"]))
        reasons.extend(
            Reason(rule.rule_id, rule.severity, m.text, rule.citation, m.code, m.args)
            for m in problems
        )
    if channel == "sms" and length is not None:
        reasons.extend(_sms_lint_reasons(body_text, length, sms_limit))
    return reasons


def _lint_rule_applies(rule, channel, chain, debtor_type, actor_type, kind, on):
    """Whether a content rule is checked by :func:`lint_template`: a
    ``required_content`` or ``forbidden_content`` rule whose channel, ``kind``
    and (when given) jurisdiction chain, debtor / actor type and validity
    dates match the template's."""
    if rule.kind not in ("required_content", "forbidden_content"):
        return False
    if rule.channels and channel not in rule.channels:
        return False
    if chain and rule.jurisdiction.upper() not in chain:
        return False
    if debtor_type and rule.debtor_types and debtor_type not in rule.debtor_types:
        return False
    if actor_type and rule.actor_types and actor_type not in rule.actor_types:
        return False
    kinds = _rule_kinds(rule)
    if kinds is not None and kind not in kinds:
        return False
    return not (
        on
        and (
            (rule.valid_from and on < rule.valid_from)
            or (rule.valid_to and on > rule.valid_to)
        )
    )


def _sms_lint_reasons(body_text: str, length: int, sms_limit: int) -> list[Reason]:
    """``SMS-LENGTH`` (block) above ``sms_limit`` characters and
    ``SMS-ENCODING`` (warn) for UCS-2 text longer than 70 characters."""
    reasons = []
    if length > sms_limit:
        reasons.append(
            Reason(
                "SMS-LENGTH",
                "block",
                f"SMS of {length} characters exceeds {sms_limit}",
                "",
                "sms_length",
                (("length", length), ("limit", sms_limit)),
            )
        )
    if any(ch not in _GSM7 for ch in body_text or "") and length > 70:
        reasons.append(
            Reason(
                "SMS-ENCODING",
                "warn",
                f"text needs UCS-2 (non GSM-7 characters): {length} > 70 "
                "characters per segment",
                "",
                "sms_encoding",
                (("length", length),),
            )
        )
    return reasons


def notice_deadlines(
    rules: Iterable,
    *,
    jurisdiction: str,
    debtor_type: str,
    actor_type: str,
    events: Mapping[str, date],
    ledger: Sequence[Contact] = (),
    tz: str = "UTC",
) -> list[tuple[Reason, date]]:
    """Mandatory notices still owed: ``[(reason, last_day), ...]``.

    For ``notice_deadline`` rules (CL-FIRST: a free notice within 15 days of
    each missed due date; US-VALIDATION: the validation notice within 5 days
    of the first communication). A deadline is owed when its trigger
    (``events[after_event]``, or the first ``collection`` contact of the
    ledger for ``"first_contact"``) exists and ``events[satisfied_by_event]``
    is missing or older than the trigger. Overdue ones are included too
    (``last_day`` in the past).
    """
    chain = jurisdiction_chain(jurisdiction)
    out = []
    for rule in map(_to_rule, rules):
        if rule.kind != "notice_deadline" or rule.jurisdiction.upper() not in chain:
            continue
        if rule.debtor_types and debtor_type not in rule.debtor_types:
            continue
        if rule.actor_types and actor_type not in rule.actor_types:
            continue
        params = rule.params
        trigger_name = params["after_event"]
        if trigger_name == "first_contact":
            firsts = [c.at for c in ledger if c.kind == "collection"]
            trigger = min(firsts).astimezone(ZoneInfo(tz)).date() if firsts else None
        else:
            trigger = _as_date(events.get(trigger_name))
        if trigger is None:
            continue
        done = _as_date(events.get(params["satisfied_by_event"]))
        if done is not None and done >= trigger:
            continue
        last_day = trigger + timedelta(days=params["within_days"])
        msg = (
            f"{params['satisfied_by_event']!r} due by {last_day.isoformat()} "
            f"({trigger_name} + {params['within_days']} days)"
        )
        args = _msg(
            "notice_due",
            msg,
            event=params["satisfied_by_event"],
            date=last_day,
            trigger=trigger_name,
            days=params["within_days"],
        ).args
        reason = Reason(
            rule.rule_id, rule.severity, msg, rule.citation, "notice_due", args
        )
        out.append((reason, last_day))
    return out
