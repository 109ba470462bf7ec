import logging
from collections import defaultdict
from datetime import timezone

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from .cobranza_lang import in_user_lang

_logger = logging.getLogger(__name__)

#: First key of the advisory lock that serialises runs per company.
RUN_LOCK_KEY = 0x0C0B

#: Rows fetched per batch when the run reads open invoices.
GATHER_BATCH = 50000
#: Actions planned and created together by the preview (flat memory).
PREVIEW_CHUNK = 20000


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
            ("previewing", "Preparing preview"),
            ("preview", "Preview"),
            ("sending", "Sending"),
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
        if any(run.state in ("sending", "done") or run.sent_count for run in self):
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
            # Whoever may start a run may recompute its preview: the unsent
            # proposals are the run's own, not the user's to delete one by one.
            run.check_access("write")
            run.action_ids.filtered(
                lambda a: a.state not in ("done", "queued", "failed", "skipped")
                and not a.delivery_ids
            ).sudo().unlink()
            if run._cobranza_preview_start():
                continue  # a large book: prepared in the background
            run._preview_actions()
            run.state = "preview"
        return True

    def action_send(self):
        """Queue every proposed action of the preview and return at once.

        Delivery happens in committed chunks (``cobranza_run_delivery``);
        the run shows its progress and ends ``done`` when nothing is queued.
        """
        for run in self:
            if run.state != "preview":
                raise UserError(self.env._("Preview the run before sending it."))
            run._acquire_lock()
            run.check_access("write")
            proposed = run.action_ids.filtered(lambda a: a.state == "proposed")
            proposed.check_access("write")
            run._cobranza_start_sending(proposed)
        return True

    def _cobranza_start_sending(self, actions):
        """Queue ``actions`` of this run and hand them to the engine."""
        self.ensure_one()
        queued = self._cobranza_queue(actions, ("proposed",))
        self.state = "sending"
        if queued:
            self._cobranza_dispatch_chunks()
        else:
            self._cobranza_finish_runs()

    def action_cancel(self):
        """Cancel a run, also while it is being sent: what is still queued
        is not sent; chunks being delivered right now finish."""
        for run in self:
            if run.state == "done":
                raise UserError(self.env._("A run that was sent cannot be cancelled."))
            run.check_access("write")
            waiting = run.action_ids.filtered(
                lambda a: a.state in ("proposed", "excluded")
            )
            waiting.write({"state": "cancelled"})
            if run.state == "sending":
                run._cobranza_cancel_queued()
            run.state = "cancelled"
        return True

    def _cobranza_cancel_queued(self):
        """Queued actions not held by a worker leave the queue."""
        self.ensure_one()
        self.env["cobranza.action"].flush_model(["state", "run_id"])
        rows = self.env.execute_query(
            SQL(
                """
                UPDATE cobranza_action SET state = 'cancelled', note = %(note)s,
                       write_uid = %(uid)s, write_date = %(now)s
                 WHERE id IN (
                        SELECT id FROM cobranza_action
                         WHERE run_id = %(run)s AND state = 'queued'
                           FOR UPDATE SKIP LOCKED)
             RETURNING id
                """,
                note=self.env._("Not sent: the run was cancelled."),
                uid=self.env.uid,
                now=self.env.cr.now(),
                run=self.id,
            )
        )
        self.env["cobranza.action"].invalidate_model(["state", "note"])
        self._cobranza_invalidate_counts()
        return len(rows)

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
        """Daily: preview and queue the automatic levels, once per company.

        One company per call, each in its own transaction: the cron
        framework commits after each call and calls again while
        ``_notify_progress`` says companies remain.
        """
        self = in_user_lang(self)
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
        todo = companies - done
        cron = self.env["ir.cron"]
        if not todo:
            self.env["account.move"]._cobranza_refresh_days_overdue()
            cron._notify_progress(done=0, remaining=0)
            return
        company = todo[0]
        run = self.with_company(company).create(
            {"trigger": "cron", "company_id": company.id, "date": today}
        )
        run.action_preview()
        if run.state == "previewing":
            run.send_after_preview = True  # queued when the preview is ready
        else:
            run._cobranza_send_automatic()
        if len(todo) == 1:
            self.env["account.move"]._cobranza_refresh_days_overdue()
        cron._notify_progress(done=1, remaining=len(todo) - 1)

    # ------------------------------------------------------------------
    # Gathering: set-based
    # ------------------------------------------------------------------
    def _cobranza_send_automatic(self):
        """Queue the actions that need no review (the daily schedule)."""
        self.ensure_one()
        automatic = self.action_ids.filtered(
            lambda a: a.state == "proposed" and not a.manual_review
        )
        if automatic:
            self._cobranza_start_sending(automatic)
        elif not self.action_ids.filtered(lambda a: a.state == "proposed"):
            self.state = "done"

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
