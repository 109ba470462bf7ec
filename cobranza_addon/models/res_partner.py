import pytz

from odoo import api, fields, models

from .cobranza_authority import SYSTEM_MESSAGE, is_granted


class ResPartner(models.Model):
    _inherit = "res.partner"

    cobranza_policy_id = fields.Many2one(
        "cobranza.policy",
        string="Follow-up policy",
        company_dependent=True,
        help="Leave empty to use the segment policy or the company default.",
    )
    cobranza_collector_id = fields.Many2one(
        "res.users",
        string="Collector",
        company_dependent=True,
        help="The person responsible for collecting this customer's invoices.",
    )
    cobranza_mode = fields.Selection(
        [("auto", "Automatic"), ("manual", "Manual review")],
        string="Follow-up mode",
        company_dependent=True,
        help="Manual: every follow-up of this customer waits for a collector "
        "in the run preview.",
    )
    cobranza_channel = fields.Selection(
        [
            ("email", "Email"),
            ("letter", "Letter"),
            ("sms", "SMS"),
            ("call", "Phone call"),
        ],
        string="Preferred channel",
    )
    cobranza_total_due = fields.Monetary(
        string="Total due",
        compute="_compute_cobranza_totals",
        currency_field="cobranza_currency_id",
    )
    cobranza_total_overdue = fields.Monetary(
        string="Total overdue",
        compute="_compute_cobranza_totals",
        currency_field="cobranza_currency_id",
    )
    cobranza_next_action_date = fields.Date(
        string="Next follow-up", compute="_compute_cobranza_totals"
    )
    cobranza_currency_id = fields.Many2one(
        "res.currency", compute="_compute_cobranza_totals"
    )
    cobranza_action_count = fields.Integer(compute="_compute_cobranza_action_count")
    # Compliance -------------------------------------------------------------
    cobranza_jurisdiction = fields.Char(
        string="Collection jurisdiction",
        compute="_compute_cobranza_jurisdiction",
        store=True,
        readonly=False,
        precompute=True,
        help="Whose collection rules apply: the country code (US-MA for a US "
        "state), from the address. Change it to override.",
    )
    cobranza_debtor_type = fields.Selection(
        [("consumer", "Consumer"), ("business", "Business")],
        string="Debtor type",
        compute="_compute_cobranza_debtor_type",
        store=True,
        readonly=False,
        precompute=True,
        help="Consumer debts are protected by more rules than business debts.",
    )
    cobranza_authorized_channels = fields.Char(
        string="Authorised channels",
        help="Channels the debtor authorised for collection, comma-separated "
        "(email, letter, sms, call, activity). Leave empty when not recorded: "
        "where a rule requires an authorisation (CO-CHANNEL) nothing is sent.",
    )
    cobranza_debtor_supplied = fields.Boolean(
        string="Contact details given by the debtor",
        default=True,
        help="Clear it when the address, phone or email came from a third "
        "party: some rules (MX-THIRD) forbid contacting such details.",
    )
    cobranza_contact_count = fields.Integer(compute="_compute_cobranza_contact_count")

    @api.depends("country_id", "state_id", "is_company")
    def _compute_cobranza_jurisdiction(self):
        for partner in self:
            code = partner.country_id.code or False
            if code == "US" and partner.state_id.code:
                code = f"US-{partner.state_id.code}"
            partner.cobranza_jurisdiction = code

    @api.depends("is_company")
    def _compute_cobranza_debtor_type(self):
        for partner in self:
            partner.cobranza_debtor_type = (
                "business" if partner.is_company else "consumer"
            )

    def write(self, vals):
        result = super().write(vals)
        if "cobranza_collector_id" in vals:
            self._cobranza_propagate_collector(vals["cobranza_collector_id"])
        return result

    def _cobranza_propagate_collector(self, collector_id):
        """The customer's new collector takes over its open invoices in the
        current company (the field is per company): one set-based write, so
        the dashboard, the aging report and the record rules follow the run."""
        customers = self.filtered(lambda p: not p.parent_id)
        if not customers:
            return
        Move = self.env["account.move"].sudo()
        moves = Move.search(
            [
                ("commercial_partner_id", "in", customers.ids),
                ("company_id", "=", self.env.company.id),
                ("move_type", "=", "out_invoice"),
                ("cobranza_in_collection", "=", True),
                ("cobranza_collector_id", "!=", collector_id or False),
            ]
        )
        if moves:
            moves.write({"cobranza_collector_id": collector_id or False})
            # The dashboard and the aging report read it with SQL.
            moves.flush_recordset(["cobranza_collector_id"])

    def _compute_cobranza_contact_count(self):
        counts = dict(
            self.env["cobranza.contact"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.cobranza_contact_count = counts.get(partner, 0)

    def _cobranza_timezones(self):
        """(tz, extra_tzs): the debtor's time zone and other plausible ones."""
        self.ensure_one()
        country = (self.country_id.code or "").upper()
        country_tzs = list(pytz.country_timezones.get(country, [])) if country else []
        if self.tz:
            return self.tz, ()
        if country_tzs:
            return country_tzs[0], tuple(country_tzs[1:])
        return (self.env.company.partner_id.tz or self.env.user.tz or "UTC"), ()

    def _cobranza_authorized_channels(self):
        self.ensure_one()
        if not self.cobranza_authorized_channels:
            return None
        return frozenset(
            c.strip().lower()
            for c in self.cobranza_authorized_channels.split(",")
            if c.strip()
        )

    def _cobranza_recipient_tags(self):
        self.ensure_one()
        return (
            frozenset({"debtor_supplied"})
            if self.cobranza_debtor_supplied
            else frozenset()
        )

    def _cobranza_envelope_text(self):
        """What shows through the letter's address window: name and address."""
        self.ensure_one()
        return "\n".join(
            [self.name or "", self._display_address(without_company=True) or ""]
        )

    def action_view_cobranza_contacts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cobranza_addon.cobranza_contact_action"
        )
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    @api.depends_context("company")
    def _compute_cobranza_totals(self):
        company = self.env.company
        domain = [
            ("commercial_partner_id", "in", self.commercial_partner_id.ids),
            ("company_id", "=", company.id),
            ("cobranza_in_collection", "=", True),
        ]
        moves = self.env["account.move"]
        due = dict(
            (partner.id, (amount, next_date))
            for partner, amount, next_date in moves._read_group(
                domain,
                ["commercial_partner_id"],
                ["amount_residual_signed:sum", "cobranza_next_date:min"],
            )
        )
        overdue = dict(
            (partner.id, amount)
            for partner, amount in moves._read_group(
                domain + [("cobranza_days_overdue", ">", 0)],
                ["commercial_partner_id"],
                ["amount_residual_signed:sum"],
            )
        )
        for partner in self:
            key = partner.commercial_partner_id.id
            amount, next_date = due.get(key, (0.0, False))
            partner.cobranza_currency_id = company.currency_id
            partner.cobranza_total_due = amount
            partner.cobranza_total_overdue = overdue.get(key, 0.0)
            partner.cobranza_next_action_date = next_date

    def _compute_cobranza_action_count(self):
        counts = dict(
            self.env["cobranza.action"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.cobranza_action_count = counts.get(partner, 0)

    def action_view_cobranza_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cobranza_addon.cobranza_invoice_action"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        action["context"] = {}
        return action

    def action_view_cobranza_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cobranza_addon.cobranza_action_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {}
        return action

    # Manual sends (composer, invoice "Send") ------------------------------
    def _cobranza_debtors_in_collection(self):
        """Commercial partners of ``self`` with invoices in collection."""
        return self.env["cobranza.contact"]._debtors_in_collection(self)

    def _cobranza_check_manual_send(self, now, body, subject):
        """Refuse a manual email to these debtors when a rule forbids it now."""
        Contact = self.env["cobranza.contact"]
        decisions = Contact._evaluate_emails(
            [(partner, subject, body) for partner in self], now
        )
        Contact._raise_refused(self, decisions)

    def _cobranza_refused_line(self, when, reasons):
        """Why the rules refuse a manual message to this debtor now."""
        self.ensure_one()
        if when:
            return self.env._(
                "%(partner)s may be contacted from %(when)s (UTC) only: %(reasons)s",
                partner=self.display_name,
                when=when,
                reasons=reasons,
            )
        return self.env._(
            "%(partner)s may not be contacted this way: %(reasons)s",
            partner=self.display_name,
            reasons=reasons,
        )

    def _cobranza_refused_message(self, problems):
        return self.env._(
            "This message is not sent: a recipient is in collection and "
            "the compliance rules do not allow it now.\n%(problems)s",
            problems=problems,
        )

    def _cobranza_log_manual_send(self, now, res_model, res_ids, channel="email"):
        """Record a manual message to these debtors in the contact ledger."""
        origin = "other" if is_granted(SYSTEM_MESSAGE) else "manual"
        self.env["cobranza.contact"].sudo().create(
            [
                {
                    "company_id": self.env.company.id,
                    "partner_id": partner.id,
                    "contact_date": now,
                    "channel": channel,
                    "outcome": "allowed",
                    "origin": origin,
                    "res_model": res_model,
                    "res_id": res_id,
                    "user_id": self.env.user.id,
                }
                for partner in self
                for res_id in res_ids
            ]
        )
