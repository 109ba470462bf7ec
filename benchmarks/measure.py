#!/usr/bin/env python3
"""Time one operation on a benchmark database, in its own process.

Prints one JSON object: wall seconds, peak RSS of this process, and what was
done. Every operation runs in a transaction that is rolled back, so the
database is left as it was and measurements can be repeated.

    python3 benchmarks/measure.py --db cb_bench_10000 --what followup
"""

import argparse
import json
import resource
import time

from _odoo import environment


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def followup(env, args):
    run = env["cobranza.run"].create({"trigger": "manual"})
    env.flush_all()
    base = rss_mb()
    t0 = time.perf_counter()
    vals_list = run._prepare_action_vals()
    t1 = time.perf_counter()
    run._create_actions(vals_list)
    env.flush_all()
    t2 = time.perf_counter()
    invoices = sum(len(v["invoice_ids"][0][2]) for v in vals_list)
    return {
        "seconds": round(t2 - t0, 3),
        "classify_seconds": round(t1 - t0, 3),
        "create_seconds": round(t2 - t1, 3),
        "actions": len(vals_list),
        "invoices_in_actions": invoices,
        "rss_before_mb": round(base, 1),
    }


def dashboard(env, args):
    """The dashboard's queries: live from the ledger, then from snapshots."""
    from datetime import timedelta

    dash = env["cobranza.kpi.dashboard"]
    base = rss_mb()
    timings = {}

    def timed(name, function, *a, **kw):
        t = time.perf_counter()
        result = function(*a, **kw)
        timings[name] = round(time.perf_counter() - t, 3)
        return result

    live = dash._resolve_filters({"live": True})
    timed("kpis_live_seconds", dash._period_kpis, live)
    cube, _source = dash._cube(live["date_to"], live)
    timed(
        "aging_tables_live_seconds",
        lambda: [
            dash._aging_by(live, d, cube=cube)
            for d in ("collector_id", "stage_id", "segment_id")
        ],
    )
    timed("top_customers_seconds", dash._aging_by, live, "partner_id", limit=10)
    companies = env["res.company"].browse(live["company_ids"])
    snapshot = env["cobranza.kpi.snapshot"]
    timed(
        "snapshot_seconds",
        lambda: [
            snapshot._take_snapshot(day, companies)
            for day in (live["date_to"], live["date_from"] - timedelta(days=1))
        ],
    )
    fast = dash._resolve_filters({})
    timed("kpis_seconds", dash._period_kpis, fast)
    timed("trend_seconds", dash._trend, fast)
    timed("full_dashboard_seconds", dash.get_dashboard_data, {})
    return {
        "seconds": timings["kpis_seconds"],
        **timings,
        "rss_before_mb": round(base, 1),
    }


def letters(env, args):
    run = env["cobranza.run"].create({"trigger": "manual"})
    run.action_preview()
    actions = run.action_ids.filtered(lambda a: a.level_id.use_letter)[: args.letters]
    report = env.ref("cobranza_addon.action_report_cobranza_letter")
    env.flush_all()
    base = rss_mb()
    t0 = time.perf_counter()
    content, kind = env["ir.actions.report"]._render_qweb_pdf(report, actions.ids)
    seconds = time.perf_counter() - t0
    return {
        "seconds": round(seconds, 3),
        "letters": len(actions),
        "letters_per_second": round(len(actions) / seconds, 1) if seconds else None,
        "output": kind,
        "bytes": len(content),
        "rss_before_mb": round(base, 1),
    }


def oca(env, args):
    policy = env.company.credit_policy_id
    run = env["credit.control.run"].create(
        {
            "date": args.today or time.strftime("%Y-%m-%d"),
            "policy_ids": [(6, 0, policy.ids)],
        }
    )
    env.flush_all()
    base = rss_mb()
    t0 = time.perf_counter()
    run.generate_credit_lines()
    env.flush_all()
    seconds = time.perf_counter() - t0
    return {
        "seconds": round(seconds, 3),
        "credit_lines": len(run.line_ids),
        "rss_before_mb": round(base, 1),
    }


OPERATIONS = {
    "followup": followup,
    "dashboard": dashboard,
    "letters": letters,
    "oca": oca,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--what", choices=sorted(OPERATIONS), required=True)
    parser.add_argument("--letters", type=int, default=200)
    parser.add_argument("--today", default=None)
    args = parser.parse_args()
    with environment(args.db, commit=False) as env:
        result = OPERATIONS[args.what](env, args)
    result["peak_rss_mb"] = round(rss_mb(), 1)
    result["what"] = args.what
    print(json.dumps(result))


if __name__ == "__main__":
    main()
