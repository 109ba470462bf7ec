from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..cobranza_core import interest


class CobranzaAction(models.Model):
    """Compliance state of a collection action (deferral, block, override)."""

    _inherit = "cobranza.action"

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
            days = (self.date - invoice.invoice_date_due).days
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
        body = Markup(self.env._("Collection action <b>%(level)s</b> dismissed by %(user)s."))
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
        """Send the deferred actions whose moment has come, re-checking rules."""
        now = fields.Datetime.now()
        due = self.sudo().search(
            [("state", "=", "deferred"), ("not_before", "<=", now)],
            order="not_before, id",
        )
        for run, actions in due.grouped("run_id").items():
            if not run:
                continue
            actions.write({"state": "proposed"})
            run.with_company(run.company_id)._execute(actions)
