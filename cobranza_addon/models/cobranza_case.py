from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date

from ..cobranza_core import cases, compliance
from .cobranza_run import _utc

STATE_SELECTION = [
    ("open", "Open"),
    ("in_court", "In court"),
    ("settled", "Settled"),
    ("won", "Won"),
    ("lost", "Lost"),
    ("written_off", "Written off"),
]
TYPE_STAGE = {
    "agency": "cobranza_addon.cobranza_stage_agency",
    "lawyer": "cobranza_addon.cobranza_stage_judicial",
    "court": "cobranza_addon.cobranza_stage_judicial",
}


class CobranzaCase(models.Model):
    """A customer's invoices handed over to an agency, a lawyer or a court.

    While the case is open (open, in court) the run sends no reminders for
    its invoices and their stage follows the case. Payments reconciled on
    them after the handoff are the recovered amount the agency's commission
    is computed on. Not legal advice.
    """

    _name = "cobranza.case"
    _description = "Collection Case (agency or legal)"
    _inherit = ["cobranza.ladder.record.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_open desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Case", required=True, default=lambda self: self.env._("New"), copy=False
    )
    invoice_ids = fields.Many2many(
        "account.move",
        "cobranza_case_invoice_rel",
        "case_id",
        "move_id",
        string="Invoices handed over",
    )
    case_type = fields.Selection(
        [("agency", "Collection agency"), ("lawyer", "Lawyer"), ("court", "Court")],
        string="Type",
        required=True,
        default="agency",
        tracking=True,
    )
    party_id = fields.Many2one(
        "res.partner", string="Agency / lawyer", required=True, tracking=True
    )
    case_number = fields.Char(tracking=True)
    court = fields.Char(tracking=True)
    commission_percent = fields.Float(
        string="Commission (%)", digits=(5, 2), tracking=True
    )
    fee_agreement = fields.Text(help="Fixed fees, success fees, other terms.")
    state = fields.Selection(
        STATE_SELECTION, default="open", required=True, tracking=True, index=True
    )
    date_open = fields.Date(
        string="Handed over on",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    date_closed = fields.Date(readonly=True, tracking=True)
    amount_handed_over = fields.Monetary(
        readonly=True, help="Open amount of the invoices when the case was opened."
    )
    amount_open = fields.Monetary(compute="_compute_amounts", store=True)
    amount_recovered = fields.Monetary(
        compute="_compute_amounts",
        store=True,
        help="Payments reconciled on the invoices since the handoff.",
    )
    commission_amount = fields.Monetary(compute="_compute_amounts", store=True)
    cost_ids = fields.One2many("cobranza.case.cost", "case_id", string="Costs")
    cost_total = fields.Monetary(compute="_compute_cost_total")
    cost_move_ids = fields.Many2many(
        "account.move",
        string="Cost invoices",
        compute="_compute_cost_moves",
        help="The customer invoices that charge this case's costs.",
    )
    cost_to_invoice = fields.Boolean(
        string="Costs to invoice", compute="_compute_cost_moves"
    )
    event_ids = fields.Many2many(
        "cobranza.contact",
        string="Recorded events",
        compute="_compute_event_ids",
        help="Cease requests, refusals, lawsuits and insolvencies recorded on "
        "this case, in the contact ledger.",
    )
    contact_stop = fields.Char(
        string="Contact stopped",
        compute="_compute_contact_stop",
        help="While the case is open, a recorded cease request, lawsuit or "
        "insolvency stops every channel to the customer.",
    )

    @api.depends(
        "invoice_ids.amount_residual", "date_open", "commission_percent", "state"
    )
    def _compute_amounts(self):
        payments = self._reconciled_payments()
        for case in self:
            case.amount_open = sum(case.invoice_ids.mapped("amount_residual"))
            recovered = cases.recovered_since(
                payments.get(case.id, ()), case.date_open or fields.Date.today()
            )
            case.amount_recovered = float(recovered)
            case.commission_amount = float(
                cases.commission(
                    recovered, Decimal(str(case.commission_percent or 0.0))
                )
            )

    @api.depends("cost_ids.amount")
    def _compute_cost_total(self):
        for case in self:
            case.cost_total = sum(case.cost_ids.mapped("amount"))

    @api.depends("cost_ids.move_id", "cost_ids.chargeable", "cost_ids.amount")
    def _compute_cost_moves(self):
        for case in self:
            case.cost_move_ids = case.cost_ids.move_id
            case.cost_to_invoice = bool(case._costs_to_invoice())

    def _compute_event_ids(self):
        rows = self.env["cobranza.contact"].search(
            [
                ("outcome", "=", "event"),
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
            ]
        )
        for case in self:
            case.event_ids = rows.filtered(lambda r, c=case: r.res_id == c.id)

    def _compute_contact_stop(self):
        for company, company_cases in self.grouped("company_id").items():
            stops = self._cobranza_contact_stops(company, company_cases.partner_id.ids)
            for case in company_cases:
                row = company and stops.get(case.partner_id.id)
                case.contact_stop = self._cobranza_stop_reason(row) if row else False

    def _reconciled_payments(self):
        """``{case_id: [(date, amount)]}``: partial reconciliations on the
        receivable lines of the cases' invoices (one query)."""
        cases_ = self.filtered("id")
        if not cases_:
            return {}
        self.env["account.partial.reconcile"].flush_model()
        self.env["account.move.line"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT rel.case_id, p.max_date, p.amount
                  FROM cobranza_case_invoice_rel rel
                  JOIN account_move_line l ON l.move_id = rel.move_id
                  JOIN account_account a ON a.id = l.account_id
                  JOIN account_partial_reconcile p ON p.debit_move_id = l.id
                 WHERE rel.case_id IN %s
                   AND a.account_type = 'asset_receivable'
                """,
                tuple(cases_.ids),
            )
        )
        out = {}
        for case_id, day, amount in rows:
            out.setdefault(case_id, []).append((day, Decimal(str(amount))))
        return out

    @api.constrains("commission_percent")
    def _check_commission(self):
        for case in self:
            if not 0 <= case.commission_percent <= 100:
                raise ValidationError(
                    self.env._("The commission must be between 0 and 100 %.")
                )

    @api.constrains("invoice_ids", "partner_id")
    def _check_invoices(self):
        for case in self:
            wrong = case.invoice_ids._cobranza_not_of(case.partner_id, posted=False)
            if wrong:
                raise ValidationError(
                    self.env._(
                        "Only customer invoices of %(partner)s can be handed over: "
                        "%(invoices)s.",
                        partner=case.partner_id.display_name,
                        invoices=", ".join(wrong.mapped("display_name")),
                    )
                )

    def _check_manager(self):
        self._cobranza_check_role(
            "cobranza_addon.cobranza_group_manager",
            self.env._("Only collection managers can open or change cases."),
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_manager()
        self._cobranza_name_from_sequence(vals_list)
        records = super().create(vals_list)
        for case in records:
            case.amount_handed_over = sum(case.invoice_ids.mapped("amount_residual"))
        records._sync_invoice_stage()
        return records

    def write(self, vals):
        self._check_manager()
        res = super().write(vals)
        if {"invoice_ids", "case_type", "state"} & set(vals):
            self._sync_invoice_stage()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_only_open_without_payments(self):
        self._check_manager()
        if any(case.amount_recovered for case in self):
            raise UserError(
                self.env._("A case with recovered payments cannot be deleted.")
            )

    def _sync_invoice_stage(self):
        """The stage follows the case: agency or judicial while it is open
        (judicial once in court), written off when the case is lost or
        written off."""
        written_off = self.env.ref("cobranza_addon.cobranza_stage_written_off")
        for case in self:
            if case.state == "in_court":
                stage = self.env.ref("cobranza_addon.cobranza_stage_judicial")
            elif case.state in cases.OPEN_STATES:
                stage = self.env.ref(TYPE_STAGE[case.case_type])
            elif case.state in ("written_off", "lost"):
                stage = written_off
            else:
                continue
            # the case moves them, not a person: not a manual escalation
            case.invoice_ids.sudo()._cobranza_run_write({"cobranza_stage_id": stage.id})

    def _set_state(self, state):
        self._check_manager()
        vals = {"state": state}
        if state not in cases.OPEN_STATES:
            vals["date_closed"] = fields.Date.context_today(self)
        else:
            vals["date_closed"] = False
        self.write(vals)

    def action_in_court(self):
        self._set_state("in_court")

    def action_settled(self):
        self._set_state("settled")

    def action_won(self):
        self._set_state("won")

    def action_lost(self):
        self._set_state("lost")

    def action_write_off(self):
        self._set_state("written_off")

    def action_reopen(self):
        self._set_state("open")

    # Events recorded on the case; the contact stop -------------------------
    def action_open_event_wizard(self):
        """The dated event a button of the case records (the wizard)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record an event"),
            "res_model": "cobranza.case.event.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_case_id": self.id,
                "default_event": self.env.context.get("cobranza_case_event"),
            },
        }

    def action_record_event(self, event, day, reason=None):
        """Record ``event`` (a cease request, a refusal to pay, a lawsuit
        served, an insolvency) that happened to the customer on ``day``.

        Any collection user may record it: it only ever restricts contact.
        The ledger row feeds the compliance rules (CL-STOP, US-CEASE...);
        a cease request, lawsuit or insolvency on an open case also stops
        every channel to the customer (``_cobranza_contact_stops``).
        """
        self.ensure_one()
        self._cobranza_check_role(
            "cobranza_addon.cobranza_group_user",
            self.env._("Only collection users can record events on a case."),
        )
        if event not in cases.CASE_EVENTS:
            raise UserError(self.env._("This event cannot be recorded on a case."))
        day = fields.Date.to_date(day)
        if not day or day > fields.Date.context_today(self):
            raise UserError(
                self.env._("The date of the event cannot be in the future.")
            )
        self.env["cobranza.contact"]._record_event(
            self.partner_id, event, day, source=self, reason=reason
        )
        self.invalidate_model(["event_ids", "contact_stop"])
        note = f" {reason}" if reason else ""
        self.sudo()._message_log(
            body=self.env._(
                "Recorded: %(event)s on %(date)s.%(note)s",
                event=self.env["cobranza.compliance.message"]._event_label(event),
                date=format_date(self.env, day),
                note=note,
            )
        )
        return True

    @api.model
    def _cobranza_contact_stops(self, company, partner_ids=None):
        """``{commercial_partner_id: ledger row}``: the customers of
        ``company`` with an open case on which a cease request, a lawsuit
        served or an insolvency was recorded (the latest such row).

        Beyond each jurisdiction's stop conditions: the run, Send now, the
        deferred actions, installment reminders and manual emails send
        nothing to them on any channel.
        """
        domain = [
            ("company_id", "=", company.id),
            ("state", "in", sorted(cases.OPEN_STATES)),
        ]
        if partner_ids is not None:
            domain.append(("partner_id", "in", list(partner_ids)))
        open_cases = self.sudo().search(domain)
        if not open_cases:
            return {}
        rows = (
            self.env["cobranza.contact"]
            .sudo()
            .search(
                [
                    ("outcome", "=", "event"),
                    ("event", "in", sorted(cases.STOP_EVENTS)),
                    ("res_model", "=", self._name),
                    ("res_id", "in", open_cases.ids),
                ],
                order="contact_date desc, id desc",
            )
        )
        stops = {}
        for row in rows:
            stops.setdefault(row.partner_id.commercial_partner_id.id, row)
        return stops

    @api.model
    def _cobranza_stop_reason(self, row):
        """Why nothing is sent to the customer of the stop ``row``, in the
        user's language."""
        return self.env._(
            "Contact stopped: %(event)s recorded on %(date)s (case %(case)s).",
            event=self.env["cobranza.compliance.message"]._event_label(row.event),
            date=format_date(self.env, row.contact_date.date()),
            case=self.sudo().browse(row.res_id).name,
        )

    @api.model
    def _cobranza_stop_decision(self, row):
        """The stop ``row`` as a blocking decision of the compliance gate
        (manual emails render and hold it like a rule's)."""
        return compliance.Decision(
            "block",
            reasons=(
                compliance.Reason(
                    "CASE-STOP",
                    "block",
                    f"contact stopped: {row.event}",
                    citation=self.sudo().browse(row.res_id).name,
                    code="stopped",
                    args=(("what", row.event),),
                ),
            ),
        )

    @api.model
    def _cobranza_case_blocked_invoice_ids(self, company):
        """Invoices the run sends no reminders for: those held by an open
        case, and every invoice in collection of a customer whose contact is
        stopped (``_cobranza_contact_stops``)."""
        open_cases = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("state", "in", sorted(cases.OPEN_STATES)),
            ]
        )
        blocked = set(open_cases.invoice_ids.ids)
        stops = self._cobranza_contact_stops(company)
        if stops:
            blocked.update(
                self.env["account.move"]
                .sudo()
                .search(
                    [
                        ("company_id", "=", company.id),
                        ("commercial_partner_id", "in", list(stops)),
                        ("move_type", "=", "out_invoice"),
                        ("state", "=", "posted"),
                        ("cobranza_in_collection", "=", True),
                    ]
                )
                .ids
            )
        return blocked

    # Costs charged to the customer -----------------------------------------
    def _costs_to_invoice(self):
        self.ensure_one()
        ids = cases.costs_to_invoice(
            (c.id, c.amount, c.chargeable, bool(c.move_id)) for c in self.cost_ids
        )
        return self.cost_ids.browse(ids)

    def action_invoice_costs(self):
        """Invoice the chargeable costs not invoiced yet: one draft customer
        invoice, like the collection charges of actions. A cost the fee rules
        of the customer's jurisdiction refuse stays uninvoiced, with the
        reason on the cost."""
        self._cobranza_check_role(
            "cobranza_addon.cobranza_group_manager",
            self.env._("Only a Collections manager can invoice case costs."),
        )
        self.ensure_one()
        costs = self._costs_to_invoice()
        if not costs:
            raise UserError(self.env._("This case has no chargeable cost to invoice."))
        decisions = self._cost_fee_decisions(costs)
        render = self.env["cobranza.compliance.message"]._render_decision
        refused = costs.filtered(lambda c: not decisions[c.id].allowed)
        for cost in refused:
            cost.sudo().fee_refusal = render(decisions[cost.id], sep="\n")
        allowed = costs - refused
        if not allowed:
            return self._costs_refused_notification(refused)
        allowed.sudo().fee_refusal = False
        move = self._invoice_costs(allowed)
        self.message_post(
            body=self.env._(
                "Costs invoiced to the customer: %(invoice)s.",
                invoice=move.display_name,
            )
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "view_mode": "form",
            "res_id": move.id,
            "name": self.env._("Case costs"),
        }

    def _invoice_costs(self, costs):
        """One draft customer invoice for ``costs``; each cost linked to its
        line, as the system (the caller checked the manager)."""
        lines = [
            {
                "name": f"{cost.name} – {self.name}",
                "quantity": 1,
                "price_unit": cost.amount,
                "tax_ids": [fields.Command.clear()],
            }
            for cost in costs
        ]
        vals = self.env["cobranza.action"]._charge_invoice_vals(
            self.company_id,
            self.partner_id,
            lines,
            self.name,
            self.env._("Case costs %(case)s", case=self.name),
        )
        move = self.env["account.move"].create(vals)
        move_lines = move.invoice_line_ids.sorted("id")
        for cost, line in zip(costs, move_lines, strict=True):
            cost.sudo().write({"move_id": move.id, "move_line_id": line.id})
        return move

    def _costs_refused_notification(self, refused):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("No cost invoiced"),
                "message": "\n".join(
                    f"{cost.name}: {cost.fee_refusal}" for cost in refused
                ),
                "type": "warning",
                "sticky": True,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _cost_fee_decisions(self, costs):
        """``{cost_id: Decision}`` of the fee rules of the customer's
        jurisdiction (every cost allowed without a jurisdiction)."""
        partner = self.partner_id
        jurisdiction = partner.cobranza_jurisdiction
        if not jurisdiction:
            return dict.fromkeys(costs.ids, compliance.Decision("allow"))
        company = self.company_id
        factor = 10**self.currency_id.decimal_places
        today = fields.Date.context_today(self)
        dues = [d for d in self.invoice_ids.mapped("invoice_date_due") if d]
        tz, extra_tzs = partner._cobranza_timezones()
        already = self.cost_ids.filtered(lambda c: c.chargeable and c.move_id)
        return cases.check_cost_fees(
            [(c.id, round(c.amount * factor), c.documented) for c in costs],
            self.env["cobranza.rule"]._core_rules(company, {jurisdiction}),
            already_cents=round(sum(already.mapped("amount")) * factor),
            at=_utc(fields.Datetime.now()),
            jurisdiction=jurisdiction,
            tz=tz,
            extra_tzs=extra_tzs,
            debtor_type=partner.cobranza_debtor_type or "business",
            actor_type=company.cobranza_actor_type or "creditor",
            amount_cents=round(self.amount_handed_over * factor),
            days_overdue=max((today - d).days for d in dues) if dues else None,
            creditor_sector=company.cobranza_creditor_sector or None,
            debtor_person="legal" if partner.is_company else "natural",
            unit_values=company._cobranza_unit_values(),
            legal_values=self.env["cobranza.legal.param"]._core_values({jurisdiction}),
            currency_factor=factor,
        )
