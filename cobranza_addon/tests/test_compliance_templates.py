from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..cobranza_core import compliance
from .common import TODAY, CobranzaCommon

JURISDICTIONS = ("MX", "CO", "PE", "CL", "AR", "ES", "EU", "US")


@tagged("post_install", "-at_install")
class TestComplianceTemplates(CobranzaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mx_debtor = cls.env["res.partner"].create(
            {"name": "Mariana López", "country_id": cls.env.ref("base.mx").id}
        )

    def _set(self):
        templates = self.env["mail.template"].search([("cobranza_lang", "!=", False)])
        sms = self.env["sms.template"].search([("cobranza_lang", "!=", False)])
        return templates, sms

    def test_template_set_covers_every_stage_in_es_and_en(self):
        templates, sms = self._set()
        stages = set(templates.mapped("cobranza_stage_code"))
        self.assertEqual(len(stages), 11)
        for lang in ("es", "en"):
            self.assertEqual(
                set(
                    templates.filtered(lambda t: t.cobranza_lang == lang).mapped(
                        "cobranza_stage_code"
                    )
                ),
                stages,
            )
        self.assertEqual(len(sms), 16)
        for template in templates:
            tags = set(template.cobranza_block_tags.split(", "))
            self.assertTrue(
                {
                    "mandatory_disclosure",
                    "opt_out",
                    "collector_identity",
                    "amount_breakdown",
                }
                <= tags,
                template.name,
            )

    def test_every_template_passes_every_jurisdiction(self):
        rules = self.env["cobranza.rule"]._core_rules(self.company, None)
        envelope = self.env["cobranza.rule"]._letter_envelope_text()
        self.assertNotIn("overdue", envelope.lower())
        templates, sms = self._set()
        for actor in ("creditor", "agency"):
            for code in JURISDICTIONS:
                for template in templates:
                    for channel in ("email", "letter"):
                        content = template._cobranza_content(channel)
                        reasons = compliance.lint_template(
                            channel=channel,
                            tags=content["tags"],
                            subject=content["subject"],
                            body_text=content["body"],
                            envelope_text=envelope if channel == "letter" else "",
                            rules=rules,
                            jurisdiction=code,
                            actor_type=actor,
                        )
                        self.assertFalse(
                            reasons, f"{template.name} {channel} {code} {actor}"
                        )
                for template in sms:
                    content = template._cobranza_content("sms")
                    reasons = [
                        r
                        for r in compliance.lint_template(
                            channel="sms",
                            tags=content["tags"],
                            body_text=content["body"],
                            sms_length=content["sms_length"],
                            rules=rules,
                            jurisdiction=code,
                            actor_type=actor,
                        )
                        if r.rule_id != "SMS-ENCODING"
                    ]
                    self.assertFalse(reasons, f"{template.name} {code} {actor}")

    def test_set_templates_can_be_attached_and_rendered(self):
        template = self.env.ref(
            "cobranza_addon.mail_template_cobranza_overdue_friendly_es"
        )
        self.level_friendly.mail_template_id = template
        self.level_friendly.sms_template_id = self.env.ref(
            "cobranza_addon.sms_template_cobranza_overdue_friendly_es"
        )
        self.invoice(self.customer, 250, TODAY - timedelta(days=10))
        with freeze_time(TODAY):
            run = self.run_followup()
        action = run.action_ids.filtered(lambda a: a.partner_id == self.customer)
        self.assertEqual(action.state, "done")
        message = self.customer.message_ids.filtered(
            lambda m: m.subject and "Recordatorio de pago" in m.subject
        )
        self.assertTrue(message)
        self.assertIn("su acreedor", message.body)

    def test_threat_phrase_cannot_be_attached_MX_CRIME(self):
        bad = self.tmpl_friendly.copy({"name": "Threatening"})
        bad.body_html = "<p>Si no paga irá a la cárcel.</p>"  # not attached yet: fine
        with self.assertRaisesRegex(ValidationError, "MX-CRIME"):
            self.level_friendly.mail_template_id = bad

    def test_editing_an_attached_template_is_checked(self):
        with self.assertRaisesRegex(ValidationError, "MX-CRIME"):
            self.tmpl_friendly.body_html = "<p>Le enviaremos a prisión.</p>"

    def test_sms_longer_than_160_cannot_be_attached(self):
        long_sms = self.sms_overdue.copy({"body": "Pague ya. " * 20})
        with self.assertRaisesRegex(ValidationError, "SMS-LENGTH"):
            self.level_friendly.sms_template_id = long_sms


@tagged("post_install", "-at_install")
class TestComplianceInterest(CobranzaCommon):
    def test_es_b2b_interest_and_compensation_on_the_action(self):
        """Worked example of readme/USAGE.md: ES B2B, EUR 10,000.00, 45 days."""
        self.company.cobranza_charge_interest = True
        buyer = self.env["res.partner"].create(
            {
                "name": "Construcciones Ibéricas SL",
                "is_company": True,
                "country_id": self.env.ref("base.es").id,
            }
        )
        invoice = self.invoice(
            buyer, 10000, date(2025, 7, 18), invoice_date=date(2025, 7, 1)
        )
        action = self.env["cobranza.action"].create(
            {
                "partner_id": buyer.id,
                "level_id": self.level_formal.id,
                "date": date(2025, 9, 1),
                "invoice_ids": [(6, 0, invoice.ids)],
            }
        )
        # ECB rate before 1 Jul 2025 = 2.15 % + 8 = 10.15 %; 45 days.
        self.assertAlmostEqual(action.interest_amount, 125.14, places=2)
        self.assertAlmostEqual(action.compensation_amount, 40.0, places=2)
        self.company.cobranza_charge_interest = False
        action.invalidate_recordset(["interest_amount"])
        self.assertEqual(action.interest_amount, 0.0)
