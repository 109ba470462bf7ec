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

    def _drill(self, drill, user=None, **filters):
        """The rows of a drill-down, read as the web client does: the
        action's model, domain and context."""
        dashboard = self.dashboard.with_user(user or self.manager).with_company(
            self.company
        )
        action = dashboard.action_open_invoices({**PERIOD, **filters}, drill)
        model = self.env[action["res_model"]].with_user(user or self.manager)
        return model.with_context(**action["context"]).search(action["domain"])

    @staticmethod
    def _sum(rows):
        field = (
            "amount_residual" if rows._name != "account.move" else "amount_total_signed"
        )
        return round(sum(rows.mapped(field)), 2)

    @freeze_time("2026-04-10")
    def test_drill_down_gives_the_rows_behind_a_figure(self):
        filters = {"collector_id": self.collector.id}
        self.assertEqual(
            self._drill({"kind": "overdue"}, **filters).move_id, self.inv_c | self.inv_e
        )
        current = self._drill({"kind": "current"}, **filters)
        # open at the end of the period (31 March): D's 20 000, although
        # 5 000 was paid on 5 April
        self.assertEqual(current.move_id, self.inv_d)
        self.assertEqual(current.amount_residual, 20_000)
        self.assertEqual(current.partner_id, self.partner_a)
        self.assertEqual(
            self._drill({"kind": "open", "bucket": "31_60"}, **filters).move_id,
            self.inv_e,
        )
        self.assertEqual(
            self._drill({"kind": "sales"}, **filters),
            self.inv_b | self.inv_c | self.inv_d | self.inv_e,
        )
        self.assertEqual(
            self._drill({"kind": "open", "partner_id": self.partner_a.id}).move_id,
            self.inv_c | self.inv_d | self.inv_e,
        )

    @freeze_time("2026-04-10")
    def test_every_figure_adds_up_to_its_drill_down(self):
        # an unapplied payment and a credit note: open credits, not "not due"
        self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.partner_b.id,
                "amount": 1_500,
                "date": "2026-03-30",
                "company_id": self.company.id,
            }
        ).action_post()
        refund = self.init_invoice(
            "out_refund",
            partner=self.partner_a,
            invoice_date="2026-03-28",
            amounts=[800],
            taxes=[],
            company=self.company,
        )
        refund.action_post()
        for filters in ({}, {"collector_id": self.collector.id}):
            data = self._data(with_customers=True, **filters)
            k = data["kpis"]
            # the customers' collectors hold their credits
            self.assertEqual(k["credits"], -2_300 if not filters else -800)
            cells = [
                ({"kind": "open"}, k["ar"]),
                ({"kind": "overdue"}, k["overdue_ar"]),
                ({"kind": "current"}, k["current_ar"]),
                ({"kind": "sales"}, k["credit_sales"]),
                ({"kind": "open", "bucket": "credit"}, k["credits"]),
            ]
            cells += [
                ({"kind": "open", "bucket": key}, amount)
                for key, amount in k["aging"].items()
            ]
            dims = {
                "collector": "collector_id",
                "stage": "stage_id",
                "segment": "segment_id",
                "customer": "partner_id",
            }
            for tab, dim in dims.items():
                for row in data["aging"][tab]:
                    cells.append(({"kind": "open", dim: row["id"]}, row["total"]))
                    for key, amount in row["buckets"].items():
                        self.assertGreaterEqual(amount if key != "credit" else 0, 0)
                        cells.append(
                            ({"kind": "open", dim: row["id"], "bucket": key}, amount)
                        )
            for drill, figure in cells:
                with self.subTest(filters=filters, drill=drill):
                    self.assertAlmostEqual(
                        self._sum(self._drill(drill, **filters)), figure, places=2
                    )
        # open credits are in their own column, with the customer's collector
        # (never a negative "not due", never a "(no collector)" row)
        rows = {r["id"]: r for r in self._data()["aging"]["collector"]}
        self.assertNotIn(False, rows)
        self.assertEqual(rows[self.collector2.id]["buckets"]["credit"], -1_500)
        self.assertEqual(rows[self.collector2.id]["buckets"]["not_due"], 0)
        self.assertEqual(rows[self.collector.id]["buckets"]["credit"], -800)
        # a collector sees their customers' credits in the aging report too
        report = self.env["cobranza.aging.report"].with_user(self.collector)
        self.assertIn(refund, report.search([]).move_id)

    @freeze_time("2026-04-10")
    def test_dso_without_sales_is_not_available(self):
        # April 2026 has no sales at all: the DSO is "n/a", never negative
        k = self._data(date_from="2026-04-01", date_to="2026-04-10")["kpis"]
        self.assertEqual(k["credit_sales"], 0)
        self.assertIsNone(k["dso"])
        self.assertIsNone(k["best_dso"])
        self.assertIsNone(k["add"])

    @freeze_time("2026-04-10")
    def test_aging_report_lists_buckets_in_order(self):
        groups = self.env["cobranza.aging.report"].read_group(
            [("company_id", "=", self.company.id)], ["amount_residual"], ["bucket"]
        )
        keys = [g["bucket"] for g in groups]
        self.assertEqual(keys, ["not_due", "1_30", "31_60"])
        # a manager exports the aging list (the list's Export button)
        self.assertTrue(self.manager.has_group("base.group_allow_export"))
        self.assertFalse(self.collector.has_group("base.group_allow_export"))

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
        rows = self._drill(
            {"kind": "open", "collector_id": self.collector2.id}, user=self.collector
        )
        self.assertEqual(rows.move_id, self.inv_c | self.inv_d | self.inv_e)

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
        # only the months that have a snapshot, oldest first (none in May
        # 2025, when nothing was open: left out, not drawn as 0)
        self.assertEqual([row["month"] for row in data["trend"]], sorted(trend))
        march = trend["2026-03-01"]
        self.assertEqual(march["snapshot_date"], "2026-03-31")
        self.assertEqual((march["ar"], march["overdue"]), (30_000, 10_000))
        self.assertEqual(march["percent_overdue"], 33.33)
        # March: 30 000 / 20 000 (sales of March) x 31 days = 46.5
        self.assertEqual(march["dso"], 46.5)
        self.assertEqual(trend["2026-04-01"]["ar"], 25_000)
        december = trend["2025-12-01"]
        self.assertEqual(december["ar"], 10_000)
        self.assertNotIn("2025-05-01", trend)
        # a month without sales: its DSO is "n/a", never negative
        for row in data["trend"]:
            self.assertTrue(row["dso"] is None or row["dso"] >= 0)

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
        # in Spanish, figures read the Spanish way
        self.env["res.lang"]._activate_lang("es_ES")
        self.manager.lang = "es_ES"
        html = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            .with_company(self.company)
            .with_context(lang="es_ES")
            ._render_qweb_html(
                report,
                [],
                data={"filters": {**PERIOD, "collector_id": self.collector.id}},
            )[0]
        )
        self.assertIn(b"87,50", html)
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

    def test_collector_filter_survives_a_drill_down(self):
        """Choose a collector, open the rows behind a figure, come back with
        the breadcrumb: the collector is still chosen."""
        collector = new_test_user(
            self.env,
            "ui_collector",
            name="UI Collector",
            groups="account.group_account_invoice,cobranza_addon.cobranza_group_user",
        )
        code = """
            const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
            const until = async (fn) => {
                for (let i = 0; i < 600; i++) {
                    const v = fn();
                    if (v) { return v; }
                    await sleep(100);
                }
                throw new Error("timeout");
            };
            const pick = () => [...document.querySelectorAll(
                '.o_cobranza_filters select')].find((s) =>
                [...s.options].some((o) => o.value === '__ID__'));
            (async () => {
                const select = await until(pick);
                select.value = '__ID__';
                select.dispatchEvent(new Event('change'));
                await until(() => pick() && pick().value === '__ID__'
                    && document.querySelector('.o_cobranza_tile'));
                await sleep(500);
                document.querySelector('.o_cobranza_tile').click();
                await until(() => document.querySelector('.o_list_view'));
                (await until(() => document.querySelector(
                    '.o_breadcrumb .breadcrumb-item a'))).click();
                await until(() => document.querySelector('.o_cobranza_tile'));
                if (pick().value === '__ID__') {
                    console.log('test successful');
                } else {
                    console.error('the collector filter was lost');
                }
            })().catch((e) => console.error(e.message));
        """.replace("__ID__", str(collector.id))
        self.browser_js(
            "/odoo/action-cobranza_addon.cobranza_kpi_dashboard_action",
            code,
            login="admin",
            timeout=180,
        )
