"""Compliance reasons in the user's language.

The core returns a rule id, a ``code`` and its arguments (``Reason.args``);
this layer turns them into a translated sentence with ``self.env._``. The
core's English ``message`` is only a fallback for codes this layer does not
know (e.g. a company's own rule kinds).
"""

from odoo import api, fields, models
from odoo.tools import format_date


class CobranzaComplianceMessage(models.AbstractModel):
    _name = "cobranza.compliance.message"
    _description = "Compliance Reason Rendering"

    @api.model
    def _event_label(self, event):
        labels = {
            "notice_sent": self.env._("the prior notice"),
            "first_notice_sent": self.env._("the first prior notice"),
            "due_date": self.env._("the due date"),
            "paid": self.env._("the payment"),
            "bureau_warning_sent": self.env._("the warning of a credit-bureau report"),
            "spoke_to_consumer": self.env._("a conversation with the consumer"),
            "notice_undeliverable": self.env._("a notice returned undelivered"),
            "arrears_notice_sent": self.env._("the arrears notice"),
            "validation_notice_sent": self.env._("the validation notice"),
            "first_contact": self.env._("the first contact"),
            "dispute_written": self.env._("a written dispute"),
            "cease_request_written": self.env._("a written request to stop contact"),
            "refusal_to_pay_written": self.env._("a written refusal to pay"),
            "lawsuit_served": self.env._("a collection lawsuit served"),
            "insolvency_started": self.env._("an insolvency proceeding"),
            "collection_case_open": self.env._("an open agency or legal case"),
        }
        return labels.get(event, event)

    @api.model
    def _window_label(self, window):
        if window.startswith("rolling "):
            amount = window.split()[1]
            number, unit = int(amount[:-1]), amount[-1]
            if unit == "d":
                if number == 1:
                    return self.env._("any 24 hours")
                return self.env._("any %(days)s consecutive days", days=number)
            if number == 1:
                return self.env._("any hour")
            return self.env._("any %(hours)s consecutive hours", hours=number)
        return {
            "day": self.env._("the same day"),
            "calendar_week": self.env._("the same calendar week"),
            "calendar_month": self.env._("the same calendar month"),
        }.get(window, window)

    @api.model
    def _date(self, value):
        """An ISO date of the core's arguments as the user writes dates
        (16/03/2026 in Spanish); anything else as it is."""
        try:
            day = fields.Date.to_date(value)
        except (TypeError, ValueError):
            return value
        return format_date(self.env, day) if day else value

    @api.model
    def _kind_label(self, kind):
        return self.env["cobranza.legal.param"]._kind_label(kind) or kind

    @api.model
    def _render(self, reason):
        """The sentence of one ``compliance.Reason`` in the user's language."""
        args = dict(reason.args or ())
        method = getattr(self, f"_render_{reason.code}", None) if reason.code else None
        text = method(args) if method else None
        if text is None:
            text = reason.message
        if args.get("refused"):
            text = self.env._(
                "%(text)s The law presumes a breach: the contact is refused, not "
                "postponed.",
                text=text,
            )
        if args.get("overridden"):
            text = self.env._("[overridden] %(text)s", text=text)
        return text

    @api.model
    def _render_line(self, reason, channel=None):
        """``RULE: sentence (citation)``, optionally prefixed by the channel."""
        if channel:
            return self.env._(
                "%(channel)s: %(rule)s – %(message)s (%(citation)s)",
                channel=channel,
                rule=reason.rule_id,
                message=self._render(reason),
                citation=reason.citation or "-",
            )
        return self.env._(
            "%(rule)s: %(message)s (%(citation)s)",
            rule=reason.rule_id,
            message=self._render(reason),
            citation=reason.citation or "-",
        )

    @api.model
    def _render_decision(self, decision, sep="; "):
        reasons = tuple(decision.reasons) + tuple(getattr(decision, "notes", ()))
        return sep.join(self._render_line(r) for r in reasons)

    @api.model
    def _param_status(self, found):
        """A ``legal_params.Lookup`` that is not current, as a sentence."""
        if found.missing:
            return self._render_param_missing(
                {"kind": found.kind, "country": found.country, "on": found.on}
            )
        return self.env._(
            "Parameter out of date: %(kind)s %(country)s (last known value in force "
            "from %(since)s).",
            kind=self._kind_label(found.kind),
            country=found.country,
            since=found.date_from,
        )

    # -- one method per code: time windows and frequency ---------------------

    def _render_hours_outside(self, a):
        if a.get("holiday"):
            text = self.env._(
                "%(at)s is a public holiday: no contact is allowed.", at=a["at"]
            )
        else:
            text = self.env._(
                "%(at)s is outside the allowed contact hours.", at=a["at"]
            )
        if a.get("next"):
            text += " " + self.env._("The next window opens %(next)s.", next=a["next"])
        return text

    def _render_freq_limit(self, a):
        window = self._window_label(a.get("window", ""))
        if a["count"] == 1:
            return self.env._(
                "Frequency cap: one contact already counted in %(window)s "
                "(limit %(limit)s).",
                window=window,
                limit=a["limit"],
            )
        return self.env._(
            "Frequency cap: %(count)s contacts already counted in %(window)s "
            "(limit %(limit)s).",
            count=a["count"],
            window=window,
            limit=a["limit"],
        )

    def _render_freq_channels(self, a):
        return self.env._(
            "Frequency cap: the channels %(channels)s in %(window)s exceed the "
            "limit of %(limit)s distinct channels.",
            channels=a["channels"],
            window=self._window_label(a.get("window", "")),
            limit=a["limit"],
        )

    def _render_freq_gap(self, a):
        return self.env._(
            "Less than %(hours)s hours since another counted contact.",
            hours=a["hours"],
        )

    # -- waiting periods and legal parameters ---------------------------------

    def _render_wait_debt_tag(self, a):
        return self.env._("Not allowed while the debt is marked %(tag)s.", tag=a["tag"])

    def _render_wait_min_amount(self, a):
        return self.env._(
            "The amount is unknown or below the minimum the rule sets "
            "(%(minimum)s in hundredths of the currency).",
            minimum=a["minimum"],
        )

    def _render_wait_limit_unknown(self, a):
        return self.env._(
            "The date of %(event)s is unknown: the time limit cannot be checked.",
            event=self._event_label(a["event"]),
        )

    def _render_wait_too_late(self, a):
        return self.env._(
            "Too late: allowed only until %(date)s (counted from %(event)s).",
            date=self._date(a["until"]),
            event=self._event_label(a["event"]),
        )

    def _render_wait_two_notices(self, a):
        return self.env._(
            "Small balance (or amount unknown): two notices on different days are "
            "required (%(earlier)s before %(event)s).",
            earlier=self._event_label(a["earlier"]),
            event=self._event_label(a["event"]),
        )

    def _render_wait_no_event(self, a):
        return self.env._(
            "Required first: %(event)s has not happened.",
            event=self._event_label(a["event"]),
        )

    def _render_wait_voided(self, a):
        return self.env._(
            "%(event)s does not count: it was voided by %(by)s.",
            event=self._event_label(a["event"]),
            by=", ".join(self._event_label(e.strip()) for e in a["by"].split(",")),
        )

    def _render_wait_until(self, a):
        return self.env._(
            "Waiting period after %(event)s: not before %(date)s.",
            event=self._event_label(a["event"]),
            date=self._date(a["date"]),
        )

    def _render_param_missing(self, a):
        return self.env._(
            "Legal parameter unknown: %(kind)s %(country)s on %(date)s. Enter it "
            "in Collections > Compliance > Legal Parameters; until then this "
            "cannot be decided.",
            kind=self._kind_label(a["kind"]),
            country=a["country"],
            date=self._date(a["on"]),
        )

    def _render_param_stale(self, a):
        return self.env._(
            "Parameter out of date: %(kind)s %(country)s. The last known value "
            "(in force from %(since)s) was used for %(date)s.",
            kind=self._kind_label(a["kind"]),
            country=a["country"],
            since=self._date(a["since"]),
            date=self._date(a["on"]),
        )

    def _render_notice_due(self, a):
        return self.env._(
            "%(event)s is due by %(date)s (%(days)s days after %(trigger)s).",
            event=self._event_label(a["event"]),
            date=self._date(a["date"]),
            days=a["days"],
            trigger=self._event_label(a["trigger"]),
        )

    def _render_horizon(self, a):
        return self.env._(
            "No moment in the next %(days)s days satisfies every applicable rule.",
            days=a["days"],
        )

    # -- content --------------------------------------------------------------

    def _render_content_missing(self, a):
        if a.get("first"):
            return self.env._(
                "Missing required content for a first contact: %(tags)s.",
                tags=a["tags"],
            )
        return self.env._("Missing required content: %(tags)s.", tags=a["tags"])

    def _render_content_forbidden(self, a):
        return self.env._("Forbidden content blocks: %(tags)s.", tags=a["tags"])

    def _render_content_wording(self, a):
        where = {
            "body": self.env._("the text"),
            "subject": self.env._("the subject"),
            "envelope": self.env._("the envelope"),
        }.get(a["field"], a["field"])
        return self.env._(
            "Forbidden wording in %(where)s: %(words)s.", where=where, words=a["words"]
        )

    def _render_sms_length(self, a):
        return self.env._(
            "The SMS has %(length)s characters; the limit is %(limit)s.",
            length=a["length"],
            limit=a["limit"],
        )

    def _render_sms_encoding(self, a):
        return self.env._(
            "The SMS needs special characters (UCS-2): with %(length)s characters "
            "it is sent in segments of 70.",
            length=a["length"],
        )

    # -- recipients and stop conditions ---------------------------------------

    def _render_recipient_role(self, a):
        return self.env._(
            "A recipient with the role %(role)s may not be contacted.", role=a["role"]
        )

    def _render_channel_forbidden(self, a):
        return self.env._(
            "The channel %(channel)s is not allowed.", channel=a["channel"]
        )

    def _render_recipient_flagged(self, a):
        return self.env._(
            "The recipient or address is flagged: %(tags)s.", tags=a["tags"]
        )

    def _render_recipient_lacks(self, a):
        return self.env._("The recipient or address lacks: %(tags)s.", tags=a["tags"])

    def _render_channels_unrecorded(self, a):
        return self.env._("No record of the channels the debtor authorised.")

    def _render_channel_unauthorised(self, a):
        return self.env._(
            "The debtor did not authorise the channel %(channel)s.",
            channel=a["channel"],
        )

    def _render_consent_missing(self, a):
        return self.env._(
            "Missing prior consent: %(consents)s.", consents=a["consents"]
        )

    def _render_stopped(self, a):
        return self.env._(
            "Contact is stopped: %(what)s.", what=self._event_label(a["what"])
        )

    # -- fees -----------------------------------------------------------------

    def _render_fee_forbidden(self, a):
        return self.env._(
            "No collection fee may be charged on %(tags)s.", tags=a["tags"]
        )

    def _render_fee_documented(self, a):
        return self.env._(
            "A fee must cover real, documented collection work disclosed in advance."
        )

    def _render_fee_too_early(self, a):
        return self.env._(
            "No fee before %(days)s days overdue (days overdue: %(overdue)s).",
            days=a["days"],
            overdue=a["overdue"] if a["overdue"] != "" else "-",
        )

    def _render_fee_unknown(self, a):
        return self.env._(
            "The fee cap cannot be checked: the amount or the %(unit)s value is "
            "unknown.",
            unit=a["unit"],
        )

    def _render_fee_over_cap(self, a):
        return self.env._(
            "The fee (%(fee)s) exceeds the cap (%(cap)s), in hundredths of the "
            "currency.",
            fee=a["fee"],
            cap=a["cap"],
        )
