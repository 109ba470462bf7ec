"""The chunk runner: delivery as a pipeline of small committed units.

How sending works
=================

*Send* on a run, the daily schedule, *Send now*, *Retry*, the deferred-send
job and installment reminders never deliver anything in the request. They
only **queue** actions: one conditional ``UPDATE`` moves them from their
current state to ``queued`` (an action can be queued once, whoever races),
then :meth:`_cobranza_dispatch_chunks` asks the engine to deliver.

A **chunk** is a few actions (setting ``cobranza.delivery_chunk_size``,
default 200; at most ``cobranza.delivery_pdf_chunk_size`` units of work,
default 10, a unit being one PDF to render, as wkhtmltopdf takes about 2 s
per PDF, or 20 letters, or 50 actions) delivered by
:meth:`_cobranza_deliver_chunk` in **one transaction**:

1. the actions are locked with ``SELECT … FOR UPDATE SKIP LOCKED`` and only
   those still ``queued`` are kept: two workers never take the same action,
   and a chunk run twice does nothing the second time (idempotent);
2. the run's eligibility rules are applied again to every invoice (paid,
   disputed, excluded, paused, in an active plan, already at that level):
   an action that lost every invoice is ``skipped`` with the reason, one
   that lost some is trimmed;
3. the compliance gate checks every channel;
4. each channel gets a ``cobranza.action.delivery`` row and its side effect
   is *written into Odoo's queues*: a ``mail.mail`` (not force-sent), an
   ``sms.sms`` (``put_in_queue=True``), a stored letter PDF, an activity;
5. invoices move to the level; the chunk commits.

Nothing leaves the database before the commit: the mail and SMS queues send
after it. A chunk that dies rolls back whole (no delivery row, no mail, no
SMS) and its actions stay ``queued``: the retry sends each message once.
A partial unique index on the delivery rows refuses a second live delivery
of the same channel of the same action.

Engines
=======

Stock Odoo (the default): the ``Collections: deliver queued actions`` cron
(:meth:`_cron_cobranza_deliver`) takes one chunk per call and reports
``ir.cron._notify_progress(done=, remaining=)``; the cron framework commits
after every call, calls again while something remains and re-triggers
itself, so no transaction runs long and delivery resumes after a restart
(the queued actions are in the database).

A bridge addon (``cobranza_queue_job``) overrides **one method**,
:meth:`_cobranza_dispatch_chunks`, to enqueue one job per chunk instead of
triggering the cron::

    def _cobranza_dispatch_chunks(self):
        for ids in self.env["cobranza.run"]._cobranza_plan_chunks(self.ids):
            self.env["cobranza.run"].with_delay(
                channel="root.cobranza",
                identity_key=f"cobranza-chunk-{ids[0]}-{ids[-1]}-{len(ids)}",
            )._cobranza_deliver_chunk(ids)

``_cobranza_plan_chunks(run_ids=None)`` splits the queued actions into lists
of ids (chunk size and PDF budget applied, no lock taken);
``_cobranza_deliver_chunk(action_ids)`` is the unit of work: idempotent,
safe to retry, safe to run concurrently (it skips locked and no longer
queued actions), and it returns how many actions it delivered. The cron
stays as a safety net: it delivers whatever a lost job left queued.

Outcomes
========

``mail.mail`` and the SMS trackers report back (``models/mail_mail.py``,
``models/sms_sms.py``): a failed or bounced email or SMS fails its delivery
row with the provider's reason, the ledger row becomes ``not_delivered``,
and an action with nothing delivered becomes ``failed`` and its invoices go
back to the level they had (the level moves when the chunk commits and is
rolled back on failure: the next run proposes them again).
"""

import logging
from collections import defaultdict

import psycopg2

from odoo import SUPERUSER_ID, api, fields, models
from odoo.modules.registry import Registry
from odoo.tools import SQL

from ..cobranza_core import channels as channels_core
from ..cobranza_core import chunks as chunks_core
from .cobranza_lang import in_user_lang
from .ir_attachment import PRINT_ROOM

_logger = logging.getLogger(__name__)

DEFAULT_CHUNK_SIZE = 200
DEFAULT_PDF_CHUNK_SIZE = 10
#: The letters of a chunk are rendered together, in one wkhtmltopdf call
#: (about 0.03 s a letter after the call's start-up, against about 2 s for
#: a PDF rendered on its own): this many letters count as one PDF.
LETTERS_PER_PDF = 20
#: The actions of a chunk weigh too (the email rendered, its messages, the
#: invoices' levels and notes: about 40 ms an action on a slow host,
#: 2026-12-03): this many actions count as one PDF. A chunk of 200 letters
#: took 21.9 s there; counted so, it holds 140 (cobranza_core.chunks).
ACTIONS_PER_UNIT = 50
#: A chunk that fails this many times fails its actions (visible, retryable).
MAX_ATTEMPTS = 3
#: Action states that were handed to delivery.
PROCESSED_STATES = ("done", "failed", "skipped", "blocked", "deferred")


class CobranzaRun(models.Model):
    _inherit = "cobranza.run"

    queued_count = fields.Integer(string="Queued", compute="_compute_delivery")
    delivered_count = fields.Integer(string="Sent", compute="_compute_delivery")
    failed_count = fields.Integer(string="Failed", compute="_compute_delivery")
    skipped_count = fields.Integer(string="Skipped", compute="_compute_delivery")
    bounced_count = fields.Integer(string="Bounced", compute="_compute_delivery")
    delivery_progress = fields.Float(string="Progress", compute="_compute_delivery")
    letter_attachment_ids = fields.Many2many(
        "ir.attachment", string="Letters to print", compute="_compute_letters"
    )

    COUNT_FIELDS = (
        "queued_count",
        "delivered_count",
        "failed_count",
        "skipped_count",
        "bounced_count",
        "delivery_progress",
    )

    @api.depends("action_ids.state", "action_ids.delivery_failed")
    def _compute_delivery(self):
        counts = defaultdict(lambda: defaultdict(int))
        for run, state, count in self.env["cobranza.action"]._read_group(
            [("run_id", "in", self.ids), ("delivery_user_id", "!=", False)],
            ["run_id", "state"],
            ["__count"],
        ):
            counts[run][state] += count
        failed = dict(
            self.env["cobranza.action"]._read_group(
                [
                    ("run_id", "in", self.ids),
                    "|",
                    ("state", "=", "failed"),
                    ("delivery_failed", "=", True),
                ],
                ["run_id"],
                ["__count"],
            )
        )
        bounced = dict(
            self.env["cobranza.action.delivery"]._read_group(
                [("run_id", "in", self.ids), ("state", "=", "bounced")],
                ["run_id"],
                ["__count"],
            )
        )
        for run in self:
            by_state = counts[run]
            run.queued_count = by_state["queued"]
            run.delivered_count = by_state["done"]
            run.failed_count = failed.get(run, 0)
            run.skipped_count = by_state["skipped"] + by_state["cancelled"]
            run.bounced_count = bounced.get(run, 0)
            processed = sum(by_state[state] for state in PROCESSED_STATES)
            processed += by_state["cancelled"]
            total = processed + run.queued_count
            run.delivery_progress = 100.0 * processed / total if total else 0.0

    def _compute_letters(self):
        for run in self:
            run.letter_attachment_ids = self.env["ir.attachment"].search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "=", run.id),
                    ("description", "=", PRINT_ROOM),
                ],
                order="id",
            )

    # ------------------------------------------------------------------
    # Settings
    # ------------------------------------------------------------------
    @api.model
    def _cobranza_chunk_size(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("cobranza.delivery_chunk_size")
        )
        return max(1, int(value or DEFAULT_CHUNK_SIZE))

    @api.model
    def _cobranza_pdf_chunk_size(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("cobranza.delivery_pdf_chunk_size")
        )
        return max(1, int(value or DEFAULT_PDF_CHUNK_SIZE))

    # ------------------------------------------------------------------
    # Queueing
    # ------------------------------------------------------------------
    @api.model
    def _cobranza_queue(self, actions, from_states, user=None):
        """Move ``actions`` that are in ``from_states`` to ``queued``.

        One conditional UPDATE: an action is queued once even when *Send*,
        *Send now* and the schedule race on it. Returns the queued actions.
        The caller checked the user's rights.
        """
        if not actions:
            return actions.browse()
        actions.flush_recordset()
        user = user or self.env.user
        rows = self.env.execute_query(
            SQL(
                """
                UPDATE cobranza_action
                   SET state = 'queued', delivery_user_id = %(uid)s,
                       delivery_attempts = 0,
                       write_uid = %(uid)s, write_date = %(now)s
                 WHERE id = ANY(%(ids)s) AND state = ANY(%(states)s)
             RETURNING id
                """,
                uid=user.id,
                now=self.env.cr.now(),
                ids=actions.ids,
                states=list(from_states),
            )
        )
        actions.invalidate_recordset(["state", "delivery_user_id", "delivery_attempts"])
        self._cobranza_invalidate_counts()
        return actions.browse(sorted(row[0] for row in rows))

    @api.model
    def _cobranza_invalidate_counts(self):
        """Raw SQL changed action states: the counts are read again."""
        self.env["cobranza.run"].invalidate_model(list(self.COUNT_FIELDS))

    def _cobranza_dispatch_chunks(self):
        """Hand the queued actions of these runs to the delivery engine.

        Stock Odoo: trigger the delivery cron (it runs after this
        transaction commits). The ``cobranza_queue_job`` bridge overrides
        this method to enqueue one job per chunk.
        """
        self.env.ref("cobranza_addon.cobranza_delivery_cron").sudo()._trigger()

    @api.model
    def _cobranza_plan_chunks(self, run_ids=None):
        """The queued actions (of ``run_ids``, or all) as lists of ids, one
        list per chunk. No lock is taken: a chunk skips what is gone.

        The weights of all the actions are read in one query, so planning
        the 10 000 actions of a 100k book takes a fraction of a second in
        the transaction that pressed *Send*.
        """
        domain = [("state", "=", "queued")]
        if run_ids:
            domain.append(("run_id", "in", list(run_ids)))
        ids = self.env["cobranza.action"].sudo().search(domain, order="id").ids
        return chunks_core.split_chunks(
            self._cobranza_pdf_weights(ids),
            self._cobranza_chunk_size(),
            self._cobranza_pdf_chunk_size(),
            LETTERS_PER_PDF,
            ACTIONS_PER_UNIT,
        )

    # ------------------------------------------------------------------
    # Claiming
    # ------------------------------------------------------------------
    @api.model
    def _cobranza_claim(self, action_ids=None, limit=None):
        """Lock queued actions for this transaction, skipping those another
        worker holds. ``action_ids``: only among these."""
        self.env["cobranza.action"].flush_model(["state"])
        where = SQL("state = 'queued'")
        if action_ids is not None:
            where = SQL("%s AND id = ANY(%s)", where, list(action_ids))
        rows = self.env.execute_query(
            SQL(
                """
                SELECT id FROM cobranza_action
                 WHERE %s
              ORDER BY id
                 LIMIT %s
                   FOR UPDATE SKIP LOCKED
                """,
                where,
                limit or self._cobranza_chunk_size(),
            )
        )
        return [row[0] for row in rows]

    @api.model
    def _cobranza_fit_chunk(self, action_ids):
        """The head of ``action_ids`` that renders at most the PDF budget
        (at least one action)."""
        chunks = chunks_core.split_chunks(
            self._cobranza_pdf_weights(action_ids),
            len(action_ids) or 1,
            self._cobranza_pdf_chunk_size(),
            LETTERS_PER_PDF,
            ACTIONS_PER_UNIT,
        )
        # none left (every id gone since it was read): nothing to deliver
        return chunks[0] if chunks else []

    @api.model
    def _cobranza_pdf_weights(self, action_ids):
        """``(action id, PDFs to render, has a letter)`` per action, in the
        order of ``action_ids``: the facts of every action read in one
        query, weighed by the same channel rule as delivery
        (:mod:`cobranza_core.channels`).

        PDFs: when the action is emailed, each invoice without its stored
        PDF (``invoice_pdf_report_id``; installment reminders attach none)
        and the statement of account when the level attaches it.
        """
        if not action_ids:
            return []
        self.env["cobranza.action"].flush_model(
            ["level_id", "partner_id", "plan_line_id", "channel_plan"]
        )
        self.env["cobranza.level"].flush_model(
            [
                "use_email",
                "use_letter",
                "use_sms",
                "use_activity",
                "attach_statement",
                "letter_template_id",
            ]
        )
        self.env["cobranza.action.line"].flush_model(["action_id", "move_id"])
        self.env["res.partner"].flush_model(["email", "mobile", "phone"])
        self.env["ir.attachment"].flush_model(["res_model", "res_field", "res_id"])
        rows = self.env.execute_query(
            SQL(
                """
                WITH unstored AS (
                    SELECT line.action_id, count(*) AS pdfs
                      FROM cobranza_action_line line
                     WHERE line.action_id = ANY(%(ids)s)
                       AND NOT EXISTS (
                           SELECT 1 FROM ir_attachment att
                            WHERE att.res_model = 'account.move'
                              AND att.res_id = line.move_id
                              AND att.res_field = 'invoice_pdf_report_file')
                  GROUP BY line.action_id
                )
                SELECT a.id,
                       COALESCE(l.use_email, FALSE),
                       COALESCE(l.use_letter, FALSE),
                       COALESCE(l.use_sms, FALSE),
                       COALESCE(l.use_activity, FALSE),
                       COALESCE(p.email, '') <> '',
                       COALESCE(p.mobile, '') <> '' OR COALESCE(p.phone, '') <> '',
                       l.letter_template_id IS NOT NULL,
                       COALESCE(a.channel_plan, ''),
                       COALESCE(l.attach_statement, FALSE),
                       CASE WHEN a.plan_line_id IS NOT NULL THEN 0
                            ELSE COALESCE(unstored.pdfs, 0) END
                  FROM cobranza_action a
                  LEFT JOIN cobranza_level l ON l.id = a.level_id
                  LEFT JOIN res_partner p ON p.id = a.partner_id
                  LEFT JOIN unstored ON unstored.action_id = a.id
                 WHERE a.id = ANY(%(ids)s)
                """,
                ids=list(action_ids),
            )
        )
        weights = {}
        facts = ("use_email", "use_letter", "use_sms", "use_activity")
        facts += ("has_email", "has_phone", "has_letter_template")
        for action_id, *flags, wanted, statement, unstored in rows:
            channels, _notes = channels_core.plan_channels(
                channels_core.ChannelFacts(
                    **dict(zip(facts, flags, strict=True)),
                    wanted=tuple(wanted.split(",")) if wanted else (),
                )
            )
            weights[action_id] = (
                action_id,
                *channels_core.delivery_weight(channels, statement, unstored),
            )
        return [weights[i] for i in action_ids if i in weights]

    @api.model
    def _cobranza_next_chunk(self):
        """Claim the next chunk: queued actions locked for this transaction."""
        return self._cobranza_fit_chunk(self._cobranza_claim())

    # ------------------------------------------------------------------
    # The unit of work
    # ------------------------------------------------------------------
    @api.model
    def _cobranza_deliver_chunk(self, action_ids):
        """Deliver the actions ``action_ids`` that are still queued.

        Idempotent and safe to retry or to run concurrently: actions another
        transaction holds, or that left the queue, are skipped. Runs as the
        system in the name of the user who queued each action. Returns the
        number of actions delivered.
        """
        ids = self._cobranza_claim(action_ids, limit=len(action_ids) or 1)
        if not ids:
            return 0
        actions = self.env["cobranza.action"].sudo().browse(ids)
        for (run, user), batch in actions.grouped(
            lambda a: (a.run_id, a.delivery_user_id)
        ).items():
            if not run or run.state == "cancelled":
                batch.write(
                    {
                        "state": "cancelled",
                        "note": self.env._("Not sent: the run was cancelled."),
                    }
                )
                continue
            user = user or self.env.user
            # notes, chatter and call tasks in the language of the user who
            # sent, not in the engine's (a cron or a job runs in English)
            lang = user.lang or self.env.lang
            runner = run.with_user(user).with_context(lang=lang).sudo()
            runner = runner.with_company(run.company_id)
            runner._execute(batch.with_env(runner.env))
        self._cobranza_invalidate_counts()
        actions.run_id._cobranza_finish_runs()
        actions.run_id._cobranza_finish_after_commit()
        self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger()
        self.env.ref("sms.ir_cron_sms_scheduler_action").sudo()._trigger()
        return len(ids)

    @api.model
    def _cron_cobranza_deliver(self):
        """The embedded engine: one chunk per call, progress reported."""
        self = in_user_lang(self)
        cron = self.env["ir.cron"]
        ids = self._cobranza_next_chunk()
        if not ids:
            self.env["cobranza.run"].sudo().search(
                [("state", "=", "sending")]
            )._cobranza_finish_runs()
            cron._notify_progress(done=0, remaining=0)
            return
        try:
            with self.env.cr.savepoint():
                done = self._cobranza_deliver_chunk(ids)
        except Exception as error:  # noqa: BLE001 - the chunk is retried
            self._cobranza_chunk_failed(ids, error)
            done = len(ids)
        remaining = (
            self.env["cobranza.action"].sudo().search_count([("state", "=", "queued")])
        )
        cron._notify_progress(done=done, remaining=remaining)

    @api.model
    def _cobranza_chunk_failed(self, action_ids, error):
        """A chunk raised: nothing of it was kept. Its actions stay queued
        for another try; after ``MAX_ATTEMPTS`` they fail, with the error,
        where a collector sees them."""
        _logger.warning(
            "Collection delivery chunk of %s actions failed: %s", len(action_ids), error
        )
        actions = self.env["cobranza.action"].sudo().browse(action_ids)
        # one statement for the whole chunk, not a write per action
        actions.flush_recordset(["delivery_attempts"])
        self.env.execute_query(
            SQL(
                "UPDATE cobranza_action SET delivery_attempts = "
                "COALESCE(delivery_attempts, 0) + 1 WHERE id = ANY(%s)",
                actions.ids,
            )
        )
        actions.invalidate_recordset(["delivery_attempts"])
        exhausted = actions.filtered(lambda a: a.delivery_attempts >= MAX_ATTEMPTS)
        if exhausted:
            exhausted.write(
                {
                    "state": "failed",
                    "note": self.env._(
                        "Not sent: delivery failed %(count)s times (%(error)s).",
                        count=MAX_ATTEMPTS,
                        error=str(error),
                    ),
                }
            )
            exhausted.run_id._cobranza_finish_runs()

    def _cobranza_finish_after_commit(self):
        """Check again, after this transaction commits, whether the runs are
        finished, in a new transaction that sees every commit.

        Two workers delivering the last two chunks of a run each see the
        other's actions still queued (each transaction reads its own
        snapshot), so neither would end the run; the one that commits last
        does, here.
        """
        run_ids = self.filtered(lambda r: r.state == "sending").ids
        if not run_ids:
            return
        dbname = self.env.cr.dbname

        @self.env.cr.postcommit.add
        def finish():
            _logger.debug("Checking whether runs %s are finished", run_ids)
            try:
                with Registry(dbname).cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    env["cobranza.run"].browse(run_ids)._cobranza_finish_runs()
            except psycopg2.errors.SerializationFailure:
                # another worker finished these runs at the same moment
                _logger.info("Runs %s finished by another worker", run_ids)

    def _cobranza_finish_runs(self):
        """Runs being sent end when nothing of them is queued any more."""
        self._cobranza_invalidate_counts()
        sending = self.sudo().filtered(lambda r: r.state == "sending")
        if sending:
            # one finisher at a time; a run another transaction is finishing
            # right now is left to it
            locked = self.env.execute_query(
                SQL(
                    "SELECT id FROM cobranza_run WHERE id = ANY(%s) "
                    "AND state = 'sending' FOR UPDATE SKIP LOCKED",
                    sending.ids,
                )
            )
            sending = sending.browse([row[0] for row in locked])
        for run in sending:
            if run.queued_count:
                continue
            proposed = run.action_ids.filtered(lambda a: a.state == "proposed")
            run.state = "preview" if proposed else "done"
            run.message_post(
                body=self.env._(
                    "Delivery finished: %(sent)s sent, %(failed)s failed, "
                    "%(skipped)s skipped.",
                    sent=run.delivered_count,
                    failed=run.failed_count,
                    skipped=run.skipped_count,
                ),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------
    # Gathering sees queued actions as pending
    # ------------------------------------------------------------------
    def _pending_followups(self, partner_range=None):
        """Queued actions hold their invoices and customers too."""
        pending, busy = super()._pending_followups(partner_range)
        queued = self.env["cobranza.action"].search_fetch(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "queued"),
                ("run_id", "!=", self.id),
                ("plan_line_id", "=", False),
                *self._partner_range_domain(partner_range),
            ],
            ["partner_id", "invoice_ids"],
        )
        return pending | set(queued.invoice_ids.ids), busy | set(queued.partner_id.ids)

    # ------------------------------------------------------------------
    # Letters for the print room
    # ------------------------------------------------------------------
    def action_download_letters(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/cobranza/run/{self.id}/letters",
            "target": "download",
        }
