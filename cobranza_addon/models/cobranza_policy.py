from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.safe_eval import safe_eval

from ..cobranza_core import followup as core
from .cobranza_authority import OFFSET_MAX, OFFSET_MIN, check_int_range


class CobranzaPolicy(models.Model):
    _name = "cobranza.policy"
    _description = "Follow-up Policy"
    _inherit = ["mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(
        default=10,
        help="When several segment policies match a customer, the first one "
        "in this order wins.",
    )
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    level_ids = fields.One2many(
        "cobranza.level", "policy_id", string="Levels", copy=True
    )
    level_count = fields.Integer(compute="_compute_level_count")
    partner_domain = fields.Char(
        string="Customer segment",
        help="Customers matching this filter follow this policy unless they "
        "have a policy of their own. Leave empty for a policy that is only "
        "assigned explicitly or used as the company default.",
    )
    note = fields.Html(translate=True)
    one_message_per_level = fields.Boolean(
        string="One message per level",
        tracking=True,
        help="Unchecked (recommended): each run sends a customer one "
        "follow-up, at the highest level due among its invoices, listing all "
        "its open invoices. Checked: one message per level due, each with the "
        "invoices that reached that level.",
    )

    @api.depends("level_ids")
    def _compute_level_count(self):
        for policy in self:
            policy.level_count = len(policy.level_ids)

    @api.constrains("level_ids", "active")
    def _check_levels(self):
        for policy in self.filtered("active"):
            ladder = policy.level_ids.filtered(lambda lv: not lv.plan_reminder)
            try:
                core.check_levels([lv._to_core() for lv in ladder])
                # Each payment-plan reminder is a ladder of one level.
                for level in policy.level_ids - ladder:
                    core.check_levels([level._to_core()])
            except core.PolicyError as err:
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s cannot be saved: %(reason)s",
                        policy=policy.display_name,
                        reason=policy._translate_policy_error(err),
                    )
                ) from err

    @api.constrains("partner_domain")
    def _check_partner_domain(self):
        for policy in self.filtered("partner_domain"):
            try:
                domain = safe_eval(policy.partner_domain)
                self.env["res.partner"].search_count(domain, limit=1)
            except Exception as err:
                raise ValidationError(
                    self.env._(
                        "The customer segment of %(policy)s is not a valid "
                        "filter: %(error)s",
                        policy=policy.display_name,
                        error=err,
                    )
                ) from err

    def _translate_policy_error(self, err):
        """The core's error as a sentence in the user's language."""
        code, params = getattr(err, "code", ""), getattr(err, "params", {})
        if code == "no_level":
            return self.env._("a follow-up policy needs at least one level.")
        if code == "same_offset":
            offset = params["offset"]
            if abs(offset) == 1:
                return self.env._(
                    "two levels use the same offset of %(days)s day.", days=offset
                )
            return self.env._(
                "two levels use the same offset of %(days)s days.", days=offset
            )
        if code == "no_template":
            labels = dict(self._channel_labels())
            return self.env._(
                "a channel has no template (%(detail)s).",
                detail=", ".join(labels.get(c, c) for c in params["channels"]),
            )
        if code == "no_channel":
            return self.env._("every level needs at least one channel.")
        return str(err)

    def _channel_labels(self):
        return [
            ("email", self.env._("Email")),
            ("letter", self.env._("Letter")),
            ("sms", self.env._("SMS")),
            ("activity", self.env._("Call task")),
        ]

    def _core_levels(self):
        """``{policy_id: [core.Level]}`` for these policies, in one read."""
        levels = self.env["cobranza.level"].search_fetch(
            [("policy_id", "in", self.ids), ("plan_reminder", "=", False)],
            ["policy_id", "offset_days", "manual_review", "stage_id"],
        )
        result = {policy.id: [] for policy in self}
        for level in levels:
            result[level.policy_id.id].append(level._to_core())
        return result

    def _per_level_ids(self):
        """Ids of these policies that send one message per level."""
        return frozenset(self.filtered("one_message_per_level").ids)

    def _plan_reminder_levels(self):
        """``{(policy_id, kind): level}`` of the payment-plan reminders."""
        levels = self.env["cobranza.level"].search(
            [("policy_id", "in", self.ids), ("plan_reminder", "!=", False)]
        )
        return {(lv.policy_id.id, lv.plan_reminder): lv for lv in levels}

    def _segment_domain(self):
        self.ensure_one()
        return safe_eval(self.partner_domain) if self.partner_domain else []


class CobranzaLevel(models.Model):
    _name = "cobranza.level"
    _description = "Follow-up Level"
    _order = "policy_id, offset_days, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    policy_id = fields.Many2one(
        "cobranza.policy", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    offset_days = fields.Integer(
        string="Days from due date",
        required=True,
        help="Days counted from the due date. A negative number sends a "
        "reminder before the invoice is due; 0 is the due date itself.",
    )
    use_email = fields.Boolean(string="Email", default=True)
    use_letter = fields.Boolean(string="PDF letter")
    attach_statement = fields.Boolean(
        string="Attach statement of account",
        help="The email of this level carries the customer's statement of "
        "account (open items, aging, payments, plans and promises) as a PDF.",
    )
    use_sms = fields.Boolean(string="SMS")
    use_activity = fields.Boolean(string="Call / activity")
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email template",
        domain="[('model', '=', 'cobranza.action')]",
    )
    letter_template_id = fields.Many2one(
        "mail.template",
        string="Letter template",
        domain="[('model', '=', 'cobranza.action')]",
        help="Its body is printed as the letter text, below the letterhead "
        "and the address window.",
    )
    sms_template_id = fields.Many2one(
        "sms.template",
        string="SMS template",
        domain="[('model', '=', 'cobranza.action')]",
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        default=lambda self: self.env.ref(
            "mail.mail_activity_data_call", raise_if_not_found=False
        ),
    )
    activity_summary = fields.Char(translate=True)
    activity_delay_days = fields.Integer(string="Activity due in (days)", default=0)
    plan_reminder = fields.Selection(
        [
            ("pre_due", "Installment due soon"),
            ("overdue", "Installment overdue"),
        ],
        string="Payment plan reminder",
        help="This level is not a step of the invoice follow-up: it reminds "
        "the customers of this policy of the installments of their payment "
        "plans. Due soon: sent from this many days before the installment is "
        "due (a negative number of days). Overdue: sent this many days after "
        "the due date of an installment left unpaid (at least 1).",
    )
    stage_id = fields.Many2one(
        "cobranza.stage",
        string="Move invoices to stage",
        check_company=True,
        help="After this level is sent, its invoices move to this stage.",
    )
    manual_review = fields.Boolean(
        string="Needs manual review",
        help="The daily run does not send this level on its own: it waits in "
        "the preview until a collector sends it.",
    )
    fee_fixed = fields.Monetary(string="Fixed fee", currency_field="currency_id")
    fee_percent = fields.Float(string="Fee (% of amount due)", digits=(5, 2))
    currency_id = fields.Many2one(related="company_id.currency_id")

    _sql_constraints = [
        (
            "plan_reminder_uniq",
            "UNIQUE(policy_id, plan_reminder)",
            "A policy has at most one reminder of each kind for the installments "
            "of payment plans.",
        ),
        (
            "fee_positive",
            "CHECK(fee_fixed >= 0 AND fee_percent >= 0 AND fee_percent <= 100)",
            "A fee cannot be negative and a percentage cannot exceed 100.",
        ),
    ]

    @api.depends("name", "offset_days")
    def _compute_display_name(self):
        for level in self:
            level.display_name = self.env._(
                "%(name)s (%(offset)s d)",
                name=level.name or "",
                offset=level.offset_days,
            )

    @api.constrains(
        "use_email",
        "use_letter",
        "use_sms",
        "use_activity",
        "mail_template_id",
        "letter_template_id",
        "sms_template_id",
        "offset_days",
        "plan_reminder",
    )
    def _check_channels(self):
        for policy in self.policy_id:
            policy._check_levels()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_day_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_day_vals(vals)
        return super().write(vals)

    def _check_day_vals(self, vals):
        """Numbers of days parsed before the database sees them."""
        check_int_range(self, vals, "offset_days", OFFSET_MIN, OFFSET_MAX)
        check_int_range(self, vals, "activity_delay_days", 0, OFFSET_MAX)

    @api.constrains("offset_days", "activity_delay_days")
    def _check_offset_bounds(self):
        for level in self:
            if not OFFSET_MIN <= level.offset_days <= OFFSET_MAX:
                raise ValidationError(
                    self.env._(
                        "The offset of level %(level)s must be between %(min)s and "
                        "%(max)s days from the due date.",
                        level=level.name,
                        min=OFFSET_MIN,
                        max=OFFSET_MAX,
                    )
                )
            if not 0 <= level.activity_delay_days <= OFFSET_MAX:
                raise ValidationError(
                    self.env._(
                        "The call task of level %(level)s is due between 0 and "
                        "%(max)s days after the level is sent.",
                        level=level.name,
                        max=OFFSET_MAX,
                    )
                )

    @api.constrains("plan_reminder", "offset_days")
    def _check_plan_reminder_offset(self):
        for level in self:
            if level.plan_reminder == "pre_due" and level.offset_days > 0:
                raise ValidationError(
                    self.env._(
                        "%(level)s reminds of an installment before it is due: "
                        "its days from the due date must be zero or negative.",
                        level=level.display_name,
                    )
                )
            if level.plan_reminder == "overdue" and level.offset_days < 1:
                raise ValidationError(
                    self.env._(
                        "%(level)s reminds of an overdue installment: it is sent "
                        "at least one day after the due date.",
                        level=level.display_name,
                    )
                )

    def _channels(self):
        self.ensure_one()
        return frozenset(
            channel
            for channel, used in (
                ("email", self.use_email),
                ("letter", self.use_letter),
                ("sms", self.use_sms),
                ("activity", self.use_activity),
            )
            if used
        )

    def _to_core(self):
        self.ensure_one()
        templates = {
            "email": self.mail_template_id,
            "letter": self.letter_template_id,
            "sms": self.sms_template_id,
        }
        return core.Level(
            level_id=self.id,
            sequence=self.offset_days,
            offset_days=self.offset_days,
            manual_review=self.manual_review,
            channels=self._channels(),
            has_template=frozenset(ch for ch, tmpl in templates.items() if tmpl),
            stage_rank=self.stage_id.sequence if self.stage_id else None,
        )

    def _next_level(self):
        """The level after this one in its policy (empty if last)."""
        self.ensure_one()
        if self.plan_reminder:
            return self.browse()
        later = self.policy_id.level_ids.filtered(
            lambda lv: not lv.plan_reminder and lv.offset_days > self.offset_days
        )
        return later.sorted("offset_days")[:1]

    # Templates must pass the compliance rules they can reach
    @api.constrains("mail_template_id", "letter_template_id", "sms_template_id")
    def _check_template_compliance(self):
        """A template that breaks a rule it can reach cannot serve a level."""
        for level in self:
            company = level.company_id or self.env.company
            checks = [
                (level.mail_template_id, "email"),
                (level.letter_template_id, "letter"),
                (level.sms_template_id, "sms"),
            ]
            problems = []
            for template, channel in checks:
                if not template:
                    continue
                seen = set()
                lint = template.sudo()._cobranza_lint_by_lang(channel, company)
                for lang, reason in lint:
                    if (reason.rule_id, reason.message) in seen:
                        continue
                    seen.add((reason.rule_id, reason.message))
                    problems.append(
                        self.env._(
                            "%(template)s (%(channel)s, %(lang)s): %(rule)s – "
                            "%(message)s (%(citation)s)",
                            template=template.display_name,
                            channel=channel,
                            lang=lang,
                            rule=reason.rule_id,
                            message=self.env["cobranza.compliance.message"]._render(
                                reason
                            ),
                            citation=reason.citation or "-",
                        )
                    )
            if problems:
                raise ValidationError(
                    self.env._(
                        "Level %(level)s cannot use these templates:\n%(problems)s",
                        level=level.display_name,
                        problems="\n".join(problems),
                    )
                )
