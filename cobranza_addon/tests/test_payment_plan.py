from contextlib import contextmanager
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

#: The day the plan is agreed.
TODAY = date(2026, 3, 16)
#: The first monthly installment.
FIRST = date(2026, 4, 15)


class PaymentPlanCommon(AccountTestInvoicingCommon):
    """A customer owing 1,000.00 on two overdue invoices, a collector and a manager."""

    @classmethod
    def default_env_context(cls):
        return {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.env.user.groups_id |= cls.env.ref("cobranza_addon.cobranza_group_admin")
        cls.company.write(
            {
                "cobranza_plan_user_limit": 1000.0,
                "cobranza_plan_max_reduction": 30.0,
                "cobranza_plan_tolerance_days": 5,
                "cobranza_promise_grace_days": 2,
            }
        )
        cls.customer = cls.partner_a
        cls.customer.email = "customer@example.com"
        cls.inv_600 = cls._invoice(600.0, date(2026, 1, 5))
        cls.inv_400 = cls._invoice(400.0, date(2026, 2, 5))
        cls.collector = new_test_user(
            cls.env,
            login="cb_collector",
            name="Carla Collector",
            email="carla@example.com",
            groups="cobranza_addon.cobranza_group_user",
        )
        cls.manager = new_test_user(
            cls.env,
            login="cb_manager",
            name="Marcos Manager",
            email="marcos@example.com",
            groups="cobranza_addon.cobranza_group_manager",
        )
        cls.Plan = cls.env["cobranza.payment.plan"]

    @classmethod
    def _invoice(cls, amount, invoice_date, partner=None, currency=None):
        return cls.init_invoice(
            "out_invoice",
            partner=partner or cls.customer,
            invoice_date=invoice_date,
            amounts=[amount],
            taxes=[],
            currency=currency,
            post=True,
        )

    def _plan_vals(self, **vals):
        return {
            "partner_id": self.customer.id,
            "invoice_ids": [Command.set((self.inv_600 | self.inv_400).ids)],
            "installment_count": 6,
            "frequency": "monthly",
            "first_date": FIRST,
            **vals,
        }

    def _plan(self, user=None, **vals):
        env = self.env(user=user) if user else self.env
        return env["cobranza.payment.plan"].create(self._plan_vals(**vals))

    def _pay(self, invoice, amount, pay_date=None):
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "amount": amount,
                    **({"payment_date": pay_date} if pay_date else {}),
                    "payment_difference_handling": "open",
                }
            )
        )
        return wizard._create_payments()

    @contextmanager
    def assertRefused(self, exception, regex):
        """``assertRaises`` (rolled back to a savepoint) that checks the message."""
        with self.assertRaises(exception) as cm:
            yield cm
        self.assertRegex(str(cm.exception), regex)

    def _states(self, plan):
        return [
            (line.sequence, line.amount_paid, line.state)
            for line in plan.line_ids.sorted("due_date")
        ]


@tagged("post_install", "-at_install")
class TestPaymentPlan(PaymentPlanCommon):
    # ------------------------------------------------------------------
    # Schedule
    # ------------------------------------------------------------------
    @freeze_time(TODAY)
    def test_schedule_six_monthly_with_reduction(self):
        plan = self._plan(reduction_type="percent", reduction_percent=10)
        self.assertEqual(plan.amount_covered, 1000.0)
        self.assertEqual(plan.reduction_amount, 100.0)
        self.assertEqual(plan.amount_due, 900.0)
        lines = plan.line_ids.sorted("due_date")
        self.assertEqual(len(lines), 6)
        self.assertEqual(lines.mapped("amount"), [150.0] * 6)
        self.assertEqual(
            lines.mapped("due_date"),
            [date(2026, m, 15) for m in (4, 5, 6, 7, 8, 9)],
        )
        self.assertEqual(plan.state, "draft")
        self.assertTrue(plan.name.startswith("PLAN/"))

    @freeze_time(TODAY)
    def test_last_installment_absorbs_rounding_and_down_payment(self):
        plan = self._plan(installment_count=7, down_payment=100.0)
        lines = plan.line_ids.sorted("due_date")
        self.assertEqual(len(lines), 8)
        self.assertEqual(
            (lines[0].sequence, lines[0].amount, lines[0].due_date), (0, 100.0, TODAY)
        )
        # 900.00 / 7 = 128.57 x 6 + 128.58
        self.assertEqual(lines[1:7].mapped("amount"), [128.57] * 6)
        self.assertEqual(lines[7].amount, 128.58)
        self.assertAlmostEqual(sum(lines.mapped("amount")), 1000.0)

    @freeze_time(TODAY)
    def test_interest_is_added_to_the_installments(self):
        plan = self._plan(installment_count=2, annual_rate=12.0)
        lines = plan.line_ids.sorted("due_date")
        self.assertEqual(lines.mapped("principal_amount"), [500.0, 500.0])
        # 1000 x 12% x 30/365 = 9.86 ; 500 x 12% x 30/365 = 4.93
        self.assertEqual(lines.mapped("interest_amount"), [9.86, 4.93])
        self.assertAlmostEqual(plan.amount_total, 1014.79)

    @freeze_time(TODAY)
    def test_changing_terms_of_a_draft_regenerates_lines(self):
        plan = self._plan()
        plan.installment_count = 4
        self.assertEqual(plan.line_ids.mapped("amount"), [250.0] * 4)

    @freeze_time(TODAY)
    def test_edited_lines_must_sum_to_the_total(self):
        plan = self._plan(installment_count=2)
        first, second = plan.line_ids.sorted("due_date")
        with self.assertRefused(ValidationError, "add up to"):
            plan.write(
                {"line_ids": [Command.update(first.id, {"principal_amount": 510.0})]}
            )
        self.assertEqual(first.principal_amount, 500.0)
        plan.write(
            {
                "line_ids": [
                    Command.update(first.id, {"principal_amount": 700.0}),
                    Command.update(second.id, {"principal_amount": 300.0}),
                ]
            }
        )
        self.assertEqual(
            plan.line_ids.sorted("due_date").mapped("amount"), [700.0, 300.0]
        )
        # The form: editing one line only cannot be saved.
        form = Form(plan)
        with form.line_ids.edit(0) as line:
            line.principal_amount = 650.0
        with self.assertRefused(ValidationError, "add up to"):
            form.save()

    # ------------------------------------------------------------------
    # Bad input: a clear error and nothing written
    # ------------------------------------------------------------------
    @freeze_time(TODAY)
    def test_bad_input_is_refused(self):
        other_partner_invoice = self._invoice(
            50.0, date(2026, 1, 5), partner=self.partner_b
        )
        other_currency = self.setup_other_currency("EUR")
        euro_invoice = self._invoice(70.0, date(2026, 1, 5), currency=other_currency)
        cases = [
            ({"installment_count": 0}, "at least one installment"),
            ({"first_date": TODAY - timedelta(days=1)}, "in the past"),
            (
                {
                    "invoice_ids": [
                        Command.set((self.inv_600 | other_partner_invoice).ids)
                    ]
                },
                "only covers posted customer invoices of",
            ),
            (
                {"invoice_ids": [Command.set((self.inv_600 | euro_invoice).ids)]},
                "must be in",
            ),
            (
                {"reduction_type": "percent", "reduction_percent": 31},
                "above the maximum",
            ),
            (
                {"reduction_type": "amount", "reduction_fixed": 300.01},
                "above the maximum",
            ),
            (
                {
                    "installment_count": 2,
                    "line_ids": [
                        Command.create(
                            {"sequence": 1, "due_date": FIRST, "principal_amount": 500}
                        ),
                        Command.create(
                            {
                                "sequence": 2,
                                "due_date": FIRST + timedelta(days=30),
                                "principal_amount": 499.99,
                            }
                        ),
                    ],
                },
                "add up to",
            ),
        ]
        for vals, message in cases:
            with self.subTest(vals=vals):
                before = self.Plan.search_count([])
                with self.assertRefused(ValidationError, message):
                    self._plan(**vals)
                self.assertEqual(self.Plan.search_count([]), before)

    @freeze_time(TODAY)
    def test_invoice_in_one_active_plan_only(self):
        plan = self._plan()
        plan.action_approve()
        before = self.Plan.search_count([])
        with self.assertRefused(ValidationError, "already in the active payment plan"):
            self._plan(invoice_ids=[Command.set(self.inv_400.ids)])
        self.assertEqual(self.Plan.search_count([]), before)
        # Two drafts on the same invoice: only one can be approved.
        plan.action_cancel()
        draft_a = self._plan()
        draft_b = self._plan()
        draft_a.action_approve()
        with self.assertRefused(ValidationError, "already in the active payment plan"):
            draft_b.action_approve()
        self.assertEqual(draft_b.state, "draft")

    # ------------------------------------------------------------------
    # Approval
    # ------------------------------------------------------------------
    @freeze_time(TODAY)
    def test_collector_cannot_approve_a_reduction_manager_can(self):
        plan = self._plan(
            user=self.collector, reduction_type="percent", reduction_percent=10
        )
        plan.action_submit()
        self.assertEqual(plan.state, "to_approve")
        with self.assertRefused(AccessError, "Only a Collections manager"):
            plan.action_approve()
        self.assertEqual(plan.state, "to_approve")
        self.assertFalse(plan.approved_by_id)
        plan.with_user(self.manager).action_approve()
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.approved_by_id, self.manager)
        self.assertEqual(plan.approved_date, TODAY)
        self.env.cr.precommit.run()
        tracked = plan.sudo().message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "approved_by_id"
        )
        self.assertEqual(tracked.new_value_char, self.manager.name)
        self.assertTrue(
            plan.message_ids.filtered(lambda m: "Reduction granted" in (m.body or ""))
        )

    @freeze_time(TODAY)
    def test_collector_approval_limit(self):
        big = self._plan(user=self.collector)  # 1,000.00 is not below the limit
        with self.assertRaises(AccessError):
            big.action_approve()
        big.action_cancel()
        small = self._plan(
            user=self.collector, invoice_ids=[Command.set(self.inv_400.ids)]
        )
        small.action_approve()
        self.assertEqual(small.state, "active")
        self.assertEqual(small.approved_by_id, self.collector)

    @freeze_time(TODAY)
    def test_active_plan_is_read_only_cancel_and_replace(self):
        plan = self._plan()
        plan.action_approve()
        with self.assertRefused(UserError, "cannot change any more"):
            plan.installment_count = 3
        with self.assertRefused(UserError, "cannot change any more"):
            plan.line_ids[0].due_date = FIRST + timedelta(days=1)
        with self.assertRefused(UserError, "cannot change any more"):
            plan.line_ids[0].amount_paid = 150.0
        with self.assertRaises(UserError):
            plan.unlink()
        with self.assertRefused(AccessError, "manager"):
            plan.with_user(self.collector).action_cancel()
        plan.action_cancel()
        self.assertEqual(plan.state, "cancelled")
        replacement = self._plan(installment_count=3)
        replacement.action_approve()
        history = self.Plan.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(set(history.mapped("state")), {"cancelled", "active"})

    # ------------------------------------------------------------------
    # Allocation of real payments
    # ------------------------------------------------------------------
    def test_partial_over_and_out_of_order_payments(self):
        with freeze_time(TODAY):
            plan = self._plan(installment_count=4)  # 4 x 250
            plan.action_approve()
            self.assertEqual(self.inv_600.cobranza_paused_until, FIRST)
        with freeze_time(FIRST - timedelta(days=5)):
            # Partial payment on the second invoice: it still goes to the oldest installment.
            self._pay(self.inv_400, 100.0)
            self.assertEqual(
                self._states(plan)[:2], [(1, 100.0, "partial"), (2, 0.0, "pending")]
            )
            # Overpaying an installment fills the next ones.
            self._pay(self.inv_600, 450.0)
            self.assertEqual(
                self._states(plan),
                [
                    (1, 250.0, "paid"),
                    (2, 250.0, "paid"),
                    (3, 50.0, "partial"),
                    (4, 0.0, "pending"),
                ],
            )
            self.assertEqual(plan.amount_paid, 550.0)
            self.assertEqual(plan.amount_residual, 450.0)
            # Follow-up stays paused until the oldest unpaid installment.
            self.assertEqual(self.inv_600.cobranza_paused_until, date(2026, 6, 15))
        with freeze_time(date(2026, 6, 1)):
            self._pay(self.inv_600, 150.0)
            self._pay(self.inv_400, 300.0)
            self.assertEqual(plan.state, "completed")
            self.assertEqual({s for _seq, _paid, s in self._states(plan)}, {"paid"})
            self.assertTrue(
                plan.message_ids.filtered(lambda m: "Thank you" in (m.subject or ""))
            )

    def test_payments_before_the_plan_do_not_count(self):
        with freeze_time(TODAY - timedelta(days=10)):
            self._pay(self.inv_600, 100.0)
        with freeze_time(TODAY):
            plan = self._plan(installment_count=3)  # 900 left: 3 x 300
            plan.action_approve()
            self.assertEqual(plan.amount_covered, 900.0)
            self.assertEqual(plan.amount_paid, 0.0)

    def test_unreconciling_a_payment_unpays_the_installment(self):
        with freeze_time(TODAY):
            plan = self._plan(installment_count=2)
            plan.action_approve()
            payment = self._pay(self.inv_600, 500.0)
            self.assertEqual(self._states(plan)[0], (1, 500.0, "paid"))
            payment.action_draft()
            self.assertEqual(self._states(plan)[0], (1, 0.0, "pending"))

    # ------------------------------------------------------------------
    # Break and completion over time
    # ------------------------------------------------------------------
    def test_two_payments_then_break_resumes_followup(self):
        stage_break = self.env["cobranza.stage"].create(
            {"name": "Legal review", "code": "extrajudicial"}
        )
        self.company.cobranza_plan_break_stage_id = stage_break
        with freeze_time(TODAY):
            plan = self._plan(reduction_type="percent", reduction_percent=10)
            plan.action_approve()
            self.assertEqual(self.inv_600.cobranza_paused_until, date(2026, 4, 15))
        with freeze_time(date(2026, 4, 14)):
            self._pay(self.inv_600, 150.0)
        with freeze_time(date(2026, 5, 15)):
            self._pay(self.inv_600, 150.0)
        self.assertEqual(
            [s for _seq, _paid, s in self._states(plan)],
            ["paid", "paid", "pending", "pending", "pending", "pending"],
        )
        # Third installment (June 15) unpaid: in arrears within the tolerance.
        with freeze_time(date(2026, 6, 20)):
            self.Plan._cron_update_plans()
            self.assertEqual(plan.state, "active")
            self.assertTrue(plan.in_arrears)
            self.assertEqual(plan.line_ids.sorted("due_date")[2].state, "overdue")
            # The pause ended on the missed due date: follow-up is back.
            self.assertEqual(self.inv_600.cobranza_paused_until, date(2026, 6, 15))
        with freeze_time(date(2026, 6, 21)):
            self.Plan._cron_update_plans()
            self.assertEqual(plan.state, "broken")
            self.assertEqual(plan.closed_date, date(2026, 6, 21))
            self.assertFalse(self.inv_600.cobranza_paused_until)
            self.assertFalse(self.inv_400.cobranza_paused_until)
            self.assertEqual(self.inv_600.cobranza_stage_id, stage_break)
            # The credit manager who approved it is told, the customer gets the template.
            activity = plan.activity_ids.filtered(
                lambda a: a.summary == "Payment plan broken"
            )
            self.assertEqual(activity.user_id, self.env.user)
            broken_mail = plan.message_ids.filtered(
                lambda m: "no longer in force" in (m.subject or "")
            )
            self.assertEqual(broken_mail.partner_ids, self.customer)

    def test_completion_with_reduction_leaves_write_off_to_the_accountant(self):
        with freeze_time(TODAY):
            plan = self._plan(
                installment_count=2, reduction_type="amount", reduction_fixed=100.0
            )
            plan.with_user(self.manager).action_approve()
            self._pay(self.inv_600, 450.0)
            self._pay(self.inv_400, 400.0)
            self.assertEqual(plan.state, "active")
            self._pay(self.inv_600, 50.0)
            self.assertEqual(plan.state, "completed")
            self.assertEqual(self.inv_600.amount_residual, 100.0)
            # The reduction left open is not dunned: it waits for a credit note.
            self.assertEqual(self.inv_600.cobranza_paused_until, date(9999, 12, 31))
            todo = plan.activity_ids.filtered(
                lambda a: a.summary == "Write off the reduction"
            )
            self.assertEqual(todo.user_id, self.manager)

    # ------------------------------------------------------------------
    # Follow-up run
    # ------------------------------------------------------------------
    def _run_invoices(self):
        run = self.env["cobranza.run"].create({})
        run.action_preview()
        return run.action_ids.invoice_ids

    def test_run_skips_active_plan_and_resumes_after_break(self):
        template = self.env.ref(
            "cobranza_addon.mail_template_cobranza_overdue_friendly"
        )
        policy = self.env["cobranza.policy"].create(
            {
                "name": "Plan test policy",
                "level_ids": [
                    Command.create(
                        {
                            "name": "Reminder",
                            "offset_days": 5,
                            "mail_template_id": template.id,
                        }
                    )
                ],
            }
        )
        self.company.cobranza_policy_id = policy
        with freeze_time(TODAY):
            self.assertIn(self.inv_600, self._run_invoices())
            self.env["cobranza.run"].search([]).action_cancel()
            plan = self._plan()
            plan.action_approve()
            self.assertFalse(self._run_invoices() & (self.inv_600 | self.inv_400))
        with freeze_time(date(2026, 4, 21)):
            self.env["cobranza.run"].search([]).action_cancel()
            self.Plan._cron_update_plans()
            self.assertEqual(plan.state, "broken")
            self.assertIn(self.inv_600, self._run_invoices())

    # ------------------------------------------------------------------
    # Security and documents
    # ------------------------------------------------------------------
    @freeze_time(TODAY)
    def test_access_rights(self):
        plan = self._plan(user=self.collector)
        self.assertEqual(plan.user_id, self.collector)
        # Users draft and edit, but cannot delete.
        with self.assertRaises(AccessError):
            plan.with_user(self.collector).unlink()
        plan.with_user(self.manager).unlink()
        # Billing users outside Collections do not see plans.
        billing = new_test_user(
            self.env, login="cb_billing", groups="account.group_account_invoice"
        )
        with self.assertRaises(AccessError):
            self.env["cobranza.payment.plan"].with_user(billing).search([])
        # Another company's plans are invisible.
        other = self.setup_other_company()["company"]
        self.collector.company_ids |= other
        plan_b = self._plan()
        self.assertEqual(
            self.env["cobranza.payment.plan"]
            .with_user(self.collector)
            .with_context(allowed_company_ids=other.ids)
            .search([("id", "=", plan_b.id)]),
            self.Plan,
        )

    @freeze_time(TODAY)
    def test_agreement_pdf_sent_by_email(self):
        plan = self._plan(reduction_type="percent", reduction_percent=10)
        plan.action_approve()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "cobranza_addon.action_report_cobranza_payment_plan", plan.ids
            )[0]
            .decode()
        )
        self.assertIn(plan.name, html)
        self.assertIn("Reduction granted", html)
        self.assertIn(self.customer.name, html)
        action = plan.action_send_agreement()
        composer = Form(
            self.env["mail.compose.message"].with_context(**action["context"])
        ).save()
        composer.action_send_mail()
        message = plan.message_ids.filtered(
            lambda m: "payment agreement" in (m.subject or "")
        )
        self.assertEqual(message.partner_ids, self.customer)
        self.assertEqual(len(message.attachment_ids), 1)
        self.assertIn("Payment agreement", message.attachment_ids.name)

    @freeze_time(TODAY)
    def test_manager_builds_plan_in_the_form_from_overdue_invoices(self):
        invoices = self.inv_600 | self.inv_400
        form = Form(
            self.env["cobranza.payment.plan"]
            .with_user(self.manager)
            .with_context(active_model="account.move", active_ids=invoices.ids)
        )
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.amount_covered, 1000.0)
        form.installment_count = 6
        form.frequency = "monthly"
        form.first_date = FIRST
        form.reduction_type = "percent"
        form.reduction_percent = 10
        self.assertEqual(len(form.line_ids), 6)
        self.assertEqual(form.amount_due, 900.0)
        plan = form.save()
        self.assertEqual(plan.line_ids.mapped("amount"), [150.0] * 6)
        plan.action_approve()
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.approved_by_id, self.manager)
