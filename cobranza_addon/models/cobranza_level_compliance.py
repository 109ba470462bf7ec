from odoo import api, models
from odoo.exceptions import ValidationError


class CobranzaLevel(models.Model):
    _inherit = "cobranza.level"

    @api.constrains("mail_template_id", "letter_template_id", "sms_template_id")
    def _check_template_compliance(self):
        """A template that breaks a rule it can reach cannot serve a level."""
        for level in self:
            company = level.company_id or self.env.company
            checks = [
                (level.mail_template_id, "email"),
                (level.letter_template_id, "letter"),
                (level.sms_template_id, "sms"),
            ]
            problems = []
            for template, channel in checks:
                if not template:
                    continue
                seen = set()
                lint = template.sudo()._cobranza_lint_by_lang(channel, company)
                for lang, reason in lint:
                    if (reason.rule_id, reason.message) in seen:
                        continue
                    seen.add((reason.rule_id, reason.message))
                    problems.append(
                        self.env._(
                            "%(template)s (%(channel)s, %(lang)s): %(rule)s – "
                            "%(message)s (%(citation)s)",
                            template=template.display_name,
                            channel=channel,
                            lang=lang,
                            rule=reason.rule_id,
                            message=reason.message,
                            citation=reason.citation or "-",
                        )
                    )
            if problems:
                raise ValidationError(
                    self.env._(
                        "Level %(level)s cannot use these templates:\n%(problems)s",
                        level=level.display_name,
                        problems="\n".join(problems),
                    )
                )
