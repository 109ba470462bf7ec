from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date, formatLang

from ..cobranza_core import allocation, kpi, money
from .cobranza_authority import check_dates, check_finite, parse_date
from .cobranza_lang import in_user_lang

#: Fields only the promise's own methods and payment tracking write.
PROMISE_PRIVILEGED = {"state", "amount_paid", "closed_date", "date"}


class CobranzaPromise(models.Model):
    """A promise to pay, recorded by a collector after a call."""

    _name = "cobranza.promise"
    _description = "Promise to Pay"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "cobranza.checked.message.mixin",
    ]
    _order = "promise_date desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        readonly=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('parent_id', '=', False)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Collector",
        required=True,
        default=lambda self: self.env.user,
        index=True,
        tracking=True,
    )
    invoice_ids = fields.Many2many(
        "account.move",
        "cobranza_promise_account_move_rel",
        "promise_id",
        "move_id",
        string="Invoices",
        required=True,
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),"
        " ('cobranza_in_collection', '=', True),"
        " ('commercial_partner_id', '=', partner_id)]",
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    date = fields.Date(
        string="Recorded on",
        required=True,
        readonly=True,
        default=fields.Date.context_today,
        help="Payments reconciled with the invoices from this day on count "
        "towards the promise.",
    )
    amount = fields.Monetary(string="Promised amount", required=True, tracking=True)
    promise_date = fields.Date(string="Promised for", required=True, tracking=True)
    pause_until = fields.Date(
        string="Follow-up paused until",
        compute="_compute_pause_until",
        store=True,
    )
    amount_paid = fields.Monetary(string="Paid since the promise", readonly=True)
    state = fields.Selection(
        [
            ("open", "Open"),
            ("kept", "Kept"),
            ("broken", "Not kept"),
            ("cancelled", "Withdrawn"),
        ],
        default="open",
        required=True,
        tracking=True,
        index=True,
        readonly=True,
    )
    closed_date = fields.Date(readonly=True)
    note = fields.Text(string="Call notes")

    @api.depends("invoice_ids")
    def _compute_currency_id(self):
        for promise in self:
            if promise.invoice_ids:
                promise.currency_id = promise.invoice_ids[0].currency_id
            elif not promise.currency_id:
                promise.currency_id = promise.company_id.currency_id

    @api.depends(
        "promise_date",
        "date",
        "company_id.cobranza_promise_grace_days",
        "company_id.cobranza_promise_max_days",
    )
    def _compute_pause_until(self):
        for promise in self:
            company = promise.company_id
            if not (promise.promise_date and promise.date):
                promise.pause_until = False
                continue
            # The pause never goes beyond the horizon of promises.
            promise.pause_until = min(
                promise.promise_date
                + timedelta(days=min(max(company.cobranza_promise_grace_days, 0), 30)),
                promise.date + timedelta(days=company._cobranza_promise_horizon()),
            )

    @api.depends("partner_id", "amount", "promise_date")
    def _compute_display_name(self):
        for promise in self:
            promise.display_name = self.env._(
                "%(partner)s: %(amount)s on %(date)s",
                partner=promise.partner_id.display_name or "",
                amount=formatLang(
                    self.env, promise.amount, currency_obj=promise.currency_id
                ),
                date=format_date(self.env, promise.promise_date),
            )

    @api.constrains(
        "amount", "promise_date", "invoice_ids", "partner_id", "currency_id"
    )
    def _check_promise(self):
        for promise in self:
            if promise.currency_id.compare_amounts(promise.amount, 0) <= 0:
                raise ValidationError(
                    self.env._("The promised amount must be greater than zero.")
                )
            if promise.state != "open":
                continue
            if promise.promise_date < promise.date:
                raise ValidationError(
                    self.env._("The promised date cannot be in the past.")
                )
            if not promise.invoice_ids:
                raise ValidationError(
                    self.env._("A promise to pay covers at least one invoice.")
                )
            partner = promise.partner_id.commercial_partner_id
            wrong = promise.invoice_ids._cobranza_not_of(
                partner, currency=promise.currency_id, posted=False
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "%(invoices)s: a promise covers customer invoices of "
                        "%(partner)s in one currency.",
                        invoices=", ".join(wrong.mapped("display_name")),
                        partner=partner.display_name,
                    )
                )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "account.move" and context.get("active_ids"):
            invoices = (
                self.env["account.move"]
                .browse(context["active_ids"])
                .filtered("cobranza_in_collection")
            )
            if invoices:
                values.setdefault("partner_id", invoices[0].commercial_partner_id.id)
                values.setdefault("invoice_ids", [fields.Command.set(invoices.ids)])
                values.setdefault("amount", sum(invoices.mapped("amount_residual")))
        return values

    def _check_promise_vals(self, vals, today):
        """Numbers and dates of a client, checked before anything is computed."""
        check_finite(self, vals, ("amount",), positive=("amount",))
        if "promise_date" not in vals:
            return
        label = self._fields["promise_date"]._description_string(self.env)
        day = parse_date(self.env, vals["promise_date"], label)
        if not day:
            return
        companies = self.company_id or self.env["res.company"].browse(
            vals.get("company_id")
        )
        horizon = min(
            (c._cobranza_promise_horizon() for c in companies or self.env.company),
            default=60,
        )
        if day > today + timedelta(days=horizon):
            raise ValidationError(
                self.env._(
                    "A promise to pay is dated at most %(days)s days ahead "
                    "(%(date)s is later): agree on a payment plan instead.",
                    days=horizon,
                    date=format_date(self.env, day),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        today = fields.Date.context_today(self)
        for vals in vals_list:
            check_dates(self, vals, ("date",))
            if not self.env.su:
                given = {
                    name
                    for name in PROMISE_PRIVILEGED & set(vals)
                    if vals[name]
                    and not (name == "state" and vals[name] == "open")
                    and not (
                        name == "date" and fields.Date.to_date(vals[name]) == today
                    )
                }
                if given:
                    raise AccessError(
                        self.env._(
                            "A promise to pay is recorded open, today; whether it "
                            "was kept comes from the reconciled payments."
                        )
                    )
            self._check_promise_vals(vals, today)
        promises = super().create(vals_list)
        invoice_bodies = {}
        for promise in promises:
            body = self.env._(
                "Promise to pay %(amount)s on %(date)s recorded by %(user)s: "
                "follow-up pauses until %(until)s.",
                amount=formatLang(
                    self.env, promise.amount, currency_obj=promise.currency_id
                ),
                date=format_date(self.env, promise.promise_date),
                user=promise.user_id.name,
                until=format_date(self.env, promise.pause_until),
            )
            promise.message_post(body=body)
            invoice_bodies.update(dict.fromkeys(promise.invoice_ids.ids, body))
        # The invoice's chatter tells the story too.
        promises.invoice_ids.sudo().browse(list(invoice_bodies))._message_log_batch(
            invoice_bodies
        )
        promises.invoice_ids._cobranza_update_pause()
        return promises

    def write(self, vals):
        self._check_promise_vals(vals, fields.Date.context_today(self))
        if not self.env.su:
            if PROMISE_PRIVILEGED & set(vals):
                raise AccessError(
                    self.env._(
                        "The status of a promise to pay changes only through "
                        "its Cancel button and the reconciled payments."
                    )
                )
            if "amount" in vals and any(
                p.currency_id.compare_amounts(p.amount, vals["amount"] or 0)
                for p in self
            ):
                raise UserError(
                    self.env._(
                        "The promised amount is what the customer said and cannot "
                        "change: cancel the promise and record a new one."
                    )
                )
        if {"amount", "promise_date", "invoice_ids", "partner_id"} & set(vals):
            if any(promise.state != "open" for promise in self):
                raise UserError(
                    self.env._("A kept, broken or cancelled promise cannot change.")
                )
        invoices = self.invoice_ids
        result = super().write(vals)
        if {"promise_date", "invoice_ids", "state"} & set(vals):
            (invoices | self.invoice_ids)._cobranza_update_pause()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed(self):
        if any(promise.state in ("kept", "broken") for promise in self):
            raise UserError(
                self.env._("A kept or broken promise is history and cannot be deleted.")
            )

    def action_cancel(self):
        if any(promise.state != "open" for promise in self):
            raise UserError(self.env._("Only an open promise can be cancelled."))
        self.check_access("write")
        self.sudo().write(
            {"state": "cancelled", "closed_date": fields.Date.context_today(self)}
        )
        return True

    def action_refresh(self):
        self._refresh_payments()
        return True

    # ------------------------------------------------------------------
    # Tracking
    # ------------------------------------------------------------------
    def _paid_cents(self):
        """``{promise_id: cents}`` reconciled with its invoices since it was made."""
        paid = self.env["account.move"]._cobranza_reconciled_since(self, "date")
        return {
            promise_id: money.to_cents(paid.get(promise_id, 0))
            for promise_id in self.ids
        }

    def _refresh_payments(self, today=None):
        promises = self.filtered(lambda p: p.state == "open")
        if not promises:
            return
        today = today or fields.Date.context_today(self)
        paid = promises._paid_cents()
        kept = broken = self.browse()
        for promise in promises:
            status = allocation.promise_status(
                money.to_cents(promise.amount),
                promise.promise_date,
                paid[promise.id],
                today,
                max(promise.company_id.cobranza_promise_grace_days, 0),
            )
            values = {"amount_paid": float(money.from_cents(paid[promise.id]))}
            if status == "kept":
                kept |= promise
            elif status == "broken":
                broken |= promise
            if promise.currency_id.compare_amounts(
                promise.amount_paid, values["amount_paid"]
            ):
                promise.sudo().write(values)
        if kept:
            kept.sudo().write({"state": "kept", "closed_date": today})
            for promise in kept:
                promise.message_post(
                    body=self.env._("Promise kept: the amount was paid.")
                )
        if broken:
            broken._mark_broken(today)

    def _mark_broken(self, today):
        """A broken promise escalates like a follow-up level."""
        self.sudo().write({"state": "broken", "closed_date": today})
        for promise in self:
            promise.message_post(
                body=self.env._(
                    "Promise broken: %(paid)s of %(amount)s paid by %(date)s. "
                    "Follow-up resumes.",
                    paid=formatLang(
                        self.env, promise.amount_paid, currency_obj=promise.currency_id
                    ),
                    amount=formatLang(
                        self.env, promise.amount, currency_obj=promise.currency_id
                    ),
                    date=format_date(self.env, promise.pause_until),
                )
            )
            # the task in its assignee's language (the daily job runs in English)
            lang = promise.user_id.lang or self.env.lang
            promise.activity_schedule(
                "mail.mail_activity_data_call",
                summary=self.with_context(lang=lang).env._(
                    "Broken promise: call the customer"
                ),
                user_id=promise.user_id.id,
            )
            stage = promise.company_id.cobranza_promise_break_stage_id
            if stage:
                promise.invoice_ids.filtered("cobranza_in_collection").write(
                    {"cobranza_stage_id": stage.id}
                )

        self._send_template("cobranza_addon.mail_template_cobranza_promise_broken")

    @api.model
    def _cron_update_promises(self):
        self = in_user_lang(self)
        promises = self.sudo().search([("state", "=", "open")])
        for company, company_promises in promises.grouped("company_id").items():
            company_promises.with_company(company)._refresh_payments()

    @api.model
    def _kept_rate_by_collector(self, domain=None):
        """``{user: (kept, closed, rate)}`` of closed promises, for the KPIs.

        ``rate`` is the core's promise-kept rate, in percent (kept among kept
        and broken promises), or ``None`` when the collector has none closed.
        """
        rows = self._read_group(
            (domain or []) + [("state", "in", ("kept", "broken"))],
            ["user_id", "state"],
            ["__count"],
        )
        counts = {}
        for user, state, count in rows:
            kept, closed = counts.get(user, (0, 0))
            counts[user] = (kept + (count if state == "kept" else 0), closed + count)
        return {
            user: (kept, closed, kpi.promise_kept_rate(kept, closed - kept))
            for user, (kept, closed) in counts.items()
        }
