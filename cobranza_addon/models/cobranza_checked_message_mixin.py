from datetime import timezone

from odoo import fields, models

from .cobranza_authority import SYSTEM_MESSAGE, granted


class CobranzaCheckedMessageMixin(models.AbstractModel):
    """Messages to debtors sent by plans and promises, checked by the rules.

    The records have ``partner_id``, ``company_id`` and ``user_id`` and the
    mail thread and activity mixins.
    """

    _name = "cobranza.checked.message.mixin"
    _description = "Collection messages checked by the compliance rules"

    def _checked_message_user(self):
        """Who gets the task to send a refused message later."""
        self.ensure_one()
        return self.user_id

    def _send_template(self, xmlid):
        """Send a message (plan broken or completed, promise broken) to each customer.

        A customer still in collection is a debtor: the message is checked
        by the compliance rules first. When they do not allow it now, it is
        not sent; the ledger records why and the collector gets a task to
        send it when the rules allow it.
        """
        template = self.env.ref(xmlid, raise_if_not_found=False)
        records = self.filtered(lambda p: p.partner_id.email)
        if not template or not records:
            return
        now = fields.Datetime.now()
        Contact = self.env["cobranza.contact"]
        refused = {}
        for company, company_records in records.grouped("company_id").items():
            debtors = Contact._debtors_in_collection(
                company_records.partner_id, company
            )
            checked = company_records.filtered(
                lambda p, debtors=debtors: p.partner_id.commercial_partner_id in debtors
            )
            if not checked:
                continue
            rendered = template._generate_template(
                checked.ids, ["subject", "body_html"]
            )
            decisions = Contact._evaluate_emails(
                [
                    (
                        record.partner_id.commercial_partner_id,
                        rendered[record.id].get("subject"),
                        rendered[record.id].get("body_html"),
                    )
                    for record in checked
                ],
                now,
                company,
            )
            for record, decision in zip(checked, decisions, strict=True):
                if decision is not None and decision.outcome != "allow":
                    refused[record.id] = decision
        if refused:
            self.browse(list(refused))._hold_message(template, refused, now)
        for record in records.filtered(lambda p: p.id not in refused):
            with granted(SYSTEM_MESSAGE):
                record.with_context(
                    mail_notify_force_send=False
                ).message_post_with_source(
                    template,
                    subtype_xmlid="mail.mt_comment",
                    message_type="comment",
                    partner_ids=record.partner_id.ids,
                )

    def _hold_message(self, template, decisions, now):
        """A message the compliance rules refused: ledger, note, task."""
        Contact = self.env["cobranza.contact"]
        ledger_vals = []
        for record in self:
            decision = decisions[record.id]
            not_before = (
                decision.not_before.astimezone(timezone.utc).replace(tzinfo=None)
                if decision.not_before
                else False
            )
            rules = ",".join(sorted({r.rule_id for r in decision.reasons}))
            reasons = Contact._decision_reasons(decision)
            ledger_vals.append(
                {
                    "company_id": record.company_id.id,
                    "partner_id": record.partner_id.commercial_partner_id.id,
                    "contact_date": now,
                    "channel": "email",
                    "outcome": "deferred" if decision.outcome == "defer" else "blocked",
                    "origin": "other",
                    "res_model": record._name,
                    "res_id": record.id,
                    "user_id": self.env.user.id,
                    "not_before": not_before,
                    "rule_ids_text": rules or False,
                    "reason": reasons or False,
                }
            )
            if not_before:
                note = self.env._(
                    'The message "%(message)s" was not sent: the compliance '
                    "rules allow it from %(when)s (UTC). %(reasons)s",
                    message=template.name,
                    when=fields.Datetime.to_string(not_before),
                    reasons=reasons,
                )
            else:
                note = self.env._(
                    'The message "%(message)s" was not sent: the compliance '
                    "rules do not allow it. %(reasons)s",
                    message=template.name,
                    reasons=reasons,
                )
            record.message_post(body=note)
            record.activity_schedule(
                "mail.mail_activity_data_email",
                date_deadline=(
                    fields.Date.to_date(not_before)
                    if not_before
                    else fields.Date.context_today(self)
                ),
                summary=self.env._("Send: %(message)s", message=template.name),
                note=note,
                user_id=(record._checked_message_user() or self.env.user).id,
            )
        Contact.sudo().create(ledger_vals)
