from odoo import fields, models

from .mail_template import _unique_reasons, sample_length, split_tags


class SmsTemplate(models.Model):
    _inherit = "sms.template"

    cobranza_block_tags = fields.Char(
        string="Content blocks",
        help="Tags of the content this SMS carries (opt_out, "
        "creditor_identity...), separated by commas: an SMS has no markup "
        "to tag.",
    )
    cobranza_stage_code = fields.Char(
        string="Collection stage", help="Stage of the shipped template set."
    )

    def _cobranza_content(self, channel):
        self.ensure_one()
        return {
            "tags": split_tags(self.cobranza_block_tags),
            "body": self.body or "",
            "subject": "",
            "sms_length": sample_length(self.body),
        }

    def _cobranza_lint_by_lang(self, channel="sms", company=None):
        """[(lang, reason)] for the text of this SMS in each active language."""
        self.ensure_one()
        company = company or self.env.company
        return [
            (code, reason)
            for code, __ in self.env["res.lang"].get_installed()
            for reason in self.env["cobranza.rule"]._lint_content(
                self.with_context(lang=code)._cobranza_content("sms"), "sms", company
            )
        ]

    def _cobranza_lint(self, channel="sms", company=None):
        return _unique_reasons(self._cobranza_lint_by_lang(channel, company))

    def write(self, vals):
        res = super().write(vals)
        if {"body", "cobranza_block_tags"} & set(vals):
            self.env["cobranza.level"].sudo().search(
                [("sms_template_id", "in", self.ids)]
            )._check_template_compliance()
        return res
