from datetime import timezone

from odoo import fields, models
from odoo.exceptions import UserError


class MailComposeMessage(models.TransientModel):
    """Manual sends (chatter, "Send by email") pass the compliance check when
    a recipient is a debtor in collection."""

    _inherit = "mail.compose.message"

    def _action_send_mail_comment(self, res_ids):
        debtors = self._cobranza_debtors()
        if not debtors:
            return super()._action_send_mail_comment(res_ids)
        now = fields.Datetime.now()
        self._cobranza_check(debtors, now)
        messages = super()._action_send_mail_comment(res_ids)
        self.env["cobranza.contact"].sudo().create(
            [
                {
                    "company_id": self.env.company.id,
                    "partner_id": partner.id,
                    "contact_date": now,
                    "channel": "email",
                    "outcome": "allowed",
                    "origin": "manual"
                    if self.env.context.get("cobranza_contact_origin") != "other"
                    else "other",
                    "res_model": self.model,
                    "res_id": res_id,
                    "user_id": self.env.user.id,
                }
                for partner in debtors
                for res_id in res_ids[:1]
            ]
        )
        return messages

    def _cobranza_debtors(self):
        """Commercial partners among the recipients with invoices in collection."""
        return self.env["cobranza.contact"]._debtors_in_collection(self.partner_ids)

    def _cobranza_check(self, debtors, now):
        Contact = self.env["cobranza.contact"]
        decisions = Contact._evaluate_emails(
            [(partner, self.subject, self.body) for partner in debtors], now
        )
        problems = []
        for partner, decision in zip(debtors, decisions, strict=True):
            if decision is None or decision.outcome == "allow":
                continue
            reasons = Contact._decision_reasons(decision)
            if decision.outcome == "defer":
                problems.append(
                    self.env._(
                        "%(partner)s may be contacted from %(when)s (UTC) only: %(reasons)s",
                        partner=partner.display_name,
                        when=fields.Datetime.to_string(
                            decision.not_before.astimezone(timezone.utc).replace(
                                tzinfo=None
                            )
                        ),
                        reasons=reasons,
                    )
                )
            else:
                problems.append(
                    self.env._(
                        "%(partner)s may not be contacted this way: %(reasons)s",
                        partner=partner.display_name,
                        reasons=reasons,
                    )
                )
        if problems:
            raise UserError(
                self.env._(
                    "This message is not sent: a recipient is in collection and "
                    "the compliance rules do not allow it now.\n%(problems)s",
                    problems="\n".join(problems),
                )
            )
