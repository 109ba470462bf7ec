"""Preview message: the email, SMS and letter of an action rendered exactly as
the run sends them, in the customer's language, with the channels used."""

from collections import defaultdict

from odoo import api, fields, models

#: The fields of an email the run renders (and the preview shows).
EMAIL_FIELDS = ["subject", "body_html", "email_from", "reply_to"]


class CobranzaAction(models.Model):
    _inherit = "cobranza.action"

    preview_channels = fields.Text(
        string="Channels to use", compute="_compute_preview", readonly=True
    )
    preview_lang = fields.Char(
        string="Customer language", compute="_compute_preview", readonly=True
    )
    preview_subject = fields.Char(
        string="Email subject", compute="_compute_preview", readonly=True
    )
    preview_email = fields.Html(
        string="Email preview",
        compute="_compute_preview",
        sanitize=False,
        readonly=True,
    )
    preview_sms = fields.Text(
        string="SMS preview", compute="_compute_preview", readonly=True
    )
    preview_letter = fields.Html(
        string="Letter preview",
        compute="_compute_preview",
        sanitize=False,
        readonly=True,
    )

    # Rendering shared by the run's dispatch and the preview ---------------
    def _render_email(self, template):
        """``{action_id: {subject, body_html, email_from, reply_to}}``."""
        self._cobranza_ensure_pay_tokens()
        return template._generate_template(self.ids, EMAIL_FIELDS)

    def _render_sms(self, template):
        """``{action_id: body}`` in each customer's language."""
        self._cobranza_ensure_pay_tokens()
        return template._render_field("body", self.ids, compute_lang=True)

    def _channel_labels(self):
        return {
            "email": self.env._("email"),
            "letter": self.env._("letter"),
            "sms": self.env._("SMS"),
            "activity": self.env._("call task"),
        }

    @api.depends_context("lang")
    def _compute_preview(self):
        labels = self._channel_labels()
        langs = dict(self.env["res.lang"].get_installed())
        for action in self:
            action.preview_subject = action.preview_sms = False
            action.preview_email = action.preview_letter = False
            level = action.level_id
            run = action.run_id or self.env["cobranza.run"]
            notes = defaultdict(list)
            plan = (
                run.with_company(action.company_id)._plan_channels(level, action, notes)
                if level and action.id
                else []
            )
            lines = [", ".join(labels[ch] for ch in plan) or self.env._("none")]
            action.preview_channels = "\n".join(lines + notes[action.id])
            action.preview_lang = langs.get(action.lang, action.lang)
            if not action.id:
                continue
            if "email" in plan and level.mail_template_id:
                values = action._render_email(level.mail_template_id)[action.id]
                action.preview_subject = values.get("subject")
                action.preview_email = values.get("body_html")
            if "sms" in plan and level.sms_template_id:
                action.preview_sms = action._render_sms(level.sms_template_id)[
                    action.id
                ]
            if "letter" in plan:
                action.preview_letter = action._letter_body()

    def action_preview_message(self):
        """Open the message this customer would receive, figures refreshed."""
        self.ensure_one()
        if self.state in ("proposed", "excluded", "deferred", "blocked"):
            # Only who may change the action refreshes it (the refresh may
            # cancel it); a reader sees the figures as they are.
            if self.has_access("write"):
                self._refresh_figures()
        view = self.env.ref("cobranza_addon.cobranza_action_view_form_preview")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Preview message"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(view.id, "form")],
            "target": "new",
        }

    def action_print_letter(self):
        """The letter as the run prints it (PDF)."""
        return self.env.ref(
            "cobranza_addon.action_report_cobranza_letter"
        ).report_action(self)
