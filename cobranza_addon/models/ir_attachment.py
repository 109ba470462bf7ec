"""What was sent stays as it was sent.

The collection letters a run printed, each customer's copy, a certified
letter's PDF and delivery receipt, and the invoice PDFs a reminder carried
are the record of what the company sent a debtor: the print room works
from them, and a dispute or a court case asks for them. Odoo lets anyone
who may write on the document delete or replace its attachments (the
trash icon in the chatter, or ``ir.attachment`` over RPC), which for a
run, an action or an invoice is every collector. Only a collections
administrator may (erasing a customer's data, say); the system's own
cascades (deleting a customer) still work.
"""

from odoo import api, models
from odoo.exceptions import AccessError

#: ``description`` of a run's print-room PDFs, and of the customers' copies.
PRINT_ROOM = "cobranza_letters"
LETTER_COPY = "cobranza_letter_copy"
LETTER_DESCRIPTIONS = (PRINT_ROOM, LETTER_COPY)
#: What a change to an attachment of a letter may not touch.
EVIDENCE_FIELDS = frozenset(
    {
        "datas",
        "raw",
        "db_datas",
        "store_fname",
        "url",
        "type",
        "res_model",
        "res_id",
        "res_field",
        "description",
    }
)


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _cobranza_letter_evidence(self):
        """The attachments of ``self`` that record what was sent."""
        if not self.ids:
            return self.browse()
        sudo = self.sudo()
        found = sudo.filtered(lambda a: a.description in LETTER_DESCRIPTIONS)
        Delivery = self.env["cobranza.action.delivery"].sudo()
        found |= Delivery.search([("attachment_id", "in", self.ids)]).attachment_id
        # what a reminder carried (the invoices' PDFs, shown with a trash
        # icon in the customer's chatter)
        found |= Delivery.search(
            [("mail_message_id.attachment_ids", "in", self.ids)]
        ).mail_message_id.attachment_ids
        certified = (
            self.env["cobranza.certified.letter"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    "|",
                    ("letter_attachment_id", "in", self.ids),
                    ("receipt_attachment_id", "in", self.ids),
                ]
            )
        )
        found |= certified.letter_attachment_id | certified.receipt_attachment_id
        return self.browse((found & sudo).ids)

    def _cobranza_check_evidence(self):
        if self.env.su or self.env.user.has_group(
            "cobranza_addon.cobranza_group_admin"
        ):
            return
        evidence = self._cobranza_letter_evidence()
        if evidence:
            raise AccessError(
                self.env._(
                    "%(names)s was sent to a customer in collection: only a "
                    "collections administrator may delete or replace it.",
                    names=", ".join(evidence.sudo().mapped("name")),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_letter_evidence(self):
        self._cobranza_check_evidence()

    def write(self, vals):
        if EVIDENCE_FIELDS.intersection(vals):
            self._cobranza_check_evidence()
        return super().write(vals)
