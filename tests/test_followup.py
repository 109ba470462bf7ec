"""Pure tests of cobranza_core.followup: one message per customer, forward only."""

import doctest
from datetime import date, timedelta

import pytest
from cobranza_core import followup
from cobranza_core.followup import (
    ActionLine,
    InvoiceState,
    Level,
    action_figures,
    plan_actions,
    select_level,
    stage_moves,
)
from hypothesis import given
from hypothesis import strategies as st

TODAY = date(2026, 3, 16)
#: pre-due, friendly, call, formal demand (stage ranks 20, 30, 30, 40)
LEVELS = [
    Level(1, -3, -3, stage_rank=20),
    Level(2, 5, 5, stage_rank=30),
    Level(3, 20, 20, stage_rank=30),
    Level(4, 45, 45, stage_rank=40),
]
POLICIES = {1: LEVELS}


def inv(invoice_id, days, partner=7, residual=100, **kw):
    return InvoiceState(
        invoice_id, partner, 1, TODAY - timedelta(days=days), residual, **kw
    )


def test_doctests():
    result = doctest.testmod(followup, report=False)
    assert result.attempted and not result.failed


def test_one_action_lists_invoices_at_three_levels():
    invoices = [inv(1, 6), inv(2, 25), inv(3, 50), inv(4, -10), inv(5, 2)]
    (action,) = plan_actions(invoices, POLICIES, TODAY)
    assert action.level_id == 4
    assert [(ln.invoice_id, ln.level_id) for ln in action.lines] == [
        (3, 4),
        (2, 3),
        (1, 2),
        (5, None),
        (4, None),
    ]
    assert action.total == 400
    assert action.max_days_past_due == 50


def test_pre_due_level_never_for_an_overdue_invoice():
    assert select_level(LEVELS, 3, None) is None
    assert select_level(LEVELS, 0, None).level_id == 1
    (action,) = plan_actions([inv(1, 3), inv(2, -2)], POLICIES, TODAY)
    assert action.level_id == 1 and action.pre_due
    assert {ln.invoice_id: ln.level_id for ln in action.lines} == {1: None, 2: 1}
    figures = action_figures(action.lines, action.pre_due)
    assert figures["amount_due"] == 100  # what falls due, not the overdue one
    assert figures["amount_overdue"] == 100
    assert figures["amount_not_due"] == 100


def test_manual_escalation_is_not_answered_with_a_milder_level():
    assert select_level(LEVELS, 25, None, stage_rank=40) is None
    assert select_level(LEVELS, 50, None, stage_rank=40).level_id == 4
    assert not stage_moves(40, 30)
    assert not stage_moves(30, 30)
    assert stage_moves(30, 40)
    assert not stage_moves(30, 40, manual=True, forward_after_manual=False)
    assert stage_moves(30, 40, manual=True, forward_after_manual=True)


def test_per_level_policy_keeps_one_message_per_level():
    invoices = [inv(1, 6), inv(2, 25), inv(3, -10)]
    actions = list(plan_actions(invoices, POLICIES, TODAY, per_level={1}))
    assert [(a.level_id, a.invoice_ids) for a in actions] == [(2, (1,)), (3, (2,))]


def test_one_action_per_currency():
    invoices = [inv(1, 6, currency_id=1), inv(2, 6, currency_id=2)]
    actions = list(plan_actions(invoices, POLICIES, TODAY))
    assert sorted(a.currency_id for a in actions) == [1, 2]


def test_nothing_due_means_no_action():
    assert not list(plan_actions([inv(1, 3), inv(2, -10)], POLICIES, TODAY))


def test_customers_must_come_grouped():
    invoices = [inv(1, 6, partner=1), inv(2, 6, partner=2), inv(3, 6, partner=1)]
    with pytest.raises(ValueError):
        list(plan_actions(invoices, POLICIES, TODAY))


invoice_st = st.builds(
    lambda i, p, d, cur, rank, r: InvoiceState(
        i, p, 1, TODAY - timedelta(days=d), r, current_sequence=cur, stage_rank=rank
    ),
    st.integers(1, 10**6),
    st.integers(1, 4),
    st.integers(-60, 120),
    st.sampled_from([None, -3, 5, 20, 45]),
    st.sampled_from([None, 10, 20, 30, 40, 60]),
    st.integers(1, 10**6),
)


@given(st.lists(invoice_st, max_size=30, unique_by=lambda i: i.invoice_id))
def test_properties(invoices):
    invoices.sort(key=lambda i: i.partner_id)
    actions = list(plan_actions(invoices, POLICIES, TODAY))
    by_id = {lv.level_id: lv for lv in LEVELS}
    # one message per customer, every followed invoice listed once
    assert len({a.partner_id for a in actions}) == len(actions)
    for action in actions:
        own = [i for i in invoices if i.partner_id == action.partner_id]
        assert sorted(action.invoice_ids) == sorted(i.invoice_id for i in own)
        days = [ln.days_past_due for ln in action.lines]
        assert days == sorted(days, reverse=True), "overdue first"
        levels = [by_id[ln.level_id] for ln in action.lines if ln.level_id]
        assert by_id[action.level_id] == max(levels, key=lambda lv: lv.offset_days)
        state = {i.invoice_id: i for i in own}
        for line in action.lines:
            if line.level_id is None:
                continue
            level = by_id[line.level_id]
            # pre-due only before the due date; forward only
            assert not (level.pre_due and line.overdue)
            current = state[line.invoice_id].current_sequence
            assert current is None or level.sequence > current
            rank = state[line.invoice_id].stage_rank
            assert rank is None or level.stage_rank >= rank


@given(
    st.lists(
        st.tuples(st.integers(-60, 120), st.integers(0, 10**6)), min_size=1, max_size=20
    ),
    st.booleans(),
)
def test_figures_add_up(pairs, pre_due):
    lines = [ActionLine(i, None, d, r) for i, (d, r) in enumerate(pairs)]
    fig = action_figures(lines, pre_due)
    assert fig["amount_overdue"] + fig["amount_not_due"] == sum(r for _d, r in pairs)
    assert fig["amount_due"] == (
        fig["amount_not_due"] if pre_due else fig["amount_overdue"]
    )
    assert fig["max_days_past_due"] == max([d for d, _r in pairs if d > 0] + [0])
