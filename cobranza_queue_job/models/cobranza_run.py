"""Chunks of a collection run delivered as queue jobs.

The embedded engine (``cobranza_addon``) triggers one cron that takes one
chunk per call. With ``queue_job`` installed, :meth:`_cobranza_dispatch_chunks`
enqueues one job per chunk in the ``root.cobranza`` channel instead: every
worker that runs the job runner shares the run. A job is the unit of work of
the addon, :meth:`_cobranza_deliver_chunk`, which is idempotent (it takes only
actions still queued, ``FOR UPDATE SKIP LOCKED``), so a job retried after a
failure, or a chunk delivered twice by two jobs, sends nothing twice.
"""

from odoo import api, models

from odoo.addons.queue_job.delay import group
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import identity_exact

#: Tries of a chunk before queue_job marks its job failed; the actions it
#: left queued are then delivered by the addon's cron (the safety net).
MAX_RETRIES = 6


class CobranzaRun(models.Model):
    _inherit = "cobranza.run"

    def _cobranza_dispatch_chunks(self):
        """One queue job per chunk of the queued actions of these runs.

        ``identity_exact`` keys a job by its method and arguments: the same
        chunk dispatched twice (Send pressed again, the schedule racing a
        user) is enqueued once.
        """
        run_model = self.env["cobranza.run"].sudo()
        for ids in run_model._cobranza_plan_chunks(self.ids or None):
            run_model.with_delay(
                identity_key=identity_exact,
                max_retries=MAX_RETRIES,
                description=self.env._(
                    "Collections: deliver %(count)s queued actions", count=len(ids)
                ),
            )._cobranza_job_deliver_chunk(ids)

    @api.model
    def _cobranza_job_deliver_chunk(self, action_ids):
        """The job: deliver one chunk, or roll it back whole and retry.

        Any error rolls back what the chunk wrote (no mail, SMS, letter or
        ledger row survives) and asks queue_job to try again later with the
        backoff of the job function (``retry_pattern``).
        """
        try:
            with self.env.cr.savepoint():
                return self._cobranza_deliver_chunk(action_ids)
        except RetryableJobError:
            raise
        except Exception as error:
            raise RetryableJobError(
                self.env._(
                    "Collection delivery chunk failed, it will be tried again: "
                    "%(error)s",
                    error=error,
                )
            ) from error

    # ------------------------------------------------------------------
    # The preview of a large book: one job per customer range
    # ------------------------------------------------------------------
    def _cobranza_preview_start(self):
        """Above the inline limit, one job per customer range (run in
        parallel by the workers), then one job that finishes the preview
        when they are all done (queue_job's job dependencies)."""
        started = super()._cobranza_preview_start()
        if started:
            self._cobranza_preview_enqueue()
        return started

    def _cobranza_preview_enqueue(self):
        self.ensure_one()
        run = self.sudo()
        run.preview_by_jobs = True
        jobs = [
            run.delayable(
                identity_key=identity_exact,
                max_retries=MAX_RETRIES,
                description=self.env._(
                    "Collections: preview customers %(first)s to %(last)s",
                    first=first,
                    last=last,
                ),
            )._cobranza_job_preview_range(first, last)
            for first, last in run.preview_ranges or []
        ]
        finish = run.delayable(
            identity_key=identity_exact,
            max_retries=MAX_RETRIES,
            description=self.env._("Collections: finish the preview"),
        )._cobranza_job_preview_finish()
        group(*jobs).on_done(finish).delay()

    def _cobranza_job_preview_range(self, first, last):
        """The job: plan and create the actions of one customer range, or
        roll it back whole and retry. A range already planned (a job that
        committed but was run again) is left as it is."""
        self.ensure_one()
        if self.state != "previewing":
            return False  # cancelled meanwhile
        done = self.env["cobranza.action"].search_count(
            [
                ("run_id", "=", self.id),
                ("partner_id", ">=", first),
                ("partner_id", "<=", last),
            ],
            limit=1,
        )
        if done:
            return False
        try:
            with self.env.cr.savepoint():
                self.with_company(self.company_id)._preview_actions(
                    partner_range=(first, last), with_plans=False
                )
        except Exception as error:
            raise RetryableJobError(
                self.env._(
                    "Preview of a customer range failed, it will be tried again: "
                    "%(error)s",
                    error=error,
                )
            ) from error
        return True

    def _cobranza_job_preview_finish(self):
        self.ensure_one()
        if self.state == "previewing":
            self.with_company(self.company_id)._cobranza_preview_finish()
        return True
