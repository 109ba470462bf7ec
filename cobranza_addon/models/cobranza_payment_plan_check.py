import json
import math
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, format_date, formatLang

from ..cobranza_core import installments, plans
from .cobranza_payment_plan import EDITABLE_STATES, _amount, _cents

#: The largest number of installments any company may allow.
MAX_INSTALLMENTS = 120
#: The first installment falls within a year.
MAX_FIRST_DATE_DAYS = 366


class CobranzaPaymentPlan(models.Model):
    """The checks of a payment plan: every one raises before anything is kept."""

    _inherit = "cobranza.payment.plan"

    def _check_terms(self):
        """Terms that do not depend on the lines."""
        today = fields.Date.context_today(self)
        for plan in self:
            plan._check_bounds(today)
            if not plan.invoice_ids:
                raise ValidationError(
                    self.env._("A payment plan covers at least one open invoice.")
                )
            if plan.state in EDITABLE_STATES and plan.first_date < today:
                raise ValidationError(
                    self.env._(
                        "The first due date (%(date)s) is in the past.",
                        date=format_date(self.env, plan.first_date),
                    )
                )
            if plan.down_payment < 0 or plan.annual_rate < 0:
                raise ValidationError(
                    self.env._(
                        "The down payment and the interest rate cannot be negative."
                    )
                )
            reduction = plan._reduction_cents()
            max_percent = plan.company_id.cobranza_plan_max_reduction
            if plans.reduction_exceeds(
                _cents(plan.amount_covered), reduction, str(max_percent)
            ):
                raise ValidationError(
                    self.env._(
                        "The reduction of %(reduction)s is above the maximum of "
                        "%(max)s%% of the amount covered.",
                        reduction=formatLang(
                            self.env, _amount(reduction), currency_obj=plan.currency_id
                        ),
                        max=max_percent,
                    )
                )

    def _check_bounds(self, today):
        """Installments, interest rate and dates within the company's limits."""
        self.ensure_one()
        company = self.company_id
        max_count = min(
            max(company.cobranza_plan_max_installments, 1), MAX_INSTALLMENTS
        )
        if self.installment_count < 1:
            raise ValidationError(
                self.env._("A payment plan needs at least one installment.")
            )
        if self.installment_count > max_count:
            raise ValidationError(
                self.env._(
                    "A payment plan has between 1 and %(max)s installments "
                    "(%(count)s asked).",
                    max=max_count,
                    count=self.installment_count,
                )
            )
        max_rate, source = self._max_annual_rate()
        if self.annual_rate > max_rate:
            raise ValidationError(
                self.env._(
                    "The annual interest of %(rate)s%% is above the maximum of "
                    "%(max)s%% (%(origin)s).",
                    rate=self.annual_rate,
                    max=max_rate,
                    origin=source,
                )
            )
        if self.state in EDITABLE_STATES and self.first_date > today + timedelta(
            days=MAX_FIRST_DATE_DAYS
        ):
            raise ValidationError(
                self.env._(
                    "The first due date (%(date)s) is more than a year away.",
                    date=format_date(self.env, self.first_date),
                )
            )

    def _max_annual_rate(self):
        """(cap in %, where it comes from): the jurisdiction's legal maximum
        when an enabled rule pack gives one, else the company setting."""
        self.ensure_one()
        jurisdiction = self.partner_id.commercial_partner_id.cobranza_jurisdiction
        if jurisdiction:
            codes = {jurisdiction, jurisdiction.split("-")[0]}
            rules = (
                self.env["cobranza.rule"]
                .sudo()
                .search(
                    [
                        ("kind", "=", "statutory_interest"),
                        ("jurisdiction", "in", list(codes)),
                        ("company_id", "in", [False, self.company_id.id]),
                        ("pack_id.disabled_company_ids", "not in", self.company_id.ids),
                    ]
                )
            )
            caps = []
            for rule in rules:
                try:
                    cap = float(json.loads(rule.params or "{}").get("max_annual_rate"))
                except (TypeError, ValueError, AttributeError):
                    continue
                if math.isfinite(cap) and cap >= 0:
                    caps.append((cap * 100, rule.rule_code))
            if caps:
                cap, code = min(caps)
                return round(cap, 2), self.env._(
                    "legal maximum, rule %(rule)s", rule=code
                )
        return self.company_id.cobranza_plan_max_rate, self.env._("company setting")

    def _check_lines(self):
        """The lines must sum to the amount to pay, on increasing dates."""
        for plan in self:
            lines = plan.line_ids.sorted(lambda line: (line.due_date, line.sequence))
            if not lines:
                raise ValidationError(
                    self.env._(
                        "The payment plan %(plan)s has no installments.",
                        plan=plan.display_name,
                    )
                )
            expected = _cents(plan.amount_covered) - plan._reduction_cents()
            total = sum(_cents(line.principal_amount) for line in lines)
            if total != expected:
                raise ValidationError(
                    self.env._(
                        "The installments of %(plan)s add up to %(total)s, but the "
                        "amount to pay is %(expected)s. Correct the amounts so that "
                        "they sum to the total.",
                        plan=plan.display_name,
                        total=formatLang(
                            self.env, _amount(total), currency_obj=plan.currency_id
                        ),
                        expected=formatLang(
                            self.env, _amount(expected), currency_obj=plan.currency_id
                        ),
                    )
                )
            try:
                installments.validate_lines(
                    expected,
                    [(line.due_date, _cents(line.principal_amount)) for line in lines],
                )
            except installments.ScheduleError as err:
                raise ValidationError(
                    self.env._(
                        "The installments of %(plan)s are not valid: every amount "
                        "must be positive and every due date after the previous "
                        "one (%(reason)s).",
                        plan=plan.display_name,
                        reason=str(err),
                    )
                ) from err
            if any(line.interest_amount < 0 for line in lines):
                raise ValidationError(
                    self.env._("The interest of an installment cannot be negative.")
                )

    @api.constrains("invoice_ids", "partner_id", "currency_id", "state")
    def _check_invoices(self):
        checked = self.filtered(lambda p: p.state in (*EDITABLE_STATES, "active"))
        for plan in checked:
            plan._check_invoices_of_customer()
        if checked:
            checked._check_one_active_plan_per_invoice()

    def _check_invoices_of_customer(self):
        """Posted customer invoices of the plan's customer, in its currency."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        wrong = self.invoice_ids._cobranza_not_of(partner)
        if wrong:
            raise ValidationError(
                self.env._(
                    "%(invoices)s: a payment plan only covers posted customer "
                    "invoices of %(partner)s.",
                    invoices=", ".join(wrong.mapped("display_name")),
                    partner=partner.display_name,
                )
            )
        other_currency = self.invoice_ids.filtered(
            lambda m: m.currency_id != self.currency_id
        )
        if other_currency:
            raise ValidationError(
                self.env._(
                    "%(invoices)s: all the invoices of a payment plan must be "
                    "in %(currency)s.",
                    invoices=", ".join(other_currency.mapped("display_name")),
                    currency=self.currency_id.name,
                )
            )

    def _check_one_active_plan_per_invoice(self):
        """At most one active plan per invoice: one query for all the plans."""
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT mine.plan_id, other.plan_id, mine.move_id
                  FROM cobranza_payment_plan_account_move_rel mine
                  JOIN cobranza_payment_plan_account_move_rel other
                    ON other.move_id = mine.move_id
                   AND other.plan_id != mine.plan_id
                  JOIN cobranza_payment_plan op ON op.id = other.plan_id
                 WHERE mine.plan_id IN %(ids)s
                   AND op.state = 'active'
                 LIMIT 1
                """,
                ids=tuple(self.ids),
            )
        )
        if rows:
            _plan_id, other_id, move_id = rows[0]
            raise ValidationError(
                self.env._(
                    "Invoice %(invoice)s is already in the active payment plan "
                    "%(plan)s. Cancel that plan first.",
                    invoice=self.env["account.move"].browse(move_id).display_name,
                    plan=self.browse(other_id).display_name,
                )
            )
