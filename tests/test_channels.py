"""Pure tests of cobranza_core.channels: the channel rule and an action's weight."""

from cobranza_core.channels import (
    ALWAYS_AVAILABLE,
    NO_EMAIL_ACTIVITY,
    NO_EMAIL_LETTER,
    NO_PHONE,
    ChannelFacts,
    delivery_weight,
    plan_channels,
)
from hypothesis import given
from hypothesis import strategies as st

CHANNELS = ("email", "letter", "sms", "activity")
FACTS = st.builds(
    ChannelFacts,
    use_email=st.booleans(),
    use_letter=st.booleans(),
    use_sms=st.booleans(),
    use_activity=st.booleans(),
    has_email=st.booleans(),
    has_phone=st.booleans(),
    has_letter_template=st.booleans(),
)


@given(FACTS)
def test_a_fresh_action_gets_each_channel_once_and_only_a_fallback_added(facts):
    plan, notes = plan_channels(facts)
    assert len(plan) == len(set(plan))
    assert set(plan) <= set(CHANNELS)
    assert ("email" in plan) == (facts.use_email and facts.has_email)
    assert ("sms" in plan) == (facts.use_sms and facts.has_phone)
    if facts.use_letter:
        assert "letter" in plan
    if facts.use_activity:
        assert "activity" in plan
    if "letter" in plan and not facts.use_letter:
        assert facts.has_letter_template and NO_EMAIL_LETTER in notes
    if "activity" in plan and not facts.use_activity:
        assert NO_EMAIL_ACTIVITY in notes or NO_PHONE in notes
    if any((facts.use_email, facts.use_letter, facts.use_sms, facts.use_activity)):
        assert plan, "a level with a channel always reaches the customer somehow"


@given(FACTS, st.lists(st.sampled_from(CHANNELS), unique=True, max_size=4))
def test_a_remainder_keeps_only_what_it_asks(facts, wanted):
    fresh, _ = plan_channels(facts)
    plan, _ = plan_channels(ChannelFacts(**{**facts.__dict__, "wanted": tuple(wanted)}))
    if not wanted:
        assert plan == fresh
        return
    assert plan == [c for c in wanted if c in fresh or c in ALWAYS_AVAILABLE]


def test_no_email_no_template_is_a_call_task_with_its_note():
    assert plan_channels(ChannelFacts(use_email=True, use_sms=True)) == (
        ["activity"],
        [NO_EMAIL_ACTIVITY, NO_PHONE],
    )


@given(
    st.lists(st.sampled_from(CHANNELS), unique=True),
    st.booleans(),
    st.integers(0, 50),
)
def test_only_an_email_renders_pdfs_and_a_letter_is_counted(channels, statement, n):
    pdfs, letter = delivery_weight(channels, statement, n)
    assert letter == ("letter" in channels)
    if "email" in channels:
        assert pdfs == n + (1 if statement else 0)
    else:
        assert pdfs == 0
