"""The rule form for a non-programmer: typed fields over the JSON parameters.

Channels, debtor and actor types become check boxes and selections with
translated labels; hours, caps and waiting periods become plain fields
(computed from ``params``, written back into it by their inverse). The JSON
stays on an "Advanced" page, the only way to edit shapes the typed fields
cannot express (``params_simple`` is then false).
"""

import json

from odoo import api, fields, models

from ..cobranza_core import rule_form

#: Channels offered as check boxes (the shipped packs use these).
CHANNEL_LABELS = {
    "email": "Email",
    "letter": "Letter",
    "sms": "SMS",
    "call": "Phone call",
    "activity": "Call task",
    "visit": "Visit",
    "whatsapp": "WhatsApp",
}
CHANNELS = tuple(CHANNEL_LABELS)
ACTOR_LABELS = {
    "creditor": "The creditor itself",
    "agency": "A collection agency",
    "buyer": "A debt buyer",
}
ACTORS = tuple(ACTOR_LABELS)
HOUR_FIELDS = [
    f"hours_{group}_{part}"
    for group, _key in rule_form.DAY_GROUPS
    for part in ("open", "from", "to")
]
HOUR_LABELS = {
    "hours_weekdays_open": "Contact Monday to Friday",
    "hours_weekdays_from": "Monday to Friday from",
    "hours_weekdays_to": "Monday to Friday until",
    "hours_saturday_open": "Contact on Saturday",
    "hours_saturday_from": "Saturday from",
    "hours_saturday_to": "Saturday until",
    "hours_sunday_open": "Contact on Sunday",
    "hours_sunday_from": "Sunday from",
    "hours_sunday_to": "Sunday until",
}
#: Integer fields of each cap (``cap_*`` for the first, ``cap2_*`` the second).
CAP_FIELDS = [
    prefix + suffix
    for prefix in rule_form.CAP_PREFIXES
    for suffix in ("limit", "length", "min_gap_hours", "max_channels")
]
CAP_WINDOW_SELECTION = [
    ("none", "No period (minimum gap only)"),
    ("rolling_days", "Any period of N days"),
    ("rolling_hours", "Any period of N hours"),
    ("day", "Per calendar day"),
    ("calendar_week", "Per calendar week"),
    ("calendar_month", "Per calendar month"),
]
INTEGER_FIELDS = [
    *CAP_FIELDS,
    "wait_days",
    *(name for names in rule_form.INTEGER_PARAMS.values() for name in names),
]
CAP_WINDOW_FIELDS = [f"{prefix}window" for prefix in rule_form.CAP_PREFIXES]
SCOPE_FIELDS = [
    *(f"channel_{channel}" for channel in CHANNELS),
    *(f"actor_{actor}" for actor in ACTORS),
]
TYPED_FIELDS = [*HOUR_FIELDS, "holidays", *CAP_WINDOW_FIELDS, *INTEGER_FIELDS]


def _split(value):
    return [v.strip() for v in (value or "").split(",") if v.strip()]


class CobranzaRuleForm(models.Model):
    _inherit = "cobranza.rule"

    confidence_label = fields.Char(
        string="Certainty",
        compute="_compute_confidence_label",
        help="How sure the reference note is: high (the text of the rule) or "
        "medium (a reading of it, shipped as a warning).",
    )
    # scope, as check boxes over the comma-separated codes
    debtor_scope = fields.Selection(
        [
            ("both", "Consumers and businesses"),
            ("consumer", "Consumers only"),
            ("business", "Businesses only"),
        ],
        string="Debtors",
        compute="_compute_scope",
        inverse="_inverse_scope",
    )
    channels_label = fields.Char(
        string="Channels used",
        compute="_compute_scope",
        help="Empty: every channel.",
    )
    params_simple = fields.Boolean(string="Shown as fields", compute="_compute_typed")
    holidays = fields.Selection(
        [
            ("closed", "No contact"),
            ("ignore", "Like any other day"),
            ("sun", "Like a Sunday"),
        ],
        string="On public holidays",
        compute="_compute_typed",
        inverse="_inverse_typed",
    )
    cap_count = fields.Integer(
        string="Number of caps",
        compute="_compute_typed",
        help="1 or 2 when the caps are shown as fields.",
    )
    cap_window = fields.Selection(
        CAP_WINDOW_SELECTION,
        string="Counted over",
        compute="_compute_typed",
        inverse="_inverse_typed",
    )
    cap2_window = fields.Selection(
        CAP_WINDOW_SELECTION,
        string="Second cap counted over",
        compute="_compute_typed",
        inverse="_inverse_typed",
    )
    cap_counts_label = fields.Char(string="Counts", compute="_compute_cap_counts_label")
    cap2_counts_label = fields.Char(
        string="Second cap counts", compute="_compute_cap_counts_label"
    )
    cap_limit = fields.Integer(
        string="At most (contacts)", compute="_compute_typed", inverse="_inverse_typed"
    )
    cap_length = fields.Integer(
        string="N (days or hours)", compute="_compute_typed", inverse="_inverse_typed"
    )
    cap_min_gap_hours = fields.Integer(
        string="Minimum hours between contacts",
        compute="_compute_typed",
        inverse="_inverse_typed",
    )
    cap_max_channels = fields.Integer(
        string="At most (distinct channels)",
        compute="_compute_typed",
        inverse="_inverse_typed",
        help="Empty: any number of channels in the period.",
    )
    cap2_limit = fields.Integer(
        string="Second cap: at most (contacts)",
        compute="_compute_typed",
        inverse="_inverse_typed",
    )
    cap2_length = fields.Integer(
        string="Second cap: N (days or hours)",
        compute="_compute_typed",
        inverse="_inverse_typed",
    )
    cap2_min_gap_hours = fields.Integer(
        string="Second cap: minimum hours between contacts",
        compute="_compute_typed",
        inverse="_inverse_typed",
    )
    cap2_max_channels = fields.Integer(
        string="Second cap: at most (distinct channels)",
        compute="_compute_typed",
        inverse="_inverse_typed",
        help="Empty: any number of channels in the period.",
    )
    wait_days = fields.Integer(
        string="Wait (days)", compute="_compute_typed", inverse="_inverse_typed"
    )
    fee_min_days_overdue = fields.Integer(
        string="Fee only after (days overdue)",
        compute="_compute_typed",
        inverse="_inverse_typed",
    )
    term_default_days = fields.Integer(
        string="Default term (days)", compute="_compute_typed", inverse="_inverse_typed"
    )
    term_max_days = fields.Integer(
        string="Maximum term (days)", compute="_compute_typed", inverse="_inverse_typed"
    )
    notice_within_days = fields.Integer(
        string="Notice within (days)",
        compute="_compute_typed",
        inverse="_inverse_typed",
    )
    retention_min_years = fields.Integer(
        string="Keep at least (years)",
        compute="_compute_typed",
        inverse="_inverse_typed",
    )
    retention_max_years = fields.Integer(
        string="Keep at most (years)",
        compute="_compute_typed",
        inverse="_inverse_typed",
    )

    for _channel in CHANNELS:
        locals()[f"channel_{_channel}"] = fields.Boolean(
            string=CHANNEL_LABELS[_channel],
            compute="_compute_scope",
            inverse="_inverse_scope",
        )
    for _actor in ACTORS:
        locals()[f"actor_{_actor}"] = fields.Boolean(
            string=ACTOR_LABELS[_actor],
            compute="_compute_scope",
            inverse="_inverse_scope",
        )
    for _name in HOUR_FIELDS:
        locals()[_name] = (
            fields.Boolean(
                string=HOUR_LABELS[_name],
                compute="_compute_typed",
                inverse="_inverse_typed",
            )
            if _name.endswith("_open")
            else fields.Float(
                string=HOUR_LABELS[_name],
                compute="_compute_typed",
                inverse="_inverse_typed",
            )
        )
    del _channel, _actor, _name

    # ------------------------------------------------------------------
    @api.depends("confidence")
    @api.depends_context("lang")
    def _compute_confidence_label(self):
        labels = {
            "H": self.env._("High"),
            "M": self.env._("Medium (a reading, shipped as a warning)"),
            "L": self.env._("Low"),
            "H/M": self.env._("High for part of the rule, medium for the rest"),
            "H (rule), M (reading)": self.env._(
                "High for the rule, medium for its reading"
            ),
            "H (art. 20), M (EUR 50)": self.env._(
                "High for art. 20, medium for the EUR 50"
            ),
            "H (term), L (amounts)": self.env._(
                "High for the term, low for the amounts"
            ),
        }
        for rule in self:
            code = (rule.confidence or "").strip()
            rule.confidence_label = labels.get(code, code)

    @api.depends("channels", "debtor_types", "actor_types")
    @api.depends_context("lang")
    def _compute_scope(self):
        labels = {
            channel: self._fields[f"channel_{channel}"].get_description(self.env)[
                "string"
            ]
            for channel in CHANNELS
        }
        for rule in self:
            channels = _split(rule.channels)
            for channel in CHANNELS:
                rule[f"channel_{channel}"] = channel in channels
            rule.channels_label = ", ".join(
                labels.get(channel, channel) for channel in channels
            )
            actors = set(_split(rule.actor_types))
            for actor in ACTORS:
                rule[f"actor_{actor}"] = actor in actors
            debtors = set(_split(rule.debtor_types))
            rule.debtor_scope = debtors.pop() if len(debtors) == 1 else "both"

    def _inverse_scope(self):
        for rule in self:
            # channels the check boxes do not show are kept
            others = [c for c in _split(rule.channels) if c not in CHANNELS]
            chosen = [c for c in CHANNELS if rule[f"channel_{c}"]]
            actors = [a for a in ACTORS if rule[f"actor_{a}"]]
            scope = rule.debtor_scope or "both"
            rule.write(
                {
                    "channels": ",".join(chosen + others),
                    "actor_types": ",".join(actors),
                    "debtor_types": "" if scope == "both" else scope,
                }
            )

    @api.depends("params", "kind")
    def _compute_typed(self):
        for rule in self:
            typed = rule_form.typed_from_params(rule.kind, rule._params_dict())
            rule.params_simple = typed["simple"]
            for group, _key in rule_form.DAY_GROUPS:
                window = typed.get(group)
                rule[f"hours_{group}_open"] = bool(window)
                rule[f"hours_{group}_from"] = window[0] if window else 0.0
                rule[f"hours_{group}_to"] = window[1] if window else 0.0
            rule.holidays = typed.get("holidays") or False
            rule.cap_count = typed.get("cap_count") or 0
            for name in CAP_WINDOW_FIELDS:
                rule[name] = typed.get(name) or False
            for name in INTEGER_FIELDS:
                rule[name] = typed.get(name) or 0

    def _inverse_typed(self):
        for rule in self:
            params = rule._params_dict()
            if not rule_form.typed_from_params(rule.kind, params)["simple"]:
                continue
            typed = {name: rule[name] for name in INTEGER_FIELDS}
            typed["holidays"] = rule.holidays
            for name in CAP_WINDOW_FIELDS:
                typed[name] = rule[name]
            for group, _key in rule_form.DAY_GROUPS:
                typed[group] = (
                    (rule[f"hours_{group}_from"], rule[f"hours_{group}_to"])
                    if rule[f"hours_{group}_open"]
                    else None
                )
            new = rule_form.params_from_typed(rule.kind, params, typed)
            if new != params:
                rule.params = json.dumps(new, sort_keys=True, ensure_ascii=False)

    @api.depends("params", "kind")
    @api.depends_context("lang")
    def _compute_cap_counts_label(self):
        for rule in self:
            typed = rule_form.typed_from_params(rule.kind, rule._params_dict())
            for prefix in rule_form.CAP_PREFIXES:
                counts = typed.get(f"{prefix}counts")
                rule[f"{prefix}counts_label"] = (
                    rule._cap_counts_text(counts) if counts is not None else False
                )

    def _cap_counts_text(self, counts):
        """What a cap counts (its ``count_*`` keys), in the user's language."""
        tags = {
            "effective_contact": self.env._("only effective contacts"),
            "conversation": self.env._("only conversations with the debtor"),
        }
        channels = {
            channel: self._fields[f"channel_{channel}"].get_description(self.env)[
                "string"
            ]
            for channel in CHANNELS
        }
        parts = []
        if counts.get("count_tags"):
            codes = counts["count_tags"]
            parts.append(
                tags[codes[0]]
                if len(codes) == 1 and codes[0] in tags
                else self.env._("only contacts tagged %(tags)s", tags=", ".join(codes))
            )
        if counts.get("count_channels"):
            names = ", ".join(channels.get(c, c) for c in counts["count_channels"])
            parts.append(self.env._("only contacts by %(channels)s", channels=names))
        if counts.get("count_kinds"):
            kinds = ", ".join(counts["count_kinds"])
            parts.append(self.env._("only contacts of kind %(kinds)s", kinds=kinds))
        return "; ".join(parts) or self.env._(
            "every collection contact on the rule's channels"
        )

    def write(self, vals):
        # An inverse reads its sibling fields: a sibling not in ``vals`` and
        # not yet computed would read as empty while the write protects it
        # (a cold cache, as in a web client save), wiping its parameter.
        if self.ids and any(
            name in vals for name in (*TYPED_FIELDS, "debtor_scope", *SCOPE_FIELDS)
        ):
            self.mapped("params_simple")
            self.mapped("debtor_scope")
        return super().write(vals)

    def _params_dict(self):
        try:
            params = json.loads(self.params or "{}")
        except ValueError:
            return {}
        return params if isinstance(params, dict) else {}
