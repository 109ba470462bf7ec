from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import file_open
from odoo.tools.translate import PoFileReader, TranslationImporter

from ..cobranza_core import compliance
from .common import TODAY, CobranzaCommon
from .test_wording import load_spanish

JURISDICTIONS = ("MX", "CO", "PE", "CL", "AR", "ES", "EU", "US")
#: Spanish translations of the template set (merged into i18n/es.po).
FRAGMENT = "cobranza_addon/i18n/es_template_set.po.fragment"
#: Neutral Latin American Spanish (es.po) and Spain's (es.po + es_ES.po).
LANGS = ("en_US", "es_419", "es_ES")


@tagged("post_install", "-at_install")
class TestComplianceTemplates(CobranzaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mx_debtor = cls.env["res.partner"].create(
            {"name": "Mariana López", "country_id": cls.env.ref("base.mx").id}
        )
        cls.env["res.lang"]._activate_lang("es_419")
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.load_spanish_fragment(cls.env)

    @staticmethod
    def load_spanish_fragment(env):
        """Load the Spanish translations of the set as Odoo loads them: the
        neutral ones (es.po) for every Spanish, then Spain's (es_ES.po)."""
        importer = TranslationImporter(env.cr, verbose=False)
        for lang in ("es_419", "es_ES"):
            with file_open(FRAGMENT, "rb") as fragment:
                importer.load(fragment, "po", lang)
        importer.save(overwrite=True)
        load_spanish(env, ["es_ES"])

    def _set(self):
        templates = self.env["mail.template"].search(
            [("cobranza_stage_code", "!=", False)]
        )
        sms = self.env["sms.template"].search([("cobranza_stage_code", "!=", False)])
        return templates, sms

    def test_template_set_covers_every_stage_in_es_and_en(self):
        templates, sms = self._set()
        self.assertEqual(len(templates), 11, "one record per stage")
        self.assertEqual(len(set(templates.mapped("cobranza_stage_code"))), 11)
        self.assertEqual(len(sms), 8)
        for template in [*templates, *sms]:
            self.assertEqual(template.lang, "{{ object.partner_id.lang }}")
        for template in templates:
            en, es = (
                template.with_context(lang="en_US"),
                template.with_context(lang="es_419"),
            )
            for field in ("name", "subject", "body_html"):
                self.assertNotEqual(en[field], es[field], f"{template.name} {field}")
            for lang_template in (en, es):
                tags = set(lang_template.cobranza_block_tags.split(", "))
                self.assertTrue(
                    {
                        "mandatory_disclosure",
                        "opt_out",
                        "collector_identity",
                        "amount_breakdown",
                    }
                    <= tags,
                    lang_template.name,
                )
            self.assertIn("Estimados señores:", es.body_html)
            self.assertNotIn("Estimado/a", es.body_html)
            self.assertIn("Dear", en.body_html)
        for template in sms:
            self.assertIn("BAJA", template.with_context(lang="es_ES").body)
            self.assertIn("STOP", template.with_context(lang="en_US").body)

    def test_fragment_msgids_are_the_stored_english_values(self):
        """Each entry's msgid is the value Odoo stores (and exports) in
        English, its msgstr the Spanish value as stored."""
        count = 0
        with file_open(FRAGMENT, "rb") as fragment:
            for row in PoFileReader(fragment):
                model, field = row["name"].split(",")
                record = self.env.ref(f"{row['module']}.{row['imd_name']}")
                self.assertEqual(record._name, model)
                self.assertEqual(record.with_context(lang="en_US")[field], row["src"])
                self.assertEqual(
                    record.with_context(lang="es_419")[field], row["value"]
                )
                count += 1
        self.assertEqual(count, 11 * 3 + 8 * 2)

    def test_every_template_passes_every_jurisdiction(self):
        rules = self.env["cobranza.rule"]._core_rules(self.company, None)
        envelope = self.env["cobranza.rule"]._letter_envelope_text()
        self.assertNotIn("overdue", envelope.lower())
        templates, sms = self._set()
        for lang in LANGS:
            for actor in ("creditor", "agency"):
                for code in JURISDICTIONS:
                    for template in templates.with_context(lang=lang):
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
                                reasons,
                                f"{template.name} {channel} {code} {actor} {lang}",
                            )
                    for template in sms.with_context(lang=lang):
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
                        self.assertFalse(
                            reasons, f"{template.name} {code} {actor} {lang}"
                        )

    def test_one_template_renders_in_each_customers_language(self):
        """One template per level (the friendly one, as in the Standard
        policy), two customers: each gets the email and the SMS in their own
        language, through a real follow-up run."""
        standard = self.env.ref("cobranza_addon.cobranza_policy_standard").sudo()
        friendly = standard.level_ids.filtered(lambda lv: lv.offset_days == 5)
        self.assertEqual(friendly.mail_template_id, self.tmpl_friendly)
        self.assertEqual(friendly.sms_template_id, self.sms_overdue)
        cliente = self.env["res.partner"].create(
            {
                "name": "Comercial Ibérica",
                "is_company": True,
                "email": "pagos@iberica.example",
                "mobile": "+34600333444",
                "lang": "es_ES",
            }
        )
        self.invoice(self.customer, 250, TODAY - timedelta(days=10))
        self.invoice(cliente, 300, TODAY - timedelta(days=10))
        with freeze_time(TODAY):
            run = self.run_followup()
        self.assertEqual(set(run.action_ids.mapped("state")), {"done"})
        mails = self.env["mail.mail"]
        es_mail = mails.search([("recipient_ids", "in", cliente.ids)])
        en_mail = mails.search([("recipient_ids", "in", self.customer.ids)])
        self.assertEqual(len(es_mail), 1)
        self.assertEqual(len(en_mail), 1)
        self.assertIn("Recordatorio de pago", es_mail.subject)
        self.assertIn("Estimados señores:", es_mail.body_html)
        self.assertIn("su acreedor", es_mail.body_html)
        self.assertNotIn("Dear", es_mail.body_html)
        self.assertIn("Payment reminder", en_mail.subject)
        self.assertIn("Dear", en_mail.body_html)
        self.assertIn("your creditor", en_mail.body_html)
        self.assertNotIn("Estimado/a", en_mail.body_html)
        sms = self.env["sms.sms"]
        es_sms = sms.search([("partner_id", "=", cliente.id)])
        en_sms = sms.search([("partner_id", "=", self.customer.id)])
        self.assertIn("Responda BAJA", es_sms.body)
        self.assertIn("Reply STOP", en_sms.body)

    def test_standard_policy_uses_the_template_set(self):
        standard = self.env.ref("cobranza_addon.cobranza_policy_standard").sudo()
        # The installment reminders use the payment-plan templates.
        for level in standard.level_ids.filtered(lambda lv: not lv.plan_reminder):
            templates = (
                level.mail_template_id | level.letter_template_id,
                level.sms_template_id,
            )
            for template in [*templates[0], *templates[1]]:
                self.assertTrue(template.cobranza_stage_code, level.name)
        formal = standard.level_ids.filtered("use_letter")
        self.assertEqual(formal.letter_template_id, self.tmpl_letter)
        self.assertEqual(formal.letter_template_id.cobranza_stage_code, "formal_demand")

    def test_threat_phrase_cannot_be_attached_MX_CRIME(self):
        bad = self.tmpl_friendly.copy({"name": "Threatening"})
        bad.body_html = "<p>Si no paga irá a la cárcel.</p>"  # not attached yet: fine
        with self.assertRaisesRegex(ValidationError, "MX-CRIME"):
            self.level_friendly.mail_template_id = bad

    def test_editing_an_attached_template_is_checked(self):
        with self.assertRaisesRegex(ValidationError, "MX-CRIME"):
            self.tmpl_friendly.body_html = "<p>Le enviaremos a prisión.</p>"

    def test_spanish_threat_in_the_translation_is_refused(self):
        """The English text is clean; the threat is only in the es_ES
        translation of an attached template: saving it is refused."""
        self.assertEqual(self.level_friendly.mail_template_id, self.tmpl_friendly)
        spanish = self.tmpl_friendly.with_context(lang="es_ES")
        with self.assertRaises(ValidationError) as caught:  # in a savepoint
            spanish.body_html = "<p>Si no paga irá a la cárcel.</p>"
        self.assertRegex(str(caught.exception), r"es_ES\): MX-CRIME")
        spanish.invalidate_recordset()
        self.assertNotIn("cárcel", spanish.body_html)
        self.assertIn("Estimados señores:", spanish.body_html)
        with self.assertRaisesRegex(ValidationError, r"es_ES\): MX-CRIME"):
            spanish.subject = "Pague o irá a la cárcel"
        sms = self.sms_overdue.with_context(lang="es_ES")
        with self.assertRaisesRegex(ValidationError, "MX-CRIME"):
            sms.body = "Pague hoy o irá a la cárcel. Responda BAJA."

    def test_spanish_threat_in_a_translation_cannot_be_attached(self):
        bad = self.tmpl_friendly.copy({"name": "Threat in Spanish only"})
        bad.with_context(lang="es_ES").body_html = "<p>Le enviaremos a prisión.</p>"
        english = bad.with_context(lang="en_US")._cobranza_content("email")
        self.assertNotIn("prisión", english["body"])
        with self.assertRaisesRegex(ValidationError, "MX-CRIME"):
            self.level_friendly.mail_template_id = bad

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
        # As the run would make it (only the run makes actions).
        action = (
            self.env["cobranza.action"]
            .sudo()
            .create(
                {
                    "partner_id": buyer.id,
                    "level_id": self.level_formal.id,
                    "date": date(2025, 9, 1),
                    "invoice_ids": [(6, 0, invoice.ids)],
                }
            )
        )
        # ECB rate before 1 Jul 2025 = 2.15 % + 8 = 10.15 %; 45 days.
        self.assertAlmostEqual(action.interest_amount, 125.14, places=2)
        self.assertAlmostEqual(action.compensation_amount, 40.0, places=2)
        self.company.cobranza_charge_interest = False
        action.invalidate_recordset(["interest_amount"])
        self.assertEqual(action.interest_amount, 0.0)
