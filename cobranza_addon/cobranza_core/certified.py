"""Certified demand letters: what kind of letter, which ledger events, which dates.

A certified letter is a letter whose delivery the carrier proves: a burofax
in Spain, a *carta certificada* in Chile, Argentina, Mexico and Colombia, a
*carta notarial* in Peru, certified mail in the United States. Its delivery
date, not its sending date, is what the waiting periods count from.

Stdlib only: the Odoo model maps the keys returned here to translated labels
and messages.
"""

from datetime import timedelta

#: Kind of certified letter per jurisdiction (country code).
KIND_BY_COUNTRY = {
    "ES": "burofax",
    "CL": "carta_certificada",
    "AR": "carta_certificada",
    "MX": "carta_certificada",
    "CO": "carta_certificada",
    "PE": "carta_notarial",
    "US": "certified_mail",
}
#: Elsewhere (the EU, no jurisdiction): a registered letter with proof of delivery.
DEFAULT_KIND = "registered_letter"
KINDS = ("burofax", "carta_certificada", "carta_notarial", "certified_mail")
KINDS += (DEFAULT_KIND,)

#: What each purpose tells the debtor, recorded as ledger events on delivery.
PURPOSES = ("demand", "pre_report", "agency_referral")
EVENTS_ON_DELIVERY = {
    "demand": ("notice_sent",),
    "pre_report": ("notice_sent", "bureau_warning_sent"),
    "agency_referral": ("agency_referral_notified",),
}
EVENTS_ON_RETURN = ("notice_undeliverable",)

#: Days the debtor has to pay, counted from the day the letter is written.
DEFAULT_DEADLINE_DAYS = 10


def letter_kind(jurisdiction):
    """The kind of certified letter for a jurisdiction (``"US-MA"`` → US).

    >>> letter_kind("ES")
    'burofax'
    >>> letter_kind("PE"), letter_kind("co")
    ('carta_notarial', 'carta_certificada')
    >>> letter_kind("US-NY")
    'certified_mail'
    >>> letter_kind("FR"), letter_kind(None)
    ('registered_letter', 'registered_letter')
    """
    country = (jurisdiction or "").split("-")[0].upper()
    return KIND_BY_COUNTRY.get(country, DEFAULT_KIND)


def delivery_events(purpose):
    """Ledger events a delivered letter of ``purpose`` records.

    >>> delivery_events("pre_report")
    ('notice_sent', 'bureau_warning_sent')
    >>> delivery_events("agency_referral")
    ('agency_referral_notified',)
    >>> delivery_events("gossip")
    Traceback (most recent call last):
    ...
    ValueError: unknown purpose 'gossip'
    """
    if purpose not in EVENTS_ON_DELIVERY:
        raise ValueError(f"unknown purpose {purpose!r}")
    return EVENTS_ON_DELIVERY[purpose]


def outcome_date_problem(day, date_sent, today):
    """Why ``day`` cannot be a delivery (or return) date, or ``None``.

    ``"missing"`` without a date, ``"future"`` after ``today``,
    ``"before_sent"`` before the letter was sent.

    >>> from datetime import date
    >>> sent, today = date(2026, 3, 2), date(2026, 3, 16)
    >>> outcome_date_problem(date(2026, 3, 4), sent, today) is None
    True
    >>> outcome_date_problem(sent, sent, today) is None  # same day: fine
    True
    >>> outcome_date_problem(date(2026, 3, 17), sent, today)
    'future'
    >>> outcome_date_problem(date(2026, 3, 1), sent, today)
    'before_sent'
    >>> outcome_date_problem(None, sent, today)
    'missing'
    """
    if not day:
        return "missing"
    if day > today:
        return "future"
    if date_sent and day < date_sent:
        return "before_sent"
    return None


def deadline_passed(deadline, today):
    """True when a letter sent ``today`` would give no day to pay.

    >>> from datetime import date
    >>> deadline_passed(date(2026, 3, 16), date(2026, 3, 16))
    True
    >>> deadline_passed(date(2026, 3, 17), date(2026, 3, 16))
    False
    >>> deadline_passed(None, date(2026, 3, 16))
    True
    """
    return not deadline or deadline <= today


def payment_deadline(day, days=DEFAULT_DEADLINE_DAYS):
    """The default payment deadline of a letter written on ``day``.

    >>> from datetime import date
    >>> payment_deadline(date(2026, 3, 16))
    datetime.date(2026, 3, 26)
    >>> payment_deadline(date(2026, 3, 16), 0)
    datetime.date(2026, 3, 16)
    """
    if days < 0:
        raise ValueError("a deadline cannot be in the past")
    return day + timedelta(days=days)
