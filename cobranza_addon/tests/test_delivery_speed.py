"""What the delivery's shortcuts must not change."""

from datetime import timedelta

from ..models.cobranza_authority import RUN, granted
from .common import TODAY, CobranzaCommon


class TestDeliveryShortcuts(CobranzaCommon):
    def test_batch_rendering_equals_odoo_record_by_record(self):
        """One QWeb compilation for a batch gives what Odoo gives one by one."""
        second = self.customer.copy({"name": "Señora Núñez", "email": "n@example.com"})
        for partner in (self.customer, second):
            self.invoice(partner, 150, TODAY - timedelta(days=20))
        run = self.env["cobranza.run"].create({"company_id": self.company.id})
        run.action_preview()
        actions = run.action_ids
        self.assertEqual(len(actions), 2)
        template = self.tmpl_friendly
        batch = template._render_field("body_html", actions.ids)
        one_by_one = {}
        for action in actions:
            one_by_one.update(template._render_field("body_html", action.ids))
        self.assertEqual(batch, one_by_one)
        self.assertIn(
            "Núñez", batch[actions.filtered(lambda a: a.partner_id == second).id]
        )

    def test_the_runs_invoice_write_keeps_the_journal_items(self):
        """The run writes collection fields without resynchronising the
        invoice's journal items nor marking it manually modified."""
        invoice = self.invoice(self.customer, 120, TODAY - timedelta(days=6))
        run = self.env["cobranza.run"].create({"company_id": self.company.id})
        run.action_preview()
        run.action_send()
        self.deliver()
        self.assertTrue(invoice.cobranza_level_id, "the run wrote the level")
        invoice.is_manually_modified = False
        lines_before = invoice.line_ids.read(["balance", "account_id", "name"])
        with granted(RUN):
            invoice._cobranza_run_write(
                {"cobranza_last_date": TODAY, "cobranza_stage_id": self.stage_extra.id}
            )
        self.assertEqual(invoice.cobranza_stage_id, self.stage_extra)
        self.assertFalse(invoice.is_manually_modified)
        self.assertEqual(
            invoice.line_ids.read(["balance", "account_id", "name"]), lines_before
        )
        # a client's context key does not skip Odoo's synchronisation
        invoice.with_context(cobranza_fields_only=True).write({"ref": "x"})
        self.assertTrue(invoice.is_manually_modified)
