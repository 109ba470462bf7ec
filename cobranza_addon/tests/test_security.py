from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import TODAY, CobranzaCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestSecurity(CobranzaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="credit_manager",
            groups="base.group_user,cobranza_addon.cobranza_group_manager",
            company_id=cls.company.id,
        )
        cls.billing = new_test_user(
            cls.env,
            login="billing_only",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.company.id,
        )

    def test_user_reads_but_cannot_edit_policies(self):
        policy = self.policy.with_user(self.collector)
        self.assertEqual(policy.level_ids, self.policy.level_ids)
        with self.assertRaises(AccessError):
            policy.name = "Mine now"
        with self.assertRaises(AccessError):
            self.level_friendly.with_user(self.collector).offset_days = 9
        with self.assertRaises(AccessError):
            self.stage_current.with_user(self.manager).name = "Renamed"

    def test_only_a_manager_excludes_invoices(self):
        invoice = self.invoice(self.customer, 100, TODAY - timedelta(days=6))
        with self.assertRaisesRegex(AccessError, "Collections manager"):
            invoice.with_user(self.collector).cobranza_excluded = True
        invoice.with_user(self.manager).cobranza_excluded = True
        self.assertTrue(invoice.cobranza_excluded)

    def test_billing_user_without_collections_cannot_run(self):
        with self.assertRaises(AccessError):
            self.env["cobranza.run"].with_user(self.billing).create({})
        invoice = self.invoice(self.customer, 100, TODAY - timedelta(days=6))
        # but the invoice form still reads its collection stage
        self.assertEqual(
            invoice.with_user(self.billing).cobranza_stage_id, self.stage_current
        )

    def test_sent_history_cannot_be_deleted(self):
        self.invoice(self.customer, 100, TODAY - timedelta(days=6))
        run = self.run_followup()
        with self.assertRaises(AccessError):
            run.action_ids.with_user(self.collector).unlink()
        with self.assertRaisesRegex(Exception, "history"):
            run.action_ids.with_user(self.manager).unlink()

    def test_other_company_is_invisible(self):
        other = self.setup_other_company(name="Cobros Sur SA")["company"]
        partner = self.env["res.partner"].create(
            {"name": "Cliente Sur", "email": "sur@example.com"}
        )
        policy_b = self.policy.copy({"company_id": other.id, "name": "Policy B"})
        other.cobranza_policy_id = policy_b
        invoice_b = self.init_invoice(
            "out_invoice",
            partner=partner,
            invoice_date=TODAY - timedelta(days=10),
            amounts=[100],
            taxes=[],
            company=other,
        )
        invoice_b.invoice_payment_term_id = False
        invoice_b.invoice_date_due = TODAY - timedelta(days=6)
        invoice_b.action_post()
        run_b = (
            self.env["cobranza.run"]
            .with_company(other)
            .create({"company_id": other.id})
        )
        run_b.action_preview()
        self.assertEqual(run_b.action_ids.invoice_ids, invoice_b)
        # A collector of company A sees none of it.
        as_collector = self.env(user=self.collector)
        self.assertFalse(as_collector["cobranza.run"].search([("id", "=", run_b.id)]))
        self.assertFalse(
            as_collector["cobranza.action"].search([("id", "in", run_b.action_ids.ids)])
        )
        self.assertFalse(
            as_collector["account.move"].search([("id", "=", invoice_b.id)])
        )
        self.assertFalse(
            as_collector["cobranza.policy"].search([("id", "=", policy_b.id)])
        )
        # And company A's run does not touch company B's invoices.
        run_a = self.run_followup(send=False)
        self.assertNotIn(invoice_b, run_a.action_ids.invoice_ids)
