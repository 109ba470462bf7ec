from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date


class ResPartner(models.Model):
    """The customer collection view: what a collector opens when the phone rings."""

    _inherit = "res.partner"

    cobranza_open_invoice_ids = fields.Many2many(
        "account.move",
        string="Open items",
        compute="_compute_cobranza_collection",
    )
    cobranza_dispute_invoice_ids = fields.Many2many(
        "account.move",
        string="Disputed items",
        compute="_compute_cobranza_collection",
    )
    cobranza_history_ids = fields.Many2many(
        "cobranza.action",
        string="Follow-up history",
        compute="_compute_cobranza_collection",
    )
    cobranza_ledger_ids = fields.Many2many(
        "cobranza.contact",
        string="Contacts",
        compute="_compute_cobranza_collection",
    )
    cobranza_promise_ids = fields.Many2many(
        "cobranza.promise",
        string="Promises to pay",
        compute="_compute_cobranza_collection",
    )
    cobranza_plan_ids = fields.Many2many(
        "cobranza.payment.plan",
        string="Payment plans",
        compute="_compute_cobranza_collection",
    )
    cobranza_next_followup = fields.Char(
        string="Next scheduled follow-up",
        compute="_compute_cobranza_next_followup",
        help="The next follow-up the run will propose for this customer, and when.",
    )
    cobranza_oldest_days = fields.Integer(
        string="Oldest overdue (days)", compute="_compute_cobranza_collection"
    )

    @api.depends_context("company")
    def _compute_cobranza_collection(self):
        company = self.env.company
        commercial = self.commercial_partner_id
        Move = self.env["account.move"]
        moves = Move.search(
            [
                ("commercial_partner_id", "in", commercial.ids),
                ("company_id", "=", company.id),
                ("cobranza_in_collection", "=", True),
            ],
            order="invoice_date_due, name",
        )
        actions = self.env["cobranza.action"].search(
            [
                ("partner_id", "child_of", commercial.ids),
                ("company_id", "=", company.id),
                ("state", "not in", ("proposed", "excluded")),
            ],
            limit=200 * len(commercial),
        )
        contacts = self.env["cobranza.contact"].search(
            [
                ("partner_id", "child_of", commercial.ids),
                ("company_id", "=", company.id),
            ],
            limit=200 * len(commercial),
        )
        promises = self.env["cobranza.promise"].search(
            [
                ("partner_id", "child_of", commercial.ids),
                ("company_id", "=", company.id),
            ]
        )
        plans = self.env["cobranza.payment.plan"].search(
            [
                ("partner_id", "child_of", commercial.ids),
                ("company_id", "=", company.id),
            ]
        )
        for partner in self:
            key = partner.commercial_partner_id

            def mine(records, field="partner_id", key=key):
                return records.filtered(lambda r: r[field].commercial_partner_id == key)

            open_moves = moves.filtered(
                lambda m, key=key: m.commercial_partner_id == key
            )
            partner.cobranza_open_invoice_ids = open_moves
            partner.cobranza_dispute_invoice_ids = open_moves.filtered(
                "cobranza_dispute"
            )
            partner.cobranza_oldest_days = max(
                open_moves.mapped("cobranza_days_overdue") or [0]
            )
            partner.cobranza_history_ids = mine(actions)
            partner.cobranza_ledger_ids = mine(contacts)
            partner.cobranza_promise_ids = mine(promises)
            partner.cobranza_plan_ids = mine(plans)

    @api.depends_context("company", "lang")
    def _compute_cobranza_next_followup(self):
        for partner in self:
            partner.cobranza_next_followup = partner._cobranza_next_followup_text()

    def _cobranza_policy(self):
        """The follow-up policy of this customer in the current company."""
        self.ensure_one()
        partner = self.commercial_partner_id.with_company(self.env.company)
        if partner.cobranza_policy_id:
            return partner.cobranza_policy_id
        segments = self.env["cobranza.policy"].search(
            [
                ("company_id", "=", self.env.company.id),
                ("partner_domain", "!=", False),
            ]
        )
        for policy in segments:
            if partner.filtered_domain(policy._segment_domain()):
                return policy
        return self.env.company.cobranza_policy_id

    def _cobranza_next_followup_text(self):
        self.ensure_one()
        waiting = self.env["cobranza.action"].search(
            [
                ("partner_id", "child_of", self.commercial_partner_id.id),
                ("company_id", "=", self.env.company.id),
                ("state", "in", ("proposed", "deferred", "blocked")),
            ],
            limit=1,
        )
        if waiting:
            labels = dict(waiting._fields["state"]._description_selection(self.env))
            return self.env._(
                "%(level)s, waiting in the run (%(state)s)",
                level=waiting.level_id.name,
                state=labels[waiting.state],
            )
        candidates = []
        levels = (
            self._cobranza_policy()
            .level_ids.filtered(lambda lv: not lv.plan_reminder)
            .sorted("offset_days")
        )
        for move in self.cobranza_open_invoice_ids:
            if move.cobranza_dispute or move.cobranza_excluded:
                continue
            if move.cobranza_level_id:
                level = move.cobranza_level_id._next_level()
            else:
                level = levels[:1]
            if not level:
                continue
            day = move.invoice_date_due + timedelta(days=level.offset_days)
            if move.cobranza_paused_until and move.cobranza_paused_until >= day:
                day = move.cobranza_paused_until + timedelta(days=1)
            candidates.append((day, level))
        if not candidates:
            return self.env._("None scheduled")
        day, level = min(candidates, key=lambda c: (c[0], c[1].offset_days))
        return self.env._(
            "%(level)s on %(date)s",
            level=level.name,
            date=format_date(self.env, max(day, fields.Date.context_today(self))),
        )

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_open_cobranza_collection(self):
        """The customer collection view of this customer."""
        partner = self.commercial_partner_id[:1]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Collection: %(name)s", name=partner.name),
            "res_model": "res.partner",
            "res_id": partner.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref("cobranza_addon.res_partner_view_form_collection").id,
                    "form",
                )
            ],
            "target": "current",
            "context": {"create": False},
        }

    def action_cobranza_send_now(self):
        """Send this customer's waiting follow-up now, or prepare one and send it."""
        self.ensure_one()
        partner = self.commercial_partner_id
        Action = self.env["cobranza.action"]
        domain = [
            ("partner_id", "=", partner.id),
            ("company_id", "=", self.env.company.id),
            ("state", "=", "proposed"),
            ("run_id.state", "in", ("draft", "preview")),
        ]
        waiting = Action.search(domain)
        if not waiting:
            run = self.env["cobranza.run"].search(
                [
                    ("company_id", "=", self.env.company.id),
                    ("state", "=", "preview"),
                ],
                limit=1,
            )
            if not run:
                run = self.env["cobranza.run"].create({})
                run.action_preview()
            waiting = Action.search(domain)
        if not waiting:
            raise UserError(
                self.env._(
                    "Nothing is due for %(name)s today: no follow-up level is "
                    "reached, or the invoices are paused, disputed or excluded.",
                    name=partner.name,
                )
            )
        waiting.action_send_now()
        return True

    def action_cobranza_log_call(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log a call"),
            "res_model": "cobranza.call.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_cobranza_record_promise(self):
        self.ensure_one()
        moves = self.cobranza_open_invoice_ids.filtered(
            lambda m: not m.cobranza_dispute
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record a promise to pay"),
            "res_model": "cobranza.promise",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"active_model": "account.move", "active_ids": moves.ids},
        }
