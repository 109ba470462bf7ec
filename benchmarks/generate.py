#!/usr/bin/env python3
"""Generate a synthetic, valid receivables book into a benchmark database.

Seeded and deterministic: the same ``--seed``, sizes and ``--today`` give the
same book. Fast path: one real invoice and one real partial payment are made
with the ORM (the *templates*), then every table row is cloned by set-based
``INSERT ... SELECT generate_series`` with its varying columns (ids, partner,
dates, amounts, names) replaced. Every invoice is posted and balanced (one
income line credited, one receivable line debited); a quarter of them got a
partial payment: a posted, balanced journal entry in the bank journal whose
receivable line is partially reconciled with the invoice
(``account_partial_reconcile``), the residuals being set accordingly. Every
invoice keeps something to pay, so M invoices are M open receivable lines.

A random sample is then checked with Odoo's own code: the moves are balanced
(``_get_unbalanced_moves``) and recomputing residuals, totals and payment
states with the ORM gives the stored values.

    python3 benchmarks/generate.py --db cb_bench_10000 --partners 1000 \
        --invoices 10000 --seed 42
"""

import argparse
import datetime
import time

from _odoo import environment, log

TEMPLATE_AMOUNT = 1234.56
TEMPLATE_PAID = 234.56
TEMPLATE_RESIDUAL = 1000.00
TEMPLATE_DATE = datetime.date(2020, 1, 15)
TEMPLATE_DUE = datetime.date(2020, 2, 14)
TEMPLATE_PAY_DATE = datetime.date(2020, 1, 20)
COLLECTORS = 10
SEGMENTS = ("Retail", "Wholesale", "Industry", "Services", "Public sector")


def h(seed, key):
    """SQL: a deterministic pseudo-random 32-bit integer of (seed, g.i, key)."""
    return (
        f"(('x' || substr(md5('{int(seed)}:' || g.i || ':{key}'), 1, 8))"
        "::bit(32)::bigint)"
    )


def columns(cr, table):
    cr.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = %s AND table_schema = 'public' ORDER BY ordinal_position",
        (table,),
    )
    return cr.fetchall()


def reserve(cr, table, count):
    """Reserve ``count`` ids of ``table``: returns the first one."""
    cr.execute(f"SELECT nextval('{table}_id_seq')")
    first = cr.fetchone()[0]
    cr.execute(f"SELECT setval('{table}_id_seq', %s)", (first + count,))
    return first


def clone(cr, table, template_id, source, overrides, replace_values):
    """INSERT INTO table SELECT <template row with overrides> FROM source.

    ``overrides`` maps a column to a SQL expression (over ``g`` of
    ``source``); other columns keep the template's value unless it equals a
    key of ``replace_values`` (template amounts, dates, names), then they get
    the mapped SQL expression.
    """
    cr.execute(f"SELECT * FROM {table} WHERE id = %s", (template_id,))
    row = cr.dictfetchone()
    select = []
    names = []
    for name, _data_type in columns(cr, table):
        names.append(f'"{name}"')
        if name in overrides:
            select.append(overrides[name])
            continue
        value = row[name]
        expr = None
        if value is not None and not isinstance(value, bool | dict):
            for key, mapped in replace_values:
                if type(key) is type(value) or (
                    isinstance(value, float | int) and isinstance(key, float)
                ):
                    try:
                        equal = value == key
                    except TypeError:
                        equal = False
                    if equal:
                        expr = mapped
                        break
        select.append(expr or f't."{name}"')
    sql = (
        f"INSERT INTO {table} ({', '.join(names)}) "
        f"SELECT {', '.join(select)} FROM {source} "
        f"CROSS JOIN (SELECT * FROM {table} WHERE id = {int(template_id)}) AS t"
    )
    cr.execute(sql.replace("%%", "%"))
    return cr.rowcount


def setup(env, seed):
    """Collectors, segments, the two equivalent policies, the templates."""
    company = env.company
    group = env.ref("cobranza_addon.cobranza_group_user")
    users = env["res.users"].search([("login", "=like", "bench_collector_%")])
    if not users:
        users = env["res.users"].create(
            [
                {
                    "name": f"Collector {n + 1:02d}",
                    "login": f"bench_collector_{n + 1:02d}",
                    "groups_id": [(4, group.id)],
                }
                for n in range(COLLECTORS)
            ]
        )
    segments = env["res.partner.industry"].search([("name", "in", SEGMENTS)])
    if not segments:
        segments = env["res.partner.industry"].create([{"name": n} for n in SEGMENTS])
    # our policy: levels at 15, 30 and 60 days
    policy = env["cobranza.policy"].search([("name", "=", "Benchmark 15/30/60")])
    if not policy:
        policy = env["cobranza.policy"].create(
            {
                "name": "Benchmark 15/30/60",
                "company_id": company.id,
                "level_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "15 days",
                            "offset_days": 15,
                            "use_email": True,
                            "mail_template_id": env.ref(
                                "cobranza_addon.mail_template_cobranza_overdue_friendly"
                            ).id,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "30 days",
                            "offset_days": 30,
                            "use_email": True,
                            "mail_template_id": env.ref(
                                "cobranza_addon.mail_template_cobranza_overdue_firm"
                            ).id,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "60 days",
                            "offset_days": 60,
                            "use_email": True,
                            "use_letter": True,
                            "mail_template_id": env.ref(
                                "cobranza_addon.mail_template_cobranza_formal_demand"
                            ).id,
                            "letter_template_id": env.ref(
                                "cobranza_addon.mail_template_cobranza_formal_demand"
                            ).id,
                        },
                    ),
                ],
            }
        )
    company.cobranza_policy_id = policy
    # the receivable account the invoices use (the customers' default)
    receivable = company.partner_id.property_account_receivable_id
    if "credit.control.policy" in env:
        oca = env["credit.control.policy"].search([("name", "=", "Benchmark 15/30/60")])
        if not oca:
            template = env["mail.template"].search(
                [("model", "=", "credit.control.communication")], limit=1
            )
            oca = env["credit.control.policy"].create(
                {
                    "name": "Benchmark 15/30/60",
                    "company_id": company.id,
                    "account_ids": [(6, 0, receivable.ids)],
                    "level_ids": [
                        (
                            0,
                            0,
                            {
                                "name": f"{days} days",
                                "level": level,
                                "computation_mode": "net_days",
                                "delay_days": days,
                                "email_template_id": template.id,
                                "channel": "email",
                                "custom_text": "Please pay.",
                                "custom_mail_text": "<p>Please pay.</p>",
                            },
                        )
                        for level, days in ((1, 15), (2, 30), (3, 60))
                    ],
                }
            )
        company.credit_policy_id = oca
    # the templates: one real invoice and one real partial payment
    partner = env["res.partner"].create(
        {"name": "Bench template customer", "email": "template@example.com"}
    )
    invoice = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": TEMPLATE_DATE,
            "invoice_date_due": TEMPLATE_DUE,
            "invoice_line_ids": [
                (
                    0,
                    0,
                    {
                        "name": "Benchmark goods",
                        "quantity": 1,
                        "price_unit": TEMPLATE_AMOUNT,
                        "tax_ids": [(6, 0, [])],
                    },
                )
            ],
        }
    )
    invoice.action_post()
    env["account.payment.register"].with_context(
        active_model="account.move", active_ids=invoice.ids
    ).create(
        {
            "payment_date": TEMPLATE_PAY_DATE,
            "amount": TEMPLATE_PAID,
            "payment_difference_handling": "open",
        }
    )._create_payments()
    env.flush_all()
    assert invoice.payment_state == "partial", invoice.payment_state
    return users, segments, partner, invoice


def generate(env, partners, invoices, seed, today):
    cr = env.cr
    users, segments, tpartner, tinvoice = setup(env, seed)
    company = env.company
    partial = env["account.partial.reconcile"].search(
        [("debit_move_id.move_id", "=", tinvoice.id)]
    )
    assert len(partial) == 1
    rline = partial.debit_move_id
    pline = tinvoice.invoice_line_ids
    pay_move = partial.credit_move_id.move_id
    pay_rline = partial.credit_move_id
    pay_oline = pay_move.line_ids - pay_rline
    assert len(pay_oline) == 1, pay_move.line_ids

    t0 = time.time()
    # ---- the book's numbers, in a temporary table -------------------------
    cr.execute("DROP TABLE IF EXISTS bench_inv")
    cr.execute(
        f"""
        CREATE TEMP TABLE bench_inv AS
        SELECT g.i,
               {h(seed, 'c')} %% %(partners)s AS p,
               round((100 + {h(seed, 'a')} %% 990000 / 100.0)::numeric, 2) AS amount,
               (%(today)s::date - ({h(seed, 'd')} %% 420)::int) AS inv_date,
               ({h(seed, 'p')} %% 4 = 0) AS has_payment,
               (10 + {h(seed, 'q')} %% 80) AS paid_pct,
               (5 + {h(seed, 'r')} %% 60)::int AS pay_after
          FROM generate_series(1, %(invoices)s) AS g(i)
        """,
        {"partners": partners, "invoices": invoices, "today": today},
    )
    cr.execute(
        """
        ALTER TABLE bench_inv ADD COLUMN due date, ADD COLUMN paid numeric,
            ADD COLUMN pay_date date, ADD COLUMN pay_n int;
        UPDATE bench_inv SET due = inv_date + 30,
               paid = CASE WHEN has_payment THEN round(amount * paid_pct / 100.0, 2)
                      ELSE 0 END,
               pay_date = LEAST(%(today)s::date, inv_date + pay_after);
        WITH n AS (SELECT i, row_number() OVER (ORDER BY i) AS k FROM bench_inv
                    WHERE has_payment)
        UPDATE bench_inv b SET pay_n = n.k FROM n WHERE n.i = b.i;
        """,
        {"today": today},
    )
    cr.execute("SELECT count(*) FROM bench_inv WHERE has_payment")
    payments = cr.fetchone()[0]
    # ---- ids -----------------------------------------------------------------
    partner0 = reserve(cr, "res_partner", partners)
    move0 = reserve(cr, "account_move", invoices + payments)
    line0 = reserve(cr, "account_move_line", 2 * invoices + 2 * payments)
    partial0 = reserve(cr, "account_partial_reconcile", payments)
    pay_move0 = move0 + invoices
    pay_line0 = line0 + 2 * invoices
    ids = {
        "partner": f"({partner0} + g.p)",
        "move": f"({move0} + g.i - 1)",
        "pline": f"({line0} + 2 * (g.i - 1))",
        "rline": f"({line0} + 2 * (g.i - 1) + 1)",
        "pay_move": f"({pay_move0} + g.pay_n - 1)",
        "pay_rline": f"({pay_line0} + 2 * (g.pay_n - 1))",
        "pay_oline": f"({pay_line0} + 2 * (g.pay_n - 1) + 1)",
        "partial": f"({partial0} + g.pay_n - 1)",
    }
    collector_ids = users.ids
    segment_ids = segments.ids
    collector_sql = (
        f"(CASE WHEN g.i %% 11 = 0 THEN NULL ELSE (ARRAY{collector_ids})"
        f"[1 + g.i %% {len(collector_ids)}] END)"
    )
    # ---- partners -----------------------------------------------------------
    n = clone(
        cr,
        "res_partner",
        tpartner.id,
        f"(SELECT i - 1 AS p, i FROM generate_series(1, {partners}) AS i) AS g",
        {
            "id": f"({partner0} + g.p)",
            "name": "'Customer ' || lpad(g.i::text, 7, '0')",
            "complete_name": "'Customer ' || lpad(g.i::text, 7, '0')",
            "commercial_partner_id": f"({partner0} + g.p)",
            "email": "CASE WHEN g.i %% 5 = 0 THEN NULL ELSE 'customer' || g.i || "
            "'@example.com' END",
            "industry_id": f"(ARRAY{segment_ids})[1 + g.i %% {len(segment_ids)}]",
            "cobranza_collector_id": f"CASE WHEN {collector_sql} IS NULL THEN NULL "
            f"ELSE jsonb_build_object('{company.id}', {collector_sql}) END",
        },
        [],
    )
    log(f"  partners: {n}")
    # ---- invoices -------------------------------------------------------------
    inv_name = "'INV/B/' || lpad(g.i::text, 8, '0')"
    pay_name = "'BNK1/B/' || lpad(g.pay_n::text, 8, '0')"
    amounts = [
        (TEMPLATE_AMOUNT, "g.amount"),
        (-TEMPLATE_AMOUNT, "-g.amount"),
        (TEMPLATE_RESIDUAL, "(g.amount - g.paid)"),
        (-TEMPLATE_RESIDUAL, "-(g.amount - g.paid)"),
        (TEMPLATE_PAID, "g.paid"),
        (-TEMPLATE_PAID, "-g.paid"),
        (TEMPLATE_DATE, "g.inv_date"),
        (TEMPLATE_DUE, "g.due"),
        (TEMPLATE_PAY_DATE, "g.pay_date"),
        (tinvoice.name, inv_name),
        (pay_move.name, pay_name),
    ]
    # template values are those of a partly paid invoice; fix the unpaid ones
    inv_amounts = [
        (TEMPLATE_RESIDUAL, "(g.amount - g.paid)"),
        (-TEMPLATE_RESIDUAL, "-(g.amount - g.paid)"),
    ] + amounts
    source = "bench_inv AS g"
    common_move = {
        "partner_id": ids["partner"],
        "commercial_partner_id": ids["partner"],
        "access_token": "NULL",
        "origin_payment_id": "NULL",
        "invoice_partner_display_name": "'Customer ' || lpad((g.p + 1)::text, 7, '0')",
    }
    n = clone(
        cr,
        "account_move",
        tinvoice.id,
        source,
        {
            **common_move,
            "id": ids["move"],
            "name": inv_name,
            "sequence_prefix": "'INV/B/'",
            "sequence_number": "g.i",
            "payment_state": (
                "CASE WHEN g.has_payment THEN 'partial' ELSE 'not_paid' END"
            ),
            # the collector of the invoice's customer (partner number g.p + 1)
            "cobranza_collector_id": collector_sql.replace("g.i", "(g.p + 1)"),
        },
        inv_amounts,
    )
    log(f"  invoices: {n}")
    n = clone(
        cr,
        "account_move_line",
        pline.id,
        source,
        {"id": ids["pline"], "move_id": ids["move"], "partner_id": ids["partner"]},
        amounts,
    )
    n += clone(
        cr,
        "account_move_line",
        rline.id,
        source,
        {
            "id": ids["rline"],
            "move_id": ids["move"],
            "partner_id": ids["partner"],
            "matching_number": f"CASE WHEN g.has_payment THEN 'P' || {ids['partial']} "
            "ELSE NULL END",
            "reconciled": "false",
        },
        inv_amounts,
    )
    log(f"  invoice lines: {n}")
    # ---- partial payments ---------------------------------------------------
    pay_source = "(SELECT * FROM bench_inv WHERE has_payment) AS g"
    n = clone(
        cr,
        "account_move",
        pay_move.id,
        pay_source,
        {
            **common_move,
            "id": ids["pay_move"],
            "name": pay_name,
            "ref": inv_name,
            "sequence_prefix": "'BNK1/B/'",
            "sequence_number": "g.pay_n",
            "cobranza_collector_id": "NULL",
        },
        amounts,
    )
    n += clone(
        cr,
        "account_move_line",
        pay_rline.id,
        pay_source,
        {
            "id": ids["pay_rline"],
            "move_id": ids["pay_move"],
            "partner_id": ids["partner"],
            "matching_number": f"'P' || {ids['partial']}",
            "payment_id": "NULL",
        },
        amounts,
    )
    n += clone(
        cr,
        "account_move_line",
        pay_oline.id,
        pay_source,
        {
            "id": ids["pay_oline"],
            "move_id": ids["pay_move"],
            "partner_id": ids["partner"],
            "payment_id": "NULL",
        },
        amounts,
    )
    n += clone(
        cr,
        "account_partial_reconcile",
        partial.id,
        pay_source,
        {
            "id": ids["partial"],
            "debit_move_id": ids["rline"],
            "credit_move_id": ids["pay_rline"],
            "full_reconcile_id": "NULL",
        },
        amounts,
    )
    log(f"  payment rows: {n}")
    env["account.move"]._cobranza_refresh_days_overdue()
    cr.execute("DROP TABLE bench_inv")
    env.invalidate_all()
    log(f"  inserted in {time.time() - t0:.1f}s; analyze")
    for table in (
        "res_partner",
        "account_move",
        "account_move_line",
        "account_partial_reconcile",
    ):
        cr.execute(f"ANALYZE {table}")
    return {
        "partners": partners,
        "invoices": invoices,
        "payments": payments,
        "move_ids": (move0, move0 + invoices - 1),
    }


def verify(env, move_range, sample=300, seed=42):
    """Odoo's own checks on a sample: balance, residuals, totals, states."""
    cr = env.cr
    cr.execute(
        "SELECT id FROM account_move WHERE id BETWEEN %s AND %s "
        "ORDER BY md5(id::text || %s) LIMIT %s",
        (*move_range, str(seed), sample),
    )
    moves = env["account.move"].browse([r[0] for r in cr.fetchall()])
    payments = moves.line_ids.matched_credit_ids.credit_move_id.move_id
    all_moves = moves | payments
    unbalanced = env["account.move"]._get_unbalanced_moves({"records": all_moves})
    assert not unbalanced, f"unbalanced moves: {unbalanced}"
    fields_l = ["amount_residual", "amount_residual_currency", "reconciled"]
    fields_m = [
        "amount_untaxed",
        "amount_total",
        "amount_residual",
        "amount_residual_signed",
        "payment_state",
    ]
    lines = all_moves.line_ids
    stored_l = {line.id: [line[f] for f in fields_l] for line in lines}
    stored_m = {m.id: [m[f] for f in fields_m] for m in moves}
    lines._compute_amount_residual()
    moves._compute_amount()
    if hasattr(moves, "_compute_payment_state"):
        moves._compute_payment_state()
    bad = [
        line.id for line in lines if [line[f] for f in fields_l] != stored_l[line.id]
    ]
    bad += [m.id for m in moves if [m[f] for f in fields_m] != stored_m[m.id]]
    assert not bad, f"recomputed values differ from the stored ones: {bad[:10]}"
    assert all(m.state == "posted" for m in all_moves)
    assert all(m.payment_state in ("not_paid", "partial") for m in moves)
    env.invalidate_all()
    cr.rollback()  # the recomputations above must not be written
    return {"sample_moves": len(moves), "sample_payments": len(payments)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--partners", type=int, required=True)
    parser.add_argument("--invoices", type=int, required=True)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--today", default=datetime.date.today().isoformat())
    args = parser.parse_args()
    with environment(args.db) as env:
        result = generate(env, args.partners, args.invoices, args.seed, args.today)
        env.cr.commit()
    with environment(args.db, commit=False) as env:
        result.update(verify(env, result["move_ids"], seed=args.seed))
    log(f"  verified: {result}")
    print(result)


if __name__ == "__main__":
    main()
