from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..cobranza_core import legal_params
from .cobranza_lang import in_user_lang

KIND_SELECTION = [
    ("minimum_wage", "Minimum wage (monthly)"),
    ("uf", "UF (Unidad de Fomento)"),
    ("uit", "UIT (Unidad Impositiva Tributaria)"),
    ("uma", "UMA (Unidad de Medida y Actualización, daily)"),
    ("usury_cap", "Usury cap (% a year)"),
    ("legal_interest", "Legal interest (% a year)"),
    ("ecb_rate", "ECB reference rate (%)"),
]
COUNTRY_SELECTION = [
    ("MX", "Mexico"),
    ("CO", "Colombia"),
    ("PE", "Peru"),
    ("CL", "Chile"),
    ("AR", "Argentina"),
    ("ES", "Spain"),
    ("EU", "European Union"),
    ("US", "United States"),
]


class CobranzaLegalParam(models.Model):
    """A legal figure in force for a period: minimum wage, UF/UIT/UMA, usury
    cap, legal interest. The compliance engine reads the value in force on
    the decision date; a period with no value is flagged, never guessed.

    Reference data, not legal advice: check each value with its source.
    """

    _name = "cobranza.legal.param"
    _description = "Legal Parameter"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "country, kind, date_from desc"

    country = fields.Selection(COUNTRY_SELECTION, required=True, tracking=True)
    kind = fields.Selection(KIND_SELECTION, required=True, tracking=True)
    date_from = fields.Date(string="In force from", required=True, tracking=True)
    date_to = fields.Date(
        string="In force until",
        tracking=True,
        help="Last day the value is in force. Empty: until the next value starts.",
    )
    value = fields.Float(
        digits=(16, 4),
        tracking=True,
        help="Money in the country's currency (COP 1,423,500); rates in percent a "
        "year (3.25).",
    )
    to_fill = fields.Boolean(
        string="To be filled",
        tracking=True,
        help="The value of this period is not entered yet: the engine ignores "
        "this line and the daily check asks the administrators to fill it.",
    )
    source = fields.Char(help="Decree, law or official publication.")
    source_url = fields.Char(string="Source link")
    note = fields.Text()
    in_force_today = fields.Boolean(compute="_compute_in_force_today")

    _sql_constraints = [
        (
            "period_uniq",
            "UNIQUE(country, kind, date_from)",
            "A value of this kind already starts on that date for this country.",
        )
    ]

    @api.depends("country", "kind", "date_from", "date_to", "value")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for rec in self:
            rec.display_name = self.env._(
                "%(kind)s %(country)s from %(date)s",
                kind=kinds.get(rec.kind, ""),
                country=rec.country or "",
                date=rec.date_from or "",
            )

    def _compute_in_force_today(self):
        today = fields.Date.context_today(self)
        for rec in self:
            rec.in_force_today = (
                not rec.to_fill
                and rec.date_from
                and rec.date_from <= today
                and (not rec.date_to or today <= rec.date_to)
            )

    @api.constrains("date_from", "date_to", "value", "to_fill")
    def _check_period(self):
        for rec in self:
            if rec.date_to and rec.date_to < rec.date_from:
                raise ValidationError(
                    self.env._(
                        "%(param)s ends before it starts.", param=rec.display_name
                    )
                )
            if not rec.to_fill and rec.value <= 0 and rec.kind != "ecb_rate":
                raise ValidationError(
                    self.env._(
                        "%(param)s: enter a positive value, or mark it to be filled.",
                        param=rec.display_name,
                    )
                )

    @api.model
    def _core_values(self, countries=None):
        """``legal_params.LegalValue`` tuple of the known values (one query)."""
        domain = [("to_fill", "=", False)]
        if countries is not None:
            codes = {c.upper().split("-")[0] for c in countries if c}
            domain.append(("country", "in", sorted(codes)))
        recs = self.sudo().search_fetch(
            domain, ["country", "kind", "date_from", "date_to", "value", "source"]
        )
        return tuple(
            legal_params.LegalValue(
                rec.country,
                rec.kind,
                rec.date_from,
                Decimal(str(rec.value)),
                rec.date_to or None,
                rec.source or "",
            )
            for rec in recs
        )

    @api.model
    def _needed(self):
        """``{(country, kind)}`` read by the active rules, plus every kind an
        administrator has entered values for (they expect it kept current)."""
        rules = self.env["cobranza.rule"].sudo().search([("pack_id.active", "=", True)])
        needed = set()
        for rule in rules:
            needed |= legal_params.needed_by_rule(rule._to_core())
        for country, kind in self.sudo()._read_group([], ["country", "kind"]):
            needed.add((country, kind))
        return needed

    @api.model
    def _out_of_date(self, on=None):
        on = on or fields.Date.context_today(self)
        return legal_params.out_of_date(self._core_values(), self._needed(), on)

    def _kind_label(self, kind):
        return dict(self._fields["kind"]._description_selection(self.env)).get(kind)

    @api.model
    def _cron_check_freshness(self):
        """Daily: an activity for the administrators on each parameter with no
        value in force today (on the period to be filled, created if absent)."""
        self = in_user_lang(self)
        today = fields.Date.context_today(self)
        admins = self.env.ref("cobranza_addon.cobranza_group_admin").users.filtered(
            lambda u: not u.share and u.active
        )
        if not admins:
            admins = self.env.ref("base.user_admin", raise_if_not_found=False)
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        for found in self._out_of_date(today):
            target = self.sudo().search(
                [
                    ("country", "=", found.country),
                    ("kind", "=", found.kind),
                    ("to_fill", "=", True),
                    ("date_from", "<=", today),
                    "|",
                    ("date_to", "=", False),
                    ("date_to", ">=", today),
                ],
                limit=1,
            ) or self.sudo().create(
                {
                    "country": found.country,
                    "kind": found.kind,
                    "date_from": today.replace(day=1),
                    "to_fill": True,
                }
            )
            for user in admins:
                if target.activity_ids.filtered(lambda a, u=user: a.user_id == u):
                    continue
                # in the administrator's language, not the schedule's
                in_lang = self.with_context(lang=user.lang or self.env.lang)
                target.activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=in_lang.env._(
                        "Parameter out of date: %(kind)s %(country)s",
                        kind=in_lang._kind_label(found.kind),
                        country=found.country,
                    ),
                    note=in_lang._freshness_note(found),
                    user_id=user.id,
                    date_deadline=today + timedelta(days=1),
                )

    def _freshness_note(self, found):
        if found.missing:
            return self.env._(
                "No value is known. Until one is entered, the rules that need it "
                "refuse to decide (for example a credit-bureau report in Colombia)."
            )
        return self.env._(
            "The last known value (%(value)s, in force from %(date)s) is used and "
            "every decision that needs it is marked out of date. Enter the value "
            "published for the current period.",
            value=found.value,
            date=found.date_from,
        )


class CobranzaAction(models.Model):
    _inherit = "cobranza.action"

    compliance_param_warning = fields.Text(
        string="Parameters out of date",
        readonly=True,
        help="The legal parameters the compliance check had to take from an "
        "earlier period because none is entered for the decision date.",
    )

    @api.model
    def _cobranza_mark_param_notes(self, notes_by_action):
        """``{action: {Reason: None}}`` of ``param_stale`` notes: one write per
        distinct text."""
        render = self.env["cobranza.compliance.message"]._render
        by_text = {}
        for action, notes in notes_by_action.items():
            text = "\n".join(render(reason) for reason in notes)
            by_text.setdefault(text, self.browse())
            by_text[text] |= action
        for text, actions in by_text.items():
            actions.write({"compliance_param_warning": text})
