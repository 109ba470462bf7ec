"""Which channels a follow-up uses at its level, fallbacks included, and
what it weighs to deliver.

One rule, used both when an action is delivered (the Odoo shell turns the
note codes into messages) and when the queued actions are cut into chunks
(from facts read in one query):

- email when the level uses email and the customer has an address;
  without one, a letter when the level has a letter template, otherwise a
  call task for the collector;
- a letter when the level uses letters;
- an SMS when the level uses SMS and the customer has a number; without
  one, a call task when the level uses nothing else;
- a call task when the level uses call tasks;
- a deferred remainder (or a retry by another channel) keeps only the
  channels it asks for that this rule gives, plus a letter or a call task
  even when the level does not use them.

>>> plan_channels(ChannelFacts(use_email=True, has_email=True))
(['email'], [])
>>> plan_channels(ChannelFacts(use_email=True, has_letter_template=True))
(['letter'], ['no_email_letter'])
>>> plan_channels(ChannelFacts(use_email=True))
(['activity'], ['no_email_activity'])
>>> plan_channels(ChannelFacts(use_sms=True))
(['activity'], ['no_phone'])
>>> plan_channels(ChannelFacts(use_email=True, has_email=True, use_sms=True,
...                            has_phone=True, wanted=('sms',)))
(['sms'], [])
>>> delivery_weight(['email'], attach_statement=True, unstored_pdfs=2)
(3, False)
>>> delivery_weight(['letter', 'sms'], attach_statement=True, unstored_pdfs=2)
(0, True)
"""

from dataclasses import dataclass

# Note codes (the shell translates them)
NO_EMAIL_LETTER = "no_email_letter"
NO_EMAIL_ACTIVITY = "no_email_activity"
NO_PHONE = "no_phone"

#: channels a retry may ask for although the level does not use them
ALWAYS_AVAILABLE = ("letter", "activity")


@dataclass(frozen=True)
class ChannelFacts:
    """What the rule needs to know of a level, a customer and an action."""

    use_email: bool = False
    use_letter: bool = False
    use_sms: bool = False
    use_activity: bool = False
    has_email: bool = False
    has_phone: bool = False
    has_letter_template: bool = False
    #: the channels still to send (a deferred remainder or a retry); empty
    #: for a fresh action
    wanted: tuple = ()


def plan_channels(facts):
    """``(channels, note codes)``: the channels in delivery order."""
    plan, notes = [], []
    if facts.use_email:
        if facts.has_email:
            plan.append("email")
        elif facts.has_letter_template:
            plan.append("letter")
            notes.append(NO_EMAIL_LETTER)
        else:
            plan.append("activity")
            notes.append(NO_EMAIL_ACTIVITY)
    if facts.use_letter and "letter" not in plan:
        plan.append("letter")
    if facts.use_sms:
        if facts.has_phone:
            plan.append("sms")
        else:
            notes.append(NO_PHONE)
            if not (facts.use_activity or facts.use_email or facts.use_letter):
                plan.append("activity")
    if facts.use_activity and "activity" not in plan:
        plan.append("activity")
    if facts.wanted:
        plan = [
            channel
            for channel in facts.wanted
            if channel in plan or channel in ALWAYS_AVAILABLE
        ]
    return plan, notes


def delivery_weight(channels, attach_statement=False, unstored_pdfs=0):
    """``(PDFs to render, has a letter)`` of an action using ``channels``.

    An emailed action renders the statement of account when its level
    attaches one, and each of its invoices whose PDF is not stored yet
    (``unstored_pdfs``; installment reminders attach none, so pass 0).
    A letter is rendered with the other letters of its chunk.
    """
    pdfs = 0
    if "email" in channels:
        pdfs = (1 if attach_statement else 0) + unstored_pdfs
    return pdfs, "letter" in channels
