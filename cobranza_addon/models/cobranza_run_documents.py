"""The run's documents: invoice PDFs stored once, letters for the print room."""

import io
import logging

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, pdf, split_every
from odoo.tools.pdf import PdfReadError

from ..report.cobranza_letter_report import LETTER_REFERENCE
from .ir_attachment import LETTER_COPY, PRINT_ROOM

_logger = logging.getLogger(__name__)


class CobranzaRun(models.Model):
    _inherit = "cobranza.run"

    def _invoice_attachments(self, invoices):
        """``{invoice_id: attachment_id}`` with each invoice's PDF.

        A missing PDF is rendered once and stored as Odoo 18 stores it (the
        ``invoice_pdf_report_file`` binary field, so ``invoice_pdf_report_id``
        finds it): every later reminder, and Odoo's own *Send*, reuse it.
        """
        result = {}
        missing = self.env["account.move"]
        for invoice in invoices:
            if invoice.invoice_pdf_report_id:
                result[invoice.id] = invoice.invoice_pdf_report_id.id
            else:
                missing |= invoice
        if not missing:
            return result
        vals_list = []
        for batch in split_every(100, missing.ids, self.env["account.move"].browse):
            by_id, extension = self._render_split("account.account_invoices", batch)
            vals_list += [
                {
                    "name": invoice._get_invoice_report_filename(extension=extension),
                    "raw": by_id[invoice.id],
                    "res_model": "account.move",
                    "res_id": invoice.id,
                    "res_field": "invoice_pdf_report_file",
                    "mimetype": "application/pdf"
                    if extension == "pdf"
                    else "text/html",
                }
                for invoice in batch
                if by_id.get(invoice.id)
            ]
        attachments = self.env["ir.attachment"].sudo().create(vals_list)
        for attachment in attachments:
            result[attachment.res_id] = attachment.id
        rendered = missing.browse(list(attachments.mapped("res_id")))
        for invoice in rendered.sudo():
            invoice.message_main_attachment_id = result[invoice.id]
        rendered.invalidate_recordset(
            ["invoice_pdf_report_id", "invoice_pdf_report_file"]
        )
        return result

    def _render_split(self, report_ref, records, link_pattern=None):
        """``({record_id: content}, extension)``: see :meth:`_render_batch`."""
        by_id, extension, _whole = self._render_batch(report_ref, records, link_pattern)
        return by_id, extension

    def _render_batch(self, report_ref, records, link_pattern=None):
        """``({record_id: content}, extension, whole)``, in one batch if
        possible; ``whole`` is the batch's own PDF when it was cut by links
        (the documents in the order of ``records``), else ``None``.

        Odoo splits a batch by the PDF's outline (one heading per
        document). Some wkhtmltopdf builds (an unpatched Qt, as Debian
        ships) write no outline as soon as one document runs over a page,
        or produce an empty file: with ``link_pattern`` (a regex whose
        group 1 is the record id, matched against the PDF's links) the batch
        is rendered as one document (the report reads its records from
        ``data["doc_ids"]``, as Odoo's data-driven reports read theirs: Odoo
        then returns the whole PDF instead of cutting it page by page) and
        split here where each document's own link appears; otherwise, the
        documents are rendered one by one.
        """
        report = self.env["ir.actions.report"]
        try:
            if link_pattern and len(records) > 1:
                content, report_type = report._pre_render_qweb_pdf(
                    report_ref, data={"doc_ids": records.ids}
                )
            else:
                content, report_type = report._pre_render_qweb_pdf(
                    report_ref, res_ids=records.ids
                )
            whole = cut = None
            if link_pattern and isinstance(content, dict):
                streams = [v["stream"] for v in content.values() if v.get("stream")]
                whole = streams[0].getvalue() if len(streams) == 1 else None
            by_id = report._get_splitted_report(report_ref, content, report_type)
            if (
                link_pattern
                and whole
                and report_type == "pdf"
                and len(records) > 1
                and set(by_id) != set(records.ids)
            ):
                by_id = self._split_by_links(whole, records, link_pattern)
                cut = whole
            if len(records) == 1 and records.id not in by_id:
                # A template without per-record markers: the one document.
                if report_type == "html":
                    by_id = {records.id: content}
                elif by_id:
                    by_id = {records.id: next(iter(by_id.values()))}
            if len(records) > 1 and set(by_id) != set(records.ids):
                raise UserError(self.env._("The documents could not be split."))
        except (UserError, PdfReadError) as error:
            if len(records) == 1:
                raise
            _logger.info("Rendering %s PDFs one by one (%s)", len(records), error)
            by_id, report_type = {}, "pdf"
            for record in records:
                single, report_type = self._render_split(report_ref, record)
                by_id.update(single)
            return by_id, report_type, None
        return by_id, "pdf" if report_type == "pdf" else "html", cut

    def _split_by_links(self, data, records, link_pattern):
        """``{record_id: pdf}``: ``data`` cut before each page that holds a
        record's link (``link_pattern``, group 1 the record id). Reading
        the pages' link annotations takes milliseconds, where extracting
        their text would take seconds."""
        reader = pdf.PdfFileReader(io.BytesIO(data), strict=False)
        wanted = set(records.ids)
        starts, seen = [], set()  # [(page index, record id)]
        for index, page in enumerate(reader.pages):
            for annotation in page.get("/Annots") or ():
                link = annotation.get_object().get("/A")
                uri = link and link.get_object().get("/URI")
                match = uri and link_pattern.search(str(uri))
                record_id = match and int(match.group(1))
                if record_id in wanted and record_id not in seen:
                    starts.append((index, record_id))
                    seen.add(record_id)
                    break
        if sorted(rid for _i, rid in starts) != sorted(wanted) or starts[0][0]:
            raise UserError(self.env._("The documents could not be split."))
        result = {}
        for position, (first, record_id) in enumerate(starts):
            last = (
                starts[position + 1][0]
                if position + 1 < len(starts)
                else reader.getNumPages()
            )
            writer = pdf.PdfFileWriter()
            for number in range(first, last):
                writer.addPage(reader.getPage(number))
            buffer = io.BytesIO()
            writer.write(buffer)
            result[record_id] = buffer.getvalue()
        return result

    def _render_letters(self, actions):
        """The letters of this chunk: one document for the print room, on
        the run, and each customer's copy on the action and in the
        customer's chatter. Rendered once, split per action."""
        if not actions:
            return
        actions = actions.sorted("id")
        by_id, extension, whole = self._render_batch(
            "cobranza_addon.action_report_cobranza_letter",
            actions,
            link_pattern=LETTER_REFERENCE,
        )
        mimetype = "application/pdf" if extension == "pdf" else "text/html"
        parts = [by_id[action.id] for action in actions if by_id.get(action.id)]
        if whole and len(parts) == len(actions):
            # the batch as rendered: the same pages, not merged back
            content = whole
        elif extension == "pdf":
            content = pdf.merge_pdf(parts)
        else:
            content = b"\n".join(parts)
        part = (
            self.env["ir.attachment"].search_count(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("description", "=", PRINT_ROOM),
                ]
            )
            + 1
        )
        Attachment = self.env["ir.attachment"].sudo()
        batch = Attachment.create(
            {
                "name": self.env._(
                    "Collection letters %(date)s - part %(part)s.%(ext)s",
                    date=fields.Date.to_string(self.date),
                    part=part,
                    ext=extension,
                ),
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": mimetype,
                "description": PRINT_ROOM,
            }
        )
        self.letter_attachment_id = batch
        self._cobranza_letter_copies(actions, by_id, extension)
        self.message_post(
            body=self._cobranza_letters_text(len(actions)),
            attachment_ids=batch.ids,
        )

    def _cobranza_letter_copies(self, actions, by_id, extension):
        """Each customer's letter on the action and in the customer's chatter."""
        mimetype = "application/pdf" if extension == "pdf" else "text/html"
        copies = []
        for action in actions:
            if not by_id.get(action.id):
                continue
            name = self.env._(
                "Collection letter %(customer)s %(date)s.%(ext)s",
                customer=action.partner_id.name,
                date=fields.Date.to_string(self.date),
                ext=extension,
            )
            for model, res_id in (
                ("cobranza.action", action.id),
                ("res.partner", action.partner_id.id),
            ):
                copies.append(
                    {
                        "name": name,
                        "raw": by_id[action.id],
                        "res_model": model,
                        "res_id": res_id,
                        "mimetype": mimetype,
                        # what was sent: kept as it is (ir_attachment.py)
                        "description": LETTER_COPY,
                    }
                )
        copies = self.env["ir.attachment"].sudo().create(copies)
        self._cobranza_link_letter_copies(actions, copies)

    def _cobranza_letters_text(self, count):
        if count == 1:
            return self.env._("1 collection letter ready to print.")
        return self.env._("%(count)s collection letters ready to print.", count=count)

    def _cobranza_link_letter_copies(self, actions, copies):
        """Copies on the actions' letter deliveries and in the chatter: one
        ``UPDATE`` for the deliveries, one note per customer for the chunk."""
        self._cobranza_attach_letter_deliveries(
            actions,
            {a.res_id: a.id for a in copies if a.res_model == "cobranza.action"},
        )
        by_partner = {}
        for action in actions:
            by_partner.setdefault(action.partner_id.id, action)
        attachments = {}
        for attachment in copies:
            if attachment.res_model == "res.partner":
                attachments.setdefault(attachment.res_id, []).append(attachment.id)
        bodies = {
            partner_id: self.env._(
                "Collection letter %(level)s printed.",
                level=by_partner[partner_id].level_id.name,
            )
            for partner_id in attachments
        }
        partners = self.env["res.partner"].browse(list(attachments)).sudo()
        partners._cobranza_log_batch(bodies, attachments=attachments)

    def _cobranza_attach_letter_deliveries(self, actions, on_action):
        """Each sent letter delivery of ``actions`` gets its copy
        (``on_action``: ``{action id: attachment id}``), in one ``UPDATE``."""
        Delivery = self.env["cobranza.action.delivery"].sudo()
        deliveries = Delivery.search(
            [
                ("action_id", "in", actions.ids),
                ("channel", "=", "letter"),
                ("state", "=", "sent"),
                ("attachment_id", "=", False),
            ]
        )
        pairs = [
            (delivery.id, on_action[delivery.action_id.id])
            for delivery in deliveries
            if delivery.action_id.id in on_action
        ]
        if pairs:
            Delivery.flush_model(["attachment_id"])
            self.env.execute_query(
                SQL(
                    """
                    UPDATE cobranza_action_delivery AS d
                       SET attachment_id = p.attachment_id,
                           write_uid = %s, write_date = %s
                      FROM unnest(%s::int[], %s::int[]) AS p(id, attachment_id)
                     WHERE d.id = p.id
                    """,
                    self.env.uid,
                    fields.Datetime.now(),
                    [delivery_id for delivery_id, _attachment in pairs],
                    [attachment for _delivery_id, attachment in pairs],
                )
            )
            deliveries.invalidate_recordset(
                ["attachment_id", "write_uid", "write_date"]
            )
