import random
import unicodedata
from datetime import timedelta

from odoo import Command, api, fields, models

from .cobranza_lang import in_user_lang

CUSTOMERS = [
    # name, country, lang, city (Latin America: neutral Latin American
    # Spanish, es_419; Spain: es_ES)
    ("Distribuidora Andina S.A.S.", "CO", "es_419", "Bogotá"),
    ("Ferretería El Tornillo", "MX", "es_419", "Guadalajara"),
    ("Comercial Los Andes SpA", "CL", "es_419", "Santiago"),
    ("Panadería La Espiga", "ES", "es_ES", "Sevilla"),
    ("Textiles del Sur S.R.L.", "AR", "es_419", "Córdoba"),
    ("Agroinsumos Pacífico S.A.C.", "PE", "es_419", "Lima"),
    ("Hotel Mirador", "ES", "es_ES", "Málaga"),
    ("Constructora Roble", "MX", "es_419", "Monterrey"),
    ("Farmacias Salud Total", "CO", "es_419", "Medellín"),
    ("Librería Cervantes", "ES", "es_ES", "Madrid"),
    ("Transportes Rápidos del Norte", "MX", "es_419", "Chihuahua"),
    ("Clínica Dental Sonrisa", "CL", "es_419", "Valparaíso"),
    ("Café Altura", "CO", "es_419", "Manizales"),
    ("Muebles Nogal S.L.", "ES", "es_ES", "Valencia"),
    ("Supermercado La Canasta", "PE", "es_419", "Arequipa"),
    ("Estudio Contable Rivas", "AR", "es_419", "Rosario"),
    ("Imprenta Gutenberg", "MX", "es_419", "Puebla"),
    ("Vinos del Valle", "CL", "es_419", "Rancagua"),
    ("Óptica Visión Clara", "CO", "es_419", "Cali"),
    ("Talleres Mecánicos Pérez", "ES", "es_ES", "Zaragoza"),
    ("Harbor Supplies Inc.", "US", "en_US", "Miami"),
    ("Blue Ridge Outfitters LLC", "US", "en_US", "Asheville"),
    ("Maple Street Bakery", "US", "en_US", "Boston"),
    ("Nordic Design ApS", "DK", "en_US", "Copenhagen"),
    ("Lumière Boutique SARL", "FR", "en_US", "Lyon"),
    ("Papelería Escolar Arcoíris", "MX", "es_419", "Querétaro"),
    ("Lácteos La Pradera", "AR", "es_419", "Mendoza"),
    ("Gimnasio Fuerza Vital", "PE", "es_419", "Cusco"),
    ("Restaurante El Fogón", "CO", "es_419", "Barranquilla"),
    ("Viveros Primavera", "CL", "es_419", "Concepción"),
]

#: Days past due of the demo invoices: every aging bucket is represented.
DAYS_PAST_DUE = [
    -25,
    -12,
    -2,
    0,
    3,
    8,
    15,
    22,
    28,
    35,
    47,
    58,
    66,
    80,
    95,
    110,
    135,
    170,
    210,
]


class CobranzaDemo(models.AbstractModel):
    _name = "cobranza.demo"
    _description = "Collections demo book"

    @api.model
    def _load_demo_book(self, seed=2026):
        """A realistic book: 30 customers, 150 invoices, two collectors."""
        rng = random.Random(seed)
        company = self.env.ref("base.main_company")
        today = fields.Date.context_today(self)
        self._demo_offline(company)
        self._demo_company_profile(company)
        users = self._demo_users(company)
        collectors = users[1:]
        for lang in ("es_ES", "es_419"):
            if not self.env["res.lang"]._lang_get(lang):
                self.env["res.lang"]._activate_lang(lang)
        # Odoo loads a module's translations after its demo data: load them
        # now, and write the demo in the language of its user (an install
        # runs with an empty context, where notes came out half in English:
        # "Follow-up Run creado", "Invoice disputed: El cliente dice...").
        self.env["ir.module.module"]._load_module_terms(
            ["cobranza_addon"], ["es_ES", "es_419"]
        )
        # written in SQL: the records already read hold the English values
        self.env.invalidate_all()
        self = in_user_lang(self)
        partners = self._demo_partners(rng, collectors, company)
        journal = self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
        )
        if not journal:
            return False
        vals_list = self._demo_invoice_vals(rng, partners, journal, today)
        moves = self.env["account.move"].with_company(company).create(vals_list)
        for move, vals in zip(moves, vals_list, strict=False):
            move.invoice_date_due = vals["invoice_date_due"]
        moves.action_post()
        self._demo_payments(rng, moves)
        self._demo_disputes(moves)
        self._demo_stages(moves)
        moves |= self._demo_sales_history(rng, partners, journal)
        plan = self._demo_plan_and_promise(moves, users)
        self._demo_followup_history(moves)
        self._demo_worklist(moves, users)
        self._demo_legal_ladder(moves)
        self._demo_portal_user(plan)
        # A run waits in preview: sending it renders PDFs, which needs the
        # web server that is not running while the demo data loads. Started
        # by the credit manager, as a person would start it (not OdooBot).
        run = (
            self.env["cobranza.run"]
            .with_user(users[0])
            .with_company(company)
            .create({"company_id": company.id})
        )
        run.action_preview()
        # Twelve month-end snapshots: the dashboard's trend and count-back DSO.
        self.env["cobranza.kpi.snapshot"].with_company(company).action_backfill(12)
        return True

    def _demo_invoice_vals(self, rng, partners, journal, today):
        """150 invoices spread over the customers and every aging bucket."""
        services = [
            ("Contrato de suministro mensual", 850.0),
            ("Servicio de mantenimiento", 420.0),
            ("Horas de consultoría", 1250.0),
            ("Repuestos", 310.0),
            ("Transporte y flete", 95.0),
        ]
        vals_list = []
        for index in range(150):
            partner = partners[index % len(partners)]
            days = DAYS_PAST_DUE[(index * 7 + index // 30) % len(DAYS_PAST_DUE)]
            due = today - timedelta(days=days)
            lines = [
                Command.create(
                    {
                        "name": name,
                        "quantity": rng.randint(1, 4),
                        "price_unit": round(price * rng.uniform(0.6, 1.8), 2),
                        "tax_ids": [Command.clear()],
                    }
                )
                for name, price in rng.sample(services, rng.randint(1, 3))
            ]
            vals_list.append(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "journal_id": journal.id,
                    "company_id": journal.company_id.id,
                    "invoice_date": due - timedelta(days=30),
                    "invoice_date_due": due,
                    "invoice_line_ids": lines,
                }
            )
        return vals_list

    def _demo_disputes(self, moves):
        """A few invoices in collection disputed by their customer."""
        disputed = moves.filtered("cobranza_in_collection")[3:60:12]
        for move in disputed:
            wizard = (
                self.env["cobranza.dispute.wizard"]
                .with_context(active_ids=move.ids)
                .create({"reason": "El cliente dice que la mercadería llegó dañada."})
            )
            wizard.action_confirm()

    def _demo_plan_and_promise(self, moves, users):
        """An approved payment plan and an open promise to pay."""
        today = fields.Date.context_today(self)
        open_moves = moves.filtered(
            lambda m: m.cobranza_in_collection
            and not m.cobranza_dispute
            and m.cobranza_days_overdue > 30
        )
        by_partner = open_moves.grouped("commercial_partner_id")
        partners = [p for p, ms in by_partner.items() if len(ms) >= 2][:2]
        if len(partners) < 2:
            return self.env["cobranza.payment.plan"]
        manager = users[0]
        plan_invoices = by_partner[partners[0]][:2]
        plan = (
            self.env["cobranza.payment.plan"]
            .with_user(manager)
            .create(
                {
                    "partner_id": partners[0].id,
                    "invoice_ids": [Command.set(plan_invoices.ids)],
                    "installment_count": 6,
                    "frequency": "monthly",
                    "first_date": today + timedelta(days=7),
                    "reduction_type": "percent",
                    "reduction_percent": 10.0,
                }
            )
        )
        plan.action_submit()
        plan.action_approve()
        promised = by_partner[partners[1]][:1]
        self.env["cobranza.promise"].with_user(users[1]).create(
            {
                "partner_id": partners[1].id,
                "invoice_ids": [Command.set(promised.ids)],
                "amount": promised.amount_residual,
                "promise_date": today + timedelta(days=5),
                "note": "Hablé con cuentas por pagar: el pago sale el viernes.",
            }
        )
        return plan

    def _demo_stages(self, moves):
        """Spread the book over the stages, as earlier runs would have."""
        ref = self.env.ref
        by_stage = {}
        for move in moves.filtered("cobranza_in_collection"):
            days = move.cobranza_days_overdue
            if move.invoice_date_due > fields.Date.context_today(self):
                continue
            if days > 160:
                key = "judicial" if move.id % 3 == 0 else "agency"
            elif days >= 45:
                key = "extrajudicial"
            elif days > 0:
                key = "administrative"
            else:
                key = "pre_due"
            by_stage.setdefault(key, []).append(move.id)
        for key, ids in by_stage.items():
            moves.browse(ids).cobranza_stage_id = ref(
                f"cobranza_addon.cobranza_stage_{key}"
            )

    def _demo_offline(self, company):
        """The demo runs without internet: no phone-home, no enrichment."""
        companies = self.env["res.company"].search([])
        if "iap_enrich_auto_done" in companies._fields:
            companies.iap_enrich_auto_done = True
        # Odoo's paid online services (IAP) are out of reach: SMS and
        # snail-mail letters stay queued, visible, instead of failing.
        for xmlid in (
            "mail.ir_cron_module_update_notification",
            "sms.ir_cron_sms_scheduler_action",
            "snailmail.snailmail_print",
        ):
            cron = self.env.ref(xmlid, raise_if_not_found=False)
            if cron:
                cron.active = False

    def _demo_users(self, company):
        specs = [
            ("manager", "Marta Gómez (Credit Manager)", "cobranza_group_manager"),
            ("collector1", "Lucía Fernández", "cobranza_group_user"),
            ("collector2", "Diego Ramírez", "cobranza_group_user"),
        ]
        users = self.env["res.users"]
        for login, name, group in specs:
            user = self.env["res.users"].search([("login", "=", login)])
            if not user:
                user = (
                    self.env["res.users"]
                    .with_context(no_reset_password=True)
                    .create(
                        {
                            "login": login,
                            "password": login,
                            "name": name,
                            "email": f"{login}@cobranza.example",
                            "company_id": company.id,
                            "company_ids": [Command.set(company.ids)],
                            "groups_id": [
                                Command.link(self.env.ref("base.group_user").id),
                                Command.link(
                                    self.env.ref(f"cobranza_addon.{group}").id
                                ),
                            ],
                        }
                    )
                )
            users |= user
        return users

    def _demo_partners(self, rng, collectors, company):
        countries = {
            c.code: c
            for c in self.env["res.country"].search(
                [("code", "in", list({c[1] for c in CUSTOMERS}))]
            )
        }
        vals_list = []
        for index, (name, code, lang, city) in enumerate(CUSTOMERS):
            # an ASCII domain: "Café Altura" -> cafealtura.example
            ascii_name = (
                unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
            )
            slug = "".join(ch for ch in ascii_name.lower() if ch.isalnum())[:14]
            vals_list.append(
                {
                    "name": name,
                    "is_company": True,
                    "country_id": countries[code].id,
                    "city": city,
                    "street": f"Av. Principal {100 + index * 7}",
                    "zip": f"{10000 + index * 37}",
                    "email": False if index == 5 else f"cuentas@{slug}.example",
                    "mobile": f"+34 600 {100000 + index * 1311:06d}",
                    "lang": lang if self.env["res.lang"]._lang_get(lang) else "en_US",
                    "cobranza_channel": "email" if index != 5 else "letter",
                }
            )
        partners = self.env["res.partner"].create(vals_list)
        for index, partner in enumerate(partners):
            partner.with_company(company).cobranza_collector_id = collectors[
                index % len(collectors)
            ]
        partners[7].with_company(company).cobranza_mode = "manual"
        return partners

    def _demo_payments(self, rng, moves):
        """Partial payments on a tenth of the book, full on another tenth."""
        register = self.env["account.payment.register"]
        for index, move in enumerate(moves):
            if index % 10 == 4:
                amount = round(move.amount_residual * rng.choice([0.3, 0.5]), 2)
            elif index % 10 == 7:
                amount = move.amount_residual
            else:
                continue
            register.with_context(
                active_model="account.move", active_ids=move.ids
            ).create(
                {
                    "amount": amount,
                    "payment_date": min(
                        fields.Date.context_today(self), move.invoice_date_due
                    ),
                    "payment_difference_handling": "open",
                }
            )._create_payments()
