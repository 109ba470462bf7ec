"""Who may change what: the private grants of the addon's own code paths.

Authority lives in the models: ``create``, ``write`` and ``unlink`` refuse
privileged values to every caller, whatever the context it sends. The
methods that may change them (transitions, the run, the crons, payment
tracking) check the user's group and limits first, then either write with
``sudo()`` or run inside :func:`granted`. A grant is a Python context
variable of the current thread: no JSON-RPC payload (context keys
included) can set it.
"""

import contextvars
import math
from contextlib import contextmanager
from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import ValidationError

#: Grants of the code running now, per thread (and asyncio task).
_GRANTS = contextvars.ContextVar("cobranza_authority_grants", default=frozenset())

#: The follow-up run (preview, send, deferred sends): actions and invoices.
RUN = "run"
#: A plan being saved as a whole: the installment sum is checked at the end.
PLAN_SAVING = "plan_saving"
#: A checked message: the caller already passed the compliance gate.
CHECKED_MESSAGE = "checked_message"

#: A message the addon sends on its own (plan or promise news), not a
#: collector's manual one: the ledger records its origin as "other".
SYSTEM_MESSAGE = "system_message"

#: Level offsets, in days from the due date.
OFFSET_MIN, OFFSET_MAX = -365, 3650


@contextmanager
def granted(*keys):
    """Run the block with ``keys`` granted (for the addon's own code only)."""
    token = _GRANTS.set(_GRANTS.get() | frozenset(keys))
    try:
        yield
    finally:
        _GRANTS.reset(token)


def is_granted(key):
    return key in _GRANTS.get()


def is_internal(env, key=RUN):
    """Superuser mode or a grant: the caller is the addon's own code."""
    return env.su or is_granted(key)


def check_finite(model, vals, names, positive=()):
    """Refuse NaN, infinite or badly typed numbers in ``vals`` (JSON allows them).

    ``positive`` names must also not be negative.
    """
    env = model.env
    for name in names:
        if name not in vals or vals[name] in (False, None):
            continue
        value = vals[name]
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValidationError(
                env._(
                    "%(field)s must be a number, not %(value)r.",
                    field=_label(model, name),
                    value=value,
                )
            ) from None
        if not math.isfinite(number) or abs(number) >= 1e15:
            raise ValidationError(
                env._(
                    "%(field)s must be a finite amount.",
                    field=_label(model, name),
                )
            )
        if name in positive and number < 0:
            raise ValidationError(
                env._(
                    "%(field)s cannot be negative.",
                    field=_label(model, name),
                )
            )


def check_int_range(model, vals, name, low, high):
    """``vals[name]`` is a whole number within ``low..high``."""
    if name not in vals or vals[name] in (False, None):
        return
    value = vals[name]
    try:
        ok = int(value) == value and low <= int(value) <= high
    except (TypeError, ValueError, OverflowError):
        ok = False
    if not ok:
        raise ValidationError(
            model.env._(
                "%(field)s must be a whole number between %(low)s and %(high)s "
                "(not %(value)r).",
                field=_label(model, name),
                low=low,
                high=high,
                value=value,
            )
        )


def parse_date(env, value, label):
    """A date from a client value, or a ValidationError in plain words."""
    if value in (False, None, ""):
        return False
    if isinstance(value, date):
        return value
    try:
        return fields.Date.to_date(value)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(
            env._("%(field)s is not a valid date: %(value)r.", field=label, value=value)
        ) from None


def check_dates(model, vals, names):
    """Dates of a client, parsed with a plain message instead of a ValueError."""
    for name in names:
        if name in vals:
            parse_date(model.env, vals[name], _label(model, name))


def days_ahead(day, today, limit):
    """True when ``day`` is no later than ``limit`` days after ``today``."""
    return day <= today + timedelta(days=limit)


def _label(model, name):
    return name.replace("_", " ").capitalize()
