from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..cobranza_core import aging
from .cobranza_authority import RUN, granted, is_internal

#: Written by the follow-up run, the plans and the promises only.
COBRANZA_SYSTEM_FIELDS = {
    "cobranza_paused_until",
    "cobranza_level_id",
    "cobranza_last_date",
    "cobranza_next_date",
}
#: Changed through the dispute buttons only.
COBRANZA_DISPUTE_FIELDS = {"cobranza_dispute", "cobranza_dispute_reason"}

COLLECTION_PAYMENT_STATES = ("not_paid", "partial")


class AccountMove(models.Model):
    _inherit = "account.move"

    cobranza_in_collection = fields.Boolean(
        string="In collection",
        compute="_compute_cobranza_in_collection",
        store=True,
        index=True,
        help="A posted customer invoice with something left to pay.",
    )
    cobranza_stage_id = fields.Many2one(
        "cobranza.stage",
        string="Collection stage",
        compute="_compute_cobranza_stage_id",
        store=True,
        readonly=False,
        tracking=True,
        index=True,
        copy=False,
        group_expand="_read_group_cobranza_stage_ids",
        check_company=True,
    )
    cobranza_level_id = fields.Many2one(
        "cobranza.level",
        string="Follow-up level",
        tracking=True,
        copy=False,
        readonly=True,
    )
    cobranza_last_date = fields.Date(string="Last follow-up", copy=False, readonly=True)
    cobranza_next_date = fields.Date(
        string="Next follow-up", copy=False, readonly=True, index=True
    )
    cobranza_days_overdue = fields.Integer(
        string="Days overdue",
        compute="_compute_cobranza_days_overdue",
        store=True,
        aggregator="max",
        help="Days past the due date, refreshed every day by the follow-up "
        "schedule. 0 while not yet due.",
    )
    cobranza_collector_id = fields.Many2one(
        "res.users",
        string="Collector",
        compute="_compute_cobranza_collector_id",
        store=True,
        readonly=False,
        tracking=True,
        index=True,
        copy=False,
    )
    cobranza_dispute = fields.Boolean(
        string="Disputed",
        tracking=True,
        copy=False,
        help="A disputed invoice gets no follow-up until the dispute is closed.",
    )
    cobranza_dispute_reason = fields.Text(string="Dispute reason", copy=False)
    cobranza_excluded = fields.Boolean(
        string="Exclude from follow-up",
        tracking=True,
        copy=False,
        help="Only a Collections manager can exclude an invoice.",
    )
    cobranza_paused_until = fields.Date(
        string="Follow-up paused until",
        copy=False,
        readonly=True,
        help="Set by promises to pay and payment plans.",
    )
    cobranza_action_ids = fields.Many2many(
        "cobranza.action",
        "cobranza_action_line",
        "move_id",
        "action_id",
        string="Collection history",
        copy=False,
        readonly=True,
    )

    @api.depends("move_type", "state", "payment_state", "amount_residual")
    def _compute_cobranza_in_collection(self):
        for move in self:
            move.cobranza_in_collection = (
                move.move_type == "out_invoice"
                and move.state == "posted"
                and move.payment_state in COLLECTION_PAYMENT_STATES
                and move.amount_residual > 0
            )

    @api.depends("cobranza_in_collection")
    def _compute_cobranza_stage_id(self):
        default_by_company = {}
        for move in self:
            if not move.cobranza_in_collection:
                move.cobranza_stage_id = False
            elif not move.cobranza_stage_id:
                company = move.company_id
                if company not in default_by_company:
                    default_by_company[company] = self.env[
                        "cobranza.stage"
                    ]._default_stage(company)
                move.cobranza_stage_id = default_by_company[company]

    @api.depends("invoice_date_due", "cobranza_in_collection")
    def _compute_cobranza_days_overdue(self):
        today = fields.Date.context_today(self)
        for move in self:
            if move.cobranza_in_collection and move.invoice_date_due:
                move.cobranza_days_overdue = max(
                    0, aging.days_past_due(move.invoice_date_due, today)
                )
            else:
                move.cobranza_days_overdue = 0

    @api.depends("commercial_partner_id", "company_id")
    def _compute_cobranza_collector_id(self):
        for move in self:
            if move.move_type != "out_invoice":
                continue
            partner = move.commercial_partner_id.with_company(move.company_id)
            if partner.cobranza_collector_id or not move.cobranza_collector_id:
                move.cobranza_collector_id = partner.cobranza_collector_id

    @api.model
    def _read_group_cobranza_stage_ids(self, stages, domain):
        return stages.search([("company_id", "in", [False, *self.env.companies.ids])])

    @api.model_create_multi
    def create(self, vals_list):
        if not is_internal(self.env):
            for vals in vals_list:
                self._cobranza_check_authority(
                    {name: value for name, value in vals.items() if value}
                )
        return super().create(vals_list)

    def write(self, vals):
        if not is_internal(self.env):
            self._cobranza_check_authority(vals)
        return super().write(vals)

    def _cobranza_check_authority(self, vals):
        """Collection fields a user may not type, whatever the client sends."""
        if COBRANZA_SYSTEM_FIELDS & set(vals):
            raise AccessError(
                self.env._(
                    "The follow-up level, its dates and the pause of an invoice "
                    "are set by the follow-up run, payment plans and promises "
                    "to pay, never by hand."
                )
            )
        if COBRANZA_DISPUTE_FIELDS & set(vals):
            raise AccessError(
                self.env._(
                    "Use the Dispute and Close dispute buttons of the invoice: "
                    "they record who did it and why."
                )
            )
        if "cobranza_excluded" in vals and not self.env.user.has_group(
            "cobranza_addon.cobranza_group_manager"
        ):
            raise AccessError(
                self.env._(
                    "Only a Collections manager can exclude invoices from follow-up."
                )
            )

    @api.model
    def _cobranza_refresh_days_overdue(self):
        """Recompute days overdue of every open invoice in one statement.

        Run by the daily schedule: the value depends on the date, which the
        ORM cannot know has changed.
        """
        today = fields.Date.context_today(self)
        self.env.cr.execute(
            SQL(
                """
                UPDATE account_move
                   SET cobranza_days_overdue = GREATEST(0, %(today)s - invoice_date_due)
                 WHERE cobranza_in_collection
                   AND invoice_date_due IS NOT NULL
                   AND cobranza_days_overdue
                       IS DISTINCT FROM GREATEST(0, %(today)s - invoice_date_due)
                """,
                today=today,
            )
        )
        self.invalidate_model(["cobranza_days_overdue"])

    def action_cobranza_dispute(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "cobranza.dispute.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    def _cobranza_check_dispute_rights(self):
        if self.env.su:
            return
        if not self.env.user.has_group("cobranza_addon.cobranza_group_user"):
            raise AccessError(
                self.env._("Only Collections users can open or close a dispute.")
            )
        self.check_access("write")

    def _cobranza_open_dispute(self, reason):
        """Mark these open invoices as disputed: no follow-up until closed."""
        self._cobranza_check_dispute_rights()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the customer disputes the invoice."))
        invoices = self.filtered("cobranza_in_collection")
        if not invoices:
            raise UserError(self.env._("Only open customer invoices can be disputed."))
        with granted(RUN):
            invoices.write(
                {"cobranza_dispute": True, "cobranza_dispute_reason": reason}
            )
        body = Markup(self.env._("Invoice disputed: <i>%(reason)s</i>")) % {
            "reason": reason
        }
        invoices._message_log_batch({inv.id: body for inv in invoices})
        return invoices

    def action_cobranza_resolve_dispute(self):
        self._cobranza_check_dispute_rights()
        with granted(RUN):
            self.write({"cobranza_dispute": False})
        body = self.env._("Dispute closed: follow-up resumes.")
        self._message_log_batch(dict.fromkeys(self.ids, body))
        return True

    def _cobranza_update_pause(self):
        """Recompute ``cobranza_paused_until`` from plans and promises.

        An invoice is paused until the latest pause of the active (or
        completed, awaiting write-off) payment plans and open promises to pay
        that cover it; without any, the pause is lifted. Set-based: two reads
        and one write per distinct date.
        """
        if not self:
            return
        self.env.flush_all()
        pause = dict.fromkeys(self.ids, False)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT rel.move_id, MAX(p.pause_until)
                  FROM cobranza_payment_plan_account_move_rel rel
                  JOIN cobranza_payment_plan p ON p.id = rel.plan_id
                 WHERE rel.move_id IN %(ids)s
                   AND p.state IN ('active', 'completed')
                   AND p.pause_until IS NOT NULL
              GROUP BY rel.move_id
                 UNION ALL
                SELECT rel.move_id, MAX(pr.pause_until)
                  FROM cobranza_promise_account_move_rel rel
                  JOIN cobranza_promise pr ON pr.id = rel.promise_id
                 WHERE rel.move_id IN %(ids)s
                   AND pr.state = 'open'
              GROUP BY rel.move_id
                """,
                ids=tuple(self.ids),
            )
        )
        for move_id, until in rows:
            if until and (not pause[move_id] or until > pause[move_id]):
                pause[move_id] = until
        by_date = {}
        for move in self.sudo():
            if move.cobranza_paused_until != pause[move.id]:
                by_date.setdefault(pause[move.id], []).append(move.id)
        for until, ids in by_date.items():
            self.sudo().browse(ids).write({"cobranza_paused_until": until})
        # The follow-up run gathers invoices with plain SQL.
        self.flush_recordset(["cobranza_paused_until"])

    def _cobranza_refresh_agreements(self):
        """Update the plans and promises that cover these invoices."""
        invoices = self.filtered(lambda m: m.move_type == "out_invoice")
        if not invoices:
            return
        plans = (
            self.env["cobranza.payment.plan"]
            .sudo()
            .search([("state", "=", "active"), ("invoice_ids", "in", invoices.ids)])
        )
        promises = (
            self.env["cobranza.promise"]
            .sudo()
            .search([("state", "=", "open"), ("invoice_ids", "in", invoices.ids)])
        )
        plans._refresh_payments()
        promises._refresh_payments()

    @api.model
    def _cobranza_reconciled_since(self, owners, date_field):
        """``{owner_id: amount}`` reconciled on the owners' invoices since their date.

        ``owners`` are plans or promises (records with ``invoice_ids``); the
        amounts are in the invoices' currency, summed over the partial
        reconciliations of their receivable lines dated on or after the
        owner's ``date_field``. One query for all the owners.
        """
        if not owners:
            return {}
        self.env.flush_all()
        field = owners._fields["invoice_ids"]
        rows = self.env.execute_query(
            SQL(
                """
                SELECT rel.%(owner)s, COALESCE(SUM(apr.debit_amount_currency), 0)
                  FROM %(rel)s rel
                  JOIN %(table)s src ON src.id = rel.%(owner)s
                  JOIN account_move_line aml ON aml.move_id = rel.%(move)s
                  JOIN account_account acc ON acc.id = aml.account_id
                  JOIN account_partial_reconcile apr ON apr.debit_move_id = aml.id
                 WHERE rel.%(owner)s IN %(ids)s
                   AND acc.account_type = 'asset_receivable'
                   AND apr.max_date >= src.%(date)s
              GROUP BY rel.%(owner)s
                """,
                owner=SQL.identifier(field.column1),
                move=SQL.identifier(field.column2),
                rel=SQL.identifier(field.relation),
                table=SQL.identifier(owners._table),
                date=SQL.identifier(date_field),
                ids=tuple(owners.ids),
            )
        )
        return dict(rows)
