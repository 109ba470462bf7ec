"""The print room's batch download: every letter document of a run."""

import io
import zipfile

from odoo import http
from odoo.http import content_disposition, request


class CobranzaLetters(http.Controller):
    @http.route("/cobranza/run/<int:run_id>/letters", type="http", auth="user")
    def download_letters(self, run_id):
        run = request.env["cobranza.run"].browse(run_id).exists()
        if not run:
            raise request.not_found()
        run.check_access("read")
        attachments = run.letter_attachment_ids
        if not attachments:
            raise request.not_found()
        if len(attachments) == 1:
            name, content = attachments.name, attachments.raw
            mimetype = attachments.mimetype
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
