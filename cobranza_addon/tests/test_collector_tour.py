from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import CobranzaCommon


@tagged("post_install", "-at_install")
class TestCollectorTour(CobranzaCommon, HttpCase):
    def test_collector_follows_an_overdue_invoice_to_a_sent_reminder(self):
        """In the browser: the overdue list, the invoice, a run, a reminder."""
        today = fields.Date.today()
        partner = self.env["res.partner"].create(
            {"name": "Tour Customer SA", "email": "tour@example.com"}
        )
        partner.with_company(self.company).cobranza_collector_id = self.collector
        invoice = self.invoice(
            partner, 480, today - timedelta(days=10), invoice_date=today - timedelta(40)
        )
        self.collector.company_ids = self.company
        # posting committed before the run (its own tracking message)
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.start_tour(
            "/odoo/action-cobranza_addon.cobranza_invoice_action",
            "cobranza_collector_tour",
            login=self.collector.login,
        )
        run = self.env["cobranza.run"].search([], order="id desc", limit=1)
        self.assertEqual(run.state, "sending", "Send returned at once")
        self.deliver()
        self.assertEqual(run.state, "done")
        # The chunk's commit writes the tracking (here: the test transaction).
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.assertEqual(invoice.cobranza_level_id, self.level_friendly)
        mails = self.env["mail.mail"].search([("recipient_ids", "in", partner.ids)])
        self.assertEqual(len(mails), 1)
        self.assertIn(invoice.name, mails.body_html)
        bodies = " ".join(invoice.message_ids.mapped("body"))
        self.assertIn("Follow-up level <b>Friendly</b> sent", bodies)
        stage_changes = invoice.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "cobranza_stage_id"
        )
        # the run's change rides on its note: one message, level and stage
        run_note = invoice.message_ids.filtered(
            lambda m: "Follow-up level <b>Friendly</b> sent" in m.body
        )
        self.assertEqual(
            run_note.tracking_value_ids.filtered(
                lambda t: t.field_id.name == "cobranza_stage_id"
            ).new_value_char,
            self.stage_admin.name,
        )
        self.assertIn(self.stage_admin.name, stage_changes.mapped("new_value_char"))
