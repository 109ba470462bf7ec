from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, format_date, formatLang

#: Reason key -> small integer, to build stable ids: source id * 10 + code.
REASON_CODES = {
    "review": 1,
    "blocked": 2,
    "failed": 3,
    "call": 4,
    "promise_due": 5,
    "promise_broken": 6,
    "plan_broken": 7,
    "dispute": 8,
}

#: A broken promise or plan waits for the collector this many days.
BROKEN_RECENT_DAYS = 14


class CobranzaWorklist(models.Model):
    """*My Follow-ups Today*: what needs a collector now, and why.

    A read-only SQL view over the sources of work: follow-ups waiting for a
    review, blocked and failed actions, call tasks due, promises due, broken
    promises and plans, and disputes awaiting an answer. One row per item,
    sorted by the amount at risk.
    """

    _name = "cobranza.worklist"
    _description = "Collection Worklist"
    _order = "amount desc, date, id"
    _rec_name = "partner_id"
    _auto = False

    reason = fields.Selection(
        [
            ("review", "Follow-up to review"),
            ("blocked", "Blocked by a rule"),
            ("failed", "Sending failed"),
            ("call", "Call or task due"),
            ("promise_due", "Promise due"),
            ("promise_broken", "Promise not kept"),
            ("plan_broken", "Plan broken"),
            ("dispute", "Dispute to answer"),
        ],
        string="To do",
        readonly=True,
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Collector", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(
        string="At risk",
        readonly=True,
        help="What the customer owes on the invoices concerned, in company "
        "currency.",
    )
    date = fields.Date(string="Since", readonly=True)
    action_id = fields.Many2one("cobranza.action", readonly=True)
    activity_id = fields.Many2one("mail.activity", readonly=True)
    promise_id = fields.Many2one("cobranza.promise", readonly=True)
    plan_id = fields.Many2one("cobranza.payment.plan", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    detail = fields.Char(string="Why", compute="_compute_detail")

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        return SQL(
            "%s",
            SQL(" UNION ALL ").join(
                [
                    self._query_actions(),
                    self._query_calls(today),
                    self._query_promises(today),
                    self._query_plans(today),
                    self._query_disputes(),
                ]
            ),
        )

    @staticmethod
    def _columns(**exprs):
        """The common column list; unspecified sources are NULL."""
        order = ("action_id", "activity_id", "promise_id", "plan_id", "move_id")
        return SQL(", ").join(
            [
                exprs["id"],
                exprs["reason"],
                exprs["partner_id"],
                exprs["user_id"],
                exprs["company_id"],
                exprs["amount"],
                exprs["date"],
                *(
                    SQL("%s AS %s", exprs.get(name, SQL("NULL::int")), SQL(name))
                    for name in order
                ),
            ]
        )

    def _query_actions(self):
        return SQL(
            """
            SELECT %(cols)s
              FROM cobranza_action a
         LEFT JOIN cobranza_run r ON r.id = a.run_id
             WHERE (a.state = 'proposed' AND a.manual_review
                    AND COALESCE(r.state, 'preview') IN ('draft', 'preview'))
                OR a.state IN ('blocked', 'failed')
            """,
            cols=self._columns(
                id=SQL(
                    "a.id * 10 + CASE a.state WHEN 'proposed' THEN 1 "
                    "WHEN 'blocked' THEN 2 ELSE 3 END AS id"
                ),
                reason=SQL(
                    "CASE a.state WHEN 'proposed' THEN 'review' "
                    "WHEN 'blocked' THEN 'blocked' ELSE 'failed' END AS reason"
                ),
                partner_id=SQL("a.partner_id AS partner_id"),
                user_id=SQL("a.collector_id AS user_id"),
                company_id=SQL("a.company_id AS company_id"),
                amount=SQL("COALESCE(a.amount_due, 0) AS amount"),
                date=SQL("a.date AS date"),
                action_id=SQL("a.id"),
            ),
        )

    def _query_calls(self, today):
        return SQL(
            """
            SELECT %(cols)s
              FROM mail_activity act
              JOIN res_partner p ON p.id = CASE act.res_model
                       WHEN 'res.partner' THEN act.res_id
                       WHEN 'account.move' THEN (
                           SELECT m.commercial_partner_id FROM account_move m
                            WHERE m.id = act.res_id)
                       WHEN 'cobranza.promise' THEN (
                           SELECT pr.partner_id FROM cobranza_promise pr
                            WHERE pr.id = act.res_id)
                       WHEN 'cobranza.payment.plan' THEN (
                           SELECT pl.partner_id FROM cobranza_payment_plan pl
                            WHERE pl.id = act.res_id)
                   END
              JOIN LATERAL (
                   SELECT SUM(m.amount_residual_signed) AS amount, m.company_id
                     FROM account_move m
                    WHERE m.commercial_partner_id
                          = COALESCE(p.commercial_partner_id, p.id)
                      AND m.cobranza_in_collection
                 GROUP BY m.company_id
                 ORDER BY 1 DESC
                    LIMIT 1
                   ) open ON TRUE
             WHERE act.res_model IN ('res.partner', 'account.move',
                                     'cobranza.promise', 'cobranza.payment.plan')
               AND act.date_deadline <= %(today)s
               AND act.active
            """,
            today=today,
            cols=self._columns(
                id=SQL("act.id * 10 + 4 AS id"),
                reason=SQL("'call' AS reason"),
                partner_id=SQL("COALESCE(p.commercial_partner_id, p.id) AS partner_id"),
                user_id=SQL("act.user_id AS user_id"),
                company_id=SQL("open.company_id AS company_id"),
                amount=SQL("open.amount AS amount"),
                date=SQL("act.date_deadline AS date"),
                activity_id=SQL("act.id"),
            ),
        )

    def _query_promises(self, today):
        return SQL(
            """
            SELECT %(cols)s
              FROM cobranza_promise pr
         LEFT JOIN LATERAL (
                   SELECT SUM(m.amount_residual_signed) AS amount
                     FROM cobranza_promise_account_move_rel rel
                     JOIN account_move m ON m.id = rel.move_id
                    WHERE rel.promise_id = pr.id AND m.cobranza_in_collection
                   ) open ON TRUE
             WHERE (pr.state = 'open' AND pr.promise_date <= %(today)s)
                OR (pr.state = 'broken' AND pr.closed_date >= %(since)s
                    AND open.amount > 0)
            """,
            today=today,
            since=today - timedelta(days=BROKEN_RECENT_DAYS),
            cols=self._columns(
                id=SQL(
                    "pr.id * 10 + CASE pr.state WHEN 'open' THEN 5 ELSE 6 END AS id"
                ),
                reason=SQL(
                    "CASE pr.state WHEN 'open' THEN 'promise_due' "
                    "ELSE 'promise_broken' END AS reason"
                ),
                partner_id=SQL("pr.partner_id AS partner_id"),
                user_id=SQL("pr.user_id AS user_id"),
                company_id=SQL("pr.company_id AS company_id"),
                amount=SQL("COALESCE(open.amount, 0) AS amount"),
                date=SQL(
                    "CASE pr.state WHEN 'open' THEN pr.promise_date "
                    "ELSE pr.closed_date END AS date"
                ),
                promise_id=SQL("pr.id"),
            ),
        )

    def _query_plans(self, today):
        return SQL(
            """
            SELECT %(cols)s
              FROM cobranza_payment_plan pl
              JOIN LATERAL (
                   SELECT SUM(m.amount_residual_signed) AS amount
                     FROM cobranza_payment_plan_account_move_rel rel
                     JOIN account_move m ON m.id = rel.move_id
                    WHERE rel.plan_id = pl.id AND m.cobranza_in_collection
                   ) open ON TRUE
             WHERE pl.state = 'broken' AND pl.closed_date >= %(since)s
               AND open.amount > 0
            """,
            since=today - timedelta(days=BROKEN_RECENT_DAYS),
            cols=self._columns(
                id=SQL("pl.id * 10 + 7 AS id"),
                reason=SQL("'plan_broken' AS reason"),
                partner_id=SQL("pl.partner_id AS partner_id"),
                user_id=SQL("pl.user_id AS user_id"),
                company_id=SQL("pl.company_id AS company_id"),
                amount=SQL("open.amount AS amount"),
                date=SQL("pl.closed_date AS date"),
                plan_id=SQL("pl.id"),
            ),
        )

    def _query_disputes(self):
        return SQL(
            """
            SELECT %(cols)s
              FROM account_move m
             WHERE m.cobranza_in_collection AND m.cobranza_dispute
            """,
            cols=self._columns(
                id=SQL("m.id * 10 + 8 AS id"),
                reason=SQL("'dispute' AS reason"),
                partner_id=SQL("m.commercial_partner_id AS partner_id"),
                user_id=SQL("m.cobranza_collector_id AS user_id"),
                company_id=SQL("m.company_id AS company_id"),
                amount=SQL("m.amount_residual_signed AS amount"),
                date=SQL("m.invoice_date_due AS date"),
                move_id=SQL("m.id"),
            ),
        )

    # ------------------------------------------------------------------
    # Why: one short sentence per row
    # ------------------------------------------------------------------
    @api.depends_context("lang")
    def _compute_detail(self):
        for row in self:
            row.detail = getattr(row, f"_detail_{row.reason}", row._detail_none)()

    def _detail_none(self):
        return ""

    def _detail_review(self):
        action = self.action_id
        return self.env._(
            "%(level)s: %(count)s, up to %(days)s days overdue",
            level=action.level_id.name or "",
            count=self._invoice_count_text(len(action.invoice_ids)),
            days=action.max_days_overdue,
        )

    def _detail_blocked(self):
        action = self.action_id
        return self.env._(
            "%(level)s not sent: %(rules)s",
            level=action.level_id.name or "",
            rules=action.compliance_rules or self.env._("see the action"),
        )

    def _detail_failed(self):
        action = self.action_id
        return self.env._(
            "%(level)s could not be delivered: %(why)s",
            level=action.level_id.name or "",
            why=(action.note or self.env._("see the action")).splitlines()[0],
        )

    def _detail_call(self):
        activity = self.activity_id
        return activity.summary or activity.activity_type_id.name or ""

    def _detail_promise_due(self):
        promise = self.promise_id
        if promise.promise_date == fields.Date.context_today(self):
            text = self.env._("%(amount)s promised for today")
        else:
            text = self.env._("%(amount)s promised for %(date)s, not paid yet")
        return text % {
            "amount": formatLang(
                self.env, promise.amount, currency_obj=promise.currency_id
            ),
            "date": format_date(self.env, promise.promise_date),
        }

    def _detail_promise_broken(self):
        promise = self.promise_id
        return self.env._(
            "%(paid)s of %(amount)s paid by %(date)s",
            paid=formatLang(
                self.env, promise.amount_paid, currency_obj=promise.currency_id
            ),
            amount=formatLang(
                self.env, promise.amount, currency_obj=promise.currency_id
            ),
            date=format_date(self.env, promise.pause_until),
        )

    def _detail_plan_broken(self):
        return self.env._("Plan %(plan)s broken", plan=self.plan_id.name or "")

    def _detail_dispute(self):
        move = self.move_id
        return self.env._(
            "%(invoice)s: %(reason)s",
            invoice=move.name,
            reason=(move.cobranza_dispute_reason or "").strip()[:80]
            or self.env._("no reason given"),
        )

    def _invoice_count_text(self, count):
        if count == 1:
            return self.env._("1 invoice")
        return self.env._("%(count)s invoices", count=count)

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_open_source(self):
        """Open what this row is about: the action, promise, plan or invoice."""
        self.ensure_one()
        record = self.action_id or self.promise_id or self.plan_id or self.move_id
        if not record:
            # A call task: the customer's collection view, where it is logged.
            return self.partner_id.action_open_cobranza_collection()
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_open_customer(self):
        self.ensure_one()
        return self.partner_id.action_open_cobranza_collection()
