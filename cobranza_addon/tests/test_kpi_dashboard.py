"""The README's worked example, through the real models on a small book.

Period: 1 January - 31 March 2026 (90 days). By hand:

* opening receivables (31 December 2025): invoice A, 10 000;
* credit sales of the period: B 30 000 + E 10 000 (January), C 30 000
  (February), D 20 000 (March) = 90 000;
* payments: A in full and B in full in February, E 6 000 in March, C 24 000 on
  25 March; D 5 000 on 5 April (after the period: must not count);
* closing receivables (31 March): C 6 000 (due 21 March, 10 days late),
  E 4 000 (due 19 February, 40 days late), D 20 000 (not due) = 30 000, of
  which 20 000 current and 10 000 overdue.

DSO = 30 000 / 90 000 x 90 = 30; best possible DSO = 20 000 / 90 000 x 90 =
20; ADD = 10; CEI = (10 000 + 90 000 - 30 000) / (10 000 + 90 000 - 20 000)
= 87.5 %; overdue share = 10 000 / 30 000 = 33.33 %; average age =
(10 x 6 000 + 40 x 4 000 + 0 x 20 000) / 30 000 = 7.33 days; count-back DSO:
March's 20 000 of sales are covered (31 days), then 10 000 / 30 000 x 28 days
of February = 9.33: 40.33 days.
"""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

PERIOD = {"date_from": "2026-01-01", "date_to": "2026-03-31"}


@tagged("post_install", "-at_install")
class TestKpiDashboard(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company_data["company"]
        cls.company = company
        cls.env.user.groups_id |= cls.env.ref("cobranza_addon.cobranza_group_admin")
        groups = "account.group_account_invoice,cobranza_addon.cobranza_group_user"
        cls.collector = new_test_user(
            cls.env, "kpi_collector", groups=groups, company_id=company.id
        )
        cls.collector2 = new_test_user(
            cls.env, "kpi_collector2", groups=groups, company_id=company.id
        )
        cls.manager = new_test_user(
            cls.env,
            "kpi_manager",
            groups=groups + ",cobranza_addon.cobranza_group_manager",
            company_id=company.id,
        )
        cls.billing = new_test_user(
            cls.env,
            "kpi_billing",
            groups="account.group_account_invoice",
            company_id=company.id,
        )
        cls.segment = cls.env["res.partner.industry"].create({"name": "Retail"})
        cls.partner_a.industry_id = cls.segment
        cls.partner_a.with_company(company).cobranza_collector_id = cls.collector
        cls.partner_b.with_company(company).cobranza_collector_id = cls.collector2
        with freeze_time("2026-04-10"):
            cls.inv_a = cls._invoice("2025-12-15", "2025-12-31", 10_000)
            cls.inv_b = cls._invoice("2026-01-10", "2026-02-09", 30_000)
            cls.inv_e = cls._invoice("2026-01-20", "2026-02-19", 10_000)
            cls.inv_c = cls._invoice("2026-02-15", "2026-03-21", 30_000)
            cls.inv_d = cls._invoice("2026-03-20", "2026-04-30", 20_000)
            # another collector's portfolio: 7 000, due 1 March
            cls.inv_x = cls._invoice(
                "2026-02-01", "2026-03-01", 7_000, partner=cls.partner_b
            )
            cls._pay(cls.inv_a, "2026-02-10", 10_000)
            cls._pay(cls.inv_b, "2026-02-20", 30_000)
            cls._pay(cls.inv_e, "2026-03-05", 6_000)
            cls._pay(cls.inv_c, "2026-03-25", 24_000)
            cls._pay(cls.inv_d, "2026-04-05", 5_000)
        cls.dashboard = cls.env["cobranza.kpi.dashboard"]

    @classmethod
    def _invoice(cls, invoice_date, due_date, amount, partner=None):
        move = cls.init_invoice(
            "out_invoice",
            partner=partner or cls.partner_a,
            invoice_date=invoice_date,
            amounts=[amount],
            taxes=[],
            company=cls.company,
        )
        move.invoice_payment_term_id = False
        move.invoice_date_due = due_date
        move.action_post()
        return move

    @classmethod
    def _pay(cls, move, payment_date, amount):
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids
        ).create(
            {
                "payment_date": payment_date,
                "amount": amount,
                "payment_difference_handling": "open",
            }
        )._create_payments()

    def _data(self, user=None, **filters):
        dashboard = self.dashboard.with_user(user or self.manager).with_company(
            self.company
        )
        return dashboard.get_dashboard_data({**PERIOD, **filters})

    # ------------------------------------------------------------------
    @freeze_time("2026-04-10")
    def test_worked_example_through_the_models(self):
        self.assertEqual(self.inv_d.amount_residual, 15_000)  # paid after the period
        k = self._data(collector_id=self.collector.id)["kpis"]
        self.assertEqual(k["opening_ar"], 10_000)
        self.assertEqual(k["credit_sales"], 90_000)
        self.assertEqual(k["ar"], 30_000)
        self.assertEqual(k["current_ar"], 20_000)
        self.assertEqual(k["overdue_ar"], 10_000)
        self.assertEqual(k["days"], 90)
        self.assertEqual(k["dso"], 30.0)
        self.assertEqual(k["best_dso"], 20.0)
        self.assertEqual(k["add"], 10.0)
        self.assertEqual(k["cei"], 87.5)
        self.assertEqual(k["percent_overdue"], 33.33)
        self.assertEqual(k["average_age"], 7.33)
        self.assertEqual(k["dso_countback"], 40.33)
        self.assertEqual(
            k["aging"],
            {
                "not_due": 20_000,
                "1_30": 6_000,
                "31_60": 4_000,
                "61_90": 0,
                "91_120": 0,
                "over_120": 0,
            },
        )
        # no promise closed in the period: "n/a", not 0
        self.assertIsNone(k["promise_kept_rate"])

    @freeze_time("2026-04-10")
    def test_promise_kept_rate_of_the_period(self):
        # History written as the system: users cannot close promises by hand.
        promise = self.env["cobranza.promise"].sudo()
        vals = {
            "partner_id": self.inv_c.commercial_partner_id.id,
            "invoice_ids": [Command.set(self.inv_c.ids)],
            "amount": 1_000,
            "user_id": self.collector.id,
            "date": "2026-01-05",
        }
        kept, broken, later = promise.create(
            [
                {**vals, "promise_date": "2026-02-10"},
                {**vals, "promise_date": "2026-03-10"},
                {**vals, "promise_date": "2026-05-10"},  # outside the period
            ]
        )
        kept.state, broken.state, later.state = "kept", "broken", "broken"
        data = self._data()
        self.assertEqual(data["kpis"]["promise_kept_rate"], 50.0)
        row = next(c for c in data["collectors"] if c["id"] == self.collector.id)
        self.assertEqual(row["promises_kept"], 1)

    @freeze_time("2026-04-10")
    def test_snapshots_give_the_same_kpis(self):
        live = self._data(collector_id=self.collector.id)
        snapshot = self.env["cobranza.kpi.snapshot"]
        snapshot._take_snapshot(date(2026, 3, 31), self.company)
        snapshot._take_snapshot(date(2025, 12, 31), self.company)
        fast = self._data(collector_id=self.collector.id)
        self.assertEqual(fast["source"], "snapshot")
        self.assertEqual(fast["kpis"], live["kpis"])
        self.assertEqual(fast["aging"]["stage"], live["aging"]["stage"])
        # a payment registered later for a date in the period: the snapshot
        # keeps what was known, "live" reads the ledger again
        self._pay(self.inv_d, "2026-03-31", 1_000)
        self.assertEqual(
            self._data(collector_id=self.collector.id)["kpis"]["ar"], 30_000
        )
        again = self._data(collector_id=self.collector.id, live=True)
        self.assertEqual((again["source"], again["kpis"]["ar"]), ("live", 29_000))

    @freeze_time("2026-04-10")
    def test_segment_filter_and_aging_tables(self):
        data = self._data(segment_id=self.segment.id)
        self.assertEqual(data["kpis"]["ar"], 30_000)  # partner_b has no segment
        data = self._data(with_customers=True)
        self.assertEqual(data["kpis"]["ar"], 37_000)
        self.assertEqual(data["source"], "live")
        by_collector = {r["id"]: r for r in data["aging"]["collector"]}
        self.assertEqual(by_collector[self.collector.id]["total"], 30_000)
        # X: due 1 March, 30 days late on 31 March
        self.assertEqual(by_collector[self.collector2.id]["buckets"]["1_30"], 7_000)
        by_customer = {r["id"]: r["total"] for r in data["aging"]["customer"]}
        top = (
            self.dashboard.with_user(self.manager)
            .with_company(self.company)
            .get_top_customers(PERIOD)
        )
        self.assertEqual(top, data["aging"]["customer"])
        self.assertEqual(
            by_customer, {self.partner_a.id: 30_000, self.partner_b.id: 7_000}
        )

    @freeze_time("2026-04-10")
    def test_drill_down_gives_the_invoices_behind_a_figure(self):
        dashboard = self.dashboard.with_user(self.manager).with_company(self.company)
        filters = {**PERIOD, "collector_id": self.collector.id}

        def moves(drill):
            action = dashboard.action_open_invoices(filters, drill)
            return self.env["account.move"].search(action["domain"])

        self.assertEqual(moves({"kind": "overdue"}), self.inv_c | self.inv_e)
        self.assertEqual(moves({"kind": "current"}), self.inv_d)
        self.assertEqual(moves({"kind": "open", "bucket": "31_60"}), self.inv_e)
        self.assertEqual(
            moves({"kind": "sales"}),
            self.inv_b | self.inv_c | self.inv_d | self.inv_e,
        )
        self.assertEqual(
            moves({"kind": "open", "partner_id": self.partner_a.id}),
            self.inv_c | self.inv_d | self.inv_e,
        )

    # ------------------------------------------------------------------
    @freeze_time("2026-04-10")
    def test_collector_sees_only_their_portfolio(self):
        own = self._data(user=self.collector)["kpis"]
        self.assertEqual(own["ar"], 30_000)
        # asking for someone else's portfolio still gives one's own figures
        forced = self._data(user=self.collector, collector_id=self.collector2.id)
        self.assertEqual(forced["kpis"]["ar"], 30_000)
        self.assertFalse(forced["is_manager"])
        self.assertEqual(self._data(user=self.collector2)["kpis"]["ar"], 7_000)
        self.assertEqual(self._data(user=self.manager)["kpis"]["ar"], 37_000)
        # the aging report and the snapshots follow the same rule
        report = self.env["cobranza.aging.report"]
        self.assertEqual(
            report.with_user(self.collector).search([]).move_id,
            self.inv_c | self.inv_d | self.inv_e,
        )
        self.assertEqual(
            report.with_user(self.manager)
            .search([("company_id", "=", self.company.id)])
            .move_id,
            self.inv_c | self.inv_d | self.inv_e | self.inv_x,
        )
        self.env["cobranza.kpi.snapshot"]._take_snapshot(
            date(2026, 4, 10), self.company
        )
        snapshots = self.env["cobranza.kpi.snapshot"]
        self.assertEqual(
            snapshots.with_user(self.collector).search([]).collector_id,
            self.collector,
        )
        self.assertEqual(
            snapshots.with_user(self.manager).search([]).collector_id,
            self.collector | self.collector2,
        )
        # a drill-down from a collector ignores another collector
        dashboard = self.dashboard.with_user(self.collector).with_company(self.company)
        action = dashboard.action_open_invoices(
            PERIOD, {"kind": "open", "collector_id": self.collector2.id}
        )
        self.assertEqual(
            self.env["account.move"].search(action["domain"]),
            self.inv_c | self.inv_d | self.inv_e,
        )

    def test_only_collections_users_see_kpis(self):
        with self.assertRaises(AccessError):
            self._data(user=self.billing)

    # ------------------------------------------------------------------
    @freeze_time("2026-04-10")
    def test_aging_report_buckets_today(self):
        rows = self.env["cobranza.aging.report"]._read_group(
            [
                ("company_id", "=", self.company.id),
                ("collector_id", "=", self.collector.id),
            ],
            ["bucket"],
            ["amount_residual:sum"],
        )
        # 10 April: D 15 000 not due, C 6 000 at 20 days, E 4 000 at 50 days
        self.assertEqual(dict(rows), {"not_due": 15_000, "1_30": 6_000, "31_60": 4_000})
        row = self.env["cobranza.aging.report"].search(
            [("move_id", "=", self.inv_e.id)]
        )
        self.assertEqual((row.days_overdue, row.amount_31_60), (50, 4_000))
        # the list's export (XLSX in the web client) reads the same rows
        rows = (
            self.env["cobranza.aging.report"]
            .search([("collector_id", "=", self.collector.id)])
            .export_data(["move_id", "bucket", "amount_residual"])["datas"]
        )
        self.assertEqual(
            sorted((r[0], r[1], r[2]) for r in rows),
            sorted(
                [
                    (self.inv_e.name, "31-60", 4_000),
                    (self.inv_c.name, "1-30", 6_000),
                    (self.inv_d.name, "Not due", 15_000),
                ]
            ),
        )

    def test_snapshot_is_idempotent_and_keeps_history(self):
        snapshot = self.env["cobranza.kpi.snapshot"]
        with freeze_time("2026-04-10"):
            snapshot._cron_take_snapshot()
            first = snapshot.search([("company_id", "=", self.company.id)])
            self.assertTrue(first)
            # 10 April: C 6 000 + D 15 000 + E 4 000 + X 7 000
            self.assertEqual(sum(first.mapped("amount_total")), 32_000)
            self.assertEqual(sum(first.mapped("amount_overdue")), 17_000)
            snapshot._cron_take_snapshot()  # second run of the same day
            self.assertEqual(
                snapshot.search([("company_id", "=", self.company.id)]), first
            )
        with freeze_time("2026-04-11"):
            self._pay(self.inv_c, "2026-04-11", 6_000)
            snapshot._cron_take_snapshot()
            second = snapshot.search(
                [("company_id", "=", self.company.id), ("date", "=", "2026-04-11")]
            )
            self.assertEqual(sum(second.mapped("amount_total")), 26_000)
        # the history of the 10th is untouched by the payment
        first.invalidate_recordset()
        self.assertEqual(sum(first.mapped("amount_total")), 32_000)

    @freeze_time("2026-04-10")
    def test_trend_from_backfilled_month_ends(self):
        self.env["cobranza.kpi.snapshot"].with_company(self.company).with_context(
            allowed_company_ids=self.company.ids
        ).action_backfill(months=12)
        data = self._data(
            collector_id=self.collector.id, date_from="2026-03-01", date_to="2026-04-10"
        )
        trend = {row["month"]: row for row in data["trend"]}
        self.assertEqual(len(data["trend"]), 12)
        march = trend["2026-03-01"]
        self.assertEqual(march["snapshot_date"], "2026-03-31")
        self.assertEqual((march["ar"], march["overdue"]), (30_000, 10_000))
        self.assertEqual(march["percent_overdue"], 33.33)
        # March: 30 000 / 20 000 (sales of March) x 31 days = 46.5
        self.assertEqual(march["dso"], 46.5)
        self.assertEqual(trend["2026-04-01"]["ar"], 25_000)
        december = trend["2025-12-01"]
        self.assertEqual(december["ar"], 10_000)
        # nothing was open in May 2025: an empty snapshot, shown as a gap
        self.assertIsNone(trend["2025-05-01"]["snapshot_date"])
        self.assertNotIn("ar", trend["2025-05-01"])

    @freeze_time("2026-04-10")
    def test_recovery_after_an_action(self):
        policy = self.env["cobranza.policy"].create(
            {
                "name": "KPI test",
                "company_id": self.company.id,
                "level_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Call",
                            "offset_days": 15,
                            "use_email": False,
                            "use_activity": True,
                            "activity_type_id": self.env.ref(
                                "mail.mail_activity_data_call"
                            ).id,
                        },
                    )
                ],
            }
        )
        level = policy.level_ids
        # History written as the system: only the run makes actions.
        self.env["cobranza.action"].sudo().create(
            {
                "company_id": self.company.id,
                "date": "2026-03-20",
                "partner_id": self.partner_a.id,
                "level_id": level.id,
                "invoice_ids": [(6, 0, self.inv_c.ids)],
                "amount_due": 30_000,
                "collector_id": self.collector.id,
                "channel_activity": True,
                "state": "done",
            }
        )
        data = self._data()
        # 24 000 of C paid on 25 March, 5 days after the call: 80 %
        [by_level] = data["recovery"]["level"]
        self.assertEqual(
            (
                by_level["count"],
                by_level["due"],
                by_level["recovered"],
                by_level["rate"],
            ),
            (1, 30_000, 24_000, 80.0),
        )
        [by_channel] = data["recovery"]["channel"]
        self.assertEqual(by_channel["id"], "activity")
        collectors = {row["id"]: row for row in data["collectors"]}
        self.assertEqual(collectors[self.collector.id]["actions"], 1)
        # payments of the period on the collector's invoices: 10 000 (A) +
        # 30 000 (B) + 6 000 (E) + 24 000 (C)
        self.assertEqual(collectors[self.collector.id]["collected"], 70_000)

    @freeze_time("2026-04-10")
    def test_dashboard_prints(self):
        report = self.env.ref("cobranza_addon.cobranza_kpi_dashboard_report")
        html = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            .with_company(self.company)
            ._render_qweb_html(
                report,
                [],
                data={"filters": {**PERIOD, "collector_id": self.collector.id}},
            )[0]
        )
        self.assertIn(b"87.50", html)
        action = self.dashboard.with_user(self.manager).action_print(PERIOD)
        self.assertEqual(action["report_name"], "cobranza_addon.report_kpi_dashboard")


@tagged("post_install", "-at_install")
class TestKpiDashboardUi(HttpCase):
    def test_dashboard_loads_in_the_browser(self):
        # the client action renders its tiles without a JavaScript error
        code = """
            const wait = () => document.querySelector('.o_cobranza_tile')
                ? console.log('test successful')
                : setTimeout(wait, 100);
            wait();
        """
        self.browser_js(
            "/odoo/action-cobranza_addon.cobranza_kpi_dashboard_action",
            code,
            login="admin",
            timeout=120,
        )
