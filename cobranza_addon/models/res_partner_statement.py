from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .cobranza_lang import in_user_lang

#: Statements sent per cron batch (about 2 s of wkhtmltopdf each).
STATEMENT_BATCH = 10


class ResPartner(models.Model):
    """Statement of account (estado de cuenta): print, send, send in bulk.

    Sending goes through the compliance gate like any manual message: the
    composer checks the rules and logs the contact in the ledger.
    """

    _inherit = "res.partner"

    cobranza_statement_queued = fields.Boolean(
        string="Statement to send",
        company_dependent=True,
        copy=False,
        readonly=True,
        help="A statement of account waits to be sent by the background job.",
    )

    def _cobranza_statement_filename(self):
        self.ensure_one()
        partner = self.with_context(lang=self.lang or self.env.lang)
        return partner.env._(
            "Statement of account - %(customer)s - %(date)s",
            customer=self.commercial_partner_id.name,
            date=fields.Date.to_string(fields.Date.context_today(self)),
        )

    def _cobranza_statement_pdf(self, date_from=None, date_to=None):
        """Render the statement of each customer and store it as an attachment
        of the customer (``ir.attachment``, in the order of ``self``).

        Used to print it, to send it, and to attach it to the consolidated
        follow-up.
        """
        report = self.env.ref("cobranza_addon.action_report_cobranza_statement")
        data = {
            "date_from": fields.Date.to_string(date_from) if date_from else False,
            "date_to": fields.Date.to_string(date_to) if date_to else False,
        }
        attachments = self.env["ir.attachment"]
        for partner in self.commercial_partner_id:
            content, report_type = self.env["ir.actions.report"]._render_qweb_pdf(
                report, partner.ids, data=data
            )
            extension = "pdf" if report_type == "pdf" else "html"
            mimetype = "application/pdf" if extension == "pdf" else "text/html"
            attachments |= self.env["ir.attachment"].create(
                {
                    "name": f"{partner._cobranza_statement_filename()}.{extension}",
                    "raw": content,
                    "res_model": "res.partner",
                    "res_id": partner.id,
                    "mimetype": mimetype,
                }
            )
        return attachments

    def action_cobranza_print_statement(self):
        return self.env.ref(
            "cobranza_addon.action_report_cobranza_statement"
        ).report_action(self.commercial_partner_id)

    def action_cobranza_send_statement(self):
        """Open the composer with the statement attached; sending it passes
        the compliance gate of the composer."""
        self.ensure_one()
        partner = self.commercial_partner_id
        template = self.env.ref("cobranza_addon.mail_template_cobranza_statement")
        attachment = partner._cobranza_statement_pdf()
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": "res.partner",
                "default_res_ids": partner.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "default_attachment_ids": attachment.ids,
                "default_email_layout_xmlid": "mail.mail_notification_light",
                "force_email": True,
            },
        }

    def action_cobranza_send_statements(self):
        """Bulk, from a list of customers: queue their statements; a
        background job renders and sends them in committed batches."""
        if not self.env.user.has_group("cobranza_addon.cobranza_group_user"):
            raise AccessError(
                self.env._("Only Collections users can send statements of account.")
            )
        partners = self.commercial_partner_id
        without_email = partners.filtered(lambda p: not p.email)
        if without_email == partners:
            raise UserError(self.env._("None of these customers has an email address."))
        queued = partners - without_email
        queued.sudo().cobranza_statement_queued = True
        self.env.ref("cobranza_addon.ir_cron_cobranza_send_statements")._trigger()
        if len(queued) == 1:
            message = self.env._("1 statement of account will be sent shortly.")
        else:
            message = self.env._(
                "%(count)s statements of account will be sent shortly.",
                count=len(queued),
            )
        if without_email:
            message += " " + self.env._(
                "Without an email address, not sent: %(customers)s.",
                customers=", ".join(without_email.mapped("display_name")),
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": message, "type": "info", "sticky": False},
        }

    @api.model
    def _cron_send_statements(self):
        """One batch of queued statements per company, then report progress:
        the cron commits and calls again while some remain."""
        self = in_user_lang(self)
        done = remaining = 0
        for company in self.env.user.company_ids:
            Partner = self.with_company(company)
            queued = Partner.search([("cobranza_statement_queued", "=", True)])
            if not queued:
                continue
            batch = queued[: max(STATEMENT_BATCH - done, 0)]
            if batch:
                batch._cobranza_send_statement_now()
                batch.cobranza_statement_queued = False
                done += len(batch)
            remaining += len(queued) - len(batch)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    def _cobranza_send_statement_now(self):
        """Send each customer its statement by email, when the compliance
        rules allow it now; otherwise log why on the customer."""
        template = self.env.ref("cobranza_addon.mail_template_cobranza_statement")
        partners = self.commercial_partner_id.filtered("email")
        debtors = partners._cobranza_debtors_in_collection()
        now = fields.Datetime.now()
        Contact = self.env["cobranza.contact"]
        refused = {}
        if debtors:
            rendered = {
                field: template._render_field(field, debtors.ids, compute_lang=True)
                for field in ("subject", "body_html")
            }
            decisions = Contact._evaluate_emails(
                [
                    (p, rendered["subject"][p.id], rendered["body_html"][p.id])
                    for p in debtors
                ],
                now,
            )
            for partner, decision in zip(debtors, decisions, strict=True):
                if decision is not None and decision.outcome != "allow":
                    refused[partner] = Contact._decision_reasons(decision)
        for partner, reasons in refused.items():
            partner.message_post(
                body=self.env._(
                    "The statement of account was not sent: the compliance rules "
                    "do not allow it now. %(reasons)s",
                    reasons=reasons,
                )
            )
        for partner in partners.filtered(lambda p: p not in refused):
            attachment = partner._cobranza_statement_pdf()
            partner.with_context(mail_notify_force_send=False).message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
                partner_ids=partner.ids,
                attachment_ids=attachment.ids,
            )
        return partners.filtered(lambda p: p not in refused)
