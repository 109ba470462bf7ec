"""Certified demand letters: a letter whose delivery the carrier proves.

Burofax in Spain, *carta certificada* in Chile, Argentina, Mexico and
Colombia, *carta notarial* in Peru, certified mail in the United States.
The letter is drafted (by a collector, or by the run for a level marked
*certified letter*), sent through the compliance gate for letters, and its
delivery or return recorded with the carrier's receipt. The delivery date is
what the waiting periods count from (ledger events ``notice_sent``,
``bureau_warning_sent``, ``agency_referral_notified``).

Authority: the state, the dates, the receipt and the stored PDF change only
through the transitions (``action_send``, ``action_record_delivery``,
``action_record_return``, ``action_cancel``), which check the role first;
``create`` and ``write`` refuse them to every other caller, whatever the
context it sends.
"""

import base64

from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_amount, format_date

from ..cobranza_core import certified
from .cobranza_authority import granted, is_internal, parse_date

#: Grant of the transitions (see cobranza_authority).
CERTIFIED = "certified_letter"
#: Fields only the transitions write.
PROTECTED = frozenset(
    {
        "state",
        "date_sent",
        "date_delivered",
        "date_returned",
        "receipt_attachment_id",
        "letter_attachment_id",
    }
)
#: Fields frozen once the letter has left.
FROZEN = frozenset(
    {
        "company_id",
        "partner_id",
        "invoice_ids",
        "purpose",
        "carrier",
        "tracking_number",
        "payment_deadline",
        "action_id",
    }
)
REPORT = "cobranza_addon.action_report_cobranza_certified_letter"
STATES = [
    ("draft", "Draft"),
    ("sent", "Sent"),
    ("delivered", "Delivered"),
    ("returned", "Returned"),
    ("cancelled", "Cancelled"),
]


class CobranzaCertifiedLetter(models.Model):
    _name = "cobranza.certified.letter"
    _description = "Certified Demand Letter"
    _inherit = ["cobranza.ladder.record.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        copy=False,
        readonly=True,
        default=lambda self: self.env._("New"),
    )
    partner_id = fields.Many2one(check_company=True)
    invoice_ids = fields.Many2many(
        "account.move", "cobranza_certified_letter_invoice_rel", "letter_id", "move_id"
    )
    purpose = fields.Selection(
        [
            ("demand", "Formal demand"),
            ("pre_report", "Notice before a credit-bureau report"),
            ("agency_referral", "Notice of referral to an agency or lawyer"),
        ],
        required=True,
        default="demand",
        tracking=True,
    )
    letter_kind = fields.Char(
        string="Kind of letter",
        compute="_compute_letter_kind",
        help="What the letter is called where the customer is: burofax, "
        "carta certificada, carta notarial, certified mail...",
    )
    carrier = fields.Char(tracking=True, help="Postal service or courier.")
    tracking_number = fields.Char(tracking=True, copy=False)
    payment_deadline = fields.Date(
        required=True,
        default=lambda self: certified.payment_deadline(
            fields.Date.context_today(self)
        ),
        tracking=True,
    )
    state = fields.Selection(
        STATES, default="draft", required=True, tracking=True, index=True, copy=False
    )
    date_sent = fields.Date(readonly=True, tracking=True, copy=False)
    date_delivered = fields.Date(readonly=True, tracking=True, copy=False)
    date_returned = fields.Date(readonly=True, tracking=True, copy=False)
    receipt_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Receipt",
        readonly=True,
        copy=False,
        help="The carrier's proof of delivery (or of return), scanned.",
    )
    letter_attachment_id = fields.Many2one(
        "ir.attachment", string="Letter PDF", readonly=True, copy=False
    )
    amount_due = fields.Monetary(
        compute="_compute_amount_due",
        store=True,
        help="Open amount of the invoices, in the company's currency.",
    )
    action_id = fields.Many2one(
        "cobranza.action",
        string="Follow-up action",
        readonly=True,
        copy=False,
        check_company=True,
        index="btree_not_null",
    )

    @api.depends("partner_id.cobranza_jurisdiction")
    @api.depends_context("lang")
    def _compute_letter_kind(self):
        labels = self._letter_kind_labels()
        for letter in self:
            kind = certified.letter_kind(letter.partner_id.cobranza_jurisdiction)
            letter.letter_kind = labels[kind]

    def _letter_kind_labels(self):
        _ = self.env._
        return {
            "burofax": _("Burofax"),
            "carta_certificada": _("Certified letter"),
            "carta_notarial": _("Notarial letter"),
            "certified_mail": _("Certified mail"),
            "registered_letter": _("Registered letter with proof of delivery"),
        }

    @api.depends("invoice_ids.amount_residual_signed")
    def _compute_amount_due(self):
        for letter in self:
            letter.amount_due = letter._cobranza_open_amount()

    @api.constrains("partner_id", "invoice_ids")
    def _check_invoices(self):
        for letter in self:
            wrong = letter.invoice_ids._cobranza_not_of(letter.partner_id)
            if wrong:
                raise ValidationError(
                    self.env._(
                        "A certified letter lists posted invoices of its customer "
                        "only: %(invoices)s.",
                        invoices=", ".join(wrong.mapped("display_name")),
                    )
                )

    # CRUD ---------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_collector()
        if not is_internal(self.env, CERTIFIED):
            for vals in vals_list:
                self._refuse_protected(vals, creating=True)
        for vals in vals_list:
            if vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals["partner_id"] = partner.commercial_partner_id.id
        self._cobranza_name_from_sequence(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_collector()
        if not is_internal(self.env, CERTIFIED):
            self._refuse_protected(vals)
            if FROZEN & set(vals) and any(lt.state != "draft" for lt in self):
                raise UserError(
                    self.env._(
                        "A certified letter that was sent cannot be changed: record "
                        "its delivery or its return instead."
                    )
                )
        if vals.get("partner_id"):
            partner = self.env["res.partner"].browse(vals["partner_id"])
            vals = {**vals, "partner_id": partner.commercial_partner_id.id}
        return super().write(vals)

    def _refuse_protected(self, vals, creating=False):
        touched = {k for k in vals if k in PROTECTED}
        if creating and vals.get("state") == "draft":
            touched.discard("state")
        if touched:
            raise AccessError(
                self.env._(
                    "The status, dates, receipt and PDF of a certified letter "
                    "change only through its buttons (Send, Record delivery, "
                    "Record return, Cancel): %(fields)s.",
                    fields=", ".join(sorted(touched)),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_never_sent(self):
        self._check_collector()
        if any(letter.date_sent for letter in self):
            raise UserError(
                self.env._(
                    "A certified letter that was sent is evidence: it cannot be "
                    "deleted."
                )
            )

    def _check_collector(self):
        self._cobranza_check_role(
            "cobranza_addon.cobranza_group_user",
            self.env._("Only collection users can prepare certified letters."),
        )

    def _check_state(self, states, action):
        wrong = self.filtered(lambda letter: letter.state not in states)
        if wrong:
            raise UserError(
                self.env._(
                    "%(action)s is not possible for %(letters)s in this status.",
                    action=action,
                    letters=", ".join(wrong.mapped("name")),
                )
            )

    # Transitions --------------------------------------------------------------
    def action_send(self):
        """Draft → sent: the gate for letters, the PDF, the ledger, the chatter."""
        self._check_collector()
        self._check_state(("draft",), self.env._("Sending"))
        for letter in self:
            if not (letter.carrier and letter.tracking_number):
                raise UserError(
                    self.env._(
                        "%(letter)s: enter the carrier and the tracking number "
                        "before sending it.",
                        letter=letter.name,
                    )
                )
        today = fields.Date.context_today(self)
        late = self.filtered(
            lambda lt: certified.deadline_passed(lt.payment_deadline, today)
        )
        if late:
            raise UserError(
                self.env._(
                    "%(letters)s: the payment deadline must be after today.",
                    letters=", ".join(late.mapped("name")),
                )
            )
        now = fields.Datetime.now()
        self._check_compliance(now)
        with granted(CERTIFIED):
            self.write({"state": "sent", "date_sent": fields.Date.context_today(self)})
            self._store_pdf()
        self._log_sent(now)
        return True

    def action_record_delivery(self, day, receipt, filename=None):
        """Sent → delivered on ``day`` (the receipt is required): the notices
        it carries are recorded in the ledger on that date."""
        return self._record_outcome("delivered", day, receipt, filename)

    def action_record_return(self, day, receipt, filename=None):
        """Sent → returned on ``day``: the ledger records an undeliverable notice."""
        return self._record_outcome("returned", day, receipt, filename)

    def action_cancel(self):
        self._check_collector()
        self._check_state(("draft",), self.env._("Cancelling"))
        with granted(CERTIFIED):
            self.write({"state": "cancelled"})
        return True

    def action_open_outcome_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record delivery or return"),
            "res_model": "cobranza.certified.outcome.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_letter_id": self.id,
                "default_outcome": self.env.context.get("outcome", "delivered"),
            },
        }

    @api.model
    def _action_new(self, customer, invoices):
        """The form of a new letter for ``customer`` listing ``invoices``."""
        self._check_collector()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send certified letter"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_partner_id": customer.id,
                "default_invoice_ids": [Command.set(invoices.ids)],
            },
        }

    def action_print(self):
        return self.env.ref(REPORT).report_action(self)

    def _record_outcome(self, state, day, receipt, filename):
        self._check_collector()
        self._check_state(("sent",), self.env._("Recording the outcome"))
        day = parse_date(self.env, day, self.env._("Date"))
        problem_messages = {
            "missing": self.env._("Enter the date."),
            "future": self.env._("The date cannot be in the future."),
            "before_sent": self.env._("The date cannot be before the letter was sent."),
        }
        if not receipt:
            raise UserError(
                self.env._("Attach the carrier's receipt (the scanned proof).")
            )
        today = fields.Date.context_today(self)
        for letter in self:
            problem = certified.outcome_date_problem(day, letter.date_sent, today)
            if problem:
                raise ValidationError(problem_messages[problem])
        date_field = "date_delivered" if state == "delivered" else "date_returned"
        Contact = self.env["cobranza.contact"]
        for letter in self:
            attachment = letter._receipt_attachment(receipt, filename)
            with granted(CERTIFIED):
                letter.write(
                    {
                        "state": state,
                        date_field: day,
                        "receipt_attachment_id": attachment.id,
                    }
                )
            events = (
                certified.delivery_events(letter.purpose)
                if state == "delivered"
                else certified.EVENTS_ON_RETURN
            )
            for event in events:
                Contact._record_event(
                    letter.partner_id, event, day, source=letter, reason=letter.name
                )
            letter._post_outcome(state, day, attachment)
        return True

    # Business methods ---------------------------------------------------------
    def _receipt_attachment(self, receipt, filename):
        """The scanned receipt (base64, as a binary field or a client sends it)."""
        self.ensure_one()
        try:
            base64.b64decode(receipt, validate=True)
        except (TypeError, ValueError):
            raise ValidationError(
                self.env._("The receipt is not a valid file.")
            ) from None
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": filename
                    or self.env._("Receipt %(letter)s", letter=self.name),
                    "datas": receipt,
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )

    def _store_pdf(self):
        """The letter as sent, one PDF per letter, kept on the record."""
        Attachment = self.env["ir.attachment"].sudo()
        for letter in self:
            content, report_type = (
                self.env["ir.actions.report"]
                .sudo()
                ._render_qweb_pdf(REPORT, letter.ids)
            )
            extension = "pdf" if report_type == "pdf" else "html"
            attachment = Attachment.create(
                {
                    "name": f"{letter.name.replace('/', '-')}.{extension}",
                    "raw": content,
                    "res_model": self._name,
                    "res_id": letter.id,
                    "mimetype": "application/pdf"
                    if extension == "pdf"
                    else "text/html",
                }
            )
            letter.letter_attachment_id = attachment

    def _log_sent(self, now):
        """One ledger row per letter, a note on the letter, customer and invoices."""
        self.env["cobranza.contact"].sudo().create(
            [
                {
                    "company_id": letter.company_id.id,
                    "partner_id": letter.partner_id.id,
                    "contact_date": now,
                    "channel": "letter",
                    "kind": "collection",
                    "outcome": "allowed",
                    "origin": "manual",
                    "tags": "certified",
                    "res_model": self._name,
                    "res_id": letter.id,
                    "user_id": self.env.user.id,
                }
                for letter in self
            ]
        )
        for letter in self:
            body = self.env._(
                "%(kind)s %(letter)s sent by %(carrier)s, tracking number "
                "%(tracking)s (%(amount)s due).",
                kind=letter.letter_kind,
                letter=letter.name,
                carrier=letter.carrier,
                tracking=letter.tracking_number,
                amount=letter._format_amount(),
            )
            letter.message_post(
                body=body,
                attachment_ids=letter.letter_attachment_id.ids,
                subtype_xmlid="mail.mt_note",
            )
            letter._post_elsewhere(body)

    def _post_outcome(self, state, day, attachment):
        self.ensure_one()
        if state == "delivered":
            body = self.env._(
                "%(kind)s %(letter)s delivered on %(date)s.",
                kind=self.letter_kind,
                letter=self.name,
                date=format_date(self.env, day),
            )
        else:
            body = self.env._(
                "%(kind)s %(letter)s returned undelivered on %(date)s.",
                kind=self.letter_kind,
                letter=self.name,
                date=format_date(self.env, day),
            )
        self.message_post(
            body=body, attachment_ids=attachment.ids, subtype_xmlid="mail.mt_note"
        )
        self._post_elsewhere(body)

    def _post_elsewhere(self, body):
        """The same note in the customer's and the invoices' chatter."""
        self.ensure_one()
        link = Markup('<a href="#" data-oe-model="%s" data-oe-id="%s">%s</a>') % (
            self._name,
            self.id,
            self.name,
        )
        note = Markup("%s<br/>%s") % (escape(body), link)
        # The transition checked the role: the note is the letter's, not an
        # edit of the customer or the invoices (collectors may not edit them).
        author = self.env.user.partner_id.id
        for record in [self.partner_id, *self.invoice_ids]:
            record.sudo().message_post(
                body=note, subtype_xmlid="mail.mt_note", author_id=author
            )

    def _format_amount(self):
        self.ensure_one()
        return format_amount(self.env, self.amount_due, self.currency_id)
