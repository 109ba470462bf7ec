import time
from contextlib import contextmanager
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CobranzaCommon
from .test_payment_plan import TODAY, PaymentPlanCommon


@tagged("post_install", "-at_install")
class TestAuthorityPlanBounds(PaymentPlanCommon):
    @freeze_time(TODAY)
    def test_installments_between_1_and_the_setting(self):
        started = time.monotonic()
        for count, error in (
            (20_000, "between 1 and 120"),
            (121, "between 1 and 120"),
            (0, "at least one installment"),
            (-3, "at least one installment"),
        ):
            with self.subTest(count=count):
                with self.assertRefused(ValidationError, error):
                    self._plan(user=self.collector, installment_count=count)
        self.assertLess(time.monotonic() - started, 10)
        self.assertFalse(self.Plan.search([]))
        self.company.cobranza_plan_max_installments = 24
        with self.assertRefused(ValidationError, "between 1 and 24"):
            self._plan(user=self.collector, installment_count=25)
        plan = self._plan(user=self.collector, installment_count=24)
        self.assertEqual(len(plan.line_ids), 24)
        with self.assertRaises(ValidationError):
            self.company.cobranza_plan_max_installments = 500
        for vals in (
            {"cobranza_plan_max_rate": "abc"},
            {"cobranza_plan_max_rate": float("inf")},
            {"cobranza_promise_max_days": 0},
            {"cobranza_promise_grace_days": 10_000},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                self.company.write(vals)

    @freeze_time(TODAY)
    def test_interest_rate_capped_by_setting_or_legal_maximum(self):
        with self.assertRefused(ValidationError, "company setting"):
            self._plan(user=self.collector, annual_rate=1_000_000)
        self.company.cobranza_plan_max_rate = 12.0
        with self.assertRefused(ValidationError, "maximum of 12.0"):
            self._plan(user=self.collector, annual_rate=12.5)
        self.assertTrue(self._plan(user=self.collector, annual_rate=12.0))
        # A rule pack of the customer's jurisdiction gives the legal maximum.
        self.customer.country_id = self.env.ref("base.co")
        pack = self.env["cobranza.rule.pack"].create(
            {"name": "Usura", "jurisdiction": "CO", "company_id": self.company.id}
        )
        self.env["cobranza.rule"].create(
            {
                "pack_id": pack.id,
                "rule_code": "CO-USURY-TEST",
                "jurisdiction": "CO",
                "kind": "statutory_interest",
                "severity": "block",
                "company_id": self.company.id,
                "params": '{"max_annual_rate": "0.08"}',
            }
        )
        with self.assertRefused(ValidationError, "CO-USURY-TEST"):
            self._plan(user=self.collector, annual_rate=10.0)
        self.assertTrue(self._plan(user=self.collector, annual_rate=8.0))

    @freeze_time(TODAY)
    def test_amounts_are_finite_and_not_negative(self):
        for vals in (
            {"down_payment": float("inf")},
            {"down_payment": -1.0},
            {"reduction_type": "percent", "reduction_percent": float("nan")},
            {"annual_rate": "ten"},
            {"first_date": "9999-12-31"},
            {"first_date": "garbage"},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                self._plan(user=self.collector, **vals)
        self.assertFalse(self.Plan.search([]))


@tagged("post_install", "-at_install")
class TestAuthorityLevelBounds(CobranzaCommon):
    @contextmanager
    def assertRefused(self, exception, regex):
        with self.assertRaises(exception) as cm:
            yield cm
        self.assertRegex(str(cm.exception), regex)

    def test_level_offsets_within_bounds(self):
        for offset in (2_000_000_000, 30_000_000_000, -366, 3651, "soon"):
            with self.subTest(offset=offset):
                with self.assertRefused(ValidationError, "-365 and 3650"):
                    self.level_call.write({"offset_days": offset})
                with self.assertRefused(ValidationError, "-365 and 3650"):
                    self.policy.write(
                        {
                            "level_ids": [
                                Command.create({"name": "Far", "offset_days": offset})
                            ]
                        }
                    )
        self.assertEqual(self.level_call.offset_days, 20)
        self.level_call.offset_days = 3650
        self.assertEqual(self.level_call.offset_days, 3650)

    def test_level_stage_of_another_company_refused(self):
        other = self.env["res.company"].create({"name": "Otra SA"})
        self.env.user.company_ids |= other
        stage = self.env["cobranza.stage"].create(
            {"name": "Ajena", "company_id": other.id}
        )
        with self.assertRaises(UserError):
            self.level_call.stage_id = stage
        with self.assertRaises(UserError):
            self.company.cobranza_plan_break_stage_id = stage
        invoice = self.invoice(self.customer, 100, TODAY - timedelta(days=3))
        with self.assertRaises(UserError):
            invoice.cobranza_stage_id = stage


@tagged("post_install", "-at_install")
class TestAuthorityDashboard(CobranzaCommon):
    def _data(self, filters):
        return (
            self.env["cobranza.kpi.dashboard"]
            .with_user(self.manager)
            .get_dashboard_data(filters)
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="dash_manager",
            groups="base.group_user,cobranza_addon.cobranza_group_manager",
            company_id=cls.company.id,
        )

    def test_bad_filters_give_a_clear_error(self):
        for filters in (
            {"date_to": "garbage"},
            {"date_from": "99999-01-01"},
            {"company_ids": "all"},
            {"company_ids": [1, "x"]},
            {"collector_id": "abc"},
            {"segment_id": 2**40},
        ):
            with self.subTest(filters=filters), self.assertRaises(UserError):
                self._data(filters)
        with self.assertRaises(UserError):
            self.env["cobranza.kpi.dashboard"].with_user(
                self.manager
            ).action_open_invoices({}, {"partner_id": "1; drop"})

    def test_backfill_is_for_managers(self):
        Snapshot = self.env["cobranza.kpi.snapshot"]
        with self.assertRaises(AccessError):
            Snapshot.with_user(self.collector).action_backfill()
        self.assertFalse(Snapshot.search([]))
        with self.assertRaises(UserError):
            Snapshot.with_user(self.manager).action_backfill(months="all")
        Snapshot.with_user(self.manager).action_backfill(months=1)

    def test_filter_options_list_users_of_allowed_companies(self):
        other = self.env["res.company"].create({"name": "Otra SA"})
        stranger = new_test_user(
            self.env,
            login="dash_stranger",
            groups="base.group_user,cobranza_addon.cobranza_group_user",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        options = (
            self.env["cobranza.kpi.dashboard"]
            .with_user(self.manager)
            ._filter_options(True)
        )
        ids = [row["id"] for row in options["collectors"]]
        self.assertIn(self.collector.id, ids)
        self.assertNotIn(stranger.id, ids)


@tagged("post_install", "-at_install")
class TestAuthorityCollector(CobranzaCommon):
    def test_new_collector_reaches_open_invoices(self):
        open_invoice = self.invoice(self.customer, 100, TODAY - timedelta(days=3))
        paid = self.invoice(self.customer, 50, TODAY - timedelta(days=3))
        self.pay(paid, 50)
        self.assertEqual(open_invoice.cobranza_collector_id, self.collector)
        other = new_test_user(
            self.env,
            login="collector_two",
            groups="base.group_user,cobranza_addon.cobranza_group_user",
        )
        paid_before = paid.cobranza_collector_id
        self.customer.with_company(self.company).cobranza_collector_id = other
        self.assertEqual(open_invoice.cobranza_collector_id, other)
        self.assertEqual(paid.cobranza_collector_id, paid_before)
        aging = self.env["cobranza.aging.report"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(set(aging.collector_id.ids), {other.id})
