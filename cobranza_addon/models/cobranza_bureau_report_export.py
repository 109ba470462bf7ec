"""Credit-bureau reports: payment tracking (the update deadline) and export."""

import io
import zipfile
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..cobranza_core import bureau as core
from .cobranza_authority import granted
from .cobranza_bureau_report import BUREAU, SENT_STATES


class CobranzaBureauReport(models.Model):
    _inherit = "cobranza.bureau.report"

    # ------------------------------------------------------------------
    # Payment tracking: the update deadline
    # ------------------------------------------------------------------
    @api.model
    def _cobranza_track_payments(self, invoices):
        """Reports on these invoices learn that they were paid (or not any
        more, when a payment is unreconciled)."""
        if not invoices:
            return
        reports = self.sudo().search(
            [("state", "=", "reported"), ("invoice_ids", "in", invoices.ids)]
        )
        reports._refresh_settlement()

    def _refresh_settlement(self):
        today = fields.Date.context_today(self)
        by_vals = defaultdict(lambda: self.browse())
        for report in self:
            paid = report.currency_id.is_zero(report.amount_open)
            if paid and not report.settled_date:
                deadline = core.update_deadline(
                    report._jurisdiction(),
                    today,
                    report.company_id.cobranza_bureau_update_days,
                )
                key = (today, deadline.day, deadline.basis)
            elif not paid and report.settled_date:
                key = (False, False, False)
            else:
                continue
            by_vals[key] |= report
        with granted(BUREAU):
            for (settled, deadline, basis), reports in by_vals.items():
                reports.write(
                    {
                        "settled_date": settled,
                        "update_deadline": deadline,
                        "update_basis": basis,
                    }
                )
                for report in reports:
                    report.retention_until = report._retention_until()

    # ------------------------------------------------------------------
    # Export
    # ------------------------------------------------------------------
    def _bureau_row(self):
        """The report as one row of the common columns (``core.COMMON_COLUMNS``)."""
        self.ensure_one()
        partner = self.partner_id
        invoices = self.invoice_ids.sorted("invoice_date_due")
        due_dates = [d for d in invoices.mapped("invoice_date_due") if d]
        id_type = getattr(partner, "l10n_latam_identification_type_id", False)
        if self.state == "withdrawn":
            status = "withdrawn"
        elif self.state == "updated" or self.settled_date:
            status = "paid" if self.currency_id.is_zero(self.amount_open) else "settled"
        else:
            status = "delinquent"
        return {
            "document_type": id_type.name
            if id_type
            else core.document_type(self.country_id.code, self.debtor_person),
            "document_number": partner.vat or "",
            "name": partner.name or "",
            "person_type": self.debtor_person,
            "address": ", ".join(
                line.strip()
                for line in (
                    partner._display_address(without_company=True) or ""
                ).splitlines()
                if line.strip()
            ),
            "debt_type": self.debtor_type,
            "reference": " ".join(invoices.mapped("name")),
            "original_amount": sum(invoices.mapped("amount_total_signed")),
            "outstanding_balance": self.amount_open,
            "currency": self.currency_id.name,
            "due_date": min(due_dates) if due_dates else None,
            "report_date": self.report_date,
            "status": status,
        }

    def action_export_bureau_csv(self):
        """One CSV per bureau for the selected sent reports, downloaded (a
        zip when there are several bureaus)."""
        self._check_manager()
        reports = self.filtered(lambda r: r.state in SENT_STATES)
        if not reports:
            raise UserError(
                self.env._("Select reports that were sent to a bureau to export.")
            )
        today = fields.Date.context_today(self)
        files = []
        for code in sorted(set(reports.mapped("bureau"))):
            group = reports.filtered(lambda r, c=code: r.bureau == c)
            rows = core.export_rows(code, [r._bureau_row() for r in group])
            files.append((f"{code}_{today.isoformat()}.csv", core.csv_text(rows)))
        Attachment = self.env["ir.attachment"]
        attachments = Attachment.create(
            [
                {
                    "name": name,
                    "raw": text.encode("utf-8"),
                    "mimetype": "text/csv",
                    "res_model": self._name,
                }
                for name, text in files
            ]
        )
        download = attachments
        if len(attachments) > 1:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, text in files:
                    archive.writestr(name, text.encode("utf-8"))
            download = Attachment.create(
                {
                    "name": f"credit_bureaus_{today.isoformat()}.zip",
                    "raw": buffer.getvalue(),
                    "mimetype": "application/zip",
                    "res_model": self._name,
                }
            )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{download.id}?download=true",
            "target": "download",
        }
