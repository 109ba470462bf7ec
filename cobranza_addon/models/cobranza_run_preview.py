"""The preview of a large book, in committed chunks of customers.

A preview reads every open invoice of the company, plans, and creates the
proposed actions. Up to ``cobranza.preview_inline_invoices`` open invoices
(default 100 000, a few seconds) it runs in the request. Above, the run
goes to *Preparing preview*: the customers are cut into ranges of about
``cobranza.preview_chunk_invoices`` open invoices (default 50 000), and the
``Collections: prepare previews`` cron plans and creates one range per
transaction, reporting its progress (``_notify_progress``), so no
transaction grows with the book and a restart resumes where it stopped
(the ranges left are stored on the run). A range that fails rolls back
whole and is tried again: none of its actions were kept.
"""

import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .cobranza_lang import in_user_lang

_logger = logging.getLogger(__name__)

DEFAULT_INLINE_INVOICES = 100_000
DEFAULT_CHUNK_INVOICES = 50_000


class CobranzaRun(models.Model):
    _inherit = "cobranza.run"

    preview_ranges = fields.Json(
        copy=False,
        readonly=True,
        help="Customer ranges [first id, last id] still to preview.",
    )
    preview_range_count = fields.Integer(copy=False, readonly=True)
    preview_progress = fields.Float(
        string="Preview progress", compute="_compute_preview_progress"
    )
    preview_by_jobs = fields.Boolean(
        copy=False,
        readonly=True,
        help="The ranges are prepared by queue jobs (cobranza_queue_job), "
        "not by the cron.",
    )
    send_after_preview = fields.Boolean(
        copy=False,
        readonly=True,
        help="The daily schedule queues the automatic levels when the "
        "preview is ready.",
    )

    @api.depends("preview_ranges", "preview_range_count")
    def _compute_preview_progress(self):
        for run in self:
            total = run.preview_range_count or 0
            left = len(run.preview_ranges or [])
            run.preview_progress = 100.0 * (total - left) / total if total else 0.0

    # ------------------------------------------------------------------
    # Settings
    # ------------------------------------------------------------------
    def _cobranza_param(self, key, default):
        value = self.env["ir.config_parameter"].sudo().get_param(key)
        try:
            return max(1, int(value)) if value else default
        except ValueError:
            return default

    # ------------------------------------------------------------------
    # Deciding, cutting into ranges
    # ------------------------------------------------------------------
    def _cobranza_open_invoice_count(self):
        self._flush_for_gathering()
        return self.env.execute_query(
            SQL(
                "SELECT count(*) FROM account_move WHERE company_id = %s "
                "AND move_type = 'out_invoice' AND state = 'posted' "
                "AND cobranza_in_collection",
                self.company_id.id,
            )
        )[0][0]

    def _cobranza_preview_ranges(self, size):
        """``[[first, last], ...]``: consecutive customer id ranges holding
        about ``size`` open invoices each (a customer is never split)."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT min(partner), max(partner)
                  FROM (SELECT commercial_partner_id AS partner,
                               ((sum(count(*)) OVER (ORDER BY commercial_partner_id))
                                ::bigint - count(*)) / %(size)s AS bucket
                          FROM account_move
                         WHERE company_id = %(company)s
                           AND move_type = 'out_invoice' AND state = 'posted'
                           AND cobranza_in_collection
                      GROUP BY commercial_partner_id) AS per_partner
              GROUP BY bucket
              ORDER BY 1
                """,
                size=size,
                company=self.company_id.id,
            )
        )
        return [[first, last] for first, last in rows]

    def _cobranza_preview_start(self):
        """Inline preview for an ordinary book; otherwise hand it to the
        cron in ranges and return ``True``."""
        self.ensure_one()
        limit = self._cobranza_param(
            "cobranza.preview_inline_invoices", DEFAULT_INLINE_INVOICES
        )
        if self._cobranza_open_invoice_count() <= limit:
            return False
        size = self._cobranza_param(
            "cobranza.preview_chunk_invoices", DEFAULT_CHUNK_INVOICES
        )
        ranges = self._cobranza_preview_ranges(size)
        self.sudo().write(
            {
                "state": "previewing",
                "preview_ranges": ranges,
                "preview_range_count": len(ranges),
            }
        )
        self.env.ref("cobranza_addon.cobranza_preview_cron").sudo()._trigger()
        return True

    # ------------------------------------------------------------------
    # The unit of work
    # ------------------------------------------------------------------
    def _cobranza_preview_next_range(self):
        """Plan and create the next customer range of this run; finish the
        preview after the last one."""
        self.ensure_one()
        ranges = list(self.preview_ranges or [])
        if ranges:
            first, last = ranges[0]
            self._preview_actions(partner_range=(first, last), with_plans=False)
            self.sudo().write({"preview_ranges": ranges[1:]})
        if not ranges[1:]:
            self._cobranza_preview_finish()

    def _cobranza_preview_finish(self):
        partner_policy = self._partner_policies()
        plan_vals = self._prepare_plan_reminder_vals(partner_policy)
        if plan_vals:
            self._create_actions(plan_vals)
        self.sudo().write({"state": "preview", "preview_ranges": []})
        self.invalidate_recordset(["action_ids"])
        self.message_post(
            body=self.env._(
                "Preview ready: %(count)s actions proposed.", count=self.action_count
            ),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )
        if self.send_after_preview:
            self._cobranza_send_automatic()

    @api.model
    def _cron_cobranza_preview(self):
        """One customer range of one previewing run per call, committed by
        the cron framework; progress reported."""
        self = in_user_lang(self)
        cron = self.env["ir.cron"]
        self.flush_model(["state", "preview_by_jobs"])
        locked = self.env.execute_query(
            SQL(
                "SELECT id FROM cobranza_run WHERE state = 'previewing' "
                "AND preview_by_jobs IS NOT TRUE "
                "ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED"
            )
        )
        if not locked:
            cron._notify_progress(done=0, remaining=0)
            return
        run = self.sudo().browse(locked[0][0])
        user = run.user_id or self.env.user
        # the run's notes in the language of the user who started it
        run = run.with_company(run.company_id).with_user(user)
        run = run.with_context(lang=user.lang or self.env.lang)
        try:
            run._acquire_lock()
        except UserError:
            # another run of this company works right now: try again later
            cron._notify_progress(done=0, remaining=0)
            return
        run.sudo()._cobranza_preview_next_range()
        remaining = sum(
            len(r.preview_ranges or [])
            for r in self.sudo().search([("state", "=", "previewing")])
        )
        cron._notify_progress(done=1, remaining=remaining)
