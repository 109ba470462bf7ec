"""The run's gathering: open invoices read in batches, actions planned by
the core and created set-based."""

import itertools

from odoo import models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import SQL, float_round

from ..cobranza_core import followup as core
from .cobranza_run import GATHER_BATCH, PREVIEW_CHUNK


class CobranzaRun(models.Model):
    _inherit = "cobranza.run"

    # ------------------------------------------------------------------
    # Gathering: set-based
    # ------------------------------------------------------------------
    def _create_actions(self, vals_list):
        """Create the proposed actions of this run with set-based INSERTs.

        A run on a large book proposes hundreds of thousands of actions; the
        ORM's ``create`` (defaults, company checks and monetary rounding per
        record) would take most of the run's time. The vals come from
        ``_prepare_action_vals``: the run's company by construction, stored
        columns only; amounts are rounded to the company currency and the
        model's defaults fill the other columns, as ``create`` would.
        """
        self.ensure_one()
        actions = self.env["cobranza.action"]
        if not vals_list:
            return actions
        actions.check_access("create")
        actions.flush_model()
        names, fields_, defaults = self._action_columns(vals_list)
        new_ids = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    "SELECT nextval('cobranza_action_id_seq') "
                    "FROM generate_series(1, %s)",
                    len(vals_list),
                )
            )
        ]
        columns, line_columns = self._action_rows(
            new_ids, vals_list, names, fields_, defaults
        )
        self._insert_actions(new_ids, names, fields_, columns)
        self._insert_action_lines(*line_columns)
        if None in line_columns[3]:
            # invoices given without lines (installment reminders): listed
            self.env["cobranza.action.line"]._cobranza_fill_listed_days(new_ids)
        actions.invalidate_model()
        self.invalidate_recordset(["action_ids"])
        self.env["account.move"].invalidate_model(["cobranza_action_ids"])
        created = actions.browse(new_ids)
        # Stored computed and related fields (e.g. the plan of an installment
        # reminder) are computed by the ORM, as create() would.
        for field in actions._fields.values():
            if field.store and field.compute and field.name not in names:
                self.env.add_to_compute(field, created)
        created.flush_recordset()
        return created

    def _action_columns(self, vals_list):
        """``(names, fields, defaults)``: the columns the INSERT writes, the
        given ones and the model's non-empty defaults for the others."""
        actions = self.env["cobranza.action"]
        names = sorted(
            {name for vals in vals_list for name in vals} - {"invoice_ids", "line_ids"}
        )
        if any(
            actions._fields[name].compute and any(name not in v for v in vals_list)
            for name in names
        ):
            raise UserError(
                self.env._("A computed field must be given for every action or none.")
            )
        defaults = actions.default_get(
            [
                name
                for name, field in actions._fields.items()
                if field.store
                and field.column_type
                and name not in names
                and name not in models.LOG_ACCESS_COLUMNS
                and name != "id"
            ]
        )
        defaults = {name: value for name, value in defaults.items() if value}
        names += sorted(defaults)
        fields_ = [actions._fields[name] for name in names]
        if not all(field.store and field.column_type for field in fields_):
            raise UserError(self.env._("Only stored fields can be set on actions."))
        return names, fields_, defaults

    def _action_rows(self, new_ids, vals_list, names, fields_, defaults):
        """Column arrays for the INSERTs: ``(columns, (line actions, moves,
        levels, days))``. An action's lines are its invoices: given as
        ``line_ids`` tuples, or as ``invoice_ids`` (listed, days counted
        after the INSERT)."""
        # currency.round(), without a record access per amount
        rounding = self.company_id.currency_id.rounding
        columns = [[] for _name in names]
        line_columns = ([], [], [], [])
        for action_id, vals in zip(new_ids, vals_list, strict=True):
            for line in self._action_line_tuples(vals):
                for column, value in zip(line_columns, (action_id, *line), strict=True):
                    column.append(value)
            for column, name, field in zip(columns, names, fields_, strict=True):
                value = vals[name] if name in vals else defaults.get(name)
                if field.type == "monetary":
                    value = float_round(value or 0.0, precision_rounding=rounding)
                elif field.type == "many2one":
                    value = value or None
                elif field.type == "boolean":
                    value = bool(value)
                column.append(value)
        return columns, line_columns

    def _action_line_tuples(self, vals):
        """``(move, level, days)`` of the action's lines: its ``line_ids``,
        or its ``invoice_ids`` (a ``Command.set``) listed with unknown days."""
        if vals.get("line_ids"):
            return vals["line_ids"]
        move_ids = []
        for command in vals.get("invoice_ids") or []:
            if command[0] != Command.SET:
                raise UserError(self.env._("Unexpected invoice command."))
            move_ids = command[2]
        return [(move_id, None, None) for move_id in move_ids]

    def _insert_actions(self, new_ids, names, fields_, columns):
        """The actions' rows, in one INSERT over ``unnest`` of the columns."""
        arrays = SQL(", ").join(
            SQL("%s::%s[]", column, SQL(field.column_type[1]))
            for column, field in zip(columns, fields_, strict=True)
        )
        now = self.env.cr.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO cobranza_action
                       (id, create_uid, create_date, write_uid, write_date, %(cols)s)
                SELECT u.id, %(uid)s, %(now)s, %(uid)s, %(now)s, %(ucols)s
                  FROM unnest(%(ids)s::int4[], %(arrays)s)
                       AS u(id, %(cols)s)
                """,
                cols=SQL(", ").join(SQL.identifier(name) for name in names),
                ucols=SQL(", ").join(SQL.identifier("u", name) for name in names),
                uid=self.env.uid,
                now=now,
                ids=new_ids,
                arrays=arrays,
            )
        )

    def _insert_action_lines(self, action_ids, move_ids, level_ids, days):
        """The invoice lines of new actions, in one INSERT."""
        if not action_ids:
            return
        self.env["cobranza.action.line"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO cobranza_action_line
                       (action_id, move_id, level_id, days_overdue)
                SELECT u.*
                  FROM unnest(%(actions)s::int4[], %(moves)s::int4[],
                              %(levels)s::int4[], %(days)s::int4[])
                       AS u(action_id, move_id, level_id, days_overdue)
              ORDER BY u.move_id
                """,
                actions=action_ids,
                moves=move_ids,
                levels=level_ids,
                days=days,
            )
        )
        self.env["cobranza.action.line"].invalidate_model()

    def _open_invoice_query(self, after, limit, last_partner=None):
        """Open receivable invoices of the run's company, one batch, customer
        after customer (keyset on ``(commercial_partner_id, id)``), up to the
        customer ``last_partner`` when given."""
        until = (
            SQL("AND m.commercial_partner_id <= %s", last_partner)
            if last_partner
            else SQL()
        )
        return SQL(
            """
            SELECT m.id, m.commercial_partner_id, m.invoice_date_due,
                   m.amount_residual_signed, lv.offset_days,
                   m.cobranza_dispute, m.cobranza_excluded,
                   m.cobranza_paused_until, m.currency_id, st.sequence
              FROM account_move m
         LEFT JOIN cobranza_level lv ON lv.id = m.cobranza_level_id
         LEFT JOIN cobranza_stage st ON st.id = m.cobranza_stage_id
             WHERE m.company_id = %(company)s
               AND m.move_type = 'out_invoice'
               AND m.state = 'posted'
               AND m.cobranza_in_collection
               AND (m.commercial_partner_id, m.id) > (%(partner)s, %(after)s)
               %(until)s
          ORDER BY m.commercial_partner_id, m.id
             LIMIT %(limit)s
            """,
            company=self.company_id.id,
            partner=after[0],
            after=after[1],
            until=until,
            limit=limit,
        )

    def _iter_invoice_states(self, partner_policy, partner_range=None):
        """Yield core InvoiceState objects in batches (flat memory), grouped
        by customer; only customers ``first <= id <= last`` of
        ``partner_range`` when given."""
        self._flush_for_gathering()
        first, last = partner_range or (0, None)
        after = (first - 1, 0) if partner_range else (0, 0)
        while True:
            rows = self.env.execute_query(
                self._open_invoice_query(after, GATHER_BATCH, last)
            )
            if not rows:
                return
            for (
                move_id,
                partner_id,
                due,
                residual,
                offset,
                dispute,
                excluded,
                paused,
                currency,
                stage_rank,
            ) in rows:
                yield core.InvoiceState(
                    invoice_id=move_id,
                    partner_id=partner_id,
                    policy_id=partner_policy.get(partner_id),
                    due_date=due,
                    residual=residual,
                    current_sequence=offset,
                    excluded=excluded,
                    disputed=dispute,
                    paused_until=paused,
                    currency_id=currency,
                    stage_rank=stage_rank,
                )
            after = (rows[-1][1], rows[-1][0])

    def _flush_for_gathering(self):
        """Raw SQL reads the database: write pending ORM changes first."""
        self.env["account.move"].flush_model(
            [
                "company_id",
                "move_type",
                "state",
                "commercial_partner_id",
                "invoice_date_due",
                "amount_residual_signed",
                "cobranza_in_collection",
                "cobranza_level_id",
                "cobranza_dispute",
                "cobranza_excluded",
                "cobranza_paused_until",
                "cobranza_stage_id",
                "currency_id",
            ]
        )
        self.env["cobranza.level"].flush_model(["offset_days"])
        self.env["cobranza.stage"].flush_model(["sequence"])

    def _partner_policies(self, partner_range=None):
        """``{partner_id: policy_id}`` for every customer with open invoices
        (in ``partner_range`` when given)."""
        self._flush_for_gathering()
        company = self.company_id
        first, last = partner_range or (0, 2**31 - 1)
        partner_ids = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    """
                    SELECT DISTINCT commercial_partner_id FROM account_move
                     WHERE company_id = %s AND move_type = 'out_invoice'
                       AND state = 'posted' AND cobranza_in_collection
                       AND commercial_partner_id BETWEEN %s AND %s
                    """,
                    company.id,
                    first,
                    last,
                )
            )
        ]
        # One grouped query on the company-dependent column: loading the
        # partner records would fetch every partner column (memory grows
        # with the book).
        result = {}
        for policy, ids in (
            self.env["res.partner"]
            .with_company(company)
            ._read_group(
                [("id", "in", partner_ids), ("cobranza_policy_id", "!=", False)],
                ["cobranza_policy_id"],
                ["id:array_agg"],
            )
        ):
            result.update(dict.fromkeys(ids, policy.id))
        remaining = set(partner_ids) - set(result)
        segments = self.env["cobranza.policy"].search(
            [("company_id", "=", company.id), ("partner_domain", "!=", False)]
        )
        for policy in segments:
            if not remaining:
                break
            matched = (
                self.env["res.partner"]
                .with_company(company)
                ._search(policy._segment_domain() + [("id", "in", list(remaining))])
            )
            for partner_id in matched:
                result[partner_id] = policy.id
            remaining -= set(matched)
        default = company.cobranza_policy_id
        if default:
            for partner_id in remaining:
                result[partner_id] = default.id
        return result

    def _pending_followups(self, partner_range=None):
        """Invoices and customers waiting in another run: to send, deferred,
        or blocked (of the customers of ``partner_range`` when given: a
        range of a large preview reads only its own customers').

        A blocked action holds its invoices until someone retries or
        dismisses it, so a refused message is not proposed again every day;
        with one message per customer, it holds the customer.
        """
        actions = self.env["cobranza.action"].search_fetch(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "in", ("proposed", "deferred", "blocked")),
                ("run_id", "!=", self.id),
                ("plan_line_id", "=", False),
                *self._partner_range_domain(partner_range),
            ],
            ["partner_id", "invoice_ids"],
        )
        return set(actions.invoice_ids.ids), set(actions.partner_id.ids)

    @staticmethod
    def _partner_range_domain(partner_range):
        """Actions of the customers ``first <= id <= last`` (all: no range)."""
        if not partner_range:
            return []
        first, last = partner_range
        return [("partner_id", ">=", first), ("partner_id", "<=", last)]

    def _planned_actions(self, partner_policy, policies, partner_range=None):
        """The core's actions for this run, customer by customer (lazily)."""
        core_levels = policies._core_levels()
        per_level = policies._per_level_ids()
        pending, busy = self._pending_followups(partner_range)
        # issue 12: invoices held by an open agency/legal case
        pending |= self.env["cobranza.case"]._cobranza_case_blocked_invoice_ids(
            self.company_id
        )
        states = (
            inv
            for inv in self._iter_invoice_states(partner_policy, partner_range)
            if inv.invoice_id not in pending
            and (inv.partner_id not in busy or inv.policy_id in per_level)
        )
        return core.plan_actions(states, core_levels, self.date, per_level)

    def _partner_followers(self, partner_ids):
        """``(manual_partner_ids, {partner_id: collector_id})``, grouped
        queries rather than partner records (see _partner_policies)."""
        manual_partners = set()
        collectors = {}
        for collector, mode, ids in (
            self.env["res.partner"]
            .with_company(self.company_id)
            ._read_group(
                [("id", "in", list(partner_ids))],
                ["cobranza_collector_id", "cobranza_mode"],
                ["id:array_agg"],
            )
        ):
            if mode == "manual":
                manual_partners.update(ids)
            if collector:
                collectors.update(dict.fromkeys(ids, collector.id))
        return manual_partners, collectors

    def _prepare_action_vals(self):
        """The vals of the proposed actions of this run (all chunks at once;
        the preview itself creates them chunk by chunk, see
        :meth:`_preview_actions`)."""
        self.ensure_one()
        vals_list = []
        for chunk in self._iter_action_vals_chunks():
            vals_list += chunk
        return vals_list

    def _preview_actions(self, partner_range=None, with_plans=True):
        """Plan and create the proposed actions of this run, one chunk of
        customers at a time: the memory needed does not grow with the book.
        Only the customers of ``partner_range`` (first id, last id) when
        given; installment reminders only ``with_plans``."""
        self.ensure_one()
        for vals_list in self._iter_action_vals_chunks(partner_range, with_plans):
            self._create_actions(vals_list)
            # what was inserted is in the database; the cache need not hold it
            self.env.invalidate_all()

    def _iter_action_vals_chunks(self, partner_range=None, with_plans=True):
        """Yield lists of action vals: one per customer and currency (or per
        level, for policies that ask for it), each with its invoice lines,
        ``PREVIEW_CHUNK`` actions at a time; then the installment reminders."""
        partner_policy = self._partner_policies(partner_range)
        policies = self.env["cobranza.policy"].browse(set(partner_policy.values()))
        planned = iter(self._planned_actions(partner_policy, policies, partner_range))
        while chunk := list(itertools.islice(planned, PREVIEW_CHUNK)):
            yield self._action_vals(chunk)
        if with_plans:
            plan_vals = self._prepare_plan_reminder_vals(
                partner_policy if partner_range is None else self._partner_policies()
            )
            if plan_vals:
                yield plan_vals

    def _action_vals(self, actions):
        """The vals of the core's ``actions`` (one chunk)."""
        # (fee fixed, fee percent, plan reminder) of each level, read once
        level_by_id = {
            lv.id: (lv.fee_fixed, lv.fee_percent, lv.plan_reminder)
            for lv in self.env["cobranza.level"].browse({a.level_id for a in actions})
        }
        manual_partners, collectors = self._partner_followers(
            {a.partner_id for a in actions}
        )
        run_id, company_id, date = self.id, self.company_id.id, self.date
        vals_list = []
        for action in actions:
            fee_fixed, fee_percent, plan_reminder = level_by_id[action.level_id]
            figures = core.action_figures(action.lines, action.pre_due)
            vals_list.append(
                {
                    "run_id": run_id,
                    "company_id": company_id,
                    "date": date,
                    "partner_id": action.partner_id,
                    "policy_id": action.policy_id,
                    "level_id": action.level_id,
                    "invoice_currency_id": action.currency_id,
                    "invoice_ids": [Command.set(list(action.invoice_ids))],
                    "line_ids": [
                        (ln.invoice_id, ln.level_id, ln.days_past_due)
                        for ln in action.lines
                    ],
                    "amount_due": figures["amount_due"],
                    "amount_overdue": figures["amount_overdue"],
                    "amount_not_due": figures["amount_not_due"],
                    "fee_amount": float(
                        core.level_fee(figures["amount_due"], fee_fixed, fee_percent)
                    ),
                    "max_days_overdue": figures["max_days_past_due"],
                    "collector_id": collectors.get(action.partner_id) or False,
                    "manual_review": action.manual_review
                    or action.partner_id in manual_partners,
                    # stored computed fields, known here (the ORM would
                    # compute them record by record after the INSERT)
                    "plan_id": False,
                    "plan_reminder": plan_reminder,
                    "delivery_failed": False,
                }
            )
        return vals_list

    # ------------------------------------------------------------------
    # Execution
    # ------------------------------------------------------------------
