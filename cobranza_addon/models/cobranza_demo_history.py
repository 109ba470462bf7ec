from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models

#: The demo's portal customer (README): sees and pays its payment plan.
PORTAL_LOGIN = "customer"


class CobranzaDemo(models.AbstractModel):
    """What makes the demo book look lived-in: history, agreements, a portal user."""

    _inherit = "cobranza.demo"

    @api.model
    def _demo_company_profile(self, company):
        """The compliance profile of a commercial creditor, both languages active."""
        for code in ("en_US", "es_ES"):
            if not self.env["res.lang"]._lang_get(code):
                self.env["res.lang"]._activate_lang(code)
        company.write(
            {
                "cobranza_actor_type": "creditor",
                "cobranza_creditor_sector": "commercial",
                # One Unidad de Fomento (about CLP 39,000) in company currency.
                "cobranza_uf_value": 41.0
                if company.currency_id.name != "CLP"
                else 39000,
            }
        )

    @api.model
    def _demo_followup_history(self, moves):
        """Levels already sent, as the daily runs of the past weeks would have.

        Each overdue invoice gets the highest level reached a few days ago,
        with its sent action (one per customer, level and day) and the next
        follow-up date; invoices never followed up get the date of their
        first level.
        """
        today = fields.Date.context_today(self)
        levels = self.env.company.cobranza_policy_id.level_ids.filtered(
            lambda lv: not lv.plan_reminder
        ).sorted("offset_days")
        if not levels:
            return
        groups = defaultdict(list)
        for move in moves.filtered(
            lambda m: m.cobranza_in_collection and not m.cobranza_paused_until
        ):
            days = (today - move.invoice_date_due).days
            reached = levels.filtered(lambda lv, d=days: lv.offset_days <= d - 3)[-1:]
            if not reached:
                move.cobranza_next_date = move.invoice_date_due + timedelta(
                    days=levels[0].offset_days
                )
                continue
            sent = move.invoice_date_due + timedelta(days=reached.offset_days)
            following = reached._next_level()
            move.write(
                {
                    "cobranza_level_id": reached.id,
                    "cobranza_last_date": sent,
                    "cobranza_next_date": following
                    and move.invoice_date_due + timedelta(days=following.offset_days),
                }
            )
            groups[(move.commercial_partner_id, reached, sent)].append(move)
        vals_list = [
            self._demo_sent_action_vals(partner, level, sent, invoices)
            for (partner, level, sent), invoices in groups.items()
        ]
        self.env["cobranza.action"].sudo().with_context(tracking_disable=True).create(
            vals_list
        )

    @api.model
    def _demo_sent_action_vals(self, partner, level, sent, invoices):
        """The action the run sent to ``partner`` at ``level`` on ``sent``."""
        return {
            "company_id": self.env.company.id,
            "date": sent,
            "partner_id": partner.id,
            "policy_id": level.policy_id.id,
            "level_id": level.id,
            "invoice_ids": [Command.set([m.id for m in invoices])],
            "amount_due": sum(m.amount_residual_signed for m in invoices),
            "max_days_overdue": (sent - min(m.invoice_date_due for m in invoices)).days,
            "collector_id": invoices[0].cobranza_collector_id.id,
            "state": "done",
            "channel_email": level.use_email and bool(partner.email),
            "channel_letter": level.use_letter or not partner.email,
            "channel_sms": level.use_sms,
            "channel_activity": level.use_activity,
            "note": self.env._("Sent by the daily run."),
        }

    @api.model
    def _demo_worklist(self, moves, users):
        """A collector's day: a promise due today, a broken one, calls due."""
        today = fields.Date.context_today(self)
        collector = users[1]
        open_moves = moves.filtered(
            lambda m: m.cobranza_in_collection
            and not m.cobranza_dispute
            and not m.cobranza_paused_until
            and m.cobranza_days_overdue > 10
            and m.cobranza_collector_id == collector
        )
        by_partner = list(open_moves.grouped("commercial_partner_id").items())
        Promise = self.env["cobranza.promise"].with_user(collector)
        if len(by_partner) >= 3:
            partner, invoices = by_partner[0]
            Promise.create(
                {
                    "partner_id": partner.id,
                    "invoice_ids": [Command.set(invoices[:1].ids)],
                    "amount": invoices[:1].amount_residual,
                    "promise_date": today,
                    "note": "El tesorero prometió la transferencia para hoy.",
                }
            )
            partner, invoices = by_partner[1]
            # recorded ten days ago: history, written as the system in the
            # collector's name (a user can only record a promise today)
            broken = Promise.sudo().create(
                {
                    "partner_id": partner.id,
                    "invoice_ids": [Command.set(invoices[:1].ids)],
                    "amount": invoices[:1].amount_residual,
                    "date": today - timedelta(days=10),
                    "promise_date": today - timedelta(days=4),
                    "note": "Dijeron que pagarían después de su cierre de mes.",
                }
            )
            broken.sudo()._refresh_payments(today)
        call = self.env.ref("mail.mail_activity_data_call")
        for partner, _invoices in by_partner[2:4]:
            partner.sudo().activity_schedule(
                activity_type_id=call.id,
                summary="Llamar al cliente por sus facturas vencidas",
                user_id=collector.id,
                date_deadline=today,
            )

    @api.model
    def _demo_portal_user(self, plan):
        """A portal login for the customer of the demo's payment plan."""
        if not plan or self.env["res.users"].search([("login", "=", PORTAL_LOGIN)]):
            return
        contact = self.env["res.partner"].create(
            {
                "name": "Carmen Ortiz (Cuentas por pagar)",
                "parent_id": plan.partner_id.id,
                "type": "contact",
                "email": "portal@cobranza.example",
                "lang": plan.partner_id.lang,
            }
        )
        self.env["res.users"].with_context(no_reset_password=True).create(
            {
                "login": PORTAL_LOGIN,
                "password": PORTAL_LOGIN,
                "partner_id": contact.id,
                "groups_id": [Command.set(self.env.ref("base.group_portal").ids)],
            }
        )

    @api.model
    def _demo_sales_history(self, rng, partners, journal):
        """Twelve months of invoiced and paid sales, for the trend and the DSO."""
        today = fields.Date.context_today(self)
        vals_list = []
        for months_back in range(12, 0, -1):
            month_start = (today - relativedelta(months=months_back)).replace(day=1)
            for index in range(6):
                partner = partners[(months_back * 7 + index) % len(partners)]
                invoice_date = month_start + timedelta(days=3 + index * 4)
                vals_list.append(
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "journal_id": journal.id,
                        "invoice_date": invoice_date,
                        "invoice_date_due": invoice_date + timedelta(days=30),
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": "Contrato de suministro mensual",
                                    "quantity": 1,
                                    "price_unit": round(rng.uniform(600, 2400), 2),
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                )
        moves = self.env["account.move"].create(vals_list)
        for move, vals in zip(moves, vals_list, strict=True):
            move.invoice_date_due = vals["invoice_date_due"]
        moves.action_post()
        register = self.env["account.payment.register"]
        for move in moves:
            paid_on = move.invoice_date_due + timedelta(days=rng.randint(-10, 25))
            if paid_on >= today:
                continue
            register.with_context(
                active_model="account.move", active_ids=move.ids
            ).create({"payment_date": paid_on})._create_payments()
        return moves
