import base64
import io
import json
import zipfile
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..controllers import letters as letters_controller
from ..models.cobranza_authority import RUN, granted
from ..report.cobranza_letter_report import (
    LETTER_REFERENCE,
    letter_reference,
    qr_png,
)
from .common import TODAY
from .report_common import ReportCommon, pdf_pages


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestReportsPdf(ReportCommon, HttpCase):
    """Letters and agreements rendered to real PDF by wkhtmltopdf."""

    def test_spanish_letter_to_a_person_in_peru(self):
        action, invoice = self.formal_action(self.lucia)
        pages = pdf_pages(
            self.render_pdf("cobranza_addon.action_report_cobranza_letter", action)
        )
        self.assertEqual(len(pages), 1, "one page, no blank page after it")
        self.assertPagesNotBlank(pages)
        text = pages[0]
        # UTF-8 all the way (no "LucÃ­a"): the standard report wrapper.
        self.assertIn("Lucía Fernández", text)
        self.assertNotIn("Ã", text)
        self.assertIn("Perú", text, "the customer's country, in Spanish")
        self.assertIn("días", text.lower())
        # Letterhead in the body: name, address, tax id.
        self.assertIn("Cobranza Andina S.A.S.", text)
        self.assertIn("Carrera 7 # 71-21", text)
        self.assertIn("900123456-7", text)
        # The template's own subject, never the internal level name.
        self.assertIn("Requerimiento formal de pago", text)
        self.assertNotIn("Formal demand", text)
        # Dates and amounts as a Spanish reader writes them.
        self.assertIn("16 de marzo de 2026", text)
        self.assertIn("155,26", text)
        self.assertIn(invoice.name, text)
        # On paper: a code to scan, not "click" nor the email opt-out notice
        self.assertIn("Escanee este código para ver y pagar en línea", text)
        self.assertNotIn("clic", text)
        self.assertNotIn("por correo electrónico, responda", text)

    def test_english_letter_to_a_us_customer(self):
        action, _invoice = self.formal_action(self.us_customer, amount=1234.5)
        pages = pdf_pages(
            self.render_pdf("cobranza_addon.action_report_cobranza_letter", action)
        )
        self.assertEqual(len(pages), 1)
        text = pages[0]
        self.assertIn("Harbor Supplies Inc.", text)
        self.assertIn("Formal demand for payment", text)
        self.assertIn("March 16, 2026", text)
        self.assertIn("1,234.50", text)
        # The creditor's country in the customer's language (not "Colombia"
        # would be the same word: check the tax id label is not Spanish).
        self.assertIn("Colombia", text)
        self.assertIn("United States", text)
        self.assertNotIn("Estados Unidos", text)
        self.assertIn("Scan this code to see and pay online", text)
        self.assertNotIn("click", text)
        self.assertNotIn("reply to this message", text)

    def test_letters_named_in_data_need_read_access(self):
        """A run renders a batch of letters from ``data["doc_ids"]``; anyone
        asking the report for them that way (``/report/pdf/...?options=``)
        must be able to read those actions, as with ids in the URL."""
        action, _invoice = self.formal_action(self.lucia)
        outsider = self.env["res.users"].create(
            {
                "name": "Outsider",
                "login": "outsider_letters",
                "groups_id": [Command.set([self.env.ref("base.group_user").id])],
            }
        )
        report_ref = "cobranza_addon.action_report_cobranza_letter"
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            report_ref, None, data={"doc_ids": action.ids}
        )
        self.assertIn(letter_reference(action), html.decode())
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(outsider)._render_qweb_html(
                report_ref, None, data={"doc_ids": action.ids}
            )

    def test_the_letter_code_is_the_pay_link_and_the_email_keeps_its_links(self):
        action, _invoice = self.formal_action(self.us_customer)
        report = self.env["report.cobranza_addon.report_cobranza_letter"]
        body = report._letters(action)[action.id]["body"]
        self.assertIn('src="data:image/png;base64,', body)
        self.assertNotIn("opt_out", body)
        png = qr_png(action._cobranza_pay_url())
        self.assertIn(base64.b64encode(png).decode(), body)
        # the email of the same level still has its links and its opt-out
        template = action.level_id.mail_template_id
        email = template._render_field("body_html", action.ids)[action.id]
        self.assertIn('data-cobranza-block="opt_out"', email)
        self.assertNotIn("data:image/png", email)

    def test_a_rule_requiring_the_opt_out_on_letters_keeps_it_on_paper(self):
        action, _invoice = self.formal_action(self.us_customer)
        report = self.env["report.cobranza_addon.report_cobranza_letter"]
        self.assertNotIn("opt_out", report._letters(action)[action.id]["body"])
        us_optout = self.env.ref(
            "cobranza_addon.cobranza_rule_us_optout_required_content"
        )
        us_optout.sudo().channels = "email,sms,letter"
        self.assertIn("opt_out", report._letters(action)[action.id]["body"])
        us_optout.sudo().channels = False  # every channel
        self.assertIn("opt_out", report._letters(action)[action.id]["body"])

    def test_letters_of_several_customers_one_page_each(self):
        first, _ = self.formal_action(self.co_company)
        second, _ = self.formal_action(self.us_customer)
        pages = pdf_pages(
            self.render_pdf(
                "cobranza_addon.action_report_cobranza_letter", first | second
            )
        )
        self.assertEqual(len(pages), 2)
        self.assertPagesNotBlank(pages)
        self.assertIn("Requerimiento formal de pago", pages[0] + pages[1])
        self.assertIn("Formal demand for payment", pages[0] + pages[1])

    def _approved_plan(self):
        invoices = self.invoice(
            self.lucia, 600.0, TODAY - timedelta(days=60)
        ) | self.invoice(self.lucia, 400.0, TODAY - timedelta(days=30))
        plan = self.env["cobranza.payment.plan"].create(
            self.plan_vals(self.lucia, invoices, TODAY + timedelta(days=30))
        )
        plan.action_approve()
        return plan, invoices

    def test_agreement_shows_terms_as_approved_and_current_status(self):
        plan, invoices = self._approved_plan()
        self.assertEqual(plan.approved_terms["amount_covered"], 1000.0)
        self.pay(invoices[0], 250.0)
        plan._refresh_payments(TODAY)
        self.assertEqual(
            [inv["amount"] for inv in plan.approved_terms["invoices"]],
            [600.0, 400.0],
            "the snapshot does not follow the payments",
        )
        pages = pdf_pages(
            self.render_pdf("cobranza_addon.action_report_cobranza_payment_plan", plan)
        )
        self.assertPagesNotBlank(pages)
        text = "\n".join(pages)
        self.assertIn("Lucía Fernández", text)
        self.assertNotIn("Ã", text)
        terms, status = text.split("2. Estado de la cuenta", 1)
        # The terms as approved: the invoices add up to the covered amount.
        self.assertIn("600,00", terms)
        self.assertIn("400,00", terms)
        self.assertIn("1.000,00", terms)
        self.assertNotIn("350,00", terms, "the paid invoice keeps its agreed amount")
        # The current status, in its own section: 250 paid, 750 remaining.
        self.assertIn("250,00", status)
        self.assertIn("750,00", status)

    def test_approved_terms_cannot_be_written_over_rpc(self):
        plan, _invoices = self._approved_plan()
        with self.assertRaises(AccessError):
            plan.with_user(self.collector).write({"approved_terms": {"lines": []}})
        with self.assertRaises(AccessError):
            plan.write({"approved_terms": {"lines": []}})
        self.assertEqual(len(plan.approved_terms["lines"]), 3)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestLettersPrintRoom(ReportCommon, HttpCase):
    """A chunk's letters rendered in one wkhtmltopdf call, then cut into
    each customer's copy, also when one letter runs over a page (Debian's
    wkhtmltopdf then writes no outline and Odoo cannot split the batch)."""

    def test_one_page_letters_are_cut_by_their_links(self):
        """Each letter one page: Odoo would cut the batch page by page and
        drop the whole; the run renders it as one document, keeps it for
        the print room and cuts the copies by the letters' links."""
        run, actions = self.two_one_page_letters()
        with granted(RUN):
            run.with_context(force_report_rendering=True)._render_letters(actions)
        printed = pdf_pages(run.letter_attachment_id.raw)
        self.assertEqual(len(printed), 2)
        for page, action in zip(printed, actions, strict=True):
            self.assertIn(letter_reference(action), page)
            copy = self.env["ir.attachment"].search(
                [("res_model", "=", "cobranza.action"), ("res_id", "=", action.id)]
            )
            self.assertEqual(pdf_pages(copy.raw), [page])

    def test_batch_with_a_two_page_letter_is_cut_per_customer(self):
        for days in range(40, 80):
            self.invoice(self.co_company, 100 + days, TODAY - timedelta(days=days))
        self.invoice(self.us_customer, 250, TODAY - timedelta(days=50))
        self.invoice(self.lucia, 155.26, TODAY - timedelta(days=50))
        run = self.run_followup(send=False)
        actions = run.action_ids.filtered(
            lambda a: a.partner_id in (self.co_company | self.us_customer | self.lucia)
        ).sorted("id")
        self.assertEqual(len(actions), 3)
        report_ref = "cobranza_addon.action_report_cobranza_letter"
        whole = self.render_pdf(report_ref, actions)
        self.assertGreater(len(pdf_pages(whole)), 3, "one letter runs over a page")
        by_id, extension = run.with_context(force_report_rendering=True)._render_split(
            report_ref, actions, link_pattern=LETTER_REFERENCE
        )
        self.assertEqual(extension, "pdf")
        self.assertEqual(set(by_id), set(actions.ids))
        total = 0
        for action in actions:
            pages = pdf_pages(by_id[action.id])
            total += len(pages)
            text = "\n".join(pages)
            self.assertIn(action.partner_id.name, pages[0])
            self.assertIn(letter_reference(action), pages[0])
            for other in actions - action:
                self.assertNotIn(other.partner_id.name, text)
            expected = 2 if action.partner_id == self.co_company else 1
            self.assertGreaterEqual(len(pages), expected)
        self.assertEqual(total, len(pdf_pages(whole)), "no page lost or repeated")
        # the cut by links alone, whatever outline this wkhtmltopdf wrote
        by_links = run._split_by_links(whole, actions, LETTER_REFERENCE)
        self.assertEqual(
            {i: len(pdf_pages(c)) for i, c in by_links.items()},
            {i: len(pdf_pages(c)) for i, c in by_id.items()},
        )
        spanish = pdf_pages(
            by_id[actions.filtered(lambda a: a.partner_id == self.lucia).id]
        )
        self.assertIn("Nuestra referencia", spanish[0])
        # the print room gets the batch as rendered (not merged back from the
        # copies): every letter, in the actions' order, and each copy on its
        # action
        with granted(RUN):  # as the delivery chunk calls it
            run.with_context(force_report_rendering=True)._render_letters(actions)
        printed = pdf_pages(run.letter_attachment_id.raw)
        self.assertEqual(len(printed), total)
        first = 0
        for action in actions:
            self.assertIn(letter_reference(action), printed[first])
            copy = self.env["ir.attachment"].search(
                [("res_model", "=", "cobranza.action"), ("res_id", "=", action.id)]
            )
            self.assertEqual(pdf_pages(copy.raw), pdf_pages(by_id[action.id]))
            first += len(pdf_pages(by_id[action.id]))


@tagged("post_install", "-at_install")
class TestLettersDownload(ReportCommon, HttpCase):
    """*Download letters* as the collector's browser calls it (the HTTP
    session needs the real clock; the letters are made on the test's day)."""

    def letters_in_two_chunks(self):
        with freeze_time(TODAY):
            run, actions = self.two_one_page_letters()
            with granted(RUN):  # one chunk each, as small chunks store them
                for action in actions:
                    run.with_context(force_report_rendering=True)._render_letters(
                        action
                    )
        self.assertEqual(len(run.letter_attachment_ids), 2)
        return run, actions

    def test_download_is_one_pdf_in_the_runs_order(self):
        run, actions = self.letters_in_two_chunks()
        self.authenticate("collector_test", "collector_test")
        response = self.url_open(f"/cobranza/run/{run.id}/letters")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn(".pdf", response.headers["Content-Disposition"])
        pages = pdf_pages(response.content)
        self.assertEqual(len(pages), 2)
        for page, action in zip(pages, actions, strict=True):
            self.assertIn(letter_reference(action), page)
            self.assertIn(action.partner_id.name, page)

    def test_download_beyond_the_merge_limit_is_a_zip(self):
        run, _actions = self.letters_in_two_chunks()
        self.authenticate("collector_test", "collector_test")
        with patch.object(letters_controller, "MERGE_PAGES", 1):
            response = self.url_open(f"/cobranza/run/{run.id}/letters")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/zip")
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            names = archive.namelist()
            self.assertEqual(len(names), 2)
            for name in names:
                self.assertEqual(len(pdf_pages(archive.read(name))), 1)


@tagged("post_install", "-at_install")
class TestLettersKept(ReportCommon, HttpCase):
    """What was sent stays as it was sent: a collector may write on runs and
    actions, which in Odoo lets her delete or replace their attachments."""

    def letters(self):
        run, actions = self.two_one_page_letters()
        with granted(RUN):
            run.with_context(force_report_rendering=True)._render_letters(actions)
        copies = self.env["ir.attachment"].search(
            [("res_model", "=", "cobranza.action"), ("res_id", "in", actions.ids)]
        )
        chatter_copies = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", actions.partner_id.ids),
                ("description", "=", "cobranza_letter_copy"),
            ]
        )
        self.assertEqual(len(copies), 2)
        self.assertEqual(len(chatter_copies), 2)
        return run.letter_attachment_id | copies | chatter_copies

    def test_a_collector_cannot_delete_or_replace_a_letter_sent(self):
        kept = self.letters()
        as_collector = kept.with_user(self.collector).with_context(
            active_test=False, force_report_rendering=True
        )
        for attachment in as_collector:
            # the copy in the customer's chatter: Odoo's own check refuses
            # first (no write access on customers); the others are ours
            on_partner = attachment.res_model == "res.partner"
            with self.assertRaisesRegex(
                AccessError, "Contact" if on_partner else "was sent to a customer"
            ):
                attachment.unlink()
            with self.assertRaises(AccessError):
                attachment.write({"raw": b"%PDF-1.4 another letter"})
            with self.assertRaises(AccessError):
                attachment.write({"res_id": self.customer.id})
        self.assertEqual(len(kept.exists()), len(kept))
        # renaming and sharing links stay possible
        as_collector[:1].generate_access_token()

    def test_the_chatter_trash_icon_is_refused_for_the_collector(self):
        with freeze_time(TODAY):
            kept = self.letters()
        printed = kept.filtered(lambda a: a.description == "cobranza_letters")
        self.authenticate("collector_test", "collector_test")
        with mute_logger("odoo.http"):  # the refusal, logged by the route
            response = self.url_open(
                "/mail/attachment/delete",
                data=json.dumps({"params": {"attachment_id": printed.id}}),
                headers={"Content-Type": "application/json"},
            )
        self.assertIn("was sent to a customer", response.text)
        self.assertTrue(printed.exists())

    def test_a_collections_administrator_may_delete_them(self):
        kept = self.letters()
        admin = new_test_user(
            self.env,
            login="cobranza_admin_test",
            groups="base.group_user,cobranza_addon.cobranza_group_admin",
            company_id=self.company.id,
        )
        # the run's and the actions' (the customers' need write access on
        # customers, which the group does not give)
        kept = kept.filtered(lambda a: a.res_model != "res.partner")
        kept.with_user(admin).unlink()
        self.assertFalse(kept.exists())
