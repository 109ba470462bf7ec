import base64
import doctest
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import BaseCase, Form, tagged

from ..cobranza_core import certified, compliance
from ..models.cobranza_authority import RUN, granted
from .common import TODAY, CobranzaCommon

RECEIPT = base64.b64encode(b"%PDF-1.4 scanned acknowledgement of receipt")
#: Mid-afternoon in Bogotá: no contact-hour rule in the way.
NOON = datetime(2026, 3, 16, 18, 0)


@tagged("post_install", "-at_install")
class TestCertifiedCore(BaseCase):
    def test_core_doctests(self):
        result = doctest.testmod(certified, optionflags=doctest.ELLIPSIS)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)


@tagged("post_install", "-at_install")
@freeze_time(NOON)
class TestCertifiedLetter(CobranzaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Letter = cls.env["cobranza.certified.letter"]
        cls.old = cls.invoice(cls.customer, 300.0, TODAY - timedelta(days=50))
        cls.newer = cls.invoice(cls.customer, 200.0, TODAY - timedelta(days=10))
        cls.not_due = cls.invoice(cls.customer, 50.0, TODAY + timedelta(days=10))
        cls.co_person = cls.env["res.partner"].create(
            {
                "name": "Andrés Gómez",
                "country_id": cls.env.ref("base.co").id,
                "lang": "en_US",
                "street": "Calle 10 # 5-20",
                "city": "Bogotá",
                "cobranza_authorized_channels": "email, letter, sms, call, activity",
            }
        )

    def _draft(self, partner=None, invoices=None, **vals):
        partner = partner or self.customer
        invoices = invoices if invoices is not None else self.old | self.newer
        return self.Letter.with_user(self.collector).create(
            {
                "partner_id": partner.id,
                "invoice_ids": [Command.set(invoices.ids)],
                **vals,
            }
        )

    def _sent(self, partner=None, invoices=None, **vals):
        letter = self._draft(
            partner, invoices, carrier="Correos", tracking_number="RR123", **vals
        )
        letter.action_send()
        return letter

    def _ledger(self, partner, **domain):
        return self.env["cobranza.contact"].search(
            [("partner_id", "=", partner.id)]
            + [(key, "=", value) for key, value in domain.items()]
        )

    # The flow --------------------------------------------------------------
    def test_a_demand_sent_moves_its_invoices_to_extrajudicial(self):
        judicial = self.env.ref("cobranza_addon.cobranza_stage_judicial")
        extrajudicial = self.env.ref("cobranza_addon.cobranza_stage_extrajudicial")
        with granted(RUN):
            self.newer._cobranza_run_write({"cobranza_stage_id": judicial.id})
        referral = self._sent(purpose="agency_referral")
        self.assertNotEqual(self.old.cobranza_stage_id, extrajudicial, "a referral")
        referral.invalidate_recordset()
        self._sent()
        self.assertEqual(self.old.cobranza_stage_id, extrajudicial)
        self.assertEqual(self.newer.cobranza_stage_id, judicial, "forward only")
        self.assertFalse(self.old.cobranza_stage_manual, "not a manual move")

    def test_full_flow_as_a_collector(self):
        letter = self._draft()
        self.assertTrue(letter.name.startswith("CERT/"))
        self.assertEqual(letter.state, "draft")
        self.assertAlmostEqual(letter.amount_due, 500.0)
        self.assertEqual(letter.letter_kind, "Registered letter with proof of delivery")
        with self.assertRaisesRegex(UserError, "carrier"):
            letter.action_send()
        letter.write(
            {
                "carrier": "Correos",
                "tracking_number": "RR123",
                "payment_deadline": TODAY,
            }
        )
        with self.assertRaisesRegex(UserError, "deadline"):
            letter.action_send()
        letter.payment_deadline = TODAY + timedelta(days=10)
        letter.action_send()
        self.assertEqual(letter.state, "sent")
        self.assertEqual(letter.date_sent, TODAY)
        pdf = letter.letter_attachment_id
        self.assertEqual(pdf.res_model, letter._name)
        self.assertEqual(pdf.res_id, letter.id)
        sent = self._ledger(self.customer, channel="letter", outcome="allowed")
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent.tags, "certified")
        self.assertEqual(sent.kind, "collection")
        self.assertEqual((sent.res_model, sent.res_id), (letter._name, letter.id))
        for record in (self.customer, self.old, self.newer):
            self.assertIn(
                letter.name, "".join(record.message_ids.mapped("body")), record
            )
        # Nothing of the sent letter can change any more.
        with self.assertRaises(UserError):
            letter.with_user(self.collector).write({"tracking_number": "XX"})
        with self.assertRaises(UserError):
            letter.with_user(self.collector).action_cancel()
        # Delivery: date and receipt required, not in the future, not before.
        with self.assertRaises(UserError):
            letter.action_record_delivery(TODAY, False)
        with self.assertRaises(ValidationError):
            letter.action_record_delivery(TODAY + timedelta(days=1), RECEIPT)
        with self.assertRaises(ValidationError):
            letter.action_record_delivery(TODAY - timedelta(days=1), RECEIPT)
        wizard = (
            self.env["cobranza.certified.outcome.wizard"]
            .with_user(self.collector)
            .create(
                {
                    "letter_id": letter.id,
                    "date": TODAY,
                    "receipt": RECEIPT,
                    "receipt_filename": "acuse.pdf",
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(letter.state, "delivered")
        self.assertEqual(letter.date_delivered, TODAY)
        self.assertEqual(letter.receipt_attachment_id.name, "acuse.pdf")
        self.assertEqual(letter.receipt_attachment_id.raw, base64.b64decode(RECEIPT))
        events = self._ledger(self.customer, outcome="event")
        self.assertEqual(events.mapped("event"), ["notice_sent"])
        self.assertEqual(events.res_id, letter.id)
        with self.assertRaises(UserError):
            letter.with_user(self.collector).unlink()

    def test_purposes_record_their_events_on_the_delivery_date(self):
        pre = self._sent(purpose="pre_report")
        referral = self._sent(self.customer, self.newer, purpose="agency_referral")
        delivered_on = TODAY
        with freeze_time(NOON + timedelta(days=6)):
            pre.action_record_delivery(delivered_on + timedelta(days=2), RECEIPT)
            referral.action_record_delivery(delivered_on + timedelta(days=3), RECEIPT)
        dates = self.env["cobranza.contact"]._cobranza_event_dates(self.customer.ids)[
            self.customer.id
        ]
        self.assertEqual(dates["notice_sent"], delivered_on + timedelta(days=2))
        self.assertEqual(dates["bureau_warning_sent"], delivered_on + timedelta(days=2))
        self.assertEqual(
            dates["agency_referral_notified"], delivered_on + timedelta(days=3)
        )

    def test_returned_letter_records_notice_undeliverable(self):
        letter = self._sent()
        letter.with_user(self.collector).action_record_return(
            TODAY, RECEIPT, "back.pdf"
        )
        self.assertEqual(letter.state, "returned")
        self.assertEqual(letter.date_returned, TODAY)
        events = self._ledger(self.customer, outcome="event")
        self.assertEqual(events.mapped("event"), ["notice_undeliverable"])

    def test_outcome_note_shows_the_date_in_the_user_format(self):
        """The notes of a delivery and of a return read the date as the
        user writes it (Spanish: 16/03/2026), never as 2026-03-16."""
        self.env["res.lang"]._activate_lang("es_ES")
        collector = self.collector.with_context(lang="es_ES")
        collector.lang = "es_ES"
        for record in ("delivery", "return"):
            letter = self._sent()
            outcome = getattr(
                letter.with_user(collector).with_context(lang="es_ES"),
                f"action_record_{record}",
            )
            outcome(TODAY, RECEIPT)
            notes = "".join(
                (letter.message_ids | self.customer.message_ids).mapped("body")
            )
            self.assertIn(f"{letter.name} ", notes)
            self.assertIn("16/03/2026", notes, record)
            self.assertNotIn("2026-03-16", notes, record)

    def test_copy_of_a_sent_letter_is_a_draft(self):
        copy = self._sent().with_user(self.collector).copy()
        self.assertEqual(copy.state, "draft")
        self.assertFalse(copy.date_sent or copy.tracking_number)

    def test_cancel_and_delete_a_draft_only(self):
        letter = self._draft()
        letter.with_user(self.collector).action_cancel()
        self.assertEqual(letter.state, "cancelled")
        letter.with_user(self.collector).unlink()
        self.assertFalse(letter.exists())

    # Authority ---------------------------------------------------------------
    def test_rpc_cannot_forge_the_outcome(self):
        letter = self._sent()
        as_collector = letter.with_user(self.collector)
        attempts = [
            {"state": "delivered"},
            {"date_delivered": fields.Date.to_string(TODAY)},
            {"date_returned": fields.Date.to_string(TODAY)},
            {"state": "draft"},
            {"receipt_attachment_id": letter.letter_attachment_id.id},
        ]
        for context in ({}, {"cobranza_certified": True}, {"certified_letter": 1}):
            for vals in attempts:
                with self.assertRaises(UserError), self.cr.savepoint():
                    as_collector.with_context(**context).write(vals)
        self.assertEqual(letter.state, "sent")
        self.assertFalse(letter.date_delivered)
        self.assertFalse(self._ledger(self.customer, outcome="event"))
        with self.assertRaises(AccessError):
            self.Letter.with_user(self.collector).create(
                {
                    "partner_id": self.customer.id,
                    "invoice_ids": [Command.set(self.old.ids)],
                    "state": "delivered",
                    "date_delivered": TODAY,
                }
            )
        # A draft cannot be marked sent without going through the gate.
        draft = self._draft()
        with self.assertRaises(AccessError):
            draft.with_user(self.collector).write({"date_sent": TODAY})

    def test_only_collection_users(self):
        clerk = self.env["res.users"].create(
            {
                "name": "Clerk",
                "login": "clerk_certified",
                "groups_id": [
                    Command.set([self.env.ref("account.group_account_invoice").id])
                ],
            }
        )
        with self.assertRaises(AccessError):
            self.Letter.with_user(clerk).create(
                {
                    "partner_id": self.customer.id,
                    "invoice_ids": [Command.set(self.old.ids)],
                }
            )

    def test_invoices_of_the_customer_only(self):
        other = self.invoice(self.customer_no_email, 10.0, TODAY)
        with self.assertRaises(ValidationError):
            self._draft(invoices=self.old | other)

    # Compliance ------------------------------------------------------------
    def test_gate_refuses_with_the_reasons(self):
        self.co_person.cobranza_authorized_channels = "email"
        invoice = self.invoice(self.co_person, 900.0, TODAY - timedelta(days=30))
        letter = self._draft(
            self.co_person, invoice, carrier="4-72", tracking_number="RN1"
        )
        with self.assertRaisesRegex(UserError, "CO-CHANNEL|authori"):
            letter.action_send()
        self.assertEqual(letter.state, "draft")
        self.assertFalse(self._ledger(self.co_person, channel="letter"))

    def test_delivery_starts_the_colombian_bureau_waiting_period(self):
        """Ley 1266 art. 12 (CO-HD-NOTICE): a natural person may be reported
        20 days after the notice is delivered (exclusive), i.e. from the 21st
        day after the delivery date, not the sending date."""
        self.assertEqual(self.co_person.cobranza_jurisdiction, "CO")
        invoice = self.invoice(self.co_person, 5_000_000.0, TODAY - timedelta(days=60))
        letter = self._sent(self.co_person, invoice, purpose="pre_report")
        self.assertEqual(letter.letter_kind, "Certified letter")
        delivered = TODAY + timedelta(days=4)
        with freeze_time(NOON + timedelta(days=5)):
            letter.action_record_delivery(delivered, RECEIPT)
        tz = ZoneInfo("America/Bogota")
        rules = self.env["cobranza.rule"]._core_rules(self.company, {"CO"})
        legal = self.env["cobranza.legal.param"]._core_values({"CO"})

        def report_on(day):
            events = self.env["cobranza.contact"]._cobranza_event_dates(
                self.co_person.ids
            )[self.co_person.id]
            self.assertEqual(events["notice_sent"], delivered)
            proposed = compliance.ProposedContact(
                at=datetime(day.year, day.month, day.day, 10, tzinfo=tz).astimezone(
                    timezone.utc
                ),
                channel="letter",
                kind="bureau_report",
                debtor_type="consumer",
                actor_type="creditor",
                tz="America/Bogota",
                jurisdiction="CO",
                debtor_person="natural",
                amount_cents=500_000_000,
                currency_factor=100,
                legal_values=legal,
                authorized_channels=frozenset({"letter", "email"}),
                events={**events, "due_date": invoice.invoice_date_due},
            )
            return compliance.evaluate(proposed, rules, [], frozenset())

        early = report_on(delivered + timedelta(days=20))
        self.assertEqual(early.outcome, "defer", early)
        self.assertIn("CO-HD-NOTICE", {r.rule_id for r in early.reasons})
        self.assertEqual(
            early.not_before.astimezone(tz).date(), delivered + timedelta(days=21)
        )
        # Counted from the sending date it would already be allowed: it is not.
        self.assertGreater(delivered + timedelta(days=20), TODAY + timedelta(days=21))
        later = report_on(delivered + timedelta(days=21))
        self.assertEqual(later.outcome, "allow", later)

    # Entry points -------------------------------------------------------------
    def test_entry_points_prefill_the_overdue_invoices(self):
        action = self.customer.with_user(
            self.collector
        ).action_cobranza_certified_letter()
        self.assertEqual(action["res_model"], "cobranza.certified.letter")
        context = action["context"]
        self.assertEqual(context["default_partner_id"], self.customer.id)
        self.assertEqual(
            set(context["default_invoice_ids"][0][2]), set((self.old | self.newer).ids)
        )
        letter = (
            self.Letter.with_user(self.collector).with_context(**context).create({})
        )
        self.assertEqual(letter.invoice_ids, self.old | self.newer)
        action = (self.old | self.not_due).action_cobranza_certified_letter()
        self.assertEqual(
            set(action["context"]["default_invoice_ids"][0][2]),
            set((self.old | self.not_due).ids),
        )
        with self.assertRaises(UserError):
            (
                self.old | self.invoice(self.co_person, 5.0, TODAY)
            ).action_cobranza_certified_letter()

    def test_collector_fills_the_form_from_the_customer(self):
        action = self.customer.with_user(
            self.collector
        ).action_cobranza_certified_letter()
        Letter = self.Letter.with_user(self.collector).with_context(**action["context"])
        with Form(Letter) as form:
            form.carrier = "DHL"
            form.tracking_number = "JD0001"
            form.purpose = "agency_referral"
        letter = form.record
        self.assertEqual(letter.partner_id, self.customer)
        self.assertEqual(letter.invoice_ids, self.old | self.newer)
        letter.action_send()
        self.assertEqual(letter.state, "sent")

    def test_run_drafts_a_certified_letter_for_a_certified_level(self):
        self.level_formal.sudo().certified_letter = True
        self.run_followup()
        letter = self.Letter.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(letter), 1)
        self.assertEqual(letter.state, "draft")
        self.assertEqual(letter.purpose, "demand")
        self.assertEqual(letter.action_id.level_id, self.level_formal)
        self.assertIn(self.old, letter.invoice_ids)
        # Delivering the same letters again drafts nothing more.
        run = letter.action_id.run_id
        with granted(RUN):
            run._render_letters(letter.action_id)
        self.assertEqual(
            self.Letter.search_count([("action_id", "=", letter.action_id.id)]), 1
        )
