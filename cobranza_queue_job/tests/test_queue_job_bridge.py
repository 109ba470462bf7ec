"""The queue_job bridge: one job per chunk, de-duplicated, retried once."""

from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.cobranza_addon.models.cobranza_run_dispatch import (
    CobranzaRun as DispatchRun,
)
from odoo.addons.cobranza_addon.tests.common import TODAY, CobranzaCommon
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestQueueJobBridge(CobranzaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "cobranza.delivery_chunk_size", "2"
        )
        cls.customers = cls.env["res.partner"].create(
            [
                {"name": f"Cliente {i}", "email": f"c{i}@example.com", "lang": "en_US"}
                for i in range(5)
            ]
        )
        for customer in cls.customers:
            cls.invoice(customer, 100, TODAY - timedelta(days=6))

    def mails(self):
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", self.customers.ids)]
        )

    def preview(self):
        run = self.env["cobranza.run"].create({"company_id": self.company.id})
        run.action_preview()
        return run

    def test_one_job_per_chunk_in_the_cobranza_channel(self):
        run = self.preview()
        self.assertEqual(len(run.action_ids), 5)
        triggered = []
        cron_model = type(self.env["ir.cron"])
        with (
            trap_jobs() as trap,
            patch.object(
                cron_model, "_trigger", lambda crons, at=None: triggered.append(crons)
            ),
        ):
            run.action_send()
            trap.assert_jobs_count(
                3, only=self.env["cobranza.run"]._cobranza_job_deliver_chunk
            )
            delivery_cron = self.env.ref("cobranza_addon.cobranza_delivery_cron")
            self.assertNotIn(delivery_cron, triggered, "jobs replace the delivery cron")
            self.assertEqual(
                {job.channel for job in trap.enqueued_jobs}, {"root.cobranza"}
            )
            self.assertEqual(
                sorted(len(job.args[0]) for job in trap.enqueued_jobs), [1, 2, 2]
            )
            self.assertFalse(self.mails(), "nothing is sent by Send itself")
            trap.perform_enqueued_jobs()
        self.env.invalidate_all()
        self.assertEqual(run.state, "done")
        self.assertEqual(set(run.action_ids.mapped("state")), {"done"})
        self.assertEqual(len(self.mails()), 5, "one email per customer")

    def test_identity_keys_deduplicate_chunks(self):
        run = self.preview()
        run.action_send()
        jobs = (
            self.env["queue.job"]
            .sudo()
            .search([("method_name", "=", "_cobranza_job_deliver_chunk")])
        )
        self.assertEqual(len(jobs), 3)
        self.assertEqual(len(set(jobs.mapped("identity_key"))), 3)
        self.assertEqual(set(jobs.mapped("channel")), {"root.cobranza"})
        # Dispatching the same queued chunks again enqueues nothing new.
        run._cobranza_dispatch_chunks()
        self.assertEqual(
            self.env["queue.job"]
            .sudo()
            .search_count([("method_name", "=", "_cobranza_job_deliver_chunk")]),
            3,
        )

    def test_failed_job_is_retried_without_duplicates(self):
        run = self.preview()
        run.action_send()
        jobs = (
            self.env["queue.job"]
            .sudo()
            .search([("method_name", "=", "_cobranza_job_deliver_chunk")], order="id")
        )
        first = Job.load(self.env, jobs[0].uuid)
        original = DispatchRun._send_emails

        def die_after_emails(self_, *args, **kwargs):
            original(self_, *args, **kwargs)
            raise RuntimeError("worker killed after the email step")

        with (
            patch.object(DispatchRun, "_send_emails", die_after_emails),
            self.assertRaises(RetryableJobError),
        ):
            first.perform()
        self.env.invalidate_all()
        self.assertFalse(self.mails(), "the failed chunk left nothing behind")
        queued = run.action_ids.filtered(lambda a: a.state == "queued")
        self.assertEqual(len(queued), 5)
        # queue_job tries again: each message once, and a third try is idle.
        self.assertEqual(first.perform(), 2)
        self.assertEqual(first.perform(), 0)
        for job in jobs[1:]:
            Job.load(self.env, job.uuid).perform()
        self.env.invalidate_all()
        self.assertEqual(len(self.mails()), 5)
        for customer in self.customers:
            self.assertEqual(
                len(self.mails().filtered(lambda m, c=customer: c in m.recipient_ids)),
                1,
            )
        self.assertEqual(run.state, "done")

    def test_snapshots_one_job_per_company(self):
        snapshot = self.env["cobranza.kpi.snapshot"]
        companies = self.env["res.company"].search([])
        with trap_jobs() as trap:
            snapshot._cron_take_snapshot()
            trap.assert_jobs_count(
                len(companies), only=snapshot._cobranza_job_take_snapshot
            )
            trap.perform_enqueued_jobs()
        self.assertTrue(
            snapshot.search_count(
                [("date", "=", TODAY), ("company_id", "=", self.company.id)]
            )
        )


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestQueueJobPreview(CobranzaCommon):
    """A large book's preview: one job per customer range, then a finish."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("cobranza.preview_inline_invoices", "3")
        params.set_param("cobranza.preview_chunk_invoices", "2")
        cls.customers = cls.env["res.partner"].create(
            [{"name": f"Cliente {i}", "email": f"c{i}@example.com"} for i in range(5)]
        )
        for customer in cls.customers:
            cls.invoice(customer, 100, TODAY - timedelta(days=6))

    def test_ranges_as_jobs_then_the_finish(self):
        run = self.env["cobranza.run"].create({"company_id": self.company.id})
        Run = self.env["cobranza.run"]
        with trap_jobs() as trap:
            run.action_preview()
            self.assertEqual(run.state, "previewing")
            self.assertTrue(run.preview_by_jobs)
            trap.assert_jobs_count(3, only=run._cobranza_job_preview_range)
            trap.assert_jobs_count(1, only=run._cobranza_job_preview_finish)
            self.assertEqual(
                {job.channel for job in trap.enqueued_jobs}, {"root.cobranza"}
            )
            # the cron leaves a run prepared by jobs alone
            Run._cron_cobranza_preview()
            self.assertFalse(run.action_ids)
            trap.perform_enqueued_jobs()
        self.env.invalidate_all()
        self.assertEqual(run.state, "preview")
        self.assertEqual(run.action_ids.partner_id, self.customers)

    def test_a_range_job_run_twice_plans_once(self):
        run = self.env["cobranza.run"].create({"company_id": self.company.id})
        with trap_jobs():
            run.action_preview()
        first, last = run.preview_ranges[0]
        self.assertTrue(run._cobranza_job_preview_range(first, last))
        count = len(run.action_ids)
        self.assertFalse(run._cobranza_job_preview_range(first, last))
        run.invalidate_recordset()
        self.assertEqual(len(run.action_ids), count)
