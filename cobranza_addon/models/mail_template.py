import re

from lxml import html as lxml_html

from odoo import api, fields, models

#: ``{{ expression }}`` of an inline template, counted as this many characters.
PLACEHOLDER_LENGTH = 12
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}", re.S)
_QWEB_ATTR = re.compile(r'\s(t-[a-z-]+)="[^"]*"')


def block_tags(body_html):
    """Tags of the blocks marked ``data-cobranza-block="a b"`` in ``body_html``."""
    if not body_html or "data-cobranza-block" not in body_html:
        return frozenset()
    root = lxml_html.fromstring(f"<div>{body_html}</div>")
    tags = set()
    for node in root.xpath("//*[@data-cobranza-block]"):
        tags.update(node.get("data-cobranza-block").replace(",", " ").split())
    return frozenset(tags)


def html_text(body_html):
    """The visible text of a template body (QWeb expressions left out)."""
    if not body_html:
        return ""
    root = lxml_html.fromstring(f"<div>{body_html}</div>")
    return " ".join(root.text_content().split())


def sample_length(body):
    """Length of an inline (``{{ }}``) template, placeholders estimated."""
    return len(_PLACEHOLDER.sub("x" * PLACEHOLDER_LENGTH, body or ""))


def split_tags(value):
    return frozenset(t for t in re.split(r"[\s,]+", value or "") if t)


def _unique_reasons(reasons_by_lang):
    """The reasons of ``[(lang, reason)]``, each once."""
    unique = {}
    for __, reason in reasons_by_lang:
        unique.setdefault((reason.rule_id, reason.message), reason)
    return list(unique.values())


class MailTemplate(models.Model):
    _inherit = "mail.template"

    cobranza_block_tags = fields.Char(
        string="Content blocks",
        compute="_compute_cobranza_block_tags",
        help="Tags of the blocks marked with data-cobranza-block in the body.",
    )
    cobranza_stage_code = fields.Char(
        string="Collection stage", help="Stage of the shipped template set."
    )

    @api.depends("body_html")
    @api.depends_context("lang")
    def _compute_cobranza_block_tags(self):
        for template in self:
            template.cobranza_block_tags = ", ".join(
                sorted(block_tags(template.body_html))
            )

    def _cobranza_content(self, channel):
        """What the compliance rules check in this template, for ``channel``."""
        self.ensure_one()
        return {
            "tags": block_tags(self.body_html),
            "body": html_text(self.body_html),
            "subject": (self.subject or "") if channel == "email" else "",
            "sms_length": None,
        }

    def _cobranza_lint_by_lang(self, channel, company=None):
        """[(lang, reason)]: why the text of this template in each active
        language breaks a content rule it can reach.

        A template renders in its customer's language, and the forbidden
        phrases are language-specific: every translation is checked."""
        self.ensure_one()
        company = company or self.env.company
        envelope = (
            self.env["cobranza.rule"]._letter_envelope_text()
            if channel == "letter"
            else ""
        )
        return [
            (code, reason)
            for code, __ in self.env["res.lang"].get_installed()
            for reason in self.env["cobranza.rule"]._lint_content(
                self.with_context(lang=code)._cobranza_content(channel),
                channel,
                company,
                envelope_text=envelope,
            )
        ]

    def _cobranza_lint(self, channel, company=None):
        """Reasons why this template, in any active language, breaks a
        content rule it can reach."""
        return _unique_reasons(self._cobranza_lint_by_lang(channel, company))

    def write(self, vals):
        res = super().write(vals)
        if {"body_html", "subject"} & set(vals):
            levels = (
                self.env["cobranza.level"]
                .sudo()
                .search(
                    [
                        "|",
                        ("mail_template_id", "in", self.ids),
                        ("letter_template_id", "in", self.ids),
                    ]
                )
            )
            levels._check_template_compliance()
        return res
