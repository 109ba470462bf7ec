from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..cobranza_core import aging, interest
from .cobranza_lang import in_user_lang


class CobranzaAction(models.Model):
    """One collection action: a customer at a level, with its invoices.

    The run proposes actions (the preview), a collector may exclude some,
    and sending executes the level's channels. Executed actions are the
    collection history of the customer and of each invoice.
    """

    _name = "cobranza.action"
    _description = "Collection Action"
    _order = "date desc, id desc"
    _check_company_auto = True

    run_id = fields.Many2one(
        "cobranza.run", ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True
    )
    policy_id = fields.Many2one("cobranza.policy", check_company=True)
    level_id = fields.Many2one(
        "cobranza.level",
        string="Level",
        required=True,
        check_company=True,
        index=True,
        help="The highest level due among the customer's invoices.",
    )
    stage_id = fields.Many2one("cobranza.stage", related="level_id.stage_id")
    # The invoices are the action's lines (one row per invoice, with its
    # level and days overdue): the many2many reads and writes the lines'
    # table, so a large preview inserts one row per invoice, not two.
    invoice_ids = fields.Many2many(
        "account.move",
        "cobranza_action_line",
        "action_id",
        "move_id",
        string="Invoices",
        check_company=True,
    )
    invoice_count = fields.Integer(compute="_compute_invoice_count")
    plan_line_id = fields.Many2one(
        "cobranza.payment.plan.line",
        string="Installment",
        index="btree_not_null",
        ondelete="cascade",
        help="The installment this payment-plan reminder is about.",
    )
    plan_id = fields.Many2one(
        "cobranza.payment.plan",
        string="Payment plan",
        related="plan_line_id.plan_id",
        store=True,
    )
    plan_reminder = fields.Selection(
        related="level_id.plan_reminder", store=True, string="Plan reminder"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_due = fields.Monetary(
        compute="_compute_figures",
        store=True,
        help="What this message asks the customer to pay, in company currency: "
        "the overdue amount, or for a pre-due reminder the amount falling due. "
        "Computed from the invoices at preview and again at sending; frozen "
        "once sent.",
    )
    amount_overdue = fields.Monetary(
        string="Overdue", compute="_compute_figures", store=True
    )
    amount_not_due = fields.Monetary(
        string="Not yet due", compute="_compute_figures", store=True
    )
    fee_amount = fields.Monetary(string="Fee", compute="_compute_figures", store=True)
    fee_waived = fields.Boolean(
        readonly=True,
        help="No fee: the remainder of an action whose fee was already charged.",
    )
    max_days_overdue = fields.Integer(
        string="Days overdue", compute="_compute_figures", store=True
    )
    invoice_currency_id = fields.Many2one(
        "res.currency",
        string="Invoice currency",
        readonly=True,
        help="One follow-up per customer and currency.",
    )
    line_ids = fields.One2many(
        "cobranza.action.line", "action_id", string="Invoice lines"
    )
    collector_id = fields.Many2one("res.users", string="Collector", index=True)
    manual_review = fields.Boolean(readonly=True)
    state = fields.Selection(
        [
            ("proposed", "To send"),
            ("excluded", "Excluded"),
            ("deferred", "Deferred"),
            ("blocked", "Blocked"),
            ("done", "Sent"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ],
        default="proposed",
        required=True,
        index=True,
    )
    channel_email = fields.Boolean(string="Emailed", readonly=True)
    channel_letter = fields.Boolean(string="Letter", readonly=True)
    channel_sms = fields.Boolean(string="SMS sent", readonly=True)
    channel_activity = fields.Boolean(string="Activity", readonly=True)
    note = fields.Text(
        string="Outcome", readonly=True, help="What the run did, and why."
    )
    lang = fields.Char(compute="_compute_lang")
    charge_move_id = fields.Many2one(
        "account.move",
        string="Charges invoice",
        readonly=True,
        copy=False,
        help="The customer invoice that charges this action's fee, interest "
        "and compensation.",
    )

    def _compute_invoice_count(self):
        for action in self:
            action.invoice_count = len(action.invoice_ids)

    def _compute_lang(self):
        for action in self:
            action.lang = action.partner_id.lang or self.env.lang

    @api.depends("partner_id", "level_id", "plan_line_id")
    def _compute_display_name(self):
        for action in self:
            # Billing users see the history, not the plans: names read as system.
            line = action.sudo().plan_line_id
            if line:
                action.display_name = self.env._(
                    "%(partner)s – %(level)s (%(plan)s, %(line)s)",
                    partner=action.partner_id.display_name or "",
                    level=action.level_id.name or "",
                    plan=line.plan_id.name or "",
                    line=line.display_name,
                )
                continue
            action.display_name = self.env._(
                "%(partner)s – %(level)s",
                partner=action.partner_id.display_name or "",
                level=action.level_id.name or "",
            )

    def write(self, vals):
        if "state" in vals and not self.env.su:
            if any(a.state in ("done", "failed") for a in self):
                raise UserError(
                    self.env._("An action that was already sent cannot change.")
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if any(a.state == "done" for a in self):
            raise UserError(
                self.env._(
                    "Sent actions are the collection history and cannot be " "deleted."
                )
            )

    def action_exclude(self):
        self._check_editable()
        self.write({"state": "excluded"})

    def action_include(self):
        self._check_editable()
        self.write({"state": "proposed"})

    def _check_editable(self):
        if any(a.state not in ("proposed", "excluded") for a in self):
            raise UserError(self.env._("Only actions not yet sent can change."))

    def action_send_now(self):
        """Send these proposed actions (a collector reviewing the worklist).

        Through the delivery queue, like the run (cobranza_action_send.py).
        """
        return self._cobranza_send_now()

    def action_invoice_charges(self):
        """Invoice the fee, statutory interest and compensation of these actions.

        One customer invoice (a debit note for collection charges) per
        customer, in draft so the accountant checks it before posting. Each
        action is invoiced at most once.
        """
        if not self.env.user.has_group("cobranza_addon.cobranza_group_manager"):
            raise AccessError(
                self.env._("Only a Collections manager can invoice collection charges.")
            )
        if any(a.charge_move_id for a in self):
            raise UserError(self.env._("Some of these actions were already invoiced."))
        if any(a.state != "done" for a in self):
            raise UserError(self.env._("Only sent actions can be invoiced."))
        vals_list = []
        groups = self.grouped(lambda a: (a.company_id, a.partner_id))
        for (company, partner), actions in groups.items():
            lines = actions._charge_lines()
            if not lines:
                continue
            vals_list.append(
                self._charge_invoice_vals(
                    company,
                    partner,
                    lines,
                    ", ".join(actions.invoice_ids.mapped("name")),
                    self.env._("Collection charges"),
                )
            )
        if not vals_list:
            raise UserError(self.env._("These actions carry no charges to invoice."))
        moves = self.env["account.move"].create(vals_list)
        for move in moves:
            self.filtered(
                lambda a, m=move: a.partner_id == m.partner_id
                and a.company_id == m.company_id
            ).charge_move_id = move
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "view_mode": "list,form" if len(moves) > 1 else "form",
            "res_id": moves.id if len(moves) == 1 else False,
            "domain": [("id", "in", moves.ids)],
            "name": self.env._("Collection charges"),
        }

    @api.model
    def _charge_invoice_vals(self, company, partner, lines, origin, ref):
        """The vals of a draft customer invoice charging ``lines`` to
        ``partner``: the company's first sales journal, whose income account
        the lines use. Shared by the charges of actions and the costs of
        cases."""
        journal = self.env["account.journal"].search(
            [
                ("type", "=", "sale"),
                *self.env["account.journal"]._check_company_domain(company),
            ],
            limit=1,
        )
        if not journal:
            raise UserError(
                self.env._(
                    "Company %(company)s has no sales journal.",
                    company=company.name,
                )
            )
        return {
            "move_type": "out_invoice",
            "company_id": company.id,
            "partner_id": partner.id,
            "journal_id": journal.id,
            "invoice_origin": origin,
            "ref": ref,
            "invoice_line_ids": [Command.create(line) for line in lines],
        }

    def _charge_lines(self):
        """Invoice line values for the charges of these actions."""
        lines = []
        for action in self:
            refs = ", ".join(action.invoice_ids.mapped("name"))
            for label, amount in (
                (
                    self.env._(
                        "Collection fee (%(level)s)", level=action.level_id.name
                    ),
                    action.fee_amount,
                ),
                (self.env._("Statutory late-payment interest"), action.interest_amount),
                (self.env._("Fixed recovery compensation"), action.compensation_amount),
            ):
                if amount and amount > 0:
                    lines.append(
                        {
                            "name": f"{label} – {refs}",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
        return lines

    # Helpers for templates -------------------------------------------------
    def _invoices_sorted(self):
        return self.invoice_ids.sorted(lambda m: (m.invoice_date_due, m.name))

    def _totals_by_currency(self):
        """[(currency, residual)] of this action's invoices."""
        totals = {}
        for move in self.invoice_ids:
            totals[move.currency_id] = (
                totals.get(move.currency_id, 0.0) + move.amount_residual
            )
        return sorted(totals.items(), key=lambda item: item[0].name)

    def _portal_url(self):
        self.ensure_one()
        if self.plan_id:
            return self.plan_id.get_base_url() + self.plan_id.get_portal_url()
        base = self.get_base_url()
        return base + "/my/invoices"

    def _letter_body(self):
        """The level's letter template rendered for this action."""
        self.ensure_one()
        template = self.level_id.letter_template_id or self.level_id.mail_template_id
        if not template:
            return ""
        return template._render_field(
            "body_html", self.ids, compute_lang=True, options={"post_process": True}
        )[self.id]

    # Compliance state: deferral, block, override, statutory amounts
    not_before = fields.Datetime(
        string="Deferred until",
        readonly=True,
        index="btree_not_null",
        help="The rules allow this action from this moment; it is sent "
        "automatically then.",
    )
    channel_plan = fields.Char(
        readonly=True,
        help="Channels still to send (comma-separated) when only part of the "
        "action was deferred. Empty: every channel of the level.",
    )
    compliance_rules = fields.Char(
        string="Rules",
        readonly=True,
        help="Rule ids that deferred or blocked this action.",
    )
    override_rules = fields.Char(
        string="Overridden rules",
        readonly=True,
        help="Warn-level rule ids a manager overrode for this action.",
    )
    override_justification = fields.Text(readonly=True)
    override_user_id = fields.Many2one(
        "res.users", string="Overridden by", readonly=True
    )

    interest_amount = fields.Monetary(
        string="Statutory interest",
        compute="_compute_statutory_amounts",
        help="Late-payment interest the law allows on these invoices, when the "
        "company charges it (Settings of the company).",
    )
    compensation_amount = fields.Monetary(
        string="Fixed compensation",
        compute="_compute_statutory_amounts",
        help="Fixed compensation per overdue invoice (EUR 40 in EU/ES B2B).",
    )

    @api.depends("invoice_ids", "partner_id", "date", "company_id")
    def _compute_statutory_amounts(self):
        ecb = None
        for action in self:
            action.interest_amount = action.compensation_amount = 0.0
            company = action.company_id
            jurisdiction = action.partner_id.cobranza_jurisdiction
            if not (company.cobranza_charge_interest and jurisdiction and action.date):
                continue
            if ecb is None:
                ecb = self.env["cobranza.ecb.rate"]._series()
            amounts = action._statutory_amounts(jurisdiction, ecb)
            action.interest_amount, action.compensation_amount = amounts

    def _statutory_amounts(self, jurisdiction, ecb_rates):
        """(interest, compensation) in company currency, from the pure core."""
        self.ensure_one()
        factor = 10**self.currency_id.decimal_places
        debtor_type = self.partner_id.cobranza_debtor_type or "business"
        try:
            rate = interest.statutory_rate(
                jurisdiction, self.date, ecb_rates, debtor_type=debtor_type
            )
        except ValueError:
            rate = None
        try:
            compensation = interest.fixed_compensation(jurisdiction, debtor_type)
        except ValueError:
            compensation = 0
        interest_cents = compensation_cents = 0
        for invoice in self.invoice_ids:
            days = aging.days_past_due(invoice.invoice_date_due, self.date)
            if days <= 0:
                continue
            if rate is not None:
                interest_cents += interest.late_payment_interest(
                    round(abs(invoice.amount_residual_signed) * factor), rate, days
                )
            compensation_cents += compensation * factor // 100
        return interest_cents / factor, compensation_cents / factor

    def _compliance_overrides(self):
        self.ensure_one()
        return frozenset(
            code.strip()
            for code in (self.override_rules or "").split(",")
            if code.strip()
        )

    def action_open_override(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "cobranza.override.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_action_id": self.id},
        }

    @api.model
    def _check_override_codes(self, rule_codes, justification):
        """The warn-level rule ids to override, or an error in plain words."""
        codes = sorted({c.strip() for c in rule_codes if c and c.strip()})
        if not codes:
            raise UserError(self.env._("Choose the rules to override."))
        if not (justification or "").strip():
            raise UserError(
                self.env._("A written justification is required to override a rule.")
            )
        rules = self.env["cobranza.rule"].search_fetch(
            [("rule_code", "in", codes)], ["rule_code", "severity"]
        )
        blocking = sorted({r.rule_code for r in rules if r.severity == "block"})
        if blocking:
            raise UserError(
                self.env._(
                    "Block-level rules cannot be overridden: %(rules)s.",
                    rules=", ".join(blocking),
                )
            )
        unknown = sorted(set(codes) - set(rules.mapped("rule_code")))
        if unknown:
            raise UserError(
                self.env._("Unknown rule ids: %(rules)s.", rules=", ".join(unknown))
            )
        return codes

    def action_override(self, rule_codes, justification):
        """A manager overrides warn-level rules, with a written justification.

        The actions go back to "To send"; the next send re-evaluates every
        rule except the overridden ones, and the ledger keeps the
        justification. Block-level rules can never be overridden.
        """
        if not self.env.user.has_group("cobranza_addon.cobranza_group_manager"):
            raise AccessError(
                self.env._("Only a Collections manager can override a rule.")
            )
        codes = self._check_override_codes(rule_codes, justification)
        if any(a.state not in ("proposed", "deferred", "blocked") for a in self):
            raise UserError(self.env._("Only actions not yet sent can be overridden."))
        for action in self:
            merged = sorted(action._compliance_overrides() | set(codes))
            action.write(
                {
                    "override_rules": ",".join(merged),
                    "override_justification": justification.strip(),
                    "override_user_id": self.env.user.id,
                    "state": "proposed",
                    "not_before": False,
                }
            )
            action.partner_id.sudo().message_post(
                body=Markup(
                    self.env._(
                        "<b>Compliance override</b> of %(rules)s by %(user)s: %(why)s"
                    )
                )
                % {
                    "rules": ", ".join(codes),
                    "user": self.env.user.name,
                    "why": justification.strip(),
                },
                author_id=self.env.user.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_retry(self):
        """Send a blocked action again: every rule is checked anew."""
        if any(a.state != "blocked" for a in self):
            raise UserError(self.env._("Only blocked actions can be retried."))
        self.write({"state": "proposed", "not_before": False})
        return self.action_send_now()

    def action_dismiss(self):
        """Give up a blocked or deferred action; its invoices follow up again."""
        if any(a.state not in ("blocked", "deferred") for a in self):
            raise UserError(
                self.env._("Only blocked or deferred actions can be dismissed.")
            )
        self.write({"state": "cancelled", "not_before": False})
        body = Markup(
            self.env._("Collection action <b>%(level)s</b> dismissed by %(user)s.")
        )
        self.partner_id._message_log_batch(
            {
                action.partner_id.id: body
                % {"level": action.level_id.name, "user": self.env.user.name}
                for action in self
            }
        )
        return True

    @api.model
    def _cron_send_deferred(self):
        """Send the deferred actions whose moment has come, re-checking rules.

        Through the delivery queue (cobranza_action_send.py).
        """
        self = in_user_lang(self)
        self._cobranza_queue_deferred()
