from odoo import fields, models

from .mail_template import sample_length, split_tags


class SmsTemplate(models.Model):
    _inherit = "sms.template"

    cobranza_block_tags = fields.Char(
        string="Content blocks",
        help="Tags of the content this SMS carries (opt_out, "
        "creditor_identity...), separated by commas: an SMS has no markup "
        "to tag.",
    )
    cobranza_lang = fields.Selection(
        [("es", "Spanish"), ("en", "English")],
        string="Collection template language",
    )

    def _cobranza_content(self, channel):
        self.ensure_one()
        return {
            "tags": split_tags(self.cobranza_block_tags),
            "body": self.body or "",
            "subject": "",
            "sms_length": sample_length(self.body),
        }
