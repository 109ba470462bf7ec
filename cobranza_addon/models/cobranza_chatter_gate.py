from datetime import timezone

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .cobranza_authority import CHECKED_MESSAGE, RUN, granted, is_granted


def _gate_debtors(record, kwargs, own_partner, company):
    """Debtors in collection a chatter message reaches, or an empty recordset.

    Checked: comments by an internal user with a public subtype (the
    chatter's "Send message"), to the record's customer or to a mentioned
    debtor; and internal notes that name a debtor, whom Odoo emails as any
    mentioned partner. Not checked: notes naming no debtor, system
    notifications, the debtor's own messages, and posts the caller already
    checked (run, composer).
    """
    Partner = record.env["res.partner"]
    if kwargs.get("message_type", "notification") != "comment":
        return Partner
    subtype = record.env["mail.message.subtype"]
    if kwargs.get("subtype_xmlid"):
        subtype = record.env.ref(kwargs["subtype_xmlid"], raise_if_not_found=False)
    elif kwargs.get("subtype_id"):
        subtype = subtype.browse(kwargs["subtype_id"])
    named = Partner.browse(kwargs.get("partner_ids") or [])
    if not subtype or subtype.sudo().internal:
        # a note reaches only the partners it names
        return _debtors_reached(record, named, kwargs, company)
    return _debtors_reached(record, own_partner | named, kwargs, company)


def _debtors_reached(record, partners, kwargs, company):
    """The debtors in collection among ``partners`` a message by the current
    user reaches (not its author), unless the caller already checked it or
    the author is a portal user or a visitor."""
    Partner = record.env["res.partner"]
    if is_granted(RUN) or is_granted(CHECKED_MESSAGE) or not partners:
        return Partner
    user = record.env.user
    if user.share or user._is_public():
        return Partner
    debtors = record.env["cobranza.contact"]._debtors_in_collection(partners, company)
    author = Partner.browse(kwargs.get("author_id")) or user.partner_id
    return debtors - author.commercial_partner_id


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.returns("mail.message", lambda value: value.id)
    def message_notify(self, **kwargs):
        """``message_notify`` emails the partners it names at once, on any
        document (or none): a public method any RPC caller reaches. The
        debtors it names pass the same rules as a chatter message; where
        the message cannot be held on a customer or an invoice, a refused
        one is not sent and the caller is told why."""
        company = self.env.company
        if len(self) == 1 and "company_id" in self._fields:
            company = self.company_id[:1] or company
        named = self.env["res.partner"].browse(kwargs.get("partner_ids") or [])
        debtors = _debtors_reached(self, named, kwargs, company)
        if not debtors:
            return super().message_notify(**kwargs)
        # a notification on no document is logged (or held) on the debtor
        return self.env["cobranza.contact"]._gated_post(
            self or debtors[:1], debtors, kwargs, super().message_notify, company
        )

    def _check_can_update_message_content(self, messages):
        """What was sent to a debtor stays as it was sent: Odoo lets the
        author of a message edit it, or empty it ("delete"), from the
        chatter after its recipients have received it. Refused for a
        reminder a run sent, and for a message emailed to a customer whose
        collection contacts are in the ledger."""
        result = super()._check_can_update_message_content(messages)
        if self._cobranza_sent_to_debtor(messages):
            raise UserError(
                self.env._(
                    "This message was sent to a customer in collection: it "
                    "stays as it was sent."
                )
            )
        return result

    def _cobranza_sent_to_debtor(self, messages):
        if (
            self.env["cobranza.action.delivery"]
            .sudo()
            .search_count([("mail_message_id", "in", messages.ids)], limit=1)
        ):
            return True
        emailed = (
            self.env["mail.notification"]
            .sudo()
            .search(
                [
                    ("mail_message_id", "in", messages.ids),
                    ("notification_type", "=", "email"),
                ]
            )
            .res_partner_id
        )
        if not emailed:
            return False
        customers = emailed | emailed.commercial_partner_id
        return bool(
            self.env["cobranza.contact"]
            .sudo()
            .search_count([("partner_id", "in", customers.ids)], limit=1)
        )


class ResPartner(models.Model):
    _inherit = "res.partner"

    @property
    def _mail_post_access(self):
        """What a user needs on a customer to post on its chatter (and to
        schedule an activity there): Odoo asks write access, which
        collectors do not have on partners. Collection users may post on the
        customers they can read, as on invoices (messages to a debtor still
        pass the compliance gate below); others still need write access."""
        if self.env.user.has_group("cobranza_addon.cobranza_group_user"):
            return "read"
        return "write"

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        company = self.env.company
        debtors = _gate_debtors(self, kwargs, self.commercial_partner_id, company)
        if not debtors:
            return super().message_post(**kwargs)
        return self.env["cobranza.contact"]._gated_post(
            self, debtors, kwargs, super().message_post, company
        )


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        customer = self.env["res.partner"]
        if len(self) == 1 and self.move_type in ("out_invoice", "out_refund"):
            customer = self.commercial_partner_id
        company = self.company_id[:1] or self.env.company
        debtors = _gate_debtors(self, kwargs, customer, company)
        if not debtors:
            return super().message_post(**kwargs)
        return self.env["cobranza.contact"]._gated_post(
            self, debtors, kwargs, super().message_post, company
        )


class CobranzaContact(models.Model):
    """Quick chatter messages to debtors: the same gate and ledger as the composer.

    Allowed: the message is posted and logged. Deferred or blocked: it is
    not sent; the ledger keeps it (who, what, which rules, until when), the
    record gets an internal note saying so, and its author a task. From the
    ledger a Collections user sends it once the rules allow it, and a
    manager may send it at once when only warn-level rules stopped it,
    with a written justification.
    """

    _inherit = "cobranza.contact"

    held_subject = fields.Char(string="Held subject", readonly=True)
    held_body = fields.Html(string="Held message", readonly=True, sanitize=True)
    held_partner_ids = fields.Many2many(
        "res.partner",
        "cobranza_contact_held_partner_rel",
        "contact_id",
        "partner_id",
        string="Held recipients",
        readonly=True,
    )
    held_state = fields.Selection(
        [("held", "Waiting"), ("sent", "Sent later"), ("dropped", "Dropped")],
        string="Held message status",
        readonly=True,
        index="btree_not_null",
    )

    @api.model
    def _gated_post(self, record, debtors, kwargs, post, company):
        now = fields.Datetime.now()
        body = str(kwargs.get("body") or "")
        subject = kwargs.get("subject") or ""
        debtors = debtors.with_company(company)
        decisions = self.with_company(company)._evaluate_emails(
            [(debtor, subject, body) for debtor in debtors], now, company
        )
        refused = [
            (debtor, decision)
            for debtor, decision in zip(debtors, decisions, strict=True)
            if decision is not None and decision.outcome != "allow"
        ]
        if not refused:
            with granted(CHECKED_MESSAGE):
                message = post(**kwargs)
            debtors._cobranza_log_manual_send(now, record._name, record.ids)
            return message
        return self._hold_post(record, refused, kwargs, now, company)

    @api.model
    def _hold_post(self, record, refused, kwargs, now, company):
        """Keep a refused chatter message in the ledger; note and task on the
        record. Only customers and invoices hold messages; elsewhere (a
        notification sent on another document, or on none) it is refused."""
        if len(record) != 1 or record._name not in ("res.partner", "account.move"):
            self._raise_refused(
                self.env["res.partner"].browse([debtor.id for debtor, _d in refused]),
                [decision for _debtor, decision in refused],
            )
        vals_list, lines, deadline = [], [], None
        for debtor, decision in refused:
            vals = self._held_vals(record, debtor, decision, kwargs, now, company)
            vals_list.append(vals)
            lines.append(
                self._held_line(debtor, vals["not_before"], vals["reason"] or "")
            )
            if vals["not_before"] and (
                deadline is None or vals["not_before"] > deadline
            ):
                deadline = vals["not_before"]
        self.sudo().create(vals_list)
        body = kwargs.get("body") or ""
        note = Markup("<p>%s</p><ul>%s</ul><p>%s</p><blockquote>%s</blockquote>") % (
            self.env._(
                "This message was NOT sent: the customer is in collection and the "
                "compliance rules do not allow it now."
            ),
            Markup("").join(Markup("<li>%s</li>") % line for line in lines),
            self.env._(
                "It is kept in the contact ledger: send it from there once the "
                "rules allow it. A Collections manager may send it at once when "
                "only warn-level rules stopped it, with a justification."
            ),
            body if isinstance(body, Markup) else escape(body),
        )
        with granted(CHECKED_MESSAGE):
            message = record.message_post(
                body=note, message_type="comment", subtype_xmlid="mail.mt_note"
            )
        record.sudo().activity_schedule(
            "mail.mail_activity_data_email",
            date_deadline=fields.Date.to_date(deadline)
            if deadline
            else fields.Date.context_today(self),
            summary=self.env._("Send the held message"),
            note=self.env._(
                "A chatter message to a debtor waits in the contact ledger."
            ),
            user_id=self.env.user.id,
        )
        return message

    @api.model
    def _held_vals(self, record, debtor, decision, kwargs, now, company):
        """The ledger entry of a chatter message the rules held back."""
        not_before = (
            decision.not_before.astimezone(timezone.utc).replace(tzinfo=None)
            if decision.not_before
            else False
        )
        return {
            "company_id": company.id,
            "partner_id": debtor.id,
            "contact_date": now,
            "channel": "email",
            "outcome": "deferred" if decision.outcome == "defer" else "blocked",
            "origin": "manual",
            "res_model": record._name,
            "res_id": record.id,
            "user_id": self.env.user.id,
            "not_before": not_before,
            "rule_ids_text": ",".join(sorted({r.rule_id for r in decision.reasons}))
            or False,
            "reason": self._decision_reasons(decision) or False,
            "held_subject": kwargs.get("subject") or False,
            "held_body": kwargs.get("body") or False,
            "held_partner_ids": [
                fields.Command.set(list(kwargs.get("partner_ids") or []))
            ],
            "held_state": "held",
        }

    def _held_line(self, debtor, not_before, reasons):
        if not_before:
            return self.env._(
                "%(partner)s: allowed from %(when)s (UTC). %(reasons)s",
                partner=debtor.display_name,
                when=fields.Datetime.to_string(not_before),
                reasons=reasons,
            )
        return self.env._(
            "%(partner)s: blocked. %(reasons)s",
            partner=debtor.display_name,
            reasons=reasons,
        )

    # Sending a held message later --------------------------------------------
    def action_send_held(self):
        """Send held chatter messages now, if the rules allow it now."""
        return self._send_held()

    def action_open_override(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "cobranza.override.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_contact_id": self.id},
        }

    def _send_held(self, rule_codes=(), justification=None):
        if not self.env.user.has_group("cobranza_addon.cobranza_group_user"):
            raise AccessError(
                self.env._("Only Collections users can send a held message.")
            )
        self.check_access("read")
        if any(entry.held_state != "held" for entry in self):
            raise UserError(self.env._("Only a held message can be sent."))
        now = fields.Datetime.now()
        for entry in self:
            record = self.env[entry.res_model].browse(entry.res_id).exists()
            if not record:
                raise UserError(self.env._("The document of this message is gone."))
            record.check_access("read")
            company = entry.company_id
            decision = entry.with_company(company)._evaluate_emails(
                [(entry.partner_id, entry.held_subject or "", entry.held_body or "")],
                now,
                company,
                overrides=rule_codes,
            )[0]
            if decision is not None and decision.outcome != "allow":
                raise UserError(
                    self.env._(
                        "The rules still do not allow this message now: %(reasons)s",
                        reasons=self._decision_reasons(decision),
                    )
                )
            with granted(CHECKED_MESSAGE):
                record.sudo().message_post(
                    body=entry.held_body or "",
                    subject=entry.held_subject or None,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    partner_ids=entry.held_partner_ids.ids,
                    author_id=self.env.user.partner_id.id,
                )
            entry.sudo().write({"held_state": "sent"})
            self.sudo().create(
                {
                    "company_id": company.id,
                    "partner_id": entry.partner_id.id,
                    "contact_date": now,
                    "channel": "email",
                    "outcome": "allowed",
                    "origin": "manual",
                    "res_model": entry.res_model,
                    "res_id": entry.res_id,
                    "user_id": self.env.user.id,
                    "rule_ids_text": ",".join(rule_codes) or False,
                    "override_justification": justification or False,
                }
            )
        return True

    def action_override(self, rule_codes, justification):
        """A manager sends a held message despite warn-level rules."""
        if not self.env.user.has_group("cobranza_addon.cobranza_group_manager"):
            raise AccessError(
                self.env._("Only a Collections manager can override a rule.")
            )
        codes = self.env["cobranza.action"]._check_override_codes(
            rule_codes, justification
        )
        return self._send_held(codes, justification.strip())
