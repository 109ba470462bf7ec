import csv
import io
import zipfile
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import format_date

from .common import TODAY, CobranzaCommon

#: 10:00 in Bogotá on TODAY (Monday 2026-03-16).
NOW = "2026-03-16 15:00:00"
DUE = date(2026, 1, 15)


@tagged("post_install", "-at_install")
class TestBureauReport(CobranzaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.manager = new_test_user(
            cls.env,
            login="bureau_manager",
            name="Beatriz Manager",
            groups="base.group_user,cobranza_addon.cobranza_group_manager",
            company_id=cls.company.id,
        )
        Partner = cls.env["res.partner"]
        cls.co_person = Partner.create(
            {
                "name": "Camilo Restrepo",
                "country_id": ref("base.co").id,
                "vat": "79123456",
                "street": "Calle 1 # 2-3",
                "city": "Bogotá",
            }
        )
        cls.co_other = Partner.create(
            {"name": "Sofía Gómez", "country_id": ref("base.co").id}
        )
        cls.es_person = Partner.create(
            {"name": "Lucía Pérez", "country_id": ref("base.es").id, "vat": "X1"}
        )
        cls.co_invoice = cls.invoice(cls.co_person, 2_000_000, DUE)
        cls.other_invoice = cls.invoice(cls.co_other, 2_000_000, DUE)
        cls.es_invoice = cls.invoice(cls.es_person, 900, DUE)

    def draft(self, partner, invoices, bureau, user=None):
        Report = self.env["cobranza.bureau.report"]
        if user:
            Report = Report.with_user(user)
        return Report.create(
            {
                "partner_id": partner.id,
                "invoice_ids": [Command.set(invoices.ids)],
                "bureau": bureau,
            }
        )

    def notice(self, partner, day):
        self.env["cobranza.contact"]._record_event(partner, "notice_sent", day)

    @freeze_time(NOW)
    def reported(self):
        self.notice(self.co_person, TODAY - timedelta(days=30))
        report = self.draft(self.co_person, self.co_invoice, "datacredito")
        report.with_user(self.manager).action_report()
        self.assertEqual(report.state, "reported")
        return report

    def test_colombia_waits_20_days_after_the_notice(self):
        self.notice(self.co_person, date(2026, 3, 6))
        report = self.draft(
            self.co_person, self.co_invoice, "datacredito", user=self.collector
        )
        self.assertEqual(report.debtor_person, "natural")
        self.assertEqual(report.country_id.code, "CO")
        with freeze_time(NOW):
            report.with_user(self.manager).action_report()
        self.assertEqual(report.state, "refused")
        self.assertEqual(report.decision_outcome, "defer")
        self.assertEqual(report.allowed_from, date(2026, 3, 27))
        self.assertIn(
            f"Refused: allowed from {format_date(self.env, date(2026, 3, 27))}.",
            report.decision_text,
        )
        self.assertIn("CO-HD-NOTICE", report.rule_ids_text)
        self.assertFalse(report.report_date)
        with freeze_time("2026-03-26 15:00:00"):
            report.with_user(self.manager).action_check()
        self.assertEqual(report.state, "refused")
        with freeze_time("2026-03-27 15:00:00"):
            report.with_user(self.manager).action_check()
            self.assertEqual(report.state, "draft")
            self.assertEqual(report.decision_outcome, "allow")
            report.with_user(self.manager).action_report()
        self.assertEqual(report.state, "reported")
        self.assertEqual(report.report_date, date(2026, 3, 27))
        self.assertEqual(report.bureau_reference, report.name)
        self.assertEqual(report.amount_reported, 2_000_000)
        ledger = self.env["cobranza.contact"].search(
            [
                ("res_model", "=", report._name),
                ("res_id", "=", report.id),
            ]
        )
        self.assertRecordValues(
            ledger,
            [
                {
                    "partner_id": self.co_person.id,
                    "kind": "bureau_report",
                    "channel": "letter",
                    "outcome": "allowed",
                }
            ],
        )
        self.assertIn(
            "Reported to DataCrédito Experian",
            self.co_person.message_ids[0].body,
        )
        self.assertEqual(self.co_person.cobranza_bureau_report_count, 1)

    @freeze_time(NOW)
    def test_without_a_notice_the_report_is_refused_with_the_reason(self):
        report = self.draft(self.co_other, self.other_invoice, "transunion_co")
        report.with_user(self.manager).action_check()
        self.assertEqual(report.state, "refused")
        self.assertEqual(report.decision_outcome, "block")
        self.assertFalse(report.allowed_from)
        self.assertEqual(report.missing_events, "the prior notice")
        self.assertIn("Required first: the prior notice", report.decision_text)

    @freeze_time(NOW)
    def test_spain_refuses_a_disputed_debt(self):
        self.env["cobranza.contact"]._record_event(
            self.es_person, "bureau_warning_sent", date(2026, 2, 1)
        )
        self.es_invoice._cobranza_open_dispute("Never received the goods")
        report = self.draft(self.es_person, self.es_invoice, "asnef")
        report.with_user(self.manager).action_report()
        self.assertEqual(report.state, "refused")
        self.assertEqual(report.decision_outcome, "block")
        self.assertEqual(report.rule_ids_text, "ES-SIC")
        self.assertIn("disputed", report.decision_text)
        self.assertFalse(
            self.env["cobranza.contact"].search_count(
                [("res_model", "=", report._name), ("res_id", "=", report.id)]
            )
        )
        # Without the dispute the same report may be made.
        self.es_invoice.action_cobranza_resolve_dispute()
        report.with_user(self.manager).action_report()
        self.assertEqual(report.state, "reported")
        self.assertEqual(report.retention_until, date(2031, 1, 15))

    def test_payment_sets_the_update_deadline_and_late_flag(self):
        report = self.reported()
        self.assertFalse(report.update_deadline)
        self.pay(self.co_invoice, 2_000_000)
        self.assertEqual(report.settled_date, date.today())
        self.assertEqual(report.update_deadline, date.today() + timedelta(days=10))
        self.assertEqual(report.update_basis, "company_policy")
        self.assertFalse(report.update_late)
        Report = self.env["cobranza.bureau.report"]
        to_update = Report.search(
            [("state", "=", "reported"), ("settled_date", "!=", False)]
        )
        self.assertIn(report, to_update)
        with freeze_time(date.today() + timedelta(days=11)):
            report.invalidate_recordset(["update_late"])
            self.assertTrue(report.update_late)
            self.assertIn(report, Report.search([("update_late", "=", True)]))
            self.assertNotIn(report, Report.search([("update_late", "=", False)]))
            rows = self.env["cobranza.worklist"].search(
                [("bureau_report_id", "=", report.id)]
            )
            self.assertEqual(rows.reason, "bureau_late")
            self.assertEqual(rows.partner_id, self.co_person)
            self.assertIn("DataCrédito Experian", rows.detail)
            self.assertEqual(
                rows.action_open_source(),
                {
                    "type": "ir.actions.act_window",
                    "res_model": "cobranza.bureau.report",
                    "res_id": report.id,
                    "view_mode": "form",
                    "views": [(False, "form")],
                    "target": "current",
                },
            )
            report.with_user(self.manager).action_update()
            self.assertEqual(report.state, "updated")
            self.assertFalse(report.update_late)
            self.env.flush_all()
            self.assertFalse(
                self.env["cobranza.worklist"].search(
                    [("bureau_report_id", "=", report.id)]
                )
            )

    def test_an_unreconciled_payment_clears_the_deadline(self):
        report = self.reported()
        payment = self.pay(self.co_invoice, 2_000_000)
        self.assertTrue(report.update_deadline)
        payment.move_id.line_ids.remove_move_reconcile()
        self.assertFalse(report.settled_date)
        self.assertFalse(report.update_deadline)
        self.assertEqual(report.state, "reported")

    def test_several_bureaus_export_as_one_zip(self):
        first = self.reported()
        with freeze_time(NOW):
            second = self.draft(self.co_person, self.co_invoice, "transunion_co")
            second.with_user(self.manager).action_report()
            action = (first | second).with_user(self.manager).action_export_bureau_csv()
        zipped = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        with zipfile.ZipFile(io.BytesIO(zipped.raw)) as archive:
            self.assertEqual(
                sorted(archive.namelist()),
                ["datacredito_2026-03-16.csv", "transunion_co_2026-03-16.csv"],
            )

    def test_company_policy_days(self):
        self.company.cobranza_bureau_update_days = 3
        report = self.reported()
        self.pay(self.co_invoice, 2_000_000)
        self.assertEqual(report.update_deadline, date.today() + timedelta(days=3))

    def test_csv_for_datacredito(self):
        report = self.reported()
        self.pay(self.co_invoice, 500_000)
        with freeze_time(NOW):
            action = report.with_user(self.manager).action_export_bureau_csv()
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        self.assertEqual(attachment.name, "datacredito_2026-03-16.csv")
        rows = list(csv.reader(io.StringIO(attachment.raw.decode())))
        self.assertEqual(len(rows), 2)
        values = dict(zip(rows[0], rows[1], strict=True))
        self.assertEqual(
            values,
            {
                "TipoIdentificacion": "CC",
                "NumeroIdentificacion": "79123456",
                "Nombre": "Camilo Restrepo",
                "NumeroObligacion": self.co_invoice.name,
                "TipoDeuda": "consumer",
                "ValorInicial": "2000000.00",
                "SaldoMora": "1500000.00",
                "Moneda": self.company.currency_id.name,
                "FechaVencimiento": "2026-01-15",
                "DiasMora": "60",
                "FechaReporte": "2026-03-16",
                "Estado": "delinquent",
                "Direccion": values["Direccion"],
            },
        )
        self.assertIn("Calle 1 # 2-3", values["Direccion"])
        with self.assertRaises(AccessError):
            report.with_user(self.collector).action_export_bureau_csv()

    def test_collectors_cannot_report_whatever_the_context(self):
        self.notice(self.co_person, TODAY - timedelta(days=30))
        report = self.draft(
            self.co_person, self.co_invoice, "datacredito", user=self.collector
        )
        as_collector = report.with_user(self.collector)
        for context in ({}, {"cobranza_internal": True, "bypass_checks": True}):
            sneaky = as_collector.with_context(**context)
            with self.assertRaises(AccessError):
                sneaky.write({"state": "reported"})
            with self.assertRaises(AccessError):
                sneaky.write({"bureau_reference": "X-1"})
            with self.assertRaises(AccessError):
                sneaky.write({"amount_reported": 1.0})
            with self.assertRaises(AccessError):
                sneaky.action_report()
            with self.assertRaises(AccessError):
                sneaky.action_check()
            with self.assertRaises(AccessError):
                self.env["cobranza.bureau.report"].with_user(
                    self.collector
                ).with_context(**context).create(
                    {
                        "partner_id": self.co_person.id,
                        "invoice_ids": [Command.set(self.co_invoice.ids)],
                        "bureau": "datacredito",
                        "state": "reported",
                        "report_date": "2026-03-16",
                    }
                )
        self.assertEqual(report.state, "draft")
        # Not even a manager writes the state by hand: the buttons do.
        with self.assertRaises(AccessError):
            report.with_user(self.manager).write({"state": "reported"})
        with freeze_time(NOW):
            report.with_user(self.manager).action_report()
        with self.assertRaises(AccessError):
            as_collector.write({"bureau": "transunion_co"})
        with self.assertRaises(UserError):
            report.unlink()
        with self.assertRaises(AccessError):
            as_collector.action_withdraw()

    def test_pre_report_notice_opens_the_pending_letter(self):
        """A notice already drafted or on its way is opened, not drafted
        again; once delivered (or for another customer) a new one is."""
        self.co_person.cobranza_authorized_channels = "email, letter"
        report = self.draft(
            self.co_person, self.co_invoice, "datacredito", user=self.collector
        )
        Letter = self.env["cobranza.certified.letter"].with_user(self.collector)
        other = Letter.create(
            {
                "partner_id": self.co_other.id,
                "invoice_ids": [Command.set(self.other_invoice.ids)],
                "purpose": "pre_report",
            }
        )
        demand = Letter.create(
            {
                "partner_id": self.co_person.id,
                "invoice_ids": [Command.set(self.co_invoice.ids)],
                "purpose": "demand",
            }
        )
        action = report.with_user(self.collector).action_pre_report_notice()
        self.assertFalse(action.get("res_id"))
        self.assertEqual(action["context"]["default_purpose"], "pre_report")
        with freeze_time(NOW):
            letter = Letter.with_context(**action["context"]).create(
                {"carrier": "4-72", "tracking_number": "RN123456789CO"}
            )
        for state in ("draft", "sent"):
            if state == "sent":
                with freeze_time(NOW):
                    letter.action_send()
            action = report.with_user(self.collector).action_pre_report_notice()
            self.assertEqual(action["res_model"], "cobranza.certified.letter")
            self.assertEqual(action["res_id"], letter.id, state)
            self.assertNotIn(action["res_id"], (other.id, demand.id))
        with freeze_time("2026-03-18 15:00:00"):
            letter.action_record_delivery(date(2026, 3, 18), "UERGIHJlY2VpcHQ=")
        action = report.with_user(self.collector).action_pre_report_notice()
        self.assertFalse(action.get("res_id"))

    def test_refused_report_notice_delivered_then_reported(self):
        """The whole road: a report refused for lack of notice, the notice
        sent as a certified letter from the report, its delivery, then the
        report."""
        self.co_person.cobranza_authorized_channels = "email, letter"
        report = self.draft(
            self.co_person, self.co_invoice, "datacredito", user=self.collector
        )
        with freeze_time(NOW):
            report.with_user(self.manager).action_check()
        self.assertEqual(report.state, "refused")
        self.assertTrue(report.missing_events)
        action = report.with_user(self.collector).action_pre_report_notice()
        self.assertEqual(action["res_model"], "cobranza.certified.letter")
        Letter = (
            self.env["cobranza.certified.letter"]
            .with_user(self.collector)
            .with_context(**action["context"])
        )
        with freeze_time(NOW):
            letter = Letter.create(
                {"carrier": "4-72", "tracking_number": "RN123456789CO"}
            )
            self.assertEqual(letter.purpose, "pre_report")
            self.assertEqual(letter.partner_id, self.co_person)
            self.assertEqual(letter.invoice_ids, self.co_invoice)
            letter.action_send()
        delivered = date(2026, 3, 18)
        with freeze_time("2026-03-18 15:00:00"):
            letter.action_record_delivery(delivered, "UERGIHJlY2VpcHQ=")
        # CO-HD-NOTICE: 20 whole days after the delivery day
        with freeze_time("2026-04-07 15:00:00"):
            report.with_user(self.manager).action_check()
        self.assertEqual(report.state, "refused")
        self.assertEqual(report.allowed_from, delivered + timedelta(days=21))
        with freeze_time("2026-04-08 15:00:00"):
            report.with_user(self.manager).action_report()
        self.assertEqual(report.state, "reported")
