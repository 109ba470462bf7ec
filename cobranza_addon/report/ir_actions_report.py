import lxml.html

from odoo import models

#: Reports of this addon printed one document per record.
COBRANZA_REPORTS = {
    "cobranza_addon.report_cobranza_letter",
    "cobranza_addon.report_cobranza_payment_plan",
    "cobranza_addon.report_cobranza_statement",
}


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _prepare_html(self, html, report_model=False):
        """Several letters, agreements or statements in one HTML document.

        Odoo gives wkhtmltopdf one HTML document per record; Debian's
        wkhtmltopdf (unpatched Qt) refuses more than one input document, so
        printing several records would fail. Each record keeps its own
        article (its language, its page break), in one document.
        """
        result = super()._prepare_html(html, report_model=report_model)
        if not result or self.report_name not in COBRANZA_REPORTS:
            return result
        bodies, res_ids, header, footer, paperformat_args = result
        if len(bodies) < 2:
            return result
        document = lxml.html.fromstring(bodies[0])
        container = document.body
        for body in bodies[1:]:
            other = lxml.html.fromstring(body).body
            container.append(
                lxml.html.fromstring('<div style="page-break-before: always;"></div>')
            )
            for child in list(other):
                container.append(child)
        merged = lxml.html.tostring(
            document, encoding="unicode", doctype="<!DOCTYPE html>"
        )
        return [merged], res_ids, header, footer, paperformat_args
