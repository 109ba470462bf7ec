from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import TODAY, CobranzaCommon

# 2026-03-15 is a Sunday; 2026-03-16 (TODAY) a Monday.
SUNDAY_10_BOGOTA = datetime(2026, 3, 15, 15, 0)
MONDAY_0700_BOGOTA = datetime(2026, 3, 16, 12, 0)


class CompliancePartners(CobranzaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.manager = new_test_user(
            cls.env,
            login="comp_manager",
            name="Marta Manager",
            groups="base.group_user,cobranza_addon.cobranza_group_manager",
            company_id=cls.company.id,
        )
        Partner = cls.env["res.partner"]
        cls.co_debtor = Partner.create(
            {
                "name": "Camilo Restrepo",
                "country_id": ref("base.co").id,
                "email": "camilo@example.co",
                "mobile": "+573001112233",
                "cobranza_authorized_channels": "email, sms, letter, activity",
            }
        )
        cls.cl_debtor = Partner.create(
            {
                "name": "Catalina Rojas",
                "country_id": ref("base.cl").id,
                "email": "catalina@example.cl",
                "tz": "America/Santiago",
            }
        )
        cls.us_debtor = Partner.create(
            {
                "name": "John Doe",
                "country_id": ref("base.us").id,
                "email": "john@example.com",
                "tz": "America/New_York",
            }
        )

    def sent_mails(self, partner):
        return self.env["mail.mail"].search_count(
            [("recipient_ids", "in", partner.ids)]
        ) + self.env["mail.message"].search_count(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("message_type", "=", "comment"),
                ("partner_ids", "in", partner.ids),
            ]
        )

    def sent_sms(self, partner):
        return self.env["sms.sms"].search_count([("partner_id", "=", partner.id)])

    def ledger(self, partner, **domain):
        return self.env["cobranza.contact"].search(
            [("partner_id", "=", partner.id)]
            + [(key, "=", value) for key, value in domain.items()]
        )

    def action_of(self, run, partner):
        return run.action_ids.filtered(lambda a: a.partner_id == partner)


@tagged("post_install", "-at_install")
class TestComplianceRun(CompliancePartners):
    def test_partner_jurisdiction_and_debtor_type(self):
        self.assertEqual(self.co_debtor.cobranza_jurisdiction, "CO")
        self.assertEqual(self.co_debtor.cobranza_debtor_type, "consumer")
        company = self.env["res.partner"].create(
            {
                "name": "Acme SpA",
                "is_company": True,
                "country_id": self.env.ref("base.cl").id,
            }
        )
        self.assertEqual(company.cobranza_debtor_type, "business")
        company.cobranza_jurisdiction = "ES"  # overridable
        self.assertEqual(company.cobranza_jurisdiction, "ES")
        self.assertEqual(self.co_debtor._cobranza_timezones()[0], "America/Bogota")

    def test_rules_loaded_from_the_core_packs(self):
        Rule = self.env["cobranza.rule"]
        co_hours = Rule.search([("rule_code", "=", "CO-HOURS")])
        self.assertEqual(co_hours.severity, "block")
        self.assertIn("Ley 2300", co_hours.citation)
        self.assertEqual(
            set(self.env["cobranza.rule.pack"].search([]).mapped("jurisdiction")),
            {"MX", "CO", "PE", "CL", "AR", "ES", "EU", "US"},
        )
        self.assertTrue(
            self.env["cobranza.holiday"].search_count(
                [("jurisdiction", "=", "CO"), ("date", "=", "2026-03-23")]
            ),
            "San José (Emiliani Monday) 2026 is a CO holiday",
        )
        self.assertTrue(self.env["cobranza.ecb.rate"].search_count([]))

    def test_CO_HOURS_sunday_deferred_to_monday_0700_then_sent(self):
        self.invoice(self.co_debtor, 300, TODAY - timedelta(days=10))
        with freeze_time(SUNDAY_10_BOGOTA):
            run = self.run_followup()
        action = self.action_of(run, self.co_debtor)
        self.assertEqual(action.state, "deferred")
        self.assertEqual(
            action.not_before, MONDAY_0700_BOGOTA, "CO-HOURS: Monday 07:00"
        )
        self.assertEqual(action.compliance_rules, "CO-HOURS")
        self.assertIn("CO-HOURS", action.note)
        deferred = self.ledger(self.co_debtor, outcome="deferred")
        self.assertEqual(set(deferred.mapped("channel")), {"email", "sms"})
        self.assertEqual(set(deferred.mapped("rule_ids_text")), {"CO-HOURS"})
        self.assertFalse(self.sent_mails(self.co_debtor))
        self.assertFalse(self.sent_sms(self.co_debtor))
        # An hour before the moment: still waiting.
        with freeze_time(MONDAY_0700_BOGOTA - timedelta(hours=1)):
            self.env["cobranza.action"]._cron_send_deferred()
            self.deliver()
        self.assertEqual(action.state, "deferred")
        with freeze_time(MONDAY_0700_BOGOTA + timedelta(minutes=5)):
            self.env["cobranza.action"]._cron_send_deferred()
            self.deliver()
        self.assertEqual(action.state, "done")
        self.assertTrue(action.channel_email and action.channel_sms)
        self.assertTrue(self.sent_mails(self.co_debtor))
        self.assertEqual(self.sent_sms(self.co_debtor), 1)
        sent = self.ledger(self.co_debtor, outcome="allowed")
        self.assertEqual(set(sent.mapped("channel")), {"email", "sms"})

    def test_CO_CHANNEL_blocked_send_creates_no_mail_and_names_the_rule(self):
        self.co_debtor.cobranza_authorized_channels = False
        self.invoice(self.co_debtor, 300, TODAY - timedelta(days=10))
        with freeze_time(MONDAY_0700_BOGOTA + timedelta(hours=2)):
            run = self.run_followup()
        action = self.action_of(run, self.co_debtor)
        self.assertEqual(action.state, "blocked")
        self.assertIn("CO-CHANNEL", action.compliance_rules)
        self.assertIn("Ley 2300", action.note)
        self.assertFalse(self.sent_mails(self.co_debtor))
        self.assertFalse(self.sent_sms(self.co_debtor))
        self.assertEqual(
            set(self.ledger(self.co_debtor).mapped("outcome")), {"blocked"}
        )
        logged = self.co_debtor.message_ids.filtered(
            lambda m: "CO-CHANNEL" in (m.body or "")
        )
        self.assertTrue(logged, "the chatter names the rule id")
        # The invoices were not moved to the level.
        self.assertFalse(action.invoice_ids.cobranza_level_id)

    def test_blocked_action_holds_until_retried_or_dismissed(self):
        self.co_debtor.cobranza_authorized_channels = False
        self.invoice(self.co_debtor, 300, TODAY - timedelta(days=10))
        with freeze_time(MONDAY_0700_BOGOTA + timedelta(hours=2)):
            action = self.action_of(self.run_followup(), self.co_debtor)
            self.assertEqual(action.state, "blocked")
            # The next run does not propose (and block, and log) it again.
            self.assertFalse(self.run_followup(send=False).action_ids)
            # Still refused while the debtor has authorised no channel.
            action.action_retry()
            self.assertEqual(action.state, "blocked")
            self.co_debtor.cobranza_authorized_channels = "email"
            action.action_retry()
            self.assertEqual(action.state, "done")
            self.assertTrue(self.sent_mails(self.co_debtor))

    def test_dismissed_action_frees_its_invoices(self):
        self.co_debtor.cobranza_authorized_channels = False
        invoice = self.invoice(self.co_debtor, 300, TODAY - timedelta(days=10))
        with freeze_time(MONDAY_0700_BOGOTA + timedelta(hours=2)):
            action = self.action_of(self.run_followup(), self.co_debtor)
            action.action_dismiss()
            self.assertEqual(action.state, "cancelled")
            again = self.run_followup(send=False)
            self.assertEqual(again.action_ids.invoice_ids, invoice)

    def test_CL_FREQ_OTHER_third_letter_in_5_days_deferred(self):
        self.company.cobranza_uf_value = 39000
        Contact = self.env["cobranza.contact"]
        for at in (datetime(2026, 3, 12, 15, 0), datetime(2026, 3, 14, 15, 0)):
            Contact.create(
                {
                    "partner_id": self.cl_debtor.id,
                    "contact_date": at,
                    "channel": "letter",
                }
            )
        self.invoice(self.cl_debtor, 1000, TODAY - timedelta(days=50))
        with freeze_time(datetime(2026, 3, 16, 15, 0)):
            run = self.run_followup()
        action = self.action_of(run, self.cl_debtor)
        self.assertEqual(action.level_id, self.level_formal)
        self.assertEqual(action.state, "deferred")
        self.assertIn("CL-FREQ-OTHER", action.compliance_rules)
        self.assertEqual(
            action.not_before,
            datetime(2026, 3, 19, 15, 0),
            "CL-FREQ-OTHER: 7 days after the first letter",
        )
        self.assertFalse(run.letter_attachment_id)
        self.assertFalse(self.sent_mails(self.cl_debtor))

    def test_CL_FEES_unknown_uf_value_blocks_the_fee(self):
        self.invoice(self.cl_debtor, 1000, TODAY - timedelta(days=50))
        with freeze_time(datetime(2026, 3, 16, 15, 0)):
            run = self.run_followup()
        action = self.action_of(run, self.cl_debtor)
        self.assertEqual(action.state, "blocked")
        self.assertIn("CL-FEES", action.compliance_rules)

    def test_US_FREQ_8th_call_in_7_days_blocked(self):
        self.company.cobranza_actor_type = "agency"
        Contact = self.env["cobranza.contact"]
        Contact.create(
            [
                {
                    "partner_id": self.us_debtor.id,
                    "contact_date": datetime(2026, 3, 10, 15, 0)
                    + timedelta(hours=12 * i),
                    "channel": "call",
                }
                for i in range(7)
            ]
        )
        self.invoice(self.us_debtor, 400, TODAY - timedelta(days=25))
        with freeze_time(datetime(2026, 3, 16, 16, 0)):
            run = self.run_followup()
        action = self.action_of(run, self.us_debtor)
        self.assertEqual(action.level_id, self.level_call)
        self.assertEqual(action.state, "blocked")
        self.assertEqual(action.compliance_rules, "US-FREQ")
        self.assertIn("12 CFR 1006.14(b)(2)", action.note)
        self.assertFalse(
            self.env["mail.activity"].search_count(
                [("res_model", "=", "res.partner"), ("res_id", "=", self.us_debtor.id)]
            )
        )

    def test_same_run_counts_its_own_contacts(self):
        """Two actions of one debtor in one run: the second sees the first."""
        self.company.cobranza_uf_value = 39000
        self.invoice(self.cl_debtor, 500, TODAY - timedelta(days=10))
        self.invoice(self.cl_debtor, 700, TODAY - timedelta(days=50))
        with freeze_time(datetime(2026, 3, 16, 15, 0)):
            run = self.run_followup()
        actions = self.action_of(run, self.cl_debtor)
        self.assertEqual(len(self.ledger(self.cl_debtor, outcome="allowed")), 1)
        self.assertIn("deferred", actions.mapped("state"))
        self.assertIn(
            "CL-FREQ-OTHER", " ".join(filter(None, actions.mapped("compliance_rules")))
        )

    def test_ledger_fetched_in_one_query(self):
        partners = self.co_debtor | self.cl_debtor | self.us_debtor
        for partner in partners:
            self.env["cobranza.contact"].create(
                {
                    "partner_id": partner.id,
                    "contact_date": datetime(2026, 3, 1),
                    "channel": "email",
                }
            )
        self.env.flush_all()
        with self.assertQueryCount(1):
            ledgers = self.env["cobranza.contact"]._ledgers(partners.ids)
        self.assertEqual(
            {p: len(v) for p, v in ledgers.items()}, {p: 1 for p in partners.ids}
        )


@tagged("post_install", "-at_install")
class TestComplianceOverride(CompliancePartners):
    def _cl_sunday_call(self):
        self.invoice(self.cl_debtor, 400, TODAY - timedelta(days=25))
        with freeze_time(SUNDAY_10_BOGOTA):
            run = self.run_followup()
        action = self.action_of(run, self.cl_debtor)
        self.assertEqual(action.state, "deferred")
        self.assertEqual(action.compliance_rules, "CL-HOURS")
        return action

    def test_manager_overrides_warn_rule_with_justification(self):
        action = self._cl_sunday_call()
        with freeze_time(SUNDAY_10_BOGOTA):
            with self.assertRaises(UserError):
                action.with_user(self.manager).action_override(["CL-HOURS"], "  ")
            action.with_user(self.manager).action_override(
                ["CL-HOURS"], "The debtor asked to be called back on Sunday."
            )
            self.assertEqual(action.state, "proposed")
            action.with_user(self.manager).action_send_now()
        self.assertEqual(action.state, "done")
        self.assertTrue(action.channel_activity)
        row = self.ledger(self.cl_debtor, outcome="allowed")
        self.assertEqual(
            row.override_justification, "The debtor asked to be called back on Sunday."
        )
        self.assertIn("CL-HOURS", row.rule_ids_text)
        self.assertTrue(
            self.cl_debtor.message_ids.filtered(
                lambda m: "Compliance override" in (m.body or "")
            )
        )

    def test_collector_cannot_override(self):
        action = self._cl_sunday_call()
        with self.assertRaises(AccessError):
            action.with_user(self.collector).action_override(["CL-HOURS"], "Please")

    def test_block_rules_cannot_be_overridden(self):
        action = self._cl_sunday_call()
        with self.assertRaises(UserError):
            action.with_user(self.manager).action_override(["CO-HOURS"], "Urgent")

    def test_override_wizard(self):
        action = self._cl_sunday_call()
        wizard = (
            self.env["cobranza.override.wizard"]
            .with_user(self.manager)
            .with_context(default_action_id=action.id)
            .create({"justification": "Agreed by phone"})
        )
        # only the warn rules that stopped this action are offered
        self.assertEqual(wizard.allowed_rule_ids.mapped("rule_code"), ["CL-HOURS"])
        self.assertEqual(wizard.rule_ids.mapped("rule_code"), ["CL-HOURS"])
        wizard.action_confirm()
        self.assertEqual(action.override_rules, "CL-HOURS")

    def test_override_not_offered_for_block_rules(self):
        action = self._cl_sunday_call()
        action = action.sudo()  # the rules a send was stopped by, as the run writes
        action.compliance_rules = "CO-HOURS"  # a block-level rule only
        self.assertFalse(action.cobranza_overridable_rule_ids)
        action.compliance_rules = "CL-HOURS,CO-HOURS"
        self.assertEqual(
            action.cobranza_overridable_rule_ids.mapped("rule_code"), ["CL-HOURS"]
        )


@tagged("post_install", "-at_install")
class TestComplianceSecurity(CompliancePartners):
    def test_users_read_rules_admins_edit(self):
        rule = self.env["cobranza.rule"].search([("rule_code", "=", "CO-HOURS")])
        self.assertEqual(rule.with_user(self.collector).severity, "block")
        with self.assertRaises(AccessError):
            rule.with_user(self.collector).severity = "warn"
        with self.assertRaises(AccessError):
            rule.with_user(self.manager).severity = "warn"
        with self.assertRaises(AccessError):
            self.env["cobranza.contact"].with_user(self.collector).create(
                {"partner_id": self.co_debtor.id, "channel": "email"}
            )
        rule.citation_url = "https://www.suin-juriscol.gov.co"
        self.assertTrue(rule.citation_url)

    def test_company_switches_a_pack_off_and_adds_its_own_rule(self):
        pack = self.env.ref("cobranza_addon.cobranza_rule_pack_co")
        pack.action_switch_off()
        self.assertFalse(pack.enabled)
        codes = {
            r.rule_id
            for r in self.env["cobranza.rule"]._core_rules(self.company, {"CO"})
        }
        self.assertNotIn("CO-HOURS", codes)
        pack.action_switch_on()
        self.env["cobranza.rule"].create(
            {
                "rule_code": "ACME-NO-SAT",
                "pack_id": pack.id,
                "company_id": self.company.id,
                "jurisdiction": "CO",
                "kind": "time_window",
                "params": '{"windows": {"mon-fri": ["09:00", "17:00"]}}',
            }
        )
        codes = {
            r.rule_id
            for r in self.env["cobranza.rule"]._core_rules(self.company, {"CO"})
        }
        self.assertTrue({"CO-HOURS", "ACME-NO-SAT"} <= codes)
        with self.assertRaisesRegex(ValidationError, "parameters are not valid"):
            self.env["cobranza.rule"].create(
                {
                    "rule_code": "BAD",
                    "pack_id": pack.id,
                    "jurisdiction": "CO",
                    "kind": "time_window",
                    "params": "{not json",
                }
            )


@tagged("post_install", "-at_install")
class TestComplianceComposer(CompliancePartners):
    def _compose(self, partner):
        return (
            self.env["mail.compose.message"]
            .with_context(default_model="res.partner", default_res_ids=partner.ids)
            .create(
                {
                    "subject": "Su cuenta",
                    "body": "<p>Hola</p>",
                    "partner_ids": partner.ids,
                    "composition_mode": "comment",
                }
            )
        )

    def test_manual_send_on_sunday_refused_CO_HOURS(self):
        self.invoice(self.co_debtor, 300, TODAY - timedelta(days=10))
        with freeze_time(SUNDAY_10_BOGOTA):
            with self.assertRaisesRegex(UserError, "CO-HOURS"):
                self._compose(self.co_debtor).action_send_mail()
        with freeze_time(MONDAY_0700_BOGOTA + timedelta(hours=1)):
            self._compose(self.co_debtor).action_send_mail()
        row = self.ledger(self.co_debtor)
        self.assertEqual(
            (row.origin, row.outcome, row.channel), ("manual", "allowed", "email")
        )

    def test_partner_not_in_collection_is_not_checked(self):
        with freeze_time(SUNDAY_10_BOGOTA):
            self._compose(self.co_debtor).action_send_mail()
        self.assertFalse(self.ledger(self.co_debtor))

    def _send_invoice(self, invoice):
        wizard = (
            self.env["account.move.send.wizard"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"sending_methods": ["email"]})
        )
        return wizard.action_send_and_print(allow_fallback_pdf=True)

    def test_invoice_send_of_an_overdue_invoice_is_checked_CO_HOURS(self):
        with freeze_time(SUNDAY_10_BOGOTA):
            overdue = self.invoice(self.co_debtor, 300, TODAY - timedelta(days=10))
            with self.assertRaisesRegex(UserError, "CO-HOURS"):
                self._send_invoice(overdue)
        self.assertFalse(self.ledger(self.co_debtor))
        with freeze_time(MONDAY_0700_BOGOTA + timedelta(hours=1)):
            self._send_invoice(overdue)
        row = self.ledger(self.co_debtor)
        self.assertEqual(
            (row.origin, row.res_model, row.res_id),
            ("manual", "account.move", overdue.id),
        )

    def test_invoice_send_of_a_new_invoice_is_ordinary_invoicing(self):
        with freeze_time(SUNDAY_10_BOGOTA):
            self.invoice(self.co_debtor, 300, TODAY - timedelta(days=10))
            fresh = self.invoice(self.co_debtor, 80, TODAY + timedelta(days=30))
            self._send_invoice(fresh)
        self.assertFalse(self.ledger(self.co_debtor))
