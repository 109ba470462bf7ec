"""The run's compliance gate: every planned contact is checked before it is sent."""

from datetime import timezone

from markupsafe import Markup

from odoo import fields, models

from ..cobranza_core import compliance
from .cobranza_run import CONTENT_KINDS, _utc


class CobranzaRun(models.Model):
    _inherit = "cobranza.run"

    # Compliance gate: every planned contact is checked before it is sent
    def _compliance_prepare(self, actions):
        company = self.company_id
        partners = actions.partner_id
        jurisdictions = {j for j in partners.mapped("cobranza_jurisdiction") if j}
        rules = self.env["cobranza.rule"]._core_rules(company, jurisdictions)
        return {
            "now": _utc(fields.Datetime.now()),
            "rules": rules,
            # What a collector says in a call cannot be checked here: call
            # tasks are checked for everything but content.
            "voice_rules": [r for r in rules if r.kind not in CONTENT_KINDS],
            "holidays": self.env["cobranza.holiday"]._holidays_by_jurisdiction(
                jurisdictions
            ),
            "ledger": self.env["cobranza.contact"]._ledgers(partners.ids),
            "events": self.env["cobranza.contact"]._cobranza_event_dates(
                partners.commercial_partner_id.ids
            ),
            "legal_values": self.env["cobranza.legal.param"]._core_values(
                jurisdictions
            ),
            "param_notes": {},
            "ledger_vals": [],
            "template_info": {},
        }

    def _template_info(self, gate, template, channel, lang=None):
        """Tags and texts of a template in the language it renders in for
        the customer (``lang``), parsed once per run."""
        key = (template._name, template.id, channel, lang)
        if key not in gate["template_info"]:
            gate["template_info"][key] = (
                template.with_context(lang=lang)._cobranza_content(channel)
                if template
                else {}
            )
        return gate["template_info"][key]

    def _proposed_contact(self, gate, level, action, channel):
        partner = action.partner_id
        company = self.company_id
        template = {
            "email": level.mail_template_id,
            "letter": level.letter_template_id or level.mail_template_id,
            "sms": level.sms_template_id,
        }.get(channel)
        content = (
            self._template_info(gate, template, channel, partner.lang or self.env.lang)
            if template
            else {}
        )
        tz, extra_tzs = partner._cobranza_timezones()
        currency_factor = 10**company.currency_id.decimal_places
        if action.plan_line_id:
            due_dates = [action.plan_line_id.due_date]
        else:
            due_dates = [d for d in action.invoice_ids.mapped("invoice_date_due") if d]
        fee_cents = round((action.fee_amount or 0.0) * currency_factor)
        return compliance.ProposedContact(
            at=gate["now"],
            channel=channel,
            debtor_type=partner.cobranza_debtor_type or "business",
            actor_type=company.cobranza_actor_type or "creditor",
            tz=tz,
            extra_tzs=extra_tzs,
            jurisdiction=partner.cobranza_jurisdiction,
            content_tags=content.get("tags", ()),
            text=content.get("body", ""),
            subject=content.get("subject", ""),
            envelope_text=partner._cobranza_envelope_text()
            if channel == "letter"
            else "",
            sms_length=content.get("sms_length"),
            events={
                **gate.get("events", {}).get(partner.commercial_partner_id.id, {}),
                **({"due_date": min(due_dates)} if due_dates else {}),
            },
            fee_cents=fee_cents or None,
            amount_cents=round((action.amount_due or 0.0) * currency_factor),
            authorized_channels=partner._cobranza_authorized_channels(),
            recipient_tags=partner._cobranza_recipient_tags(),
            creditor_sector=company.cobranza_creditor_sector or None,
            debtor_person="legal" if partner.is_company else "natural",
            days_overdue=action.max_days_overdue,
            unit_values=company._cobranza_unit_values(),
            legal_values=gate["legal_values"],
            currency_factor=currency_factor,
        )

    def _compliance_gate(self, level, actions, plans, notes, gate):
        if gate is None:
            return plans
        allowed_plans = {}
        for action in actions:
            partner = action.partner_id
            allowed, deferred, blocked = [], {}, {}
            if not partner.cobranza_jurisdiction:
                allowed_plans[action.id] = plans[action.id]
                for channel in plans[action.id]:
                    gate["ledger_vals"].append(
                        self._ledger_vals(gate, action, channel, "allowed")
                    )
                continue
            ledger = gate["ledger"][partner.id]
            holidays = gate["holidays"].get(
                partner.cobranza_jurisdiction.split("-")[0], frozenset()
            )
            overrides = action._compliance_overrides()
            for channel in plans[action.id]:
                proposed = self._proposed_contact(gate, level, action, channel)
                rules = gate["voice_rules" if channel == "activity" else "rules"]
                decision = compliance.evaluate(
                    proposed, rules, ledger, holidays, overrides=overrides
                )
                if decision.notes:
                    gate["param_notes"].setdefault(action, {}).update(
                        dict.fromkeys(decision.notes)
                    )
                if decision.outcome == "allow":
                    allowed.append(channel)
                    ledger.append(compliance.Contact(gate["now"], channel))
                    gate["ledger_vals"].append(
                        self._ledger_vals(
                            gate, action, channel, "allowed", decision=decision
                        )
                    )
                elif decision.outcome == "defer":
                    deferred[channel] = decision
                    gate["ledger_vals"].append(
                        self._ledger_vals(gate, action, channel, "deferred", decision)
                    )
                else:
                    blocked[channel] = decision
                    gate["ledger_vals"].append(
                        self._ledger_vals(gate, action, channel, "blocked", decision)
                    )
            allowed_plans[action.id] = allowed
            self._apply_decisions(action, allowed, deferred, blocked, notes)
        return allowed_plans

    def _reasons_text(self, decisions):
        render = self.env["cobranza.compliance.message"]._render_line
        return [
            render(reason, channel)
            for channel, decision in decisions.items()
            for reason in decision.reasons
        ]

    @staticmethod
    def _rule_codes(decisions):
        return sorted({r.rule_id for d in decisions.values() for r in d.reasons})

    def _apply_decisions(self, action, allowed, deferred, blocked, notes):
        """Deferred and blocked channels: state, note and chatter."""
        if not deferred and not blocked:
            return
        lines = self._decision_lines(deferred, blocked)
        codes = self._rule_codes({**deferred, **blocked})
        deferred_vals = {}
        if deferred:
            not_before = max(d.not_before for d in deferred.values())
            deferred_vals = {
                "state": "deferred",
                "not_before": not_before.astimezone(timezone.utc).replace(tzinfo=None),
                "channel_plan": ",".join(deferred),
                "compliance_rules": ",".join(self._rule_codes(deferred)),
            }
        if allowed:
            notes[action.id] += lines
            if deferred:
                # The rest waits in a new action, sent when the rules allow it.
                self._create_deferred_rest(action, lines, deferred_vals)
        else:
            vals = deferred_vals or {
                "state": "blocked",
                "compliance_rules": ",".join(codes),
            }
            vals["note"] = "\n".join(notes[action.id] + lines)
            action.write(vals)
        if blocked or not allowed:
            action.partner_id.sudo()._message_log(
                body=Markup("<br/>").join(
                    [Markup("<b>%s</b>") % action.display_name] + lines
                ),
            )

    def _decision_lines(self, deferred, blocked):
        """The note's lines: until when and by which rules, and why."""
        lines = []
        if deferred:
            not_before = max(d.not_before for d in deferred.values())
            when = fields.Datetime.to_string(
                not_before.astimezone(timezone.utc).replace(tzinfo=None)
            )
            lines.append(
                self.env._(
                    "Deferred until %(when)s (UTC) by the rules %(rules)s.",
                    when=when,
                    rules=", ".join(self._rule_codes(deferred)),
                )
            )
            lines += self._reasons_text(deferred)
        if blocked:
            lines.append(
                self.env._(
                    "Not sent, blocked by the rules %(rules)s.",
                    rules=", ".join(self._rule_codes(blocked)),
                )
            )
            lines += self._reasons_text(blocked)
        return lines

    def _create_deferred_rest(self, action, lines, deferred_vals):
        """The deferred channels of ``action`` in a new action of its run."""
        return self.env["cobranza.action"].create(
            {
                "run_id": action.run_id.id,
                "company_id": action.company_id.id,
                "date": action.date,
                "partner_id": action.partner_id.id,
                "policy_id": action.policy_id.id,
                "level_id": action.level_id.id,
                "invoice_ids": [fields.Command.set(action.invoice_ids.ids)],
                "plan_line_id": action.plan_line_id.id,
                "amount_due": action.amount_due,
                "fee_waived": True,  # the fee goes with the sent part
                "max_days_overdue": action.max_days_overdue,
                "collector_id": action.collector_id.id,
                "manual_review": action.manual_review,
                "override_rules": action.override_rules,
                "override_justification": action.override_justification,
                "override_user_id": action.override_user_id.id,
                "note": "\n".join(lines),
                **deferred_vals,
            }
        )

    def _ledger_vals(self, gate, action, channel, outcome, decision=None):
        reasons = decision.reasons if decision else ()
        return {
            "company_id": self.company_id.id,
            "partner_id": action.partner_id.id,
            "contact_date": gate["now"].replace(tzinfo=None),
            "channel": channel,
            "kind": "collection",
            "outcome": outcome,
            "origin": "run",
            "res_model": "cobranza.action",
            "res_id": action.id,
            "action_id": action.id,
            "user_id": self.env.user.id,
            "not_before": decision.not_before.astimezone(timezone.utc).replace(
                tzinfo=None
            )
            if decision and decision.not_before
            else False,
            "rule_ids_text": ",".join(sorted({r.rule_id for r in reasons})) or False,
            "reason": self.env["cobranza.compliance.message"]._render_decision(
                decision, sep="\n"
            )
            if decision
            else False,
            "override_justification": action.override_justification
            if action.override_rules
            else False,
        }

    def _compliance_finish(self, gate):
        if gate and gate["ledger_vals"]:
            self.env["cobranza.contact"].sudo().create(gate["ledger_vals"])
        if gate and gate["param_notes"]:
            self.env["cobranza.action"]._cobranza_mark_param_notes(gate["param_notes"])
