"""Follow-up level selection and the grouping of due actions.

A policy is an ordered list of :class:`Level`. A level's ``offset_days`` is
counted from the invoice due date; a negative offset (or zero, the due date
itself) is a pre-due reminder, which only applies while an invoice is not yet
overdue. An invoice is due for the *highest* level whose offset it has
reached and that is above the level it already had: levels are never
repeated, never go backwards, and an invoice found 90 days late is not sent
the friendly reminder first.

>>> from datetime import date
>>> levels = [Level(1, -3, -3), Level(2, 5, 5), Level(3, 30, 30)]
>>> select_level(levels, days_past_due=-5, current_sequence=None) is None
True
>>> select_level(levels, days_past_due=-3, current_sequence=None).level_id
1
>>> select_level(levels, days_past_due=3, current_sequence=None) is None
True
>>> select_level(levels, days_past_due=45, current_sequence=None).level_id
3
>>> select_level(levels, days_past_due=45, current_sequence=30) is None
True

The run sends one message per customer (and currency): the action is at the
highest level due among the customer's invoices and lists every open
invoice, each with its own level (``None``: listed, not escalated), overdue
ones first. A policy may opt into one message per level instead.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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
    #: Rank (sequence) of the stage the level moves invoices to, if any.
    stage_rank: int | None = None

    @property
    def pre_due(self) -> bool:
        """A reminder before (or on) the due date, never for overdue invoices."""
        return self.offset_days <= 0


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
    currency_id: int | None = None
    #: Rank (sequence) of the invoice's current stage on the ladder.
    stage_rank: int | None = None


@dataclass(frozen=True)
class ActionLine:
    """One invoice of an action: escalated to ``level_id`` or only listed."""

    invoice_id: int
    level_id: int | None
    days_past_due: int
    residual: object

    @property
    def overdue(self) -> bool:
        return self.days_past_due > 0


@dataclass(frozen=True)
class Action:
    """One communication: a customer at a level, with its invoices."""

    partner_id: int
    policy_id: int
    level_id: int
    currency_id: int | None = None
    lines: tuple = ()
    manual_review: bool = False
    pre_due: bool = False

    @property
    def invoice_ids(self) -> tuple:
        return tuple(line.invoice_id for line in self.lines)

    @property
    def total(self):
        """What the message asks for: the overdue amount, or the amount
        falling due for a pre-due reminder."""
        return sum(
            (line.residual for line in self.lines if line.overdue != self.pre_due),
            0,
        )

    @property
    def max_days_past_due(self) -> int:
        return max([line.days_past_due for line in self.lines] + [0])


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


def applies(level: Level, days_past_due: int) -> bool:
    """Whether ``level`` may be sent for an invoice this many days past due:
    its offset is reached, and a pre-due level only while not yet overdue.

    >>> applies(Level(1, -3, -3), -2), applies(Level(1, -3, -3), 1)
    (True, False)
    """
    if level.offset_days > days_past_due:
        return False
    return days_past_due <= 0 or not level.pre_due


def select_level(
    levels: Sequence[Level],
    days_past_due: int,
    current_sequence: int | None,
    stage_rank: int | None = None,
) -> Level | None:
    """The level an invoice is due for now, or ``None``.

    ``current_sequence`` is the ``sequence`` of the level already applied
    (``None`` when the invoice never had one). Among the levels that apply
    (:func:`applies`), the highest is returned if it is above the current
    one and its stage is not behind the invoice's stage (``stage_rank``: a
    collector's manual escalation is not answered with a milder level).
    """
    return _select_in_order(
        ordered(levels), days_past_due, current_sequence, stage_rank
    )


def _select_in_order(levels, days_past_due, current_sequence, stage_rank):
    """:func:`select_level` on levels already :func:`ordered`."""
    target = None
    for level in reversed(levels):
        if applies(level, days_past_due):
            target = level
            break
    if target is None:
        return None
    if current_sequence is not None and target.sequence <= current_sequence:
        return None
    if (
        stage_rank is not None
        and target.stage_rank is not None
        and target.stage_rank < stage_rank
    ):
        return None
    return target


def stage_moves(
    current_rank: int | None,
    target_rank: int | None,
    manual: bool = False,
    forward_after_manual: bool = True,
) -> bool:
    """Whether the run moves an invoice to a level's stage: only forward, and
    after a manual move only if the company allows it.

    >>> stage_moves(40, 30), stage_moves(30, 40), stage_moves(30, 40, True, False)
    (False, True, False)
    """
    if target_rank is None:
        return False
    if manual and not forward_after_manual:
        return False
    return current_rank is None or target_rank > current_rank


def is_followed(inv: InvoiceState, today: date) -> bool:
    """Whether the run considers this invoice at all today."""
    if inv.excluded or inv.disputed:
        return False
    if inv.paused_until is not None and today <= inv.paused_until:
        return False
    return inv.residual > 0


def _sorted_lines(lines) -> tuple:
    """Overdue first (most overdue on top), then what falls due soonest."""
    return tuple(sorted(lines, key=lambda ln: (-ln.days_past_due, ln.invoice_id)))


def plan_customer(
    invoices: Iterable[InvoiceState],
    policies: dict,
    today: date,
    per_level: frozenset = frozenset(),
) -> list:
    """The actions of one customer: one per policy and currency at the
    highest level due, listing every followed invoice; or, for a policy in
    ``per_level``, one per level with only the invoices escalated to it.
    """
    return _plan_customer(invoices, _in_order(policies), today, per_level)


def _in_order(policies: dict) -> dict:
    """``policies`` with each policy's levels :func:`ordered`."""
    return {policy: ordered(levels) for policy, levels in policies.items()}


def _plan_customer(invoices, policies, today, per_level, offsets=None):
    """:func:`plan_customer` on policies whose levels are already ordered."""
    groups = {}
    for inv in invoices:
        if inv.policy_id is None or not is_followed(inv, today):
            continue
        levels = policies.get(inv.policy_id)
        if not levels:
            continue
        days = _days_past_due(inv.due_date, today)
        level = _select_in_order(levels, days, inv.current_sequence, inv.stage_rank)
        line = ActionLine(inv.invoice_id, level and level.level_id, days, inv.residual)
        key = (inv.partner_id, inv.policy_id, inv.currency_id)
        groups.setdefault(key, []).append((level, line))
    actions = []
    for (partner_id, policy_id, currency_id), entries in groups.items():
        due = [level for level, _line in entries if level is not None]
        if not due:
            continue
        if policy_id in per_level:
            buckets = {
                level: [ln for lv, ln in entries if lv == level] for level in set(due)
            }
        else:
            top = max(due, key=lambda lv: (lv.offset_days, lv.sequence))
            buckets = {top: [line for _lv, line in entries]}
        for level, lines in buckets.items():
            actions.append(
                Action(
                    partner_id=partner_id,
                    policy_id=policy_id,
                    level_id=level.level_id,
                    currency_id=currency_id,
                    lines=_sorted_lines(lines),
                    manual_review=level.manual_review,
                    pre_due=level.pre_due,
                )
            )
    if offsets is None:
        offsets = _offsets(policies)
    actions.sort(key=lambda a: (a.policy_id, a.currency_id or 0, offsets[a.level_id]))
    return actions


def _offsets(policies: dict) -> dict:
    """``{level id: offset days}`` of every level of ``policies``."""
    return {
        lv.level_id: lv.offset_days for levels in policies.values() for lv in levels
    }


def plan_actions(
    invoices: Iterable[InvoiceState],
    policies: dict,
    today: date,
    per_level: frozenset = frozenset(),
):
    """Yield the actions of every customer, customer after customer.

    ``invoices`` must come grouped by customer (e.g. sorted by partner), so
    only one customer's invoices are held in memory at a time; a customer
    that comes back after another one is refused. ``policies`` maps a policy
    id to its list of :class:`Level`; invoices without a policy, or with a
    policy that has no levels, are ignored.

    >>> from datetime import date
    >>> lv = [Level(1, -3, -3), Level(2, 5, 5), Level(3, 15, 15)]
    >>> invs = [
    ...     InvoiceState(1, 7, 1, date(2026, 1, 1), 100),
    ...     InvoiceState(2, 7, 1, date(2026, 1, 14), 50),
    ...     InvoiceState(3, 7, 1, date(2026, 1, 22), 30),
    ... ]
    >>> [(a.level_id, [(ln.invoice_id, ln.level_id, ln.days_past_due)
    ...                for ln in a.lines], a.total)
    ...  for a in plan_actions(invs, {1: lv}, date(2026, 1, 20))]
    [(3, [(1, 3, 19), (2, 2, 6), (3, 1, -2)], 150)]
    >>> [(a.level_id, a.invoice_ids) for a in plan_actions(
    ...     invs, {1: lv}, date(2026, 1, 20), per_level=frozenset({1}))]
    [(1, (3,)), (2, (2,)), (3, (1,))]
    """
    policies = _in_order(policies)
    offsets = _offsets(policies)
    done = set()
    current, batch = None, []
    for inv in invoices:
        if inv.partner_id != current:
            if batch:
                yield from _plan_customer(batch, policies, today, per_level, offsets)
            if inv.partner_id in done:
                raise ValueError("Invoices must come grouped by customer.")
            done.add(current)
            current, batch = inv.partner_id, []
        batch.append(inv)
    if batch:
        yield from _plan_customer(batch, policies, today, per_level, offsets)


def action_figures(lines: Iterable[ActionLine], pre_due: bool) -> dict:
    """Amounts of an action from its lines, as sent.

    ``amount_due`` is what the message asks for (the overdue amount; for a
    pre-due reminder, the amount falling due); ``amount_overdue`` and
    ``amount_not_due`` let one message say both.

    >>> from decimal import Decimal as D
    >>> fig = action_figures(
    ...     [ActionLine(1, 2, 6, D("80")), ActionLine(2, None, -2, D("20"))], False)
    >>> fig["amount_due"], fig["amount_overdue"], fig["amount_not_due"]
    (Decimal('80'), Decimal('80'), Decimal('20'))
    >>> fig["max_days_past_due"]
    6
    """
    overdue = not_due = 0
    max_days = 0
    for line in lines:
        if line.overdue:
            overdue += line.residual
            max_days = max(max_days, line.days_past_due)
        else:
            not_due += line.residual
    return {
        "amount_due": not_due if pre_due else overdue,
        "amount_overdue": overdue,
        "amount_not_due": not_due,
        "max_days_past_due": max_days,
    }


def level_fee(residual, fixed=0, percent=0):
    """A level's fee: a fixed amount plus a percentage of the residual.

    >>> from decimal import Decimal
    >>> level_fee(Decimal("200.00"), fixed=Decimal("5"), percent=Decimal("2.5"))
    Decimal('10.00')
    """
    fee = Decimal(fixed or 0) + Decimal(residual) * Decimal(percent or 0) / 100
    return fee.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
