import re
from datetime import date, timedelta
from html import unescape

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.account_payment.tests.common import AccountPaymentCommon
from odoo.addons.payment.tests.http_common import PaymentHttpCommon

from .test_payment_plan import PaymentPlanCommon


@tagged("post_install", "-at_install")
class TestPlanPortal(PaymentPlanCommon, AccountPaymentCommon, PaymentHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        portal = cls.env.ref("base.group_portal")
        cls.portal_user = cls.env["res.users"].create(
            {
                "name": "Customer portal",
                "login": "cb_portal_customer",
                "password": "cb_portal_customer",
                "partner_id": cls.customer.id,
                "groups_id": [Command.set(portal.ids)],
            }
        )
        cls.other_portal_user = cls.env["res.users"].create(
            {
                "name": "Other portal",
                "login": "cb_portal_other",
                "password": "cb_portal_other",
                "partner_id": cls.partner_b.id,
                "groups_id": [Command.set(portal.ids)],
            }
        )

    def _active_plan(self):
        plan = self._plan(
            installment_count=4, first_date=date.today() + timedelta(days=30)
        )
        plan.action_approve()
        return plan

    def test_portal_lists_plans_and_pays_the_next_installment(self):
        plan = self._active_plan()
        draft = self._plan(
            installment_count=2,
            invoice_ids=[Command.set(self._invoice(80.0, date(2026, 1, 10)).ids)],
            first_date=date.today() + timedelta(days=30),
        )
        self.authenticate("cb_portal_customer", "cb_portal_customer")

        home = self.url_open("/my/home")
        self.assertEqual(home.status_code, 200)
        self.assertIn("/my/payment_plans", home.text)

        listing = self.url_open("/my/payment_plans")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(plan.name, listing.text)
        self.assertNotIn(draft.name, listing.text)

        page = self.url_open(f"/my/payment_plans/{plan.id}")
        self.assertEqual(page.status_code, 200)
        self.assertEqual(page.text.count("o_line_state_pending"), 4)
        button = re.search(r"<a[^>]*o_plan_pay_next[^>]*>", page.text)
        self.assertTrue(button, "the page offers to pay the next installment")
        pay_url = unescape(re.search(r'href="([^"]*)"', button.group(0)).group(1))
        self.assertIn(f"/my/invoices/{self.inv_600.id}", pay_url)
        self.assertIn("amount=250.0", pay_url)
        invoice_page = self.url_open(pay_url)
        self.assertEqual(invoice_page.status_code, 200)
        self.assertIn(self.inv_600.name, invoice_page.text)

        # Pay through Odoo's payment flow for the invoice, with the test provider.
        with mute_logger("odoo.addons.payment.models.payment_transaction"):
            processing_values = self._get_processing_values(
                tx_route=f"/invoice/transaction/{self.inv_600.id}",
                provider_id=self.provider.id,
                payment_method_id=self.payment_method_id,
                token_id=None,
                amount=250.0,
                flow="direct",
                tokenization_requested=False,
                landing_route=plan.get_portal_url(),
                access_token=self.inv_600._portal_ensure_token(),
            )
        tx = self._get_tx(processing_values["reference"])
        self.assertEqual(tx.amount, 250.0)
        tx._set_done()
        tx._post_process()
        self.assertEqual(self.inv_600.amount_residual, 350.0)
        self.assertEqual(plan.line_ids.sorted("due_date")[0].state, "paid")
        self.assertEqual(plan.amount_paid, 250.0)

        page = self.url_open(f"/my/payment_plans/{plan.id}")
        self.assertEqual(page.text.count("o_line_state_paid"), 1)
        self.assertEqual(page.text.count("o_line_state_pending"), 3)

    def test_portal_agreement_pdf_and_access(self):
        plan = self._active_plan()
        self.authenticate("cb_portal_customer", "cb_portal_customer")
        report = self.url_open(f"/my/payment_plans/{plan.id}?report_type=html")
        self.assertEqual(report.status_code, 200)
        self.assertIn(plan.name, report.text)

        # Another customer sees neither the plan nor its agreement.
        self.authenticate("cb_portal_other", "cb_portal_other")
        listing = self.url_open("/my/payment_plans")
        self.assertNotIn(plan.name, listing.text)
        other = self.url_open(f"/my/payment_plans/{plan.id}", allow_redirects=False)
        self.assertEqual(other.status_code, 303)
        # ... unless they have the link sent by email, with its token.
        shared = self.url_open(plan.get_portal_url())
        self.assertEqual(shared.status_code, 200)
        self.assertIn(plan.name, shared.text)
