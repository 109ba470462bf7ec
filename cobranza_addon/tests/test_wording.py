"""What the customer reads: greetings, plurals, the language split between
Latin America (es.po, es_419) and Spain (es_ES.po), translated data names,
and a pay link that works without a portal account."""

import logging
import re
from datetime import timedelta

from odoo.tests import HttpCase, tagged
from odoo.tools import html2plaintext

from .common import TODAY, CobranzaCommon

_logger = logging.getLogger(__name__)

STAGES = (
    "pre_due",
    "due_today",
    "overdue_friendly",
    "overdue_firm",
    "formal_demand",
    "bureau_notice",
    "final_notice",
    "plan_offer",
    "agreement_confirmation",
    "broken_agreement",
    "thank_you",
)
#: Spain's Spanish that a Latin American customer must not receive.
SPAIN_ONLY = ("abon", "rogamos", "Importe", "Estimado/a", "impagad", "naturales")


class WordingCommon(CobranzaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for lang in ("es_419", "es_CO", "es_ES"):
            cls.env["res.lang"]._activate_lang(lang)
        # As Odoo loads them: es.po, then es_419.po / es_CO.po / es_ES.po.
        cls.env["ir.module.module"]._load_module_terms(
            ["cobranza_addon"], ["es_419", "es_CO", "es_ES"], overwrite=True
        )
        ref = cls.env.ref
        cls.co_company = cls.env["res.partner"].create(
            {
                "name": "Supermercado La Canasta",
                "is_company": True,
                "lang": "es_CO",
                "email": "pagos@lacanasta.example",
                "mobile": "+573001112233",
                "country_id": ref("base.co").id,
            }
        )
        cls.es_person = cls.env["res.partner"].create(
            {
                "name": "Lucía Fernández",
                "title": ref("base.res_partner_title_madam").id,
                "lang": "es_ES",
                "email": "lucia@example.es",
                "mobile": "+34600444555",
                "country_id": ref("base.es").id,
            }
        )
        cls.us_customer = cls.env["res.partner"].create(
            {
                "name": "Acme Hardware Inc.",
                "is_company": True,
                "lang": "en_US",
                "email": "ap@acme.example",
                "mobile": "+15555550100",
                "country_id": ref("base.us").id,
            }
        )

    def action_for(self, partner, days_late=(10,), level=None):
        """An action of ``partner`` dated TODAY over one invoice per entry of
        ``days_late`` (negative: not yet due)."""
        invoices = self.env["account.move"]
        for days in days_late:
            invoices |= self.invoice(partner, 100 + days, TODAY - timedelta(days=days))
        return self.env["cobranza.action"].create(
            {
                "partner_id": partner.id,
                "level_id": (level or self.level_friendly).id,
                "date": TODAY,
                "invoice_ids": [(6, 0, invoices.ids)],
                "amount_due": sum(invoices.mapped("amount_residual")),
            }
        )

    def render(self, code, action):
        template = self.env.ref(f"cobranza_addon.mail_template_cobranza_{code}")
        body = template._render_field(
            "body_html", action.ids, compute_lang=True, options={"post_process": True}
        )[action.id]
        return html2plaintext(body)

    def render_sms(self, code, action):
        template = self.env.ref(f"cobranza_addon.sms_template_cobranza_{code}")
        return template._render_field("body", action.ids, compute_lang=True)[action.id]


@tagged("post_install", "-at_install")
class TestWording(WordingCommon):
    def test_company_greeted_as_estimados_senores(self):
        action = self.action_for(self.co_company)
        text = self.render("overdue_friendly", action)
        self.assertTrue(text.startswith("Estimados señores:"), text[:80])
        self.assertNotIn("Supermercado La Canasta:", text)
        english = self.render("overdue_friendly", self.action_for(self.us_customer))
        self.assertTrue(english.startswith("Dear Sir or Madam,"), english[:80])

    def test_person_greeted_by_name_with_the_right_gender(self):
        text = self.render("overdue_friendly", self.action_for(self.es_person))
        self.assertTrue(text.startswith("Estimada Lucía Fernández:"), text[:80])
        self.es_person.title = self.env.ref("base.res_partner_title_mister")
        self.es_person.name = "Luis Fernández"
        text = self.render("overdue_friendly", self.action_for(self.es_person))
        self.assertTrue(text.startswith("Estimado Luis Fernández:"), text[:80])
        # Gender unknown: the name alone, never "Estimado/a".
        self.es_person.title = self.env.ref("base.res_partner_title_doctor")
        text = self.render("overdue_friendly", self.action_for(self.es_person))
        self.assertTrue(text.startswith("Luis Fernández:"), text[:80])
        self.es_person.lang = "en_US"
        text = self.render("overdue_friendly", self.action_for(self.es_person))
        self.assertTrue(text.startswith("Dear Luis Fernández,"), text[:80])

    def test_real_plurals_in_every_template_and_language(self):
        partners = (self.co_company, self.es_person, self.us_customer)
        for partner in partners:
            one = self.action_for(partner, (12,))
            many = self.action_for(partner, (40, 12, -3))
            for code in STAGES:
                for action in (one, many):
                    text = self.render(code, action)
                    self.assertNotRegex(text, r"\w\((s|es|as|os|a)\)", (code, partner))
                    self.assertNotIn("Estimado/a", text)
                    if partner == self.co_company:
                        for word in SPAIN_ONLY:
                            self.assertNotIn(word, text, (code, word))
        co_one = self.render("overdue_friendly", self.action_for(self.co_company))
        self.assertIn("la factura que se indica abajo ya venció", co_one)
        self.assertIn("Factura vencida", co_one)
        self.assertIn("Monto pendiente", co_one)
        co_many = self.render(
            "overdue_friendly", self.action_for(self.co_company, (30, 10))
        )
        self.assertIn("las facturas que se indican abajo ya vencieron", co_many)
        self.assertIn("Facturas vencidas", co_many)
        es_many = self.render("overdue_firm", self.action_for(self.es_person, (30, 10)))
        self.assertIn("Le rogamos que las abone", es_many)
        self.assertIn("Importe pendiente", es_many)
        en_one = self.render("overdue_friendly", self.action_for(self.us_customer))
        self.assertIn("the invoice below is past its due date", en_one)

    def test_overdue_and_not_yet_due_said_apart(self):
        """A pre-due reminder that also lists an overdue invoice says so,
        and each amount stands under its own heading and total."""
        action = self.action_for(self.co_company, (4, -3), level=self.level_pre)
        text = self.render("pre_due", action)
        self.assertIn("la factura que se indica abajo vence pronto", text)
        self.assertIn("La factura que aparece como vencida ya pasó", text)
        self.assertIn("Total vencido", text)
        self.assertIn("Total por vencer", text)
        self.assertIn("Saldo total", text)
        only_overdue = self.action_for(self.us_customer, (2,), level=self.level_pre)
        text = self.render("pre_due", only_overdue)
        self.assertNotIn("falls due soon", text)
        self.assertIn("The invoice listed as overdue is already past", text)
        friendly = self.action_for(self.us_customer, (20, -5))
        text = self.render("overdue_friendly", friendly)
        self.assertIn("we also list the invoice that is not yet due", text)

    def test_sms_per_language(self):
        co_sms = self.render_sms("overdue_friendly", self.action_for(self.co_company))
        self.assertIn("tiene un saldo vencido de", co_sms)
        self.assertIn("access_token=", co_sms)
        self.assertIn("Responda BAJA", co_sms)
        es_sms = self.render_sms("overdue_friendly", self.action_for(self.es_person))
        self.assertIn("pendiente de pago", es_sms)
        us_sms = self.render_sms("overdue_friendly", self.action_for(self.us_customer))
        self.assertIn("Reply STOP", us_sms)

    def test_level_stage_and_holiday_names_are_translated(self):
        ref = self.env.ref
        names = {
            "cobranza_addon.cobranza_level_standard_friendly": "Recordatorio amable",
            "cobranza_addon.cobranza_level_standard_agency": (
                "Traspaso a la agencia de cobranza"
            ),
            "cobranza_addon.cobranza_policy_standard": "Seguimiento estándar",
            "cobranza_addon.cobranza_stage_extrajudicial": "Extrajudicial",
            "cobranza_addon.cobranza_stage_administrative": "Administrativa",
            "cobranza_addon.cobranza_holiday_co_20260720": "Día de la Independencia",
            "cobranza_addon.cobranza_holiday_es_20261012": "Fiesta Nacional de España",
            "cobranza_addon.cobranza_holiday_us_20260703": (
                "Día de la Independencia (feriado trasladado)"
            ),
        }
        for xmlid, spanish in names.items():
            self.assertEqual(ref(xmlid).with_context(lang="es_CO").name, spanish)
        self.assertEqual(
            ref("cobranza_addon.cobranza_level_standard_friendly")
            .with_context(lang="en_US")
            .name,
            "Friendly reminder",
        )
        # Every shipped level and policy has an XML id (translatable name).
        standard = ref("cobranza_addon.cobranza_policy_standard")
        self.assertTrue(all(standard.level_ids.get_external_id().values()))
        holidays = self.env["cobranza.holiday"].search([])
        self.assertGreaterEqual(len(holidays), 194)
        for holiday in holidays:
            self.assertTrue(holiday.with_context(lang="en_US").name, holiday.date)
            self.assertTrue(holiday.with_context(lang="es_ES").name, holiday.date)
        self.assertEqual(
            ref("cobranza_addon.cobranza_holiday_us_20260703")
            .with_context(lang="en_US")
            .name,
            "Independence Day (observed)",
        )

    def test_print_what_three_customers_read(self):
        """The email and SMS of a Colombian company, a Spanish person and a
        US customer, in the log, for a human to read."""
        for partner in (self.co_company, self.es_person, self.us_customer):
            action = self.action_for(partner, (35, 8, -4))
            text = self.render("overdue_firm", action)
            sms = self.render_sms("overdue_firm", action)
            _logger.info(
                "--- %s (%s)\n%s\nSMS: %s", partner.name, partner.lang, text, sms
            )
            self.assertIn(partner.name if not partner.is_company else "", text)


@tagged("post_install", "-at_install")
class TestPayLink(WordingCommon, HttpCase):
    def test_pay_link_opens_the_invoice_without_login(self):
        action = self.action_for(self.co_company, (10,))
        invoice = action.invoice_ids
        text = self.render("overdue_friendly", action)
        url = action._cobranza_pay_url(invoice)
        self.assertIn(f"/my/invoices/{invoice.id}?access_token=", url)
        self.assertIn(url, text)
        self.assertNotIn("/my/invoices\n", text)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(invoice.name, response.text)
        # Without the token, the page is not shown to an anonymous visitor.
        bare = self.url_open(
            re.sub(r"\?access_token=.*", "", url), allow_redirects=False
        )
        self.assertNotEqual(bare.status_code, 200)
        # Several invoices: each has its own link.
        many = self.action_for(self.co_company, (30, 10))
        html = self.env.ref(
            "cobranza_addon.mail_template_cobranza_overdue_friendly"
        )._render_field("body_html", many.ids, compute_lang=True)[many.id]
        for move in many.invoice_ids:
            self.assertIn(f"/my/invoices/{move.id}?access_token=", html)
