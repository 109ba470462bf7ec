"""The preview of a large book, prepared in committed ranges of customers."""

from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import TODAY, CobranzaCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestPreviewChunks(CobranzaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.customer
        for i in range(4):
            cls.customers |= cls.customer.copy(
                {"name": f"Cliente {i}", "email": f"c{i}@example.com"}
            )
        for n, partner in enumerate(cls.customers):
            for days in (6, 25 + n):
                cls.invoice(partner, 100 + n, TODAY - timedelta(days=days))

    def set_limits(self, inline, chunk):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("cobranza.preview_inline_invoices", inline)
        params.set_param("cobranza.preview_chunk_invoices", chunk)

    def proposals(self, run):
        return sorted(
            (a.partner_id.id, a.level_id.id, tuple(sorted(a.invoice_ids.ids)))
            for a in run.action_ids
        )

    def prepare(self, max_calls=50):
        Run = self.env["cobranza.run"]
        for _i in range(max_calls):
            if not Run.search_count([("state", "=", "previewing")]):
                return
            Run._cron_cobranza_preview()
        self.fail("the preview did not finish")

    def test_large_book_previewed_in_ranges_gives_the_same_actions(self):
        inline = self.env["cobranza.run"].create({"company_id": self.company.id})
        inline.action_preview()
        self.assertEqual(inline.state, "preview")
        expected = self.proposals(inline)
        self.assertEqual(len(expected), len(self.customers))
        inline.action_cancel()

        self.set_limits(inline=3, chunk=4)  # 10 open invoices, 2 per customer
        run = self.env["cobranza.run"].create({"company_id": self.company.id})
        run.action_preview()
        self.assertEqual(run.state, "previewing")
        self.assertEqual(run.preview_range_count, 3, "ranges of about 4 invoices")
        self.assertFalse(run.action_ids, "nothing planned in the request")
        Run = self.env["cobranza.run"]
        Run._cron_cobranza_preview()
        self.assertEqual(run.state, "previewing")
        self.assertTrue(run.action_ids, "the first range is planned")
        self.assertAlmostEqual(run.preview_progress, 100.0 / 3, places=2)
        self.prepare()
        self.assertEqual(run.state, "preview")
        self.assertEqual(self.proposals(run), expected)

    def test_ranges_respect_what_waits_in_another_run(self):
        """A customer with a follow-up waiting in another run is not proposed
        again, whichever range it falls in; the others are."""
        earlier = self.env["cobranza.run"].create({"company_id": self.company.id})
        earlier.action_preview()
        waiting = earlier.action_ids.filtered(
            lambda a: a.partner_id in self.customers[-2:]
        )
        (earlier.action_ids - waiting).unlink()
        self.assertEqual(len(waiting), 2)

        self.set_limits(inline=3, chunk=4)
        run = self.env["cobranza.run"].create({"company_id": self.company.id})
        run.action_preview()
        self.assertEqual(run.preview_range_count, 3)
        self.prepare()
        self.assertEqual(run.action_ids.partner_id, self.customers - waiting.partner_id)
        self.assertFalse(run.action_ids.invoice_ids & waiting.invoice_ids)

    def test_a_range_that_raises_keeps_nothing_and_is_tried_again(self):
        self.set_limits(inline=3, chunk=2)
        run = self.env["cobranza.run"].create({"company_id": self.company.id})
        run.action_preview()
        Run = self.env["cobranza.run"]
        Run._cron_cobranza_preview()
        ranges_before = list(run.preview_ranges)
        planned_before = len(run.action_ids)
        original = type(Run)._create_actions

        def half_then_die(self_, vals_list):
            original(self_, vals_list)
            raise RuntimeError("worker killed")

        with patch.object(type(Run), "_create_actions", half_then_die):
            with self.assertRaises(RuntimeError), self.env.cr.savepoint():
                Run._cron_cobranza_preview()
        run.invalidate_recordset()
        self.assertEqual(run.preview_ranges, ranges_before)
        self.assertEqual(len(run.action_ids), planned_before)
        self.prepare()
        self.assertEqual(run.state, "preview")
        partners = run.action_ids.partner_id
        self.assertEqual(len(run.action_ids), len(partners), "one action each")
        self.assertEqual(partners, self.customers)

    def test_the_daily_schedule_sends_when_the_preview_is_ready(self):
        self.set_limits(inline=3, chunk=4)
        for _company in self.env["res.company"].search([]):
            self.env["cobranza.run"]._cron_run_followup()
        run = self.env["cobranza.run"].search(
            [("trigger", "=", "cron"), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(run.state, "previewing")
        self.assertTrue(run.send_after_preview)
        self.prepare()
        self.assertEqual(run.state, "sending")
        self.deliver()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.action_ids.partner_id, self.customers)

    def test_a_client_cannot_drive_the_preview(self):
        self.set_limits(inline=3, chunk=4)
        run = self.env["cobranza.run"].create({"company_id": self.company.id})
        run.action_preview()
        as_collector = run.with_user(self.collector)
        for vals in (
            {"preview_ranges": []},
            {"state": "preview"},
            {"send_after_preview": True},
        ):
            with self.assertRaises(AccessError):
                as_collector.with_context(cobranza_internal=True).write(vals)
