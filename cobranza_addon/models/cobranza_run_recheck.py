"""Re-check at send time: each chunk applies the run's eligibility rules
again, so a preview that went stale sends nothing for what changed."""

from odoo import fields, models
from odoo.tools import SQL


class CobranzaRun(models.Model):
    _inherit = "cobranza.run"

    def _cobranza_recheck_reasons(self, invoices):
        """``{invoice_id: reason}`` for the invoices that may not be followed
        up any more (reason: a translated word)."""
        today = fields.Date.context_today(self)
        held = self.env["cobranza.case"]._cobranza_case_blocked_invoice_ids(
            self.company_id
        )
        in_plan = set()
        if invoices:
            in_plan = {
                row[0]
                for row in self.env.execute_query(
                    SQL(
                        """
                        SELECT rel.move_id
                          FROM cobranza_payment_plan_account_move_rel rel
                          JOIN cobranza_payment_plan p ON p.id = rel.plan_id
                         WHERE rel.move_id = ANY(%s) AND p.state = 'active'
                        """,
                        invoices.ids,
                    )
                )
            }
        reasons = {}
        for invoice in invoices:
            paused = invoice.cobranza_paused_until
            if not invoice.cobranza_in_collection:
                reasons[invoice.id] = self.env._("paid")
            elif invoice.cobranza_dispute:
                reasons[invoice.id] = self.env._("disputed")
            elif invoice.cobranza_excluded:
                reasons[invoice.id] = self.env._("excluded from follow-up")
            elif paused and paused >= today:
                reasons[invoice.id] = self.env._("paused by a promise or a plan")
            elif invoice.id in in_plan:
                reasons[invoice.id] = self.env._("in an active payment plan")
            elif invoice.id in held:
                reasons[invoice.id] = self.env._("held by an agency or legal case")
        return reasons

    def _cobranza_recheck(self, actions):
        """Trim or skip ``actions`` whose invoices changed since the preview.

        Returns ``(kept_actions, {action_id: note})``: the notes say which
        invoices were taken out and why. An action that lost every invoice is
        ``skipped``. Installment reminders are checked by
        ``_drop_stale_plan_reminders``.
        """
        self.env["account.move"].flush_model()
        actions -= self._cobranza_drop_held(actions)
        invoice_actions = actions.filtered(lambda a: not a.plan_line_id)
        reasons = self._cobranza_recheck_reasons(invoice_actions.invoice_ids.sudo())
        notes = {}
        skipped = actions.browse()
        for action in invoice_actions:
            dropped = self._cobranza_dropped_invoices(action, reasons)
            if not dropped:
                continue
            text = ", ".join(
                self.env._("%(invoice)s %(reason)s", invoice=inv.name, reason=why)
                for inv, why in dropped.items()
            )
            kept = action.invoice_ids - action.invoice_ids.browse(
                [inv.id for inv in dropped]
            )
            if not kept:
                skipped |= action
                action.write(
                    {
                        "state": "skipped",
                        "note": self.env._(
                            "Not sent: nothing left to remind since the preview "
                            "(%(invoices)s).",
                            invoices=text,
                        ),
                    }
                )
                continue
            # the lines and the figures follow the invoice list
            action.write({"invoice_ids": [fields.Command.set(kept.ids)]})
            notes[action.id] = self.env._(
                "Taken out since the preview: %(invoices)s.", invoices=text
            )
        return actions - skipped, notes

    def _cobranza_drop_held(self, actions):
        """Skip the actions of customers whose contact is stopped by a case,
        and the installment reminders of plans held by an open case: every
        channel, with the reason. Returns the skipped actions."""
        stops = self.env["cobranza.case"]._cobranza_contact_stops(
            self.company_id, actions.partner_id.commercial_partner_id.ids
        )
        held_lines = self._cobranza_held_plan_lines(actions.plan_line_id)
        skipped = actions.browse()
        for action in actions:
            row = stops.get(action.partner_id.commercial_partner_id.id)
            if row:
                note = self.env["cobranza.case"]._cobranza_stop_reason(row)
            elif action.plan_line_id in held_lines:
                note = self.env._(
                    "The plan's invoices are held by an agency or legal case."
                )
            else:
                continue
            skipped |= action
            action.write(
                {"state": "skipped", "note": self.env._("Not sent. %(why)s", why=note)}
            )
        return skipped

    def _cobranza_held_plan_lines(self, lines):
        """The installments among ``lines`` that get no reminder: their plan
        has an invoice held by an open case, or their customer's contact is
        stopped (``cobranza.case._cobranza_case_blocked_invoice_ids``)."""
        if not lines:
            return lines
        Case = self.env["cobranza.case"]
        held = Case._cobranza_case_blocked_invoice_ids(self.company_id)
        stops = Case._cobranza_contact_stops(
            self.company_id, lines.partner_id.commercial_partner_id.ids
        )
        return lines.filtered(
            lambda line: line.partner_id.commercial_partner_id.id in stops
            or set(line.sudo().plan_id.invoice_ids.ids) & held
        )

    def _cobranza_dropped_invoices(self, action, reasons):
        """``{invoice: reason}``: the invoices ``action`` may not remind."""
        dropped = {}
        for invoice in action.invoice_ids:
            reason = reasons.get(invoice.id)
            current = invoice.cobranza_level_id
            # the level this invoice reaches with this message (none: listed)
            level = action._invoice_level(invoice)
            # A remainder (deferred channels, another channel) or a retry
            # follows a part that already moved the invoice.
            if (
                not reason
                and not action.level_applied
                and not action.channel_plan
                and current
                and level
                and current.offset_days >= level.offset_days
            ):
                reason = self.env._("already at this level or above")
            if reason:
                dropped[invoice] = reason
        return dropped
