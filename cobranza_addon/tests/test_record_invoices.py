"""One rule for the invoices a collection record may hold.

Payment plans, promises, certified letters, credit-bureau reports and cases
all take a customer's posted customer invoices only
(``account.move._cobranza_not_of``); a collector creating one over RPC with
another customer's invoice, or a draft, is refused whatever the context.
"""

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import TODAY, CobranzaCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestRecordInvoices(CobranzaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.country_id = cls.env.ref("base.co")
        cls.other = cls.env["res.partner"].create(
            {"name": "Otra Empresa S.A.S.", "is_company": True}
        )
        cls.own = cls.invoice(cls.customer, 300, TODAY - timedelta(days=40))
        cls.foreign = cls.invoice(cls.other, 200, TODAY - timedelta(days=40))
        cls.draft = cls.invoice(
            cls.customer, 100, TODAY - timedelta(days=40), post=False
        )
        cls.manager = new_test_user(
            cls.env,
            login="manager_invoices",
            groups="base.group_user,cobranza_addon.cobranza_group_manager",
            company_id=cls.company.id,
        )
        cls.agency = cls.env["res.partner"].create(
            {"name": "Recuperaciones del Norte", "is_company": True}
        )

    def test_the_rule(self):
        moves = self.own | self.foreign | self.draft
        self.assertEqual(
            moves._cobranza_not_of(self.customer), self.foreign | self.draft
        )
        self.assertEqual(
            moves._cobranza_not_of(self.customer, posted=False), self.foreign
        )
        other_currency = self.env.ref("base.EUR")
        self.assertEqual(
            self.own._cobranza_not_of(self.customer, currency=other_currency),
            self.own,
        )

    def _vals(self, model, invoices):
        vals = {
            "partner_id": self.customer.id,
            "invoice_ids": [Command.set(invoices.ids)],
        }
        vals.update(
            {
                "cobranza.payment.plan": {
                    "installment_count": 2,
                    "frequency": "monthly",
                    "first_date": TODAY + timedelta(days=30),
                },
                "cobranza.promise": {
                    "amount": 100.0,
                    "promise_date": TODAY + timedelta(days=5),
                },
                "cobranza.certified.letter": {"purpose": "demand"},
                "cobranza.bureau.report": {"bureau": "datacredito"},
                "cobranza.case": {
                    "party_id": self.agency.id,
                    "commission_percent": 10.0,
                },
            }[model]
        )
        return vals

    def test_each_record_refuses_another_customers_invoice_over_rpc(self):
        context = {"cobranza_stage_by": "run", "active_test": False}
        for model in (
            "cobranza.payment.plan",
            "cobranza.promise",
            "cobranza.certified.letter",
            "cobranza.bureau.report",
            "cobranza.case",
        ):
            with self.subTest(model=model):
                # a case is a manager's; the others a collector's
                user = self.manager if model == "cobranza.case" else self.collector
                Model = self.env[model].with_user(user).with_context(**context)
                with self.assertRaises(UserError) as caught:
                    Model.create(self._vals(model, self.own | self.foreign))
                self.assertIsInstance(caught.exception, ValidationError)
                self.assertIn(self.foreign.name, str(caught.exception))
                # and by writing the invoices of a valid record
                record = self.env[model].create(self._vals(model, self.own))
                with self.assertRaises(UserError):
                    record.with_user(user).with_context(**context).write(
                        {"invoice_ids": [Command.link(self.foreign.id)]}
                    )
                self.assertEqual(record.invoice_ids, self.own)
