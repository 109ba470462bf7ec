from datetime import timezone

from odoo import fields, models
from odoo.exceptions import UserError

from ..cobranza_core import compliance
from ..models.mail_template import block_tags, html_text


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
                    "origin": "manual",
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
        partners = self.partner_ids.commercial_partner_id
        if not partners:
            return partners
        in_collection = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", partners.ids),
                    ("company_id", "=", self.env.company.id),
                    ("cobranza_in_collection", "=", True),
                ],
                ["commercial_partner_id"],
            )
        )
        return self.env["res.partner"].union(*(p for (p,) in in_collection))

    def _cobranza_check(self, debtors, now):
        company = self.env.company
        checked = debtors.filtered("cobranza_jurisdiction")
        if not checked:
            return
        jurisdictions = set(checked.mapped("cobranza_jurisdiction"))
        rules = self.env["cobranza.rule"]._core_rules(company, jurisdictions)
        holidays = self.env["cobranza.holiday"]._holidays_by_jurisdiction(jurisdictions)
        ledgers = self.env["cobranza.contact"]._ledgers(checked.ids)
        body = self.body or ""
        problems = []
        for partner in checked:
            tz, extra = partner._cobranza_timezones()
            proposed = compliance.ProposedContact(
                at=now.replace(tzinfo=timezone.utc),
                channel="email",
                debtor_type=partner.cobranza_debtor_type or "business",
                actor_type=company.cobranza_actor_type or "creditor",
                tz=tz,
                extra_tzs=extra,
                jurisdiction=partner.cobranza_jurisdiction,
                content_tags=block_tags(body),
                text=html_text(body),
                subject=self.subject or "",
                authorized_channels=partner._cobranza_authorized_channels(),
                recipient_tags=partner._cobranza_recipient_tags(),
                creditor_sector=company.cobranza_creditor_sector or None,
                debtor_person="legal" if partner.is_company else "natural",
            )
            decision = compliance.evaluate(
                proposed,
                rules,
                ledgers[partner.id],
                holidays.get(partner.cobranza_jurisdiction.split("-")[0], frozenset()),
            )
            if decision.outcome == "allow":
                continue
            reasons = "; ".join(
                f"{r.rule_id}: {r.message} ({r.citation})" for r in decision.reasons
            )
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
