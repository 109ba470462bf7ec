from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import TODAY, CobranzaCommon


class CaseCommon(CobranzaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agency = cls.env["res.partner"].create(
            {"name": "Recuperaciones del Norte", "is_company": True}
        )
        cls.manager = new_test_user(
            cls.env,
            login="case_manager",
            name="Marta Manager",
            groups="base.group_user,account.group_account_invoice,"
            "cobranza_addon.cobranza_group_manager",
            company_id=cls.company.id,
        )

    def open_case(self, invoices, **vals):
        return self.env["cobranza.case"].create(
            {
                "partner_id": invoices.commercial_partner_id.id,
                "invoice_ids": [Command.set(invoices.ids)],
                "party_id": self.agency.id,
                **vals,
            }
        )

    def add_costs(self, case, *costs):
        case.write(
            {
                "cost_ids": [
                    Command.create(
                        {
                            "name": name,
                            "amount": amount,
                            "chargeable": chargeable,
                            "documented": documented,
                        }
                    )
                    for name, amount, chargeable, documented in costs
                ]
            }
        )
        return case.cost_ids.filtered(lambda c: c.name in {n for n, *_r in costs})


@tagged("post_install", "-at_install")
class TestCaseCosts(CaseCommon):
    def test_chargeable_costs_are_invoiced_once(self):
        invoice = self.invoice(self.customer, 1000, TODAY - timedelta(days=60))
        case = self.open_case(invoice)
        court, lawyer, stamp = self.add_costs(
            case,
            ("Court fee", 120.0, True, True),
            ("Lawyer's hours", 300.0, False, True),
            ("Stamp duty", 30.0, True, True),
        )
        self.assertTrue(case.cost_to_invoice)
        case.with_user(self.manager).action_invoice_costs()
        move = court.move_id
        self.assertTrue(move)
        self.assertEqual(stamp.move_id, move)
        self.assertFalse(lawyer.move_id, "not chargeable: the company bears it")
        self.assertEqual(move.partner_id, self.customer)
        self.assertEqual(move.move_type, "out_invoice")
        self.assertEqual(move.state, "draft", "the accountant posts it")
        self.assertEqual(move.amount_total, 150)
        self.assertEqual(court.move_line_id.price_unit, 120)
        self.assertIn(case.name, court.move_line_id.name)
        self.assertEqual(case.cost_move_ids, move)
        self.assertFalse(case.cost_to_invoice)
        # A second call invoices nothing new.
        moves = self.env["account.move"].search_count(
            [("move_type", "=", "out_invoice")]
        )
        with self.assertRaisesRegex(UserError, "no chargeable cost"):
            case.action_invoice_costs()
        self.assertEqual(
            self.env["account.move"].search_count([("move_type", "=", "out_invoice")]),
            moves,
        )
        # A later cost goes on a new invoice, alone.
        (bailiff,) = self.add_costs(case, ("Bailiff", 45.0, True, True))
        case.action_invoice_costs()
        self.assertNotEqual(bailiff.move_id, move)
        self.assertEqual(bailiff.move_id.amount_total, 45)
        # Deleting the draft invoice makes its costs chargeable again.
        bailiff.move_id.unlink()
        self.assertFalse(bailiff.move_id)
        self.assertTrue(case.cost_to_invoice)

    def test_only_managers_invoice_costs_and_invoiced_costs_are_frozen(self):
        invoice = self.invoice(self.customer, 1000, TODAY - timedelta(days=60))
        case = self.open_case(invoice)
        cost, other = self.add_costs(
            case, ("Court fee", 120.0, True, True), ("Notary", 20.0, True, True)
        )
        contexts = ({}, {"cobranza_system": True, "install_mode": True}, {"su": True})
        for context in contexts:
            with self.assertRaises(AccessError):
                case.with_user(self.collector).with_context(
                    **context
                ).action_invoice_costs()
        self.assertFalse(cost.move_id)
        # Nobody links a cost to an invoice by hand, not even a manager.
        fake = self.invoice(self.customer, 5, TODAY)
        with self.assertRaises(UserError):
            other.with_user(self.manager).write({"move_id": fake.id})
        case.action_invoice_costs()
        move = cost.move_id
        for context in contexts:
            as_collector = cost.with_user(self.collector).with_context(**context)
            for vals in ({"move_id": False}, {"amount": 1.0}, {"chargeable": False}):
                with self.assertRaises(AccessError):
                    as_collector.write(vals)
            with self.assertRaises(AccessError):
                as_collector.unlink()
            with self.assertRaises(AccessError):
                self.env["cobranza.case.cost"].with_user(self.collector).with_context(
                    **context
                ).create(
                    {
                        "case_id": case.id,
                        "name": "x",
                        "amount": 1.0,
                        "move_id": move.id,
                    }
                )
        # A manager corrects the invoice, not the cost.
        with self.assertRaisesRegex(UserError, "invoiced cost cannot change"):
            cost.with_user(self.manager).write({"amount": 1.0})
        with self.assertRaises(UserError):
            cost.with_user(self.manager).unlink()
        self.assertEqual((cost.amount, cost.move_id), (120.0, move))

    def test_a_fee_rule_refuses_an_undocumented_cost(self):
        # AR-FEES: only documented costs may be charged (creditor sector
        # unknown: the rule applies).
        debtor = self.env["res.partner"].create(
            {
                "name": "Lucía Fernández",
                "country_id": self.env.ref("base.ar").id,
                "email": "lucia@example.com.ar",
            }
        )
        self.assertEqual(debtor.cobranza_jurisdiction, "AR")
        invoice = self.invoice(debtor, 800, TODAY - timedelta(days=90))
        case = self.open_case(invoice)
        documented, undocumented = self.add_costs(
            case,
            ("Court fee (receipt)", 80.0, True, True),
            ("Collection work", 50.0, True, False),
        )
        case.action_invoice_costs()
        self.assertTrue(documented.move_id)
        self.assertFalse(undocumented.move_id, "the rule refused it")
        self.assertIn("AR-FEES", undocumented.fee_refusal)
        self.assertIn("documented collection work", undocumented.fee_refusal)
        self.assertFalse(documented.fee_refusal)
        # Refused again on the next call: nothing is invoiced, the reason shows.
        result = case.action_invoice_costs()
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn("AR-FEES", result["params"]["message"])
        self.assertFalse(undocumented.move_id)
        # Once documented, it may be charged.
        undocumented.documented = True
        case.action_invoice_costs()
        self.assertTrue(undocumented.move_id)
        self.assertFalse(undocumented.fee_refusal)
