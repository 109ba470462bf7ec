import json

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..cobranza_core import compliance, legal_params

KIND_SELECTION = [
    ("time_window", "Time window"),
    ("frequency_cap", "Frequency cap"),
    ("waiting_period", "Waiting period"),
    ("required_content", "Required content"),
    ("forbidden_content", "Forbidden content"),
    ("recipient_restriction", "Recipient restriction"),
    ("stop_condition", "Stop condition"),
    ("fee_cap", "Fee cap"),
    ("statutory_interest", "Statutory interest"),
    ("payment_term", "Payment term"),
    ("data_retention", "Data retention"),
    ("notice_deadline", "Notice deadline"),
]


def _split(value):
    return [v.strip() for v in (value or "").split(",") if v.strip()]


class CobranzaRule(models.Model):
    """One compliance rule, checked by the pure core before every send.

    Reference notes, not legal advice: each rule carries its citation.
    """

    _name = "cobranza.rule"
    _description = "Compliance Rule"
    _order = "jurisdiction, rule_code, kind, id"
    _rec_name = "rule_code"

    rule_code = fields.Char(
        string="Rule ID", required=True, index=True, help="E.g. CO-HOURS."
    )
    pack_id = fields.Many2one(
        "cobranza.rule.pack", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        "res.company",
        help="Empty for shipped rules; a company's own rule applies to it only.",
    )
    active = fields.Boolean(default=True)
    jurisdiction = fields.Char(required=True, index=True)
    kind = fields.Selection(KIND_SELECTION, required=True)
    severity = fields.Selection(
        [("block", "Block"), ("warn", "Warn (manager may override)")],
        required=True,
        default="block",
    )
    params = fields.Text(
        string="Parameters (JSON)",
        default="{}",
        help="The rule's parameters, as documented in cobranza_core/compliance.py.",
    )
    channels = fields.Char(
        help="Comma-separated: email, letter, sms, call, activity, visit... "
        "Empty: every channel."
    )
    debtor_types = fields.Char(help="consumer, business. Empty: both.")
    actor_types = fields.Char(help="creditor, agency, buyer. Empty: any collector.")
    citation = fields.Char()
    citation_url = fields.Char(string="Citation link")
    confidence = fields.Char(help="H: high, M: medium (shipped as warn).")
    valid_from = fields.Date()
    valid_to = fields.Date()
    pack_enabled = fields.Boolean(related="pack_id.enabled", string="Pack on")
    param_warning = fields.Char(
        string="Legal parameters",
        compute="_compute_param_warning",
        help="Legal parameters this rule reads with no value in force today.",
    )

    def _compute_param_warning(self):
        Param = self.env["cobranza.legal.param"]
        values = Param._core_values()
        today = fields.Date.context_today(self)
        render = self.env["cobranza.compliance.message"]._param_status
        for rule in self:
            try:
                needed = legal_params.needed_by_rule(rule._to_core())
            except (TypeError, ValueError):  # a rule being edited
                needed = ()
            found = legal_params.out_of_date(values, needed, today)
            rule.param_warning = "; ".join(render(f) for f in found) or False

    @api.depends("rule_code", "kind")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for rule in self:
            rule.display_name = f"{rule.rule_code or ''} ({kinds.get(rule.kind, '')})"

    @api.constrains("params", "kind", "severity", "valid_from", "valid_to")
    def _check_params(self):
        for rule in self:
            try:
                params = json.loads(rule.params or "{}")
                if not isinstance(params, dict):
                    raise ValueError("not an object")
                rule._to_core()
            except ValueError as err:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: the parameters are not valid (%(error)s).",
                        rule=rule.rule_code,
                        error=err,
                    )
                ) from err
            if rule.valid_from and rule.valid_to and rule.valid_from > rule.valid_to:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s ends before it starts.", rule=rule.rule_code
                    )
                )

    def _to_core(self):
        self.ensure_one()
        return compliance.Rule(
            rule_id=self.rule_code,
            jurisdiction=self.jurisdiction,
            kind=self.kind,
            params=json.loads(self.params or "{}"),
            severity=self.severity,
            channels=_split(self.channels),
            debtor_types=_split(self.debtor_types),
            actor_types=_split(self.actor_types),
            citation=self.citation or "",
            confidence=self.confidence or "",
            valid_from=self.valid_from or None,
            valid_to=self.valid_to or None,
        )

    @api.model
    def _core_rules(self, company, jurisdictions=None):
        """The ``compliance.Rule`` objects in force for ``company``.

        ``jurisdictions``: debtor jurisdictions (their chains are included);
        None for all. One query.
        """
        domain = [
            ("company_id", "in", [False, company.id]),
            ("pack_id.active", "=", True),
            ("pack_id.company_id", "in", [False, company.id]),
            ("pack_id.disabled_company_ids", "not in", company.ids),
        ]
        if jurisdictions is not None:
            codes = set()
            for code in jurisdictions:
                if code:
                    codes.update(compliance.jurisdiction_chain(code))
            if not codes:
                return []
            domain.append(("jurisdiction", "in", sorted(codes)))
        rules = self.sudo().search_fetch(
            domain,
            [
                "rule_code",
                "jurisdiction",
                "kind",
                "params",
                "severity",
                "channels",
                "debtor_types",
                "actor_types",
                "citation",
                "confidence",
                "valid_from",
                "valid_to",
            ],
        )
        return [rule._to_core() for rule in rules]

    @api.model
    def _reach(self, company):
        """Jurisdictions a company's templates can reach: its customers' and
        its own."""
        codes = {
            code
            for (code,) in self.env["res.partner"]
            .sudo()
            ._read_group(
                [("cobranza_jurisdiction", "!=", False)], ["cobranza_jurisdiction"]
            )
        }
        if company.country_id.code:
            codes.add(company.country_id.code)
        return sorted(codes)

    @api.model
    def _letter_envelope_text(self):
        """Static text of the letter's address window (what an envelope shows)."""
        view = self.env.ref(
            "cobranza_addon.report_cobranza_letter_document", raise_if_not_found=False
        )
        if not view:
            return ""
        from lxml import etree

        root = etree.fromstring(view.sudo().arch_db.encode())
        texts = [
            " ".join(node.itertext())
            for node in root.xpath(
                "//div[contains(concat(' ', @class, ' '), ' cobranza-address-window ')]"
            )
        ]
        return " ".join(" ".join(texts).split())

    @api.model
    def _lint_content(self, content, channel, company, envelope_text=""):
        """``lint_template`` for every jurisdiction the company can reach.

        Returns the reasons that make a template unusable (the SMS encoding
        advice is left out: it is a cost, not a breach)."""
        rules = self._core_rules(company, None)
        reasons = {}
        for code in self._reach(company):
            for reason in compliance.lint_template(
                channel=channel,
                tags=content.get("tags", ()),
                subject=content.get("subject", ""),
                body_text=content.get("body", ""),
                envelope_text=envelope_text,
                sms_length=content.get("sms_length"),
                rules=rules,
                jurisdiction=code,
                actor_type=company.cobranza_actor_type,
            ):
                if reason.rule_id != "SMS-ENCODING":
                    reasons.setdefault((reason.rule_id, reason.message), reason)
        return list(reasons.values())
