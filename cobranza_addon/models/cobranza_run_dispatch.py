"""The run's dispatch: the channels of the actions executed, invoices updated."""

import logging
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import fields, models
from odoo.tools import format_date, formatLang

from ..cobranza_core import channels as channels_core

_logger = logging.getLogger(__name__)


def _one_per_customer(actions):
    """``actions`` in batches where each customer appears at most once."""
    rounds = []  # [(partner ids, action ids)]
    for action in actions:
        for partners, ids in rounds:
            if action.partner_id.id not in partners:
                partners.add(action.partner_id.id)
                ids.append(action.id)
                break
        else:
            rounds.append(({action.partner_id.id}, [action.id]))
    return [actions.browse(ids) for _partners, ids in rounds]


class CobranzaRun(models.Model):
    _inherit = "cobranza.run"

    def _execute(self, actions):
        """Deliver the queued ``actions`` of this run: one chunk, one
        transaction (see ``cobranza_run_delivery``). The runner calls it as
        the system, in the name of the user who sent the actions."""
        self.ensure_one()
        actions = actions.filtered(lambda a: a.state == "queued")
        if not actions:
            return
        actions -= self._drop_stale_plan_reminders(actions)
        actions, trim_notes = self._cobranza_recheck(actions)
        # Figures and invoice list as they are now, not as at the preview.
        actions -= actions._refresh_figures()
        if not actions:
            return
        gate = self._compliance_prepare(actions)
        letters = actions.browse()
        for level, level_actions in actions.grouped("level_id").items():
            letters |= self._execute_level(level, level_actions, gate, trim_notes)
        self._compliance_finish(gate)
        self._render_letters(letters.filtered(lambda a: a.state == "done"))
        to_apply = actions.filtered(
            lambda a: a.state == "done" and not a.plan_line_id and not a.level_applied
        )
        rollback = self._cobranza_rollback_values(to_apply)
        self._update_invoices(to_apply)
        self._cobranza_store_rollback(to_apply, rollback)
        self._update_plan_lines(actions.filtered("plan_line_id"))

    def _cobranza_rollback_values(self, actions):
        """What the invoices of ``actions`` look like before they move."""
        return {
            action.id: {
                str(inv.id): [
                    inv.cobranza_level_id.id,
                    inv.cobranza_stage_id.id,
                    fields.Date.to_string(inv.cobranza_last_date),
                    fields.Date.to_string(inv.cobranza_next_date),
                ]
                for inv in action.invoice_ids
            }
            for action in actions
        }

    def _cobranza_store_rollback(self, actions, rollback):
        """Keep, with the level each invoice got, what to restore if nothing
        of the action is delivered."""
        for action in actions:
            saved = rollback[action.id]
            for inv in action.invoice_ids:
                if str(inv.id) in saved:
                    saved[str(inv.id)].append(inv.cobranza_level_id.id)
            action.write({"invoice_rollback": saved, "level_applied": True})

    def _drop_stale_plan_reminders(self, actions):
        """Installment reminders that have no object any more (the installment
        was paid, the plan ended) are cancelled instead of sent."""
        stale = actions.filtered(
            lambda a: a.plan_line_id
            and (
                a.plan_line_id.plan_id.state != "active"
                or a.plan_line_id.currency_id.is_zero(a.plan_line_id.amount_residual)
            )
        )
        if stale:
            stale.write(
                {
                    "state": "cancelled",
                    "note": self.env._(
                        "Not sent: the installment is paid or the plan is over."
                    ),
                }
            )
        return stale

    def _plan_channels(self, level, action, notes):
        """The channels ``action`` uses at ``level``, fallbacks included
        (the rule is :func:`cobranza_core.channels.plan_channels`)."""
        partner = action.partner_id
        plan, codes = channels_core.plan_channels(
            channels_core.ChannelFacts(
                use_email=level.use_email,
                use_letter=level.use_letter,
                use_sms=level.use_sms,
                use_activity=level.use_activity,
                has_email=bool(partner.email),
                has_phone=bool(partner.mobile or partner.phone),
                has_letter_template=bool(level.letter_template_id),
                wanted=tuple(action.channel_plan.split(","))
                if action.channel_plan
                else (),
            )
        )
        messages = self._channel_note_messages()
        notes[action.id].extend(messages[code] for code in codes)
        return plan

    def _channel_note_messages(self):
        """The channel rule's note codes, in the user's language."""
        return {
            channels_core.NO_EMAIL_LETTER: self.env._(
                "No email address: a letter is printed instead."
            ),
            channels_core.NO_EMAIL_ACTIVITY: self.env._(
                "No email address: a call task is given to the collector instead."
            ),
            channels_core.NO_PHONE: self.env._(
                "No mobile number: the SMS was not sent."
            ),
        }

    def _execute_level(self, level, actions, gate=None, pre_notes=None):
        """Channels of ``actions`` at ``level``: a delivery row per channel,
        then the side effect written into Odoo's queues. Returns the
        actions that get a letter."""
        notes = defaultdict(list)
        for action_id, note in (pre_notes or {}).items():
            notes[action_id].append(note)
        plans = {
            action.id: self._plan_channels(level, action, notes) for action in actions
        }
        plans = self._compliance_gate(level, actions, plans, notes, gate)

        def using(channel):
            return actions.filtered(
                lambda a: a.state == "queued" and channel in plans.get(a.id, ())
            )

        deliveries = self._cobranza_create_deliveries(actions, plans)
        self._send_emails(level, using("email"), notes, deliveries)
        letter_actions = using("letter")
        if letter_actions:
            letter_actions.write({"channel_letter": True})
            for action in letter_actions:
                notes[action.id].append(self.env._("Letter printed."))
        sms_actions = using("sms")
        if sms_actions:
            self._send_sms(level, sms_actions, notes, deliveries)
        activity_actions = using("activity")
        if activity_actions:
            self._schedule_activities(level, activity_actions, notes)
        # Deferred or blocked actions were written by the compliance gate;
        # the others are done: their notes, then one write of the state
        # (one chatter batch for the whole chunk).
        done = actions.filtered(lambda a: a.state == "queued")
        nothing = self.env._("Nothing to send.")
        for action in done:
            action.note = "\n".join(notes[action.id]) or nothing
        done.write({"state": "done"})
        return letter_actions

    def _cobranza_create_deliveries(self, actions, plans):
        """``{(action_id, channel): delivery}``: the delivery state of every
        channel about to be used, stored before its side effect. Letters and
        call tasks are delivered when the chunk commits."""
        vals_list = []
        now = fields.Datetime.now()
        for action in actions.filtered(lambda a: a.state == "queued"):
            partner = action.partner_id
            for channel in plans.get(action.id, ()):
                immediate = channel in ("letter", "activity")
                vals_list.append(
                    {
                        "action_id": action.id,
                        "run_id": self.id,
                        "company_id": action.company_id.id,
                        "channel": channel,
                        "state": "sent" if immediate else "queued",
                        "date_outcome": now if immediate else False,
                        "recipient": {
                            "email": partner.email,
                            "sms": partner.mobile or partner.phone,
                        }.get(channel)
                        or False,
                    }
                )
        Delivery = self.env["cobranza.action.delivery"].sudo()
        # Rows a retry just replaced must be written before the new ones.
        Delivery.flush_model(["state"])
        deliveries = Delivery.create(vals_list)
        return {(d.action_id.id, d.channel): d for d in deliveries}

    def _send_emails(self, level, actions, notes, deliveries=None):
        if not actions:
            return
        template = level.mail_template_id
        rendered = actions._render_email(template)
        attachments = self._invoice_attachments(actions.invoice_ids)
        statements = self._statement_attachments(level, actions)
        messages = {}
        for batch in _one_per_customer(actions):
            messages.update(self._post_emails(batch, rendered, attachments, statements))
        links = {}
        for action in actions:
            if deliveries and (action.id, "email") in deliveries:
                links[deliveries[action.id, "email"].id] = messages[action.id].id
            notes[action.id].append(
                self.env._("Email queued to %(email)s.", email=action.partner_id.email)
            )
        self.env["cobranza.action.delivery"].sudo()._cobranza_link_messages(links)
        actions.write({"channel_email": True})

    def _post_emails(self, actions, rendered, attachments, statements):
        """``{action_id: mail.message}``: each action's email in its
        customer's chatter (one action per customer), created in batches;
        the mail queue sends them after this chunk commits."""
        posts = {}
        for action in actions:
            values = rendered[action.id]
            posts[action.partner_id.id] = {
                "body": values.get("body_html") or "",
                "subject": values.get("subject"),
                "email_from": values.get("email_from"),
                "reply_to": values.get("reply_to"),
                "partner_ids": action.partner_id.ids,
                "attachment_ids": [
                    attachments[inv.id]
                    for inv in action.invoice_ids
                    if inv.id in attachments
                ]
                + statements.get(action.id, []),
            }
        messages = actions.partner_id.sudo()._cobranza_post_batch(
            posts, self.env.user.partner_id
        )
        return {action.id: messages[action.partner_id.id] for action in actions}

    def _statement_attachments(self, level, actions):
        """``{action_id: [attachment_id]}``: the customer's statement of
        account, rendered now, when the level attaches it to its email."""
        if not level.attach_statement:
            return {}
        return {
            action.id: action.partner_id.sudo()._cobranza_statement_pdf().ids
            for action in actions
        }

    def _send_sms(self, level, actions, notes, deliveries=None):
        template = level.sms_template_id
        bodies = actions._render_sms(template)
        sent = self.env["cobranza.action"]
        links = {}
        for action in actions:
            partner = action.partner_id
            number = partner.mobile or partner.phone
            if not number:
                notes[action.id].append(
                    self.env._("No mobile number: the SMS was not sent.")
                )
                continue
            # put_in_queue: the SMS queue sends it after this chunk commits.
            message = partner.sudo()._message_sms(
                bodies[action.id],
                partner_ids=partner.ids,
                sms_pid_to_number={partner.id: number},
                put_in_queue=True,
            )
            if deliveries and (action.id, "sms") in deliveries:
                links[deliveries[action.id, "sms"].id] = message.id
            notes[action.id].append(
                self.env._("SMS queued to %(number)s.", number=number)
            )
            sent |= action
        self.env["cobranza.action.delivery"].sudo()._cobranza_link_messages(links)
        sent.write({"channel_sms": True})

    def _schedule_activities(self, level, actions, notes):
        activity_type = level.activity_type_id or self.env.ref(
            "mail.mail_activity_data_todo"
        )
        model_id = self.env["ir.model"]._get_id("res.partner")
        vals_list = []
        for action in actions:
            summary = level.activity_summary or self.env._(
                "Follow up %(level)s", level=level.name
            )
            if action.plan_line_id:
                line = action.plan_line_id
                note = self.env._(
                    "%(line)s of payment plan %(plan)s, due on %(date)s: %(amount)s",
                    line=line.display_name,
                    plan=line.plan_id.name,
                    date=format_date(self.env, line.due_date),
                    amount=formatLang(
                        self.env, line.amount_residual, currency_obj=line.currency_id
                    ),
                )
            else:
                note = self.env._(
                    "Invoices: %(invoices)s",
                    invoices=", ".join(action.invoice_ids.mapped("name")),
                )
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": action.partner_id.id,
                    "activity_type_id": activity_type.id,
                    "summary": summary,
                    "note": note,
                    "user_id": action.collector_id.id or self.env.user.id,
                    "date_deadline": self.date
                    + timedelta(days=level.activity_delay_days),
                }
            )
            notes[action.id].append(
                self.env._(
                    "Task given to %(user)s.",
                    user=(action.collector_id or self.env.user).name,
                )
            )
        # No "assigned to you" email per task (a run gives a collector dozens):
        # the tasks are in their activities and in My Follow-ups Today.
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(vals_list)
        actions.write({"channel_activity": True})

    def _channels_text(self, action):
        return ", ".join(
            label
            for label, used in (
                (self.env._("email"), action.channel_email),
                (self.env._("letter"), action.channel_letter),
                (self.env._("SMS"), action.channel_sms),
                (self.env._("call task"), action.channel_activity),
            )
            if used
        ) or self.env._("no channel")

    def _update_plan_lines(self, actions):
        """Sent installment reminders: never again for that installment and
        kind; logged on the plan and on the customer."""
        done = actions.filtered(lambda a: a.state == "done")
        if not done:
            return
        flags = {"pre_due": "reminder_pre_sent", "overdue": "reminder_overdue_sent"}
        for kind, kind_actions in done.grouped("plan_reminder").items():
            kind_actions.plan_line_id.sudo().with_context(
                cobranza_plan_tracking=True
            ).write({flags[kind]: True})
        plan_bodies = defaultdict(list)
        partner_bodies = defaultdict(list)
        for action in done:
            body = Markup(
                self.env._(
                    "Reminder <b>%(level)s</b> for %(line)s of %(plan)s: %(outcome)s"
                )
            ) % {
                "level": action.level_id.name,
                "line": action.plan_line_id.display_name,
                "plan": action.plan_id.name,
                "outcome": action.note or self._channels_text(action),
            }
            plan_bodies[action.plan_id.id].append(body)
            partner_bodies[action.partner_id.id].append(body)
        self.env["cobranza.payment.plan"].browse(
            list(plan_bodies)
        ).sudo()._message_log_batch(
            {key: Markup("<br/>").join(value) for key, value in plan_bodies.items()}
        )
        self.env["res.partner"].browse(list(partner_bodies)).sudo()._message_log_batch(
            {key: Markup("<br/>").join(value) for key, value in partner_bodies.items()}
        )

    def _write_invoices(self, by_values, bodies):
        """Write the run's levels and stages on the invoices; each invoice's
        note carries the change of its tracked level and stage, as Odoo's
        tracking shows it, all in one INSERT (the ORM's tracking would post
        one message per invoice at commit, a query each)."""
        moves = self.env["account.move"].browse(list(bodies))
        tracked = ["cobranza_level_id", "cobranza_stage_id"]
        initial = {move.id: {f: move[f] for f in tracked} for move in moves}
        for (level_id, stage_id, next_date), ids in by_values.items():
            vals = {"cobranza_last_date": self.date}
            if level_id:
                vals.update(cobranza_level_id=level_id, cobranza_next_date=next_date)
            if stage_id:
                vals.update(cobranza_stage_id=stage_id, cobranza_stage_manual=False)
            moves.browse(ids).with_context(mail_notrack=True)._cobranza_run_write(vals)
        moves._cobranza_untrack(tracked)
        if bodies:
            moves._cobranza_log_batch(
                bodies, tracking=moves._cobranza_tracking_values(initial, tracked)
            )

    def _update_invoices(self, actions):
        """Each invoice advances to its own line's level (forward only; listed
        invoices keep theirs), stage per the ladder; logged in both chatters."""
        done = actions.filtered(lambda a: a.state == "done")
        by_values = defaultdict(list)
        invoice_bodies = {}
        partner_bodies = {}
        forward_after_manual = self.company_id.cobranza_forward_after_manual
        for action in done:
            channels = self._channels_text(action)
            for line in action.sudo().line_ids:
                key, level = line._run_update_key(forward_after_manual)
                if level:
                    body = self.env._(
                        "Follow-up level <b>%(level)s</b> sent (%(channels)s)."
                    )
                else:
                    body = self.env._(
                        "Listed in the follow-up <b>%(level)s</b> (%(channels)s)."
                    )
                by_values[key].append(line.move_id.id)
                invoice_bodies[line.move_id.id] = Markup(body) % {
                    "level": (level or action.level_id).name,
                    "channels": channels,
                }
            partner_bodies[action.partner_id.id] = Markup(
                self.env._(
                    "Follow-up level <b>%(level)s</b> for %(invoices)s: %(outcome)s"
                )
            ) % {
                "level": action.level_id.name,
                "invoices": ", ".join(action.invoice_ids.mapped("name")),
                "outcome": action.note or "",
            }
        self._write_invoices(by_values, invoice_bodies)
        if partner_bodies:
            self.env["res.partner"].browse(list(partner_bodies))._cobranza_log_batch(
                partner_bodies
            )
