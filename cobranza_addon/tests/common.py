from datetime import date

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

#: The day the tests live on.
TODAY = date(2026, 3, 16)


class DeliveryHelpers:
    """Drive the delivery queue from a test (shared by the test bases)."""

    def deliver(self, max_chunks=1000):
        """Deliver what is queued, chunk after chunk, as the delivery cron
        does (without its commits: the test's transaction)."""
        Run = self.env["cobranza.run"].sudo()
        chunks = 0
        while chunks < max_chunks:
            ids = Run._cobranza_next_chunk()
            if not ids:
                break
            Run._cobranza_deliver_chunk(ids)
            chunks += 1
        Run.search([("state", "=", "sending")])._cobranza_finish_runs()
        self.env.invalidate_all()
        return chunks

    def daily(self):
        """The daily schedule, company after company, then delivery."""
        for _company in self.env["res.company"].search([]):
            self.env["cobranza.run"]._cron_run_followup()
        self.deliver()


class CobranzaCommon(DeliveryHelpers, AccountTestInvoicingCommon):
    """A small book: a policy with a pre-due and three overdue levels."""

    @classmethod
    def default_env_context(cls):
        # Tracking and chatter are part of what the addon promises.
        return {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.env.user.groups_id |= cls.env.ref("cobranza_addon.cobranza_group_admin")
        ref = cls.env.ref
        cls.stage_current = ref("cobranza_addon.cobranza_stage_current")
        cls.stage_pre_due = ref("cobranza_addon.cobranza_stage_pre_due")
        cls.stage_admin = ref("cobranza_addon.cobranza_stage_administrative")
        cls.stage_extra = ref("cobranza_addon.cobranza_stage_extrajudicial")
        # The shipped template set: one record per stage, es/en translations.
        tmpl = "cobranza_addon.mail_template_cobranza_"
        cls.tmpl_pre_due = ref(tmpl + "pre_due")
        cls.tmpl_friendly = ref(tmpl + "overdue_friendly")
        cls.tmpl_formal = ref(tmpl + "formal_demand")
        # The formal demand is also the letter's text (as in the Standard policy).
        cls.tmpl_letter = ref(tmpl + "formal_demand")
        cls.sms_overdue = ref("cobranza_addon.sms_template_cobranza_overdue_friendly")
        cls.policy = cls.env["cobranza.policy"].create(
            {
                "name": "Test policy",
                "company_id": cls.company.id,
                "level_ids": [
                    Command.create(
                        {
                            "name": "Pre-due",
                            "offset_days": -3,
                            "mail_template_id": cls.tmpl_pre_due.id,
                            "stage_id": cls.stage_pre_due.id,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Friendly",
                            "offset_days": 5,
                            "use_sms": True,
                            "mail_template_id": cls.tmpl_friendly.id,
                            "sms_template_id": cls.sms_overdue.id,
                            "stage_id": cls.stage_admin.id,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Call",
                            "offset_days": 20,
                            "use_email": False,
                            "use_activity": True,
                            "stage_id": cls.stage_admin.id,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Formal demand",
                            "offset_days": 45,
                            "use_letter": True,
                            "mail_template_id": cls.tmpl_formal.id,
                            "letter_template_id": cls.tmpl_letter.id,
                            "stage_id": cls.stage_extra.id,
                            "fee_fixed": 15.0,
                        }
                    ),
                ],
            }
        )
        cls.level_pre, cls.level_friendly, cls.level_call, cls.level_formal = (
            cls.policy.level_ids.sorted("offset_days")
        )
        cls.company.cobranza_policy_id = cls.policy
        cls.collector = new_test_user(
            cls.env,
            login="collector_test",
            name="Carla Collector",
            email="carla@example.com",
            groups="base.group_user,cobranza_addon.cobranza_group_user",
            company_id=cls.company.id,
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Distribuidora Andina",
                "email": "pagos@andina.example",
                "mobile": "+34600111222",
                "lang": "en_US",
            }
        )
        cls.customer.with_company(cls.company).cobranza_collector_id = cls.collector
        cls.customer_no_email = cls.env["res.partner"].create(
            {"name": "Ferretería Sin Correo", "street": "Calle Mayor 1"}
        )

    @classmethod
    def invoice(cls, partner, amount, due, invoice_date=None, currency=None, post=True):
        """A posted customer invoice due on ``due``, without taxes."""
        move = cls.init_invoice(
            "out_invoice",
            partner=partner,
            invoice_date=invoice_date or min(due, TODAY),
            amounts=[amount],
            taxes=[],
            currency=currency,
        )
        move.invoice_payment_term_id = False
        move.invoice_date_due = due
        if post:
            move.action_post()
        return move

    @classmethod
    def pay(cls, invoice, amount, pay_date=None):
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "amount": amount,
                    "payment_date": pay_date or TODAY,
                    "group_payment": True,
                    "payment_difference_handling": "open",
                }
            )
            ._create_payments()
        )

    def run_followup(self, send=True):
        run = self.env["cobranza.run"].create({"company_id": self.company.id})
        run.action_preview()
        if send:
            run.action_send()
            self.deliver()
        return run

    @staticmethod
    def today():
        return fields.Date.to_date(TODAY)
