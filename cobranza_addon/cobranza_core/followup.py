"""Follow-up level selection and the grouping of due actions.

A policy is an ordered list of :class:`Level`. A level's ``offset_days`` is
counted from the invoice due date; a negative offset is a pre-due reminder.
An invoice is due for the *highest* level whose offset it has reached and
that is above the level it already had: levels are never repeated, never go
backwards, and an invoice found 90 days late is not sent the friendly
reminder first.

>>> from datetime import date
>>> levels = [Level(1, 10, -3), Level(2, 20, 5), Level(3, 30, 30)]
>>> select_level(levels, days_past_due=-5, current_sequence=None) is None
True
>>> select_level(levels, days_past_due=-3, current_sequence=None).level_id
1
>>> select_level(levels, days_past_due=45, current_sequence=None).level_id
3
>>> select_level(levels, days_past_due=45, current_sequence=30) is None
True
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .aging import days_past_due as _days_past_due


class PolicyError(ValueError):
    """A policy or level configuration that cannot work.

    ``code`` and ``params`` let the shell write the sentence in the user's
    language; the message is the English one.
    """

    def __init__(self, message, code="", **params):
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Level:
    level_id: int
    sequence: int
    offset_days: int
    manual_review: bool = False
    channels: frozenset = frozenset()
    has_template: frozenset = frozenset()


@dataclass(frozen=True)
class InvoiceState:
    """What the run needs to know about one open receivable invoice."""

    invoice_id: int
    partner_id: int
    policy_id: int | None
    due_date: date
    residual: object
    current_sequence: int | None = None
    last_followup: date | None = None
    excluded: bool = False
    disputed: bool = False
    paused_until: date | None = None


@dataclass(frozen=True)
class Action:
    """One communication: a partner at a level, with all its invoices."""

    partner_id: int
    policy_id: int
    level_id: int
    invoice_ids: tuple = field(default_factory=tuple)
    total: object = 0
    max_days_past_due: int = 0
    manual_review: bool = False


#: Channels a level may use.
CHANNELS = ("email", "letter", "sms", "activity")
#: Channels that need a template.
TEMPLATE_CHANNELS = ("email", "letter", "sms")


def check_levels(levels: Sequence[Level]) -> None:
    """Refuse a configuration that cannot work, with a clear message.

    >>> check_levels([])
    Traceback (most recent call last):
    ...
    cobranza_core.followup.PolicyError: A follow-up policy needs at least one level.
    """
    if not levels:
        raise PolicyError("A follow-up policy needs at least one level.", "no_level")
    seen = {}
    for level in levels:
        if level.offset_days in seen:
            raise PolicyError(
                f"Two levels use the same offset of {level.offset_days} days.",
                "same_offset",
                offset=level.offset_days,
            )
        seen[level.offset_days] = level
        missing = set(level.channels) & set(TEMPLATE_CHANNELS)
        missing -= set(level.has_template)
        if missing:
            raise PolicyError(
                "Channel(s) without a template: " + ", ".join(sorted(missing)),
                "no_template",
                channels=tuple(sorted(missing)),
            )
        if not level.channels:
            raise PolicyError("Every level needs at least one channel.", "no_channel")


def ordered(levels: Iterable[Level]) -> list:
    """Levels by offset (the order the customer experiences them)."""
    return sorted(levels, key=lambda lv: (lv.offset_days, lv.sequence))


def select_level(
    levels: Sequence[Level], days_past_due: int, current_sequence: int | None
) -> Level | None:
    """The level an invoice is due for now, or ``None``.

    ``current_sequence`` is the ``sequence`` of the level already applied
    (``None`` when the invoice never had one). Among the levels whose offset
    has been reached, the highest is returned if it is above the current one.
    """
    reached = [lv for lv in ordered(levels) if lv.offset_days <= days_past_due]
    if not reached:
        return None
    target = reached[-1]
    if current_sequence is not None and target.sequence <= current_sequence:
        return None
    return target


def is_followed(inv: InvoiceState, today: date) -> bool:
    """Whether the run considers this invoice at all today."""
    if inv.excluded or inv.disputed:
        return False
    if inv.paused_until is not None and today <= inv.paused_until:
        return False
    return inv.residual > 0


def plan_actions(
    invoices: Iterable[InvoiceState],
    policies: dict,
    today: date,
) -> list:
    """Group due invoices into one :class:`Action` per partner and level.

    ``policies`` maps a policy id to its list of :class:`Level`. Invoices
    without a policy, or with a policy that has no levels, are ignored.
    The result is sorted by partner, then by the level's offset.

    >>> from datetime import date
    >>> lv = [Level(1, 10, 0), Level(2, 20, 15)]
    >>> invs = [
    ...     InvoiceState(1, 7, 1, date(2026, 1, 1), 100),
    ...     InvoiceState(2, 7, 1, date(2026, 1, 20), 50),
    ...     InvoiceState(3, 7, 1, date(2026, 1, 2), 30, current_sequence=20),
    ... ]
    >>> [(a.partner_id, a.level_id, a.invoice_ids, a.total)
    ...  for a in plan_actions(invs, {1: lv}, date(2026, 1, 20))]
    [(7, 1, (2,), 50), (7, 2, (1,), 100)]
    """
    groups = {}
    for inv in invoices:
        if inv.policy_id is None or not is_followed(inv, today):
            continue
        levels = policies.get(inv.policy_id)
        if not levels:
            continue
        days = _days_past_due(inv.due_date, today)
        level = select_level(levels, days, inv.current_sequence)
        if level is None:
            continue
        key = (inv.partner_id, inv.policy_id, level.level_id)
        entry = groups.setdefault(key, [level, [], 0, days])
        entry[1].append(inv.invoice_id)
        entry[2] = entry[2] + inv.residual
        entry[3] = max(entry[3], days)
    actions = [
        Action(
            partner_id=partner_id,
            policy_id=policy_id,
            level_id=level.level_id,
            invoice_ids=tuple(sorted(ids)),
            total=total,
            max_days_past_due=max_days,
            manual_review=level.manual_review,
        )
        for (partner_id, policy_id, _lid), (level, ids, total, max_days) in (
            groups.items()
        )
    ]
    offsets = {
        lv.level_id: lv.offset_days for levels in policies.values() for lv in levels
    }
    actions.sort(key=lambda a: (a.partner_id, offsets[a.level_id]))
    return actions


def level_fee(residual, fixed=0, percent=0):
    """A level's fee: a fixed amount plus a percentage of the residual.

    >>> from decimal import Decimal
    >>> level_fee(Decimal("200.00"), fixed=Decimal("5"), percent=Decimal("2.5"))
    Decimal('10.00')
    """
    fee = Decimal(fixed or 0) + Decimal(residual) * Decimal(percent or 0) / 100
    return fee.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
