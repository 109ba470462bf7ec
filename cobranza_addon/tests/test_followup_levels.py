from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import TODAY, CobranzaCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestFollowupLevels(CobranzaCommon):
    def _proposed_level(self, run, invoice):
        actions = run.action_ids.filtered(lambda a: invoice in a.invoice_ids)
        self.assertLessEqual(len(actions), 1)
        # The level this invoice reaches (empty: listed in the message only).
        return actions.line_ids.filtered(lambda ln: ln.move_id == invoice).level_id

    def test_posted_invoice_enters_collection_in_current_stage(self):
        invoice = self.invoice(self.customer, 100, TODAY + timedelta(days=30))
        self.assertTrue(invoice.cobranza_in_collection)
        self.assertEqual(invoice.cobranza_stage_id, self.stage_current)
        self.assertEqual(invoice.cobranza_collector_id, self.collector)
        draft = self.invoice(self.customer, 100, TODAY, post=False)
        self.assertFalse(draft.cobranza_in_collection)
        self.assertFalse(draft.cobranza_stage_id)

    def test_negative_offset_gives_pre_due_reminder(self):
        soon = self.invoice(self.customer, 100, TODAY + timedelta(days=2))
        later = self.invoice(self.customer, 100, TODAY + timedelta(days=10))
        run = self.run_followup(send=False)
        self.assertEqual(self._proposed_level(run, soon), self.level_pre)
        self.assertFalse(self._proposed_level(run, later))

    def test_highest_reached_level_is_chosen_once(self):
        old = self.invoice(self.customer, 100, TODAY - timedelta(days=25))
        run = self.run_followup()
        self.assertEqual(old.cobranza_level_id, self.level_call)
        self.assertEqual(old.cobranza_stage_id, self.stage_admin)
        self.assertEqual(old.cobranza_last_date, TODAY)
        self.assertEqual(old.cobranza_next_date, old.invoice_date_due + timedelta(45))
        self.assertEqual(run.action_ids.level_id, self.level_call)
        with freeze_time(TODAY + timedelta(days=1)):
            again = self.run_followup(send=False)
        self.assertFalse(again.action_ids, "a level is never sent twice")

    def test_partial_payment_keeps_residual_in_follow_up(self):
        invoice = self.invoice(self.customer, 1000, TODAY - timedelta(days=6))
        self.pay(invoice, 400)
        self.assertEqual(invoice.payment_state, "partial")
        run = self.run_followup(send=False)
        action = run.action_ids
        self.assertEqual(action.level_id, self.level_friendly)
        self.assertAlmostEqual(action.amount_due, 600)

    def test_paid_invoice_leaves_collection(self):
        invoice = self.invoice(self.customer, 300, TODAY - timedelta(days=6))
        self.run_followup()
        self.assertEqual(invoice.cobranza_stage_id, self.stage_admin)
        self.pay(invoice, 300)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertFalse(invoice.cobranza_in_collection)
        self.assertFalse(invoice.cobranza_stage_id)
        self.assertFalse(self.run_followup(send=False).action_ids)

    def test_credit_note_reduces_and_clears_the_debt(self):
        invoice = self.invoice(self.customer, 500, TODAY - timedelta(days=6))
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "returned"})
        )
        reversal.refund_moves()
        credit_note = self.env["account.move"].search(
            [("reversed_entry_id", "=", invoice.id)]
        )
        credit_note.invoice_line_ids.price_unit = 200
        credit_note.action_post()
        if invoice.amount_residual == 500:
            lines = (invoice + credit_note).line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            )
            lines.reconcile()
        self.assertAlmostEqual(invoice.amount_residual, 300)
        self.assertFalse(credit_note.cobranza_in_collection)
        run = self.run_followup(send=False)
        self.assertAlmostEqual(run.action_ids.amount_due, 300)
        self.assertEqual(run.action_ids.invoice_ids, invoice)

    def test_multi_currency_uses_company_currency_totals(self):
        other = self.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        invoice = self.invoice(
            self.customer, 100, TODAY - timedelta(days=6), currency=other
        )
        self.assertAlmostEqual(invoice.amount_residual, 100)
        run = self.run_followup(send=False)
        self.assertEqual(run.action_ids.level_id, self.level_friendly)
        self.assertAlmostEqual(run.action_ids.amount_due, 50)

    def test_disputed_and_excluded_invoices_are_skipped(self):
        disputed = self.invoice(self.customer, 100, TODAY - timedelta(days=6))
        excluded = self.invoice(self.customer, 100, TODAY - timedelta(days=6))
        followed = self.invoice(self.customer, 100, TODAY - timedelta(days=6))
        wizard = (
            self.env["cobranza.dispute.wizard"]
            .with_context(active_ids=disputed.ids)
            .create({"reason": "Goods arrived damaged"})
        )
        wizard.action_confirm()
        excluded.cobranza_excluded = True
        self.assertTrue(disputed.cobranza_dispute)
        self.assertIn("damaged", disputed.message_ids[0].body)
        run = self.run_followup(send=False)
        self.assertEqual(run.action_ids.invoice_ids, followed)
        disputed.action_cobranza_resolve_dispute()
        run.action_cancel()
        self.assertIn(disputed, self.run_followup(send=False).action_ids.invoice_ids)

    def test_invoices_grouped_per_partner(self):
        first = self.invoice(self.customer, 100, TODAY - timedelta(days=6))
        second = self.invoice(self.customer, 250, TODAY - timedelta(days=8))
        third = self.invoice(self.customer, 70, TODAY - timedelta(days=50))
        run = self.run_followup(send=False)
        self.assertEqual(len(run.action_ids), 1, "one message per customer")
        action = run.action_ids
        self.assertEqual(action.level_id, self.level_formal)
        self.assertEqual(action.invoice_ids, first + second + third)
        self.assertAlmostEqual(action.amount_due, 420)
        self.assertAlmostEqual(action.fee_amount, 15)

    def test_stage_moved_by_hand_is_tracked(self):
        invoice = self.invoice(self.customer, 100, TODAY - timedelta(days=6))
        self.env.flush_all()
        self.env.cr.precommit.run()  # as if the invoice was posted yesterday
        invoice.cobranza_stage_id = self.stage_extra
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        tracked = invoice.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "cobranza_stage_id"
        )
        self.assertTrue(tracked)
        self.assertEqual(tracked[0].new_value_char, self.stage_extra.name)

    def test_kanban_shows_every_stage(self):
        self.invoice(self.customer, 100, TODAY - timedelta(days=6))
        groups = self.env["account.move"].web_read_group(
            [("cobranza_in_collection", "=", True)],
            ["cobranza_stage_id"],
            ["cobranza_stage_id"],
        )["groups"]
        stage_ids = {
            g["cobranza_stage_id"][0] for g in groups if g["cobranza_stage_id"]
        }
        self.assertIn(self.stage_extra.id, stage_ids, "empty stages show as columns")

    def test_days_overdue_refreshed_daily(self):
        invoice = self.invoice(self.customer, 100, TODAY - timedelta(days=6))
        self.assertEqual(invoice.cobranza_days_overdue, 6)
        with freeze_time(TODAY + timedelta(days=10)):
            self.env["account.move"]._cobranza_refresh_days_overdue()
            self.assertEqual(invoice.cobranza_days_overdue, 16)
            found = self.env["account.move"].search(
                [("cobranza_days_overdue", ">=", 16), ("id", "=", invoice.id)]
            )
            self.assertEqual(found, invoice)
