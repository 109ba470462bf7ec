#!/usr/bin/env python3
"""Write-time upkeep: posting invoices and reconciling payments, with and
without cobranza_addon installed.

Usage::

    python3 benchmarks/upkeep.py --db bn_upkeep_stock --n 200   # only account
    python3 benchmarks/upkeep.py --db bn_upkeep_cb --n 200      # + cobranza_addon

On the given database (``-i account`` or ``-i cobranza_addon``, both
``--without-demo=all``), in one transaction that is rolled back: create one
customer and ``--n`` draft invoices (one line each; not timed), then time
``action_post()`` on them as one batch, then ``action_post()`` one invoice
at a time on another ``--n``, then the payment of each invoice
(``account.payment.register`` on all of them, one payment per invoice,
``group_payment=False``: creates, posts and reconciles ``--n`` payments).
Every figure is flushed to the database before its timer stops. Prints one
JSON object.
"""

import argparse
import json
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _odoo import environment  # noqa: E402


def drafts(env, partner, product_account, n, tag):
    return env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": "2026-01-15",
                "invoice_date_due": "2026-02-15",
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {
                            "name": f"{tag} {i}",
                            "quantity": 1,
                            "price_unit": 100.0 + i,
                            "account_id": product_account.id,
                            "tax_ids": [(6, 0, [])],
                        },
                    )
                ],
            }
            for i in range(n)
        ]
    )


def timed(env, function):
    env.flush_all()
    t0 = time.perf_counter()
    function()
    env.flush_all()
    return time.perf_counter() - t0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    with environment(args.db, commit=False) as env:
        installed = bool(
            env["ir.module.module"].search_count(
                [("name", "=", "cobranza_addon"), ("state", "=", "installed")]
            )
        )
        partner = env["res.partner"].create(
            {"name": "Upkeep customer", "email": "upkeep@example.com"}
        )
        income = env["account.account"].search(
            [("account_type", "=", "income"), ("company_ids", "in", env.company.ids)],
            limit=1,
        )
        batch = drafts(env, partner, income, args.n, "batch")
        single = drafts(env, partner, income, args.n, "single")
        post_batch = timed(env, batch.action_post)

        def one_by_one():
            for move in single:
                move.action_post()
                env.flush_all()

        post_single = timed(env, one_by_one)
        journal = env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", env.company.id)], limit=1
        )

        def pay():
            wizard = (
                env["account.payment.register"]
                .with_context(active_model="account.move", active_ids=batch.ids)
                .create(
                    {
                        "payment_date": "2026-02-20",
                        "journal_id": journal.id,
                        "group_payment": False,
                    }
                )
            )
            wizard.action_create_payments()

        reconcile = timed(env, pay)
        paid = batch.filtered(lambda m: m.payment_state in ("paid", "in_payment"))
        result = {
            "db": args.db,
            "cobranza_addon_installed": installed,
            "n": args.n,
            "post_batch_seconds": round(post_batch, 3),
            "post_batch_ms_per_invoice": round(1000 * post_batch / args.n, 2),
            "post_one_by_one_seconds": round(post_single, 3),
            "post_one_by_one_ms_per_invoice": round(1000 * post_single / args.n, 2),
            "pay_and_reconcile_seconds": round(reconcile, 3),
            "pay_and_reconcile_ms_per_invoice": round(1000 * reconcile / args.n, 2),
            "invoices_paid": len(paid),
            "load_average_1min": round(load, 2),
            "peak_rss_mb": round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
            ),
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
