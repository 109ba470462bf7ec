"""Credit-bureau reports: a customer's unpaid invoices reported to a bureau.

A collector prepares a draft; a credit manager checks it against the
compliance rules (the waiting periods of CO-HD-NOTICE, ES-SIC, US-CREDIT,
AR-DATA: ``compliance.evaluate`` with ``kind="bureau_report"``) and
reports it. Once the invoices are paid the report must be updated or
withdrawn at the bureau by a deadline (company policy: the reference notes
give no legal one, see ``cobranza_core.bureau``). Not legal advice.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

from ..cobranza_core import bureau as core
from .cobranza_authority import granted, is_internal

#: The grant of the report's own transitions (see ``cobranza_authority``).
BUREAU = "bureau_report"

STATE_SELECTION = [
    ("draft", "Draft"),
    ("refused", "Refused"),
    ("reported", "Reported"),
    ("updated", "Updated"),
    ("withdrawn", "Withdrawn"),
    ("cancelled", "Cancelled"),
]
#: Written only by the transitions and the payment tracking.
INTERNAL_FIELDS = frozenset(
    {
        "state",
        "amount_reported",
        "decision_outcome",
        "decision_text",
        "allowed_from",
        "missing_events",
        "rule_ids_text",
        "checked_on",
        "settled_date",
        "update_deadline",
        "update_basis",
        "update_date",
        "retention_until",
    }
)
#: Managers may correct these by hand; collectors never.
MANAGER_FIELDS = frozenset({"bureau_reference", "report_date", "name"})
#: What a report is about: fixed once it has been sent to the bureau.
SUBJECT_FIELDS = frozenset({"partner_id", "invoice_ids", "bureau", "company_id"})
EDITABLE_STATES = ("draft", "refused")
SENT_STATES = ("reported", "updated", "withdrawn")


class CobranzaBureauReport(models.Model):
    _name = "cobranza.bureau.report"
    _description = "Credit-Bureau Report"
    _inherit = ["cobranza.ladder.record.mixin", "mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Report",
        required=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    partner_id = fields.Many2one(index=True, check_company=True)
    invoice_ids = fields.Many2many(
        "account.move", "cobranza_bureau_report_invoice_rel", "report_id", "move_id"
    )
    bureau = fields.Selection(
        [(b.code, b.label) for b in core.BUREAUS], required=True, tracking=True
    )
    country_id = fields.Many2one(
        "res.country", compute="_compute_country_id", store=True, string="Country"
    )
    debtor_person = fields.Selection(
        [("natural", "Natural person"), ("legal", "Legal person")],
        compute="_compute_debtor",
        store=True,
        help="From the customer: a company is a legal person. Some rules "
        "(CO-HD-NOTICE, ES-SIC) protect natural persons only.",
    )
    debtor_type = fields.Selection(
        [("consumer", "Consumer"), ("business", "Business")],
        compute="_compute_debtor",
        store=True,
        help="The customer's debtor type: consumer debts are protected by more "
        "rules (US-CREDIT).",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Collector",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        index=True,
    )
    state = fields.Selection(
        STATE_SELECTION,
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    amount_open = fields.Monetary(
        string="Open now",
        compute="_compute_amount_open",
        store=True,
        help="What the invoices still owe, in company currency.",
    )
    amount_reported = fields.Monetary(
        readonly=True,
        tracking=True,
        help="The open amount of the invoices when the report was made.",
    )
    report_date = fields.Date(readonly=True, tracking=True, copy=False)
    bureau_reference = fields.Char(
        tracking=True,
        copy=False,
        help="The bureau's reference of the report (this report's number "
        "when left empty).",
    )
    decision_outcome = fields.Selection(
        [("allow", "Allowed"), ("defer", "Not yet"), ("block", "Refused")],
        string="Last check",
        readonly=True,
        copy=False,
    )
    decision_text = fields.Text(string="Decision", readonly=True, copy=False)
    allowed_from = fields.Date(
        readonly=True,
        copy=False,
        help="When a waiting period ends: the report " "is allowed from this date.",
    )
    missing_events = fields.Char(
        string="Missing notice",
        readonly=True,
        copy=False,
        help="The notices the rules require before a report and that the "
        "ledger does not show (e.g. a delivered certified letter).",
    )
    rule_ids_text = fields.Char(string="Rules", readonly=True, copy=False)
    checked_on = fields.Datetime(readonly=True, copy=False)
    settled_date = fields.Date(
        string="Paid on",
        readonly=True,
        copy=False,
        tracking=True,
        help="When the invoices were found paid or settled in full.",
    )
    update_deadline = fields.Date(
        readonly=True,
        copy=False,
        tracking=True,
        help="Update or withdraw the report at the bureau by this date.",
    )
    update_basis = fields.Selection(
        [("law", "Law"), ("company_policy", "Company policy")],
        string="Deadline basis",
        readonly=True,
        copy=False,
        help="No law in the shipped reference notes gives a number of days: "
        "the deadline is the company's own policy (Settings).",
    )
    update_date = fields.Date(string="Updated on", readonly=True, copy=False)
    update_late = fields.Boolean(
        compute="_compute_update_late", search="_search_update_late"
    )
    retention_until = fields.Date(
        string="Reportable until",
        readonly=True,
        copy=False,
        help="Last day the debt may stay reported under the data-retention "
        "rules (CO-HD-PERM, AR-DATA, ES-SIC). Empty: no limit encoded.",
    )

    @api.depends("bureau")
    def _compute_country_id(self):
        codes = {b.code: b.country for b in core.BUREAUS}
        countries = self.env["res.country"].search(
            [("code", "in", sorted(set(codes.values())))]
        )
        by_code = {c.code: c for c in countries}
        for report in self:
            code = codes.get(report.bureau)
            report.country_id = by_code.get(code) if code else False

    @api.depends("partner_id.is_company", "partner_id.cobranza_debtor_type")
    def _compute_debtor(self):
        for report in self:
            partner = report.partner_id
            report.debtor_person = "legal" if partner.is_company else "natural"
            report.debtor_type = partner.cobranza_debtor_type or "business"

    @api.depends("partner_id", "invoice_ids")
    def _compute_user_id(self):
        """The customer's collector (else the invoices', else the author)."""
        for report in self:
            partner = report.partner_id.with_company(report.company_id)
            report.user_id = (
                partner.cobranza_collector_id
                or report.invoice_ids.cobranza_collector_id[:1]
                or report.user_id
                or self.env.user
            )

    @api.depends("invoice_ids.amount_residual_signed")
    def _compute_amount_open(self):
        for report in self:
            report.amount_open = report._cobranza_open_amount()

    @api.depends("state", "update_deadline")
    @api.depends_context("tz")
    def _compute_update_late(self):
        today = fields.Date.context_today(self)
        for report in self:
            report.update_late = bool(
                report.state == "reported"
                and report.update_deadline
                and report.update_deadline < today
            )

    def _search_update_late(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Unsupported search on Update late."))
        late = [
            ("state", "=", "reported"),
            ("update_deadline", "<", fields.Date.context_today(self)),
        ]
        if (operator == "=") == bool(value):
            return late
        return ["!", "&", *late]

    @api.depends("name", "bureau", "partner_id")
    def _compute_display_name(self):
        labels = dict(self._fields["bureau"]._description_selection(self.env))
        for report in self:
            report.display_name = " – ".join(
                part
                for part in (
                    report.name,
                    labels.get(report.bureau),
                    report.partner_id.name,
                )
                if part
            )

    @api.constrains("partner_id", "invoice_ids")
    def _check_invoices(self):
        for report in self:
            if report.partner_id.commercial_partner_id != report.partner_id:
                raise ValidationError(
                    self.env._("Report the customer (the company), not a contact.")
                )
            wrong = report.invoice_ids._cobranza_not_of(report.partner_id)
            if wrong:
                raise ValidationError(
                    self.env._(
                        "Only posted customer invoices of %(partner)s can be "
                        "reported: %(invoices)s.",
                        partner=report.partner_id.display_name,
                        invoices=", ".join(wrong.mapped("display_name")),
                    )
                )

    # ------------------------------------------------------------------
    # Authority: create, write and unlink check what the buttons check
    # ------------------------------------------------------------------
    def _is_manager(self):
        return self._cobranza_has_role("cobranza_addon.cobranza_group_manager")

    def _check_manager(self):
        self._cobranza_check_role(
            "cobranza_addon.cobranza_group_manager",
            self.env._(
                "Only collection managers can check, report, update or "
                "withdraw credit-bureau reports."
            ),
        )

    def _check_vals(self, vals, creating=False):
        if is_internal(self.env, BUREAU):
            return
        internal = {key for key in vals if key in INTERNAL_FIELDS}
        if creating:
            # a client may send the defaults back
            internal = {
                key for key in internal if vals[key] not in (False, None, "draft")
            }
        if internal:
            raise AccessError(
                self.env._(
                    "These fields change only through the report's buttons: "
                    "%(fields)s.",
                    fields=", ".join(sorted(internal)),
                )
            )
        manager_only = {k for k, v in vals.items() if v and k in MANAGER_FIELDS}
        if creating:
            manager_only.discard("name")
        if manager_only and not self._is_manager():
            raise AccessError(
                self.env._(
                    "Only collection managers can set %(fields)s.",
                    fields=", ".join(sorted(manager_only)),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_vals(vals, creating=True)
        self._cobranza_name_from_sequence(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_vals(vals)
        if not is_internal(self.env, BUREAU):
            if not self._is_manager() and any(
                report.state not in EDITABLE_STATES for report in self
            ):
                raise AccessError(
                    self.env._("Only collection managers can change this report.")
                )
            if SUBJECT_FIELDS & set(vals) and any(
                report.state not in EDITABLE_STATES for report in self
            ):
                raise UserError(
                    self.env._(
                        "A report sent to the bureau keeps its customer, "
                        "invoices and bureau: withdraw it and prepare a new one."
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_unsent(self):
        if any(report.state in SENT_STATES for report in self):
            raise UserError(
                self.env._(
                    "A report sent to the bureau cannot be deleted: update or "
                    "withdraw it."
                )
            )
        if not self._is_manager() and any(r.state != "draft" for r in self):
            raise AccessError(
                self.env._("Collectors can only delete draft credit-bureau reports.")
            )

    # ------------------------------------------------------------------
    # Transitions (managers)
    # ------------------------------------------------------------------
    def _check_states(self, states):
        wrong = self.filtered(lambda r: r.state not in states)
        if wrong:
            raise UserError(
                self.env._(
                    "Not possible for reports in this state: %(reports)s.",
                    reports=", ".join(wrong.mapped("display_name")),
                )
            )

    def action_check(self):
        """Ask the rules whether the report may be made today."""
        self._check_manager()
        self._check_states(EDITABLE_STATES)
        decisions = self._bureau_decisions()
        with granted(BUREAU):
            for report in self:
                vals = report._decision_vals(decisions[report.id])
                if vals["decision_outcome"] == "allow":
                    vals["state"] = "draft"
                else:
                    vals["state"] = "refused"
                report.write(vals)
        return True

    def action_report(self):
        """Check, then record the report (reference, date, ledger, chatter)."""
        self._check_manager()
        self._check_states(EDITABLE_STATES)
        empty = self.filtered(lambda r: r.currency_id.is_zero(r.amount_open))
        if empty:
            raise UserError(
                self.env._(
                    "Nothing is open on the invoices of %(reports)s: there is "
                    "nothing to report.",
                    reports=", ".join(empty.mapped("display_name")),
                )
            )
        decisions = self._bureau_decisions()
        today = fields.Date.context_today(self)
        reported = self.browse()
        with granted(BUREAU):
            for report in self:
                vals = report._decision_vals(decisions[report.id])
                if vals["decision_outcome"] == "allow":
                    vals.update(report._report_vals(today))
                    reported |= report
                else:
                    vals["state"] = "refused"
                report.write(vals)
        reported._log_reported()
        (self - reported)._log_refused()
        return True

    def action_update(self):
        """The bureau was told the debt is paid or settled."""
        self._set_closed("updated")

    def action_withdraw(self):
        """The report was withdrawn (deleted) at the bureau."""
        self._set_closed("withdrawn")

    def action_cancel(self):
        self._check_manager()
        self._check_states(EDITABLE_STATES)
        with granted(BUREAU):
            self.write({"state": "cancelled"})

    def action_draft(self):
        self._check_manager()
        self._check_states(("cancelled", "refused"))
        with granted(BUREAU):
            self.write({"state": "draft"})

    def _set_closed(self, state):
        self._check_manager()
        self._check_states(("reported",))
        today = fields.Date.context_today(self)
        with granted(BUREAU):
            self.write({"state": state, "update_date": today})
        for report in self:
            if state == "updated":
                body = self.env._(
                    "Credit-bureau report %(report)s updated at the bureau on "
                    "%(date)s.",
                    report=report.display_name,
                    date=format_date(self.env, today),
                )
            else:
                body = self.env._(
                    "Credit-bureau report %(report)s withdrawn from the bureau on "
                    "%(date)s.",
                    report=report.display_name,
                    date=format_date(self.env, today),
                )
            report.partner_id.sudo()._message_log(body=body)
