"""The print room's batch download: every letter document of a run.

A run's letters are stored one PDF per delivery chunk. A chunk that also
renders invoice PDFs holds one or two actions, so a run's letters can be
spread over many small PDFs: up to ``MERGE_PAGES`` pages they are handed
over as one PDF, in the run's order, ready to print; beyond, or when the
letters are HTML (no wkhtmltopdf), as a ZIP of the chunks' documents."""

import io
import zipfile

from odoo import http
from odoo.http import content_disposition, request
from odoo.tools import pdf

#: Merging is quick below this (about 3 s for 500 pages with PyPDF2 here).
MERGE_PAGES = 500


class CobranzaLetters(http.Controller):
    @http.route("/cobranza/run/<int:run_id>/letters", type="http", auth="user")
    def download_letters(self, run_id):
        run = request.env["cobranza.run"].browse(run_id).exists()
        if not run:
            raise request.not_found()
        run.check_access("read")
        attachments = run.letter_attachment_ids.sorted("id")
        if not attachments:
            raise request.not_found()
        if len(attachments) == 1:
            name, content = attachments.name, attachments.raw
            mimetype = attachments.mimetype
        elif self._mergeable(attachments):
            content = pdf.merge_pdf([attachment.raw for attachment in attachments])
            name = request.env._("Collection letters %(date)s.pdf", date=str(run.date))
            mimetype = "application/pdf"
        else:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for attachment in attachments:
                    archive.writestr(attachment.name, attachment.raw)
            name = request.env._("Collection letters %(date)s.zip", date=str(run.date))
            content, mimetype = buffer.getvalue(), "application/zip"
        return request.make_response(
            content,
            headers=[
                ("Content-Type", mimetype),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(name)),
            ],
        )

    @staticmethod
    def _mergeable(attachments):
        """Whether the chunks' letters are PDFs of ``MERGE_PAGES`` pages or
        fewer in all."""
        pages = 0
        for attachment in attachments:
            if attachment.mimetype != "application/pdf":
                return False
            try:
                reader = pdf.PdfFileReader(io.BytesIO(attachment.raw), strict=False)
                pages += reader.getNumPages()
            except (pdf.PdfReadError, ValueError):
                return False
            if pages > MERGE_PAGES:
                return False
        return True
