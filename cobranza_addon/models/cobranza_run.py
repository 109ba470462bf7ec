import logging
from collections import defaultdict
from datetime import timedelta, timezone

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import SQL, format_date, formatLang, split_every
from odoo.tools.pdf import PdfReadError

from ..cobranza_core import compliance
from ..cobranza_core import followup as core
from ..cobranza_core import plans as plan_rules

_logger = logging.getLogger(__name__)

#: First key of the advisory lock that serialises runs per company.
RUN_LOCK_KEY = 0x0C0B

#: Rows fetched per batch when the run reads open invoices.
GATHER_BATCH = 50000


CONTENT_KINDS = ("required_content", "forbidden_content")


def _utc(value):
    return value.replace(tzinfo=timezone.utc)


class CobranzaRun(models.Model):
    _name = "cobranza.run"
    _description = "Follow-up Run"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name")
    date = fields.Date(required=True, default=fields.Date.context_today, readonly=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        readonly=True,
    )
    user_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True
    )
    trigger = fields.Selection(
        [("manual", "Started by hand"), ("cron", "Daily schedule")],
        default="manual",
        required=True,
        readonly=True,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("preview", "Preview"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
    )
    action_ids = fields.One2many("cobranza.action", "run_id", string="Actions")
    action_count = fields.Integer(compute="_compute_counts")
    to_send_count = fields.Integer(compute="_compute_counts")
    sent_count = fields.Integer(compute="_compute_counts")
    letter_attachment_id = fields.Many2one(
        "ir.attachment", string="Letters (PDF)", readonly=True
    )

    _sql_constraints = []

    def init(self):
        # One scheduled run per company and day: the cron cannot run twice.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS cobranza_run_cron_day_uniq "
                "ON cobranza_run (company_id, date) WHERE trigger = 'cron'"
            )
        )

    @api.depends("date")
    @api.depends_context("lang")
    def _compute_name(self):
        for run in self:
            run.name = self.env._(
                "Follow-up run of %(date)s", date=format_date(self.env, run.date)
            )

    def _compute_counts(self):
        rows = self.env["cobranza.action"]._read_group(
            [("run_id", "in", self.ids)], ["run_id", "state"], ["__count"]
        )
        counts = defaultdict(lambda: defaultdict(int))
        for run, state, count in rows:
            counts[run][state] += count
        for run in self:
            by_state = counts[run]
            run.action_count = sum(by_state.values())
            run.to_send_count = by_state["proposed"]
            run.sent_count = by_state["done"]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if any(run.state == "done" or run.sent_count for run in self):
            raise UserError(
                self.env._("A run that sent anything is history and stays.")
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_preview(self):
        """Compute what the run would do, without sending anything."""
        for run in self:
            if run.state not in ("draft", "preview"):
                raise UserError(self.env._("Only a draft run can be previewed again."))
            run._acquire_lock()
            run.action_ids.filtered(lambda a: a.state != "done").unlink()
            vals_list = run._prepare_action_vals()
            run._create_actions(vals_list)
            run.state = "preview"
        return True

    def _create_actions(self, vals_list):
        """Create the proposed actions of this run with two set-based INSERTs.

        A run on a large book proposes hundreds of thousands of actions; the
        ORM's ``create`` (defaults, company checks and monetary rounding per
        record) would take most of the run's time. The vals come from
        ``_prepare_action_vals``: the run's company by construction, stored
        columns only; amounts are rounded to the company currency and the
        model's defaults fill the other columns, as ``create`` would.
        """
        self.ensure_one()
        actions = self.env["cobranza.action"]
        if not vals_list:
            return actions
        actions.check_access("create")
        actions.flush_model()
        names = sorted({name for vals in vals_list for name in vals} - {"invoice_ids"})
        defaults = actions.default_get(
            [
                name
                for name, field in actions._fields.items()
                if field.store
                and field.column_type
                and name not in names
                and name not in models.LOG_ACCESS_COLUMNS
                and name != "id"
            ]
        )
        defaults = {name: value for name, value in defaults.items() if value}
        names += sorted(defaults)
        fields_ = [actions._fields[name] for name in names]
        if not all(field.store and field.column_type for field in fields_):
            raise UserError(self.env._("Only stored fields can be set on actions."))
        currency = self.company_id.currency_id
        new_ids = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    "SELECT nextval('cobranza_action_id_seq') "
                    "FROM generate_series(1, %s)",
                    len(vals_list),
                )
            )
        ]
        columns = [[] for _name in names]
        link_actions, link_moves = [], []
        for action_id, vals in zip(new_ids, vals_list, strict=True):
            for column, name, field in zip(columns, names, fields_, strict=True):
                value = vals[name] if name in vals else defaults.get(name)
                if field.type == "monetary":
                    value = currency.round(value or 0.0)
                elif field.type == "many2one":
                    value = value or None
                elif field.type == "boolean":
                    value = bool(value)
                column.append(value)
            for command in vals.get("invoice_ids") or []:
                if command[0] == Command.SET:
                    link_actions.extend([action_id] * len(command[2]))
                    link_moves.extend(command[2])
                else:
                    raise UserError(self.env._("Unexpected invoice command."))
        arrays = SQL(", ").join(
            SQL("%s::%s[]", column, SQL(field.column_type[1]))
            for column, field in zip(columns, fields_, strict=True)
        )
        now = self.env.cr.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO cobranza_action
                       (id, create_uid, create_date, write_uid, write_date, %(cols)s)
                SELECT u.id, %(uid)s, %(now)s, %(uid)s, %(now)s, %(ucols)s
                  FROM unnest(%(ids)s::int4[], %(arrays)s)
                       AS u(id, %(cols)s)
                """,
                cols=SQL(", ").join(SQL.identifier(name) for name in names),
                ucols=SQL(", ").join(SQL.identifier("u", name) for name in names),
                uid=self.env.uid,
                now=now,
                ids=new_ids,
                arrays=arrays,
            )
        )
        if link_actions:
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO cobranza_action_account_move_rel (action_id, move_id)
                    SELECT * FROM unnest(%s::int4[], %s::int4[])
                    ON CONFLICT DO NOTHING
                    """,
                    link_actions,
                    link_moves,
                )
            )
        actions.invalidate_model()
        self.invalidate_recordset(["action_ids"])
        self.env["account.move"].invalidate_model(["cobranza_action_ids"])
        created = actions.browse(new_ids)
        # Stored computed and related fields (e.g. the plan of an installment
        # reminder) are computed by the ORM, as create() would.
        for field in actions._fields.values():
            if field.store and field.compute and field.name not in names:
                self.env.add_to_compute(field, created)
        created.flush_recordset()
        return created

    def action_send(self):
        """Send every proposed action of the preview."""
        for run in self:
            if run.state != "preview":
                raise UserError(self.env._("Preview the run before sending it."))
            run._acquire_lock()
            run._execute(run.action_ids.filtered(lambda a: a.state == "proposed"))
            run.state = "done"
        return True

    def action_cancel(self):
        for run in self:
            if run.state == "done":
                raise UserError(self.env._("A run that was sent cannot be cancelled."))
            run.action_ids.filtered(
                lambda a: a.state in ("proposed", "excluded")
            ).write({"state": "cancelled"})
            run.state = "cancelled"
        return True

    def action_view_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cobranza_addon.cobranza_action_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {"search_default_group_state": 1}
        return action

    # ------------------------------------------------------------------
    # The daily schedule
    # ------------------------------------------------------------------
    @api.model
    def _cron_run_followup(self):
        """Daily: preview and send automatic levels, once per company."""
        today = fields.Date.context_today(self)
        # A system job: it works for every company that has a policy.
        self = self.sudo()
        companies = self.env["cobranza.policy"].search([]).company_id
        done = self.search(
            [
                ("trigger", "=", "cron"),
                ("date", "=", today),
                ("company_id", "in", companies.ids),
            ]
        ).company_id
        for company in companies - done:
            run = self.with_company(company).create(
                {"trigger": "cron", "company_id": company.id, "date": today}
            )
            run.action_preview()
            automatic = run.action_ids.filtered(
                lambda a: a.state == "proposed" and not a.manual_review
            )
            run._execute(automatic)
            if not run.action_ids.filtered(lambda a: a.state == "proposed"):
                run.state = "done"
        self.env["account.move"]._cobranza_refresh_days_overdue()

    # ------------------------------------------------------------------
    # Gathering: set-based
    # ------------------------------------------------------------------
    def _acquire_lock(self):
        """Refuse a second run for the same company while one is working."""
        self.ensure_one()
        locked = self.env.execute_query(
            SQL(
                "SELECT pg_try_advisory_xact_lock(%s, %s)",
                RUN_LOCK_KEY,
                self.company_id.id,
            )
        )[0][0]
        if not locked:
            raise UserError(
                self.env._(
                    "Another follow-up run is working for %(company)s right now. "
                    "Wait until it has finished, then try again.",
                    company=self.company_id.name,
                )
            )

    def _open_invoice_query(self, after_id, limit):
        """Open receivable invoices of the run's company, one batch."""
        return SQL(
            """
            SELECT m.id, m.commercial_partner_id, m.invoice_date_due,
                   m.amount_residual_signed, lv.offset_days,
                   m.cobranza_dispute, m.cobranza_excluded,
                   m.cobranza_paused_until
              FROM account_move m
         LEFT JOIN cobranza_level lv ON lv.id = m.cobranza_level_id
             WHERE m.company_id = %(company)s
               AND m.move_type = 'out_invoice'
               AND m.state = 'posted'
               AND m.cobranza_in_collection
               AND m.id > %(after)s
          ORDER BY m.id
             LIMIT %(limit)s
            """,
            company=self.company_id.id,
            after=after_id,
            limit=limit,
        )

    def _iter_invoice_states(self, partner_policy):
        """Yield core InvoiceState objects in batches (flat memory)."""
        self._flush_for_gathering()
        after = 0
        while True:
            rows = self.env.execute_query(self._open_invoice_query(after, GATHER_BATCH))
            if not rows:
                return
            for (
                move_id,
                partner_id,
                due,
                residual,
                offset,
                dispute,
                excluded,
                paused,
            ) in rows:
                yield core.InvoiceState(
                    invoice_id=move_id,
                    partner_id=partner_id,
                    policy_id=partner_policy.get(partner_id),
                    due_date=due,
                    residual=residual,
                    current_sequence=offset,
                    excluded=excluded,
                    disputed=dispute,
                    paused_until=paused,
                )
            after = rows[-1][0]

    def _flush_for_gathering(self):
        """Raw SQL reads the database: write pending ORM changes first."""
        self.env["account.move"].flush_model(
            [
                "company_id",
                "move_type",
                "state",
                "commercial_partner_id",
                "invoice_date_due",
                "amount_residual_signed",
                "cobranza_in_collection",
                "cobranza_level_id",
                "cobranza_dispute",
                "cobranza_excluded",
                "cobranza_paused_until",
            ]
        )
        self.env["cobranza.level"].flush_model(["offset_days"])

    def _partner_policies(self):
        """``{partner_id: policy_id}`` for every customer with open invoices."""
        self._flush_for_gathering()
        company = self.company_id
        partner_ids = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    """
                    SELECT DISTINCT commercial_partner_id FROM account_move
                     WHERE company_id = %s AND move_type = 'out_invoice'
                       AND state = 'posted' AND cobranza_in_collection
                    """,
                    company.id,
                )
            )
        ]
        # One grouped query on the company-dependent column: loading the
        # partner records would fetch every partner column (memory grows
        # with the book).
        result = {}
        for policy, ids in (
            self.env["res.partner"]
            .with_company(company)
            ._read_group(
                [("id", "in", partner_ids), ("cobranza_policy_id", "!=", False)],
                ["cobranza_policy_id"],
                ["id:array_agg"],
            )
        ):
            result.update(dict.fromkeys(ids, policy.id))
        remaining = set(partner_ids) - set(result)
        segments = self.env["cobranza.policy"].search(
            [("company_id", "=", company.id), ("partner_domain", "!=", False)]
        )
        for policy in segments:
            if not remaining:
                break
            matched = (
                self.env["res.partner"]
                .with_company(company)
                ._search(policy._segment_domain() + [("id", "in", list(remaining))])
            )
            for partner_id in matched:
                result[partner_id] = policy.id
            remaining -= set(matched)
        default = company.cobranza_policy_id
        if default:
            for partner_id in remaining:
                result[partner_id] = default.id
        return result

    def _pending_invoice_ids(self):
        """Invoices waiting in another run: to send, deferred, or blocked.

        A blocked action holds its invoices until someone retries or
        dismisses it, so a refused message is not proposed again every day.
        """
        return set(
            self.env["cobranza.action"]
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("state", "in", ("proposed", "deferred", "blocked")),
                    ("run_id", "!=", self.id),
                    ("plan_line_id", "=", False),
                ]
            )
            .invoice_ids.ids
        )

    def _prepare_action_vals(self):
        """The vals of the proposed actions of this run."""
        self.ensure_one()
        partner_policy = self._partner_policies()
        policies = self.env["cobranza.policy"].browse(set(partner_policy.values()))
        core_levels = policies._core_levels()
        pending = self._pending_invoice_ids()
        states = (
            inv
            for inv in self._iter_invoice_states(partner_policy)
            if inv.invoice_id not in pending
        )
        actions = core.plan_actions(states, core_levels, self.date)
        plan_vals = self._prepare_plan_reminder_vals(partner_policy)
        if not actions:
            return plan_vals
        levels = self.env["cobranza.level"].browse({a.level_id for a in actions})
        # grouped queries, not partner records (see _partner_policies)
        manual_partners = set()
        collectors = {}
        for collector, mode, ids in (
            self.env["res.partner"]
            .with_company(self.company_id)
            ._read_group(
                [("id", "in", list({a.partner_id for a in actions}))],
                ["cobranza_collector_id", "cobranza_mode"],
                ["id:array_agg"],
            )
        ):
            if mode == "manual":
                manual_partners.update(ids)
            if collector:
                collectors.update(dict.fromkeys(ids, collector.id))
        level_by_id = {lv.id: lv for lv in levels}
        vals_list = []
        for action in actions:
            level = level_by_id[action.level_id]
            vals_list.append(
                {
                    "run_id": self.id,
                    "company_id": self.company_id.id,
                    "date": self.date,
                    "partner_id": action.partner_id,
                    "policy_id": action.policy_id,
                    "level_id": action.level_id,
                    "invoice_ids": [Command.set(list(action.invoice_ids))],
                    "amount_due": action.total,
                    "fee_amount": float(
                        core.level_fee(action.total, level.fee_fixed, level.fee_percent)
                    ),
                    "max_days_overdue": action.max_days_past_due,
                    "collector_id": collectors.get(action.partner_id) or False,
                    "manual_review": action.manual_review
                    or action.partner_id in manual_partners,
                }
            )
        return vals_list + plan_vals

    def _prepare_plan_reminder_vals(self, partner_policy):
        """The vals of the installment reminders of payment plans due today.

        Each customer's policy (the company's default policy otherwise) says
        through its plan-reminder levels when and how installments are
        reminded. An installment gets each kind of reminder once: a kind
        already sent, or waiting in another run, is not proposed again.
        """
        self.ensure_one()
        company = self.company_id
        default_policy = company.cobranza_policy_id
        policies = (
            self.env["cobranza.policy"].browse(set(partner_policy.values()))
            | default_policy
        )
        levels = policies._plan_reminder_levels()
        if not levels:
            return []
        lead = max(
            [-lv.offset_days for lv in levels.values() if lv.plan_reminder == "pre_due"]
            or [0]
        )
        Line = self.env["cobranza.payment.plan.line"]
        lines = Line.search_fetch(
            [
                ("company_id", "=", company.id),
                ("plan_id.state", "=", "active"),
                ("amount_residual", ">", 0),
                ("due_date", "<=", self.date + timedelta(days=lead)),
                "|",
                ("reminder_pre_sent", "=", False),
                ("reminder_overdue_sent", "=", False),
            ],
            [
                "plan_id",
                "partner_id",
                "due_date",
                "amount_residual",
                "reminder_pre_sent",
                "reminder_overdue_sent",
            ],
        )
        if not lines:
            return []
        waiting = {
            (action.plan_line_id.id, action.plan_reminder)
            for action in self.env["cobranza.action"].search(
                [
                    ("plan_line_id", "in", lines.ids),
                    ("state", "in", ("proposed", "deferred")),
                    ("run_id", "!=", self.id),
                ]
            )
        }
        partners = lines.partner_id.with_company(company)
        manual_partners = set(
            partners.filtered(lambda p: p.cobranza_mode == "manual").ids
        )
        vals_list = []
        for partner, partner_lines in lines.grouped("partner_id").items():
            commercial = partner.commercial_partner_id
            policy_id = partner_policy.get(commercial.id) or default_policy.id
            pre_level = levels.get((policy_id, "pre_due")) or levels.get(
                (default_policy.id, "pre_due")
            )
            overdue_level = levels.get((policy_id, "overdue")) or levels.get(
                (default_policy.id, "overdue")
            )
            due_pre, due_over = plan_rules.reminders_due(
                [
                    (
                        line,
                        line.due_date,
                        "overdue" if line.due_date < self.date else "pending",
                        line.reminder_pre_sent,
                        line.reminder_overdue_sent,
                    )
                    for line in partner_lines
                ],
                self.date,
                -pre_level.offset_days if pre_level else None,
                overdue_level.offset_days if overdue_level else None,
            )
            for level, due_lines in ((pre_level, due_pre), (overdue_level, due_over)):
                for line in due_lines:
                    if (line.id, level.plan_reminder) in waiting:
                        continue
                    plan = line.plan_id
                    amount = plan.currency_id._convert(
                        line.amount_residual, company.currency_id, company, self.date
                    )
                    vals_list.append(
                        {
                            "run_id": self.id,
                            "company_id": company.id,
                            "date": self.date,
                            "partner_id": plan.partner_id.id,
                            "policy_id": level.policy_id.id,
                            "level_id": level.id,
                            "plan_line_id": line.id,
                            "amount_due": amount,
                            "fee_amount": float(
                                core.level_fee(
                                    amount, level.fee_fixed, level.fee_percent
                                )
                            ),
                            "max_days_overdue": (self.date - line.due_date).days,
                            "collector_id": plan.user_id.id
                            or partner.with_company(company).cobranza_collector_id.id
                            or False,
                            "manual_review": level.manual_review
                            or commercial.id in manual_partners,
                        }
                    )
        return vals_list

    # ------------------------------------------------------------------
    # Execution
    # ------------------------------------------------------------------
    def _execute(self, actions):
        """Execute the channels of ``actions`` (proposed ones only)."""
        self.ensure_one()
        actions = actions.filtered(lambda a: a.state == "proposed")
        if not actions:
            return
        actions -= self._drop_stale_plan_reminders(actions)
        if not actions:
            return
        # Whoever may act on this run may contact its customers: messages,
        # SMS and tasks on the partner are written as the system, in the
        # user's name, without granting the user edit rights on contacts.
        self.check_access("write")
        actions.check_access("write")
        gate = self._compliance_prepare(actions)
        for level, level_actions in actions.grouped("level_id").items():
            self._execute_level(level, level_actions, gate)
        self._compliance_finish(gate)
        self._render_letters(actions.filtered("channel_letter"))
        self._update_invoices(actions.filtered(lambda a: not a.plan_line_id))
        self._update_plan_lines(actions.filtered("plan_line_id"))

    def _drop_stale_plan_reminders(self, actions):
        """Installment reminders that have no object any more (the installment
        was paid, the plan ended) are cancelled instead of sent."""
        stale = actions.filtered(
            lambda a: a.plan_line_id
            and (
                a.plan_line_id.plan_id.state != "active"
                or a.plan_line_id.currency_id.is_zero(a.plan_line_id.amount_residual)
            )
        )
        if stale:
            stale.write(
                {
                    "state": "cancelled",
                    "note": self.env._(
                        "Not sent: the installment is paid or the plan is over."
                    ),
                }
            )
        return stale

    def _plan_channels(self, level, action, notes):
        """The channels ``action`` uses at ``level``, fallbacks included."""
        partner = action.partner_id
        plan = []
        if level.use_email:
            if partner.email:
                plan.append("email")
            elif level.letter_template_id:
                plan.append("letter")
                notes[action.id].append(
                    self.env._("No email address: a letter is printed instead.")
                )
            else:
                plan.append("activity")
                notes[action.id].append(
                    self.env._(
                        "No email address: a call task is given to the "
                        "collector instead."
                    )
                )
        if level.use_letter and "letter" not in plan:
            plan.append("letter")
        if level.use_sms:
            if partner.mobile or partner.phone:
                plan.append("sms")
            else:
                notes[action.id].append(
                    self.env._("No mobile number: the SMS was not sent.")
                )
                if not (level.use_activity or level.use_email or level.use_letter):
                    plan.append("activity")
        if level.use_activity and "activity" not in plan:
            plan.append("activity")
        if action.channel_plan:
            # A deferred remainder: only the channels still to send.
            wanted = action.channel_plan.split(",")
            plan = [channel for channel in plan if channel in wanted]
        return plan

    def _execute_level(self, level, actions, gate=None):
        notes = defaultdict(list)
        plans = {
            action.id: self._plan_channels(level, action, notes) for action in actions
        }
        plans = self._compliance_gate(level, actions, plans, notes, gate)

        def using(channel):
            return actions.filtered(lambda a: channel in plans.get(a.id, ()))

        self._send_emails(level, using("email"), notes)
        letter_actions = using("letter")
        if letter_actions:
            letter_actions.write({"channel_letter": True})
            for action in letter_actions:
                notes[action.id].append(self.env._("Letter printed."))
        sms_actions = using("sms")
        if sms_actions:
            self._send_sms(level, sms_actions, notes)
        activity_actions = using("activity")
        if activity_actions:
            self._schedule_activities(level, activity_actions, notes)
        # Deferred or blocked actions were written by the compliance gate;
        # the others are done, one write per distinct outcome.
        by_note = defaultdict(list)
        for action in actions.filtered(lambda a: a.state == "proposed"):
            note = "\n".join(notes[action.id]) or self.env._("Nothing to send.")
            by_note[note].append(action.id)
        for note, ids in by_note.items():
            actions.browse(ids).write({"state": "done", "note": note})

    def _send_emails(self, level, actions, notes):
        if not actions:
            return
        template = level.mail_template_id
        rendered = template._generate_template(
            actions.ids,
            ["subject", "body_html", "email_from", "reply_to"],
        )
        attachments = self._invoice_attachments(actions.invoice_ids)
        for action in actions:
            values = rendered[action.id]
            attachment_ids = [
                attachments[inv.id]
                for inv in action.invoice_ids
                if inv.id in attachments
            ]
            action.partner_id.sudo().with_context(
                mail_notify_force_send=False
            ).message_post(
                author_id=self.env.user.partner_id.id,
                body=values.get("body_html") or "",
                subject=values.get("subject"),
                email_from=values.get("email_from") or None,
                reply_to=values.get("reply_to") or None,
                partner_ids=action.partner_id.ids,
                attachment_ids=attachment_ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            notes[action.id].append(
                self.env._("Email sent to %(email)s.", email=action.partner_id.email)
            )
        actions.write({"channel_email": True})

    def _invoice_attachments(self, invoices):
        """``{invoice_id: attachment_id}`` with each invoice's PDF."""
        result = {}
        missing = self.env["account.move"]
        for invoice in invoices:
            if invoice.invoice_pdf_report_id:
                result[invoice.id] = invoice.invoice_pdf_report_id.id
            else:
                missing |= invoice
        if not missing:
            return result
        vals_list = []
        for batch in split_every(100, missing.ids, self.env["account.move"].browse):
            by_id, extension = self._render_invoice_pdfs(batch)
            vals_list += [
                {
                    "name": invoice._get_invoice_report_filename(extension=extension),
                    "raw": by_id[invoice.id],
                    "res_model": "account.move",
                    "res_id": invoice.id,
                    "mimetype": "application/pdf"
                    if extension == "pdf"
                    else "text/html",
                }
                for invoice in batch
                if by_id.get(invoice.id)
            ]
        for attachment in self.env["ir.attachment"].create(vals_list):
            result[attachment.res_id] = attachment.id
        return result

    def _render_invoice_pdfs(self, invoices):
        """``({invoice_id: content}, extension)``, in one batch if possible.

        Some wkhtmltopdf builds (an unpatched Qt, as Debian ships) cannot
        render several documents in one call and produce an empty file: the
        invoices are then rendered one by one.
        """
        report = self.env["ir.actions.report"]
        try:
            content, report_type = report._pre_render_qweb_pdf(
                "account.account_invoices", res_ids=invoices.ids
            )
            by_id = report._get_splitted_report(
                "account.account_invoices", content, report_type
            )
        except (UserError, PdfReadError) as error:
            if len(invoices) == 1:
                raise
            _logger.info(
                "Rendering %s invoice PDFs one by one (%s)", len(invoices), error
            )
            by_id, report_type = {}, "pdf"
            for invoice in invoices:
                single, report_type = self._render_invoice_pdfs(invoice)
                by_id.update(single)
            return by_id, report_type
        return by_id, "pdf" if report_type == "pdf" else "html"

    def _send_sms(self, level, actions, notes):
        template = level.sms_template_id
        bodies = template._render_field("body", actions.ids, compute_lang=True)
        sent = self.env["cobranza.action"]
        for action in actions:
            partner = action.partner_id
            number = partner.mobile or partner.phone
            if not number:
                notes[action.id].append(
                    self.env._("No mobile number: the SMS was not sent.")
                )
                continue
            partner.sudo()._message_sms(
                bodies[action.id],
                partner_ids=partner.ids,
                sms_pid_to_number={partner.id: number},
            )
            notes[action.id].append(
                self.env._("SMS queued to %(number)s.", number=number)
            )
            sent |= action
        sent.write({"channel_sms": True})

    def _schedule_activities(self, level, actions, notes):
        activity_type = level.activity_type_id or self.env.ref(
            "mail.mail_activity_data_todo"
        )
        model_id = self.env["ir.model"]._get_id("res.partner")
        vals_list = []
        for action in actions:
            summary = level.activity_summary or self.env._(
                "Follow up %(level)s", level=level.name
            )
            if action.plan_line_id:
                line = action.plan_line_id
                note = self.env._(
                    "%(line)s of payment plan %(plan)s, due on %(date)s: %(amount)s",
                    line=line.display_name,
                    plan=line.plan_id.name,
                    date=format_date(self.env, line.due_date),
                    amount=formatLang(
                        self.env, line.amount_residual, currency_obj=line.currency_id
                    ),
                )
            else:
                note = self.env._(
                    "Invoices: %(invoices)s",
                    invoices=", ".join(action.invoice_ids.mapped("name")),
                )
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": action.partner_id.id,
                    "activity_type_id": activity_type.id,
                    "summary": summary,
                    "note": note,
                    "user_id": action.collector_id.id or self.env.user.id,
                    "date_deadline": self.date
                    + timedelta(days=level.activity_delay_days),
                }
            )
            notes[action.id].append(
                self.env._(
                    "Task given to %(user)s.",
                    user=(action.collector_id or self.env.user).name,
                )
            )
        self.env["mail.activity"].sudo().create(vals_list)
        actions.write({"channel_activity": True})

    def _render_letters(self, actions):
        """One PDF for all the letters of this batch, attached to the run."""
        if not actions:
            return
        report = self.env.ref("cobranza_addon.action_report_cobranza_letter")
        content, report_type = self.env["ir.actions.report"]._render_qweb_pdf(
            report, actions.ids
        )
        extension = "pdf" if report_type == "pdf" else "html"
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._(
                    "Collection letters %(date)s.%(ext)s",
                    date=fields.Date.to_string(self.date),
                    ext=extension,
                ),
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/pdf" if extension == "pdf" else "text/html",
            }
        )
        self.letter_attachment_id = attachment
        self.message_post(
            body=self.env._(
                "%(count)s collection letter(s) ready to print.", count=len(actions)
            ),
            attachment_ids=attachment.ids,
        )

    def _channels_text(self, action):
        return ", ".join(
            label
            for label, used in (
                (self.env._("email"), action.channel_email),
                (self.env._("letter"), action.channel_letter),
                (self.env._("SMS"), action.channel_sms),
                (self.env._("call task"), action.channel_activity),
            )
            if used
        ) or self.env._("no channel")

    def _update_plan_lines(self, actions):
        """Sent installment reminders: never again for that installment and
        kind; logged on the plan and on the customer."""
        done = actions.filtered(lambda a: a.state == "done")
        if not done:
            return
        flags = {"pre_due": "reminder_pre_sent", "overdue": "reminder_overdue_sent"}
        for kind, kind_actions in done.grouped("plan_reminder").items():
            kind_actions.plan_line_id.sudo().with_context(
                cobranza_plan_tracking=True
            ).write({flags[kind]: True})
        plan_bodies = defaultdict(list)
        partner_bodies = defaultdict(list)
        for action in done:
            body = Markup(
                self.env._(
                    "Reminder <b>%(level)s</b> for %(line)s of %(plan)s: %(outcome)s"
                )
            ) % {
                "level": action.level_id.name,
                "line": action.plan_line_id.display_name,
                "plan": action.plan_id.name,
                "outcome": action.note or self._channels_text(action),
            }
            plan_bodies[action.plan_id.id].append(body)
            partner_bodies[action.partner_id.id].append(body)
        self.env["cobranza.payment.plan"].browse(
            list(plan_bodies)
        ).sudo()._message_log_batch(
            {key: Markup("<br/>").join(value) for key, value in plan_bodies.items()}
        )
        self.env["res.partner"].browse(list(partner_bodies)).sudo()._message_log_batch(
            {key: Markup("<br/>").join(value) for key, value in partner_bodies.items()}
        )

    def _update_invoices(self, actions):
        """Level, dates and stage on the invoices, logged in both chatters."""
        done = actions.filtered(lambda a: a.state == "done")
        moves = self.env["account.move"]
        by_values = defaultdict(list)
        invoice_bodies = {}
        partner_bodies = {}
        for action in done:
            level = action.level_id
            next_level = level._next_level()
            channels = self._channels_text(action)
            for invoice in action.invoice_ids:
                next_date = (
                    invoice.invoice_date_due + timedelta(days=next_level.offset_days)
                    if next_level
                    else False
                )
                key = (level.id, level.stage_id.id, next_date)
                by_values[key].append(invoice.id)
                invoice_bodies[invoice.id] = Markup(
                    self.env._("Follow-up level <b>%(level)s</b> sent (%(channels)s).")
                ) % {"level": level.name, "channels": channels}
            partner_bodies[action.partner_id.id] = Markup(
                self.env._(
                    "Follow-up level <b>%(level)s</b> for %(invoices)s: %(outcome)s"
                )
            ) % {
                "level": level.name,
                "invoices": ", ".join(action.invoice_ids.mapped("name")),
                "outcome": action.note or "",
            }
        for (level_id, stage_id, next_date), ids in by_values.items():
            vals = {
                "cobranza_level_id": level_id,
                "cobranza_last_date": self.date,
                "cobranza_next_date": next_date,
            }
            if stage_id:
                vals["cobranza_stage_id"] = stage_id
            moves.browse(ids).write(vals)
        if invoice_bodies:
            moves.browse(list(invoice_bodies))._message_log_batch(invoice_bodies)
        if partner_bodies:
            self.env["res.partner"].browse(list(partner_bodies))._message_log_batch(
                partner_bodies
            )

    # Compliance gate: every planned contact is checked before it is sent
    def _compliance_prepare(self, actions):
        company = self.company_id
        partners = actions.partner_id
        jurisdictions = {j for j in partners.mapped("cobranza_jurisdiction") if j}
        rules = self.env["cobranza.rule"]._core_rules(company, jurisdictions)
        return {
            "now": _utc(fields.Datetime.now()),
            "rules": rules,
            # What a collector says in a call cannot be checked here: call
            # tasks are checked for everything but content.
            "voice_rules": [r for r in rules if r.kind not in CONTENT_KINDS],
            "holidays": self.env["cobranza.holiday"]._holidays_by_jurisdiction(
                jurisdictions
            ),
            "ledger": self.env["cobranza.contact"]._ledgers(partners.ids),
            "ledger_vals": [],
            "template_info": {},
        }

    def _template_info(self, gate, template, channel, lang=None):
        """Tags and texts of a template in the language it renders in for
        the customer (``lang``), parsed once per run."""
        key = (template._name, template.id, channel, lang)
        if key not in gate["template_info"]:
            gate["template_info"][key] = (
                template.with_context(lang=lang)._cobranza_content(channel)
                if template
                else {}
            )
        return gate["template_info"][key]

    def _proposed_contact(self, gate, level, action, channel):
        partner = action.partner_id
        company = self.company_id
        template = {
            "email": level.mail_template_id,
            "letter": level.letter_template_id or level.mail_template_id,
            "sms": level.sms_template_id,
        }.get(channel)
        content = (
            self._template_info(gate, template, channel, partner.lang or self.env.lang)
            if template
            else {}
        )
        tz, extra_tzs = partner._cobranza_timezones()
        currency_factor = 10**company.currency_id.decimal_places
        if action.plan_line_id:
            due_dates = [action.plan_line_id.due_date]
        else:
            due_dates = [d for d in action.invoice_ids.mapped("invoice_date_due") if d]
        fee_cents = round((action.fee_amount or 0.0) * currency_factor)
        return compliance.ProposedContact(
            at=gate["now"],
            channel=channel,
            debtor_type=partner.cobranza_debtor_type or "business",
            actor_type=company.cobranza_actor_type or "creditor",
            tz=tz,
            extra_tzs=extra_tzs,
            jurisdiction=partner.cobranza_jurisdiction,
            content_tags=content.get("tags", ()),
            text=content.get("body", ""),
            subject=content.get("subject", ""),
            envelope_text=partner._cobranza_envelope_text()
            if channel == "letter"
            else "",
            sms_length=content.get("sms_length"),
            events={"due_date": min(due_dates)} if due_dates else {},
            fee_cents=fee_cents or None,
            amount_cents=round((action.amount_due or 0.0) * currency_factor),
            authorized_channels=partner._cobranza_authorized_channels(),
            recipient_tags=partner._cobranza_recipient_tags(),
            creditor_sector=company.cobranza_creditor_sector or None,
            debtor_person="legal" if partner.is_company else "natural",
            days_overdue=action.max_days_overdue,
            unit_values=company._cobranza_unit_values(),
        )

    def _compliance_gate(self, level, actions, plans, notes, gate):
        if gate is None:
            return plans
        allowed_plans = {}
        for action in actions:
            partner = action.partner_id
            allowed, deferred, blocked = [], {}, {}
            if not partner.cobranza_jurisdiction:
                allowed_plans[action.id] = plans[action.id]
                for channel in plans[action.id]:
                    gate["ledger_vals"].append(
                        self._ledger_vals(gate, action, channel, "allowed")
                    )
                continue
            ledger = gate["ledger"][partner.id]
            holidays = gate["holidays"].get(
                partner.cobranza_jurisdiction.split("-")[0], frozenset()
            )
            overrides = action._compliance_overrides()
            for channel in plans[action.id]:
                proposed = self._proposed_contact(gate, level, action, channel)
                rules = gate["voice_rules" if channel == "activity" else "rules"]
                decision = compliance.evaluate(
                    proposed, rules, ledger, holidays, overrides=overrides
                )
                if decision.outcome == "allow":
                    allowed.append(channel)
                    ledger.append(compliance.Contact(gate["now"], channel))
                    gate["ledger_vals"].append(
                        self._ledger_vals(
                            gate, action, channel, "allowed", decision=decision
                        )
                    )
                elif decision.outcome == "defer":
                    deferred[channel] = decision
                    gate["ledger_vals"].append(
                        self._ledger_vals(gate, action, channel, "deferred", decision)
                    )
                else:
                    blocked[channel] = decision
                    gate["ledger_vals"].append(
                        self._ledger_vals(gate, action, channel, "blocked", decision)
                    )
            allowed_plans[action.id] = allowed
            self._apply_decisions(action, allowed, deferred, blocked, notes)
        return allowed_plans

    def _reasons_text(self, decisions):
        lines = []
        for channel, decision in decisions.items():
            for reason in decision.reasons:
                lines.append(
                    self.env._(
                        "%(channel)s: %(rule)s – %(message)s (%(citation)s)",
                        channel=channel,
                        rule=reason.rule_id,
                        message=reason.message,
                        citation=reason.citation or "-",
                    )
                )
        return lines

    @staticmethod
    def _rule_codes(decisions):
        return sorted({r.rule_id for d in decisions.values() for r in d.reasons})

    def _apply_decisions(self, action, allowed, deferred, blocked, notes):
        """Deferred and blocked channels: state, note and chatter."""
        if not deferred and not blocked:
            return
        partner = action.partner_id
        lines = []
        if deferred:
            not_before = max(d.not_before for d in deferred.values())
            when = fields.Datetime.to_string(
                not_before.astimezone(timezone.utc).replace(tzinfo=None)
            )
            lines.append(
                self.env._(
                    "Deferred until %(when)s (UTC) by the rules %(rules)s.",
                    when=when,
                    rules=", ".join(self._rule_codes(deferred)),
                )
            )
            lines += self._reasons_text(deferred)
        if blocked:
            lines.append(
                self.env._(
                    "Not sent, blocked by the rules %(rules)s.",
                    rules=", ".join(self._rule_codes(blocked)),
                )
            )
            lines += self._reasons_text(blocked)
        codes = self._rule_codes({**deferred, **blocked})
        deferred_vals = {}
        if deferred:
            deferred_vals = {
                "state": "deferred",
                "not_before": not_before.astimezone(timezone.utc).replace(tzinfo=None),
                "channel_plan": ",".join(deferred),
                "compliance_rules": ",".join(self._rule_codes(deferred)),
            }
        if allowed:
            notes[action.id] += lines
            if deferred:
                # The rest waits in a new action, sent when the rules allow it.
                self.env["cobranza.action"].create(
                    {
                        "run_id": action.run_id.id,
                        "company_id": action.company_id.id,
                        "date": action.date,
                        "partner_id": partner.id,
                        "policy_id": action.policy_id.id,
                        "level_id": action.level_id.id,
                        "invoice_ids": [fields.Command.set(action.invoice_ids.ids)],
                        "plan_line_id": action.plan_line_id.id,
                        "amount_due": action.amount_due,
                        "fee_amount": 0.0,
                        "max_days_overdue": action.max_days_overdue,
                        "collector_id": action.collector_id.id,
                        "manual_review": action.manual_review,
                        "override_rules": action.override_rules,
                        "override_justification": action.override_justification,
                        "override_user_id": action.override_user_id.id,
                        "note": "\n".join(lines),
                        **deferred_vals,
                    }
                )
        else:
            vals = deferred_vals or {
                "state": "blocked",
                "compliance_rules": ",".join(codes),
            }
            vals["note"] = "\n".join(notes[action.id] + lines)
            action.write(vals)
        if blocked or not allowed:
            partner.sudo()._message_log(
                body=Markup("<br/>").join(
                    [Markup("<b>%s</b>") % action.display_name] + lines
                ),
            )

    def _ledger_vals(self, gate, action, channel, outcome, decision=None):
        reasons = decision.reasons if decision else ()
        return {
            "company_id": self.company_id.id,
            "partner_id": action.partner_id.id,
            "contact_date": gate["now"].replace(tzinfo=None),
            "channel": channel,
            "kind": "collection",
            "outcome": outcome,
            "origin": "run",
            "res_model": "cobranza.action",
            "res_id": action.id,
            "action_id": action.id,
            "user_id": self.env.user.id,
            "not_before": decision.not_before.astimezone(timezone.utc).replace(
                tzinfo=None
            )
            if decision and decision.not_before
            else False,
            "rule_ids_text": ",".join(sorted({r.rule_id for r in reasons})) or False,
            "reason": "\n".join(
                f"{r.rule_id}: {r.message} ({r.citation})" for r in reasons
            )
            or False,
            "override_justification": action.override_justification
            if action.override_rules
            else False,
        }

    def _compliance_finish(self, gate):
        if gate and gate["ledger_vals"]:
            self.env["cobranza.contact"].sudo().create(gate["ledger_vals"])
