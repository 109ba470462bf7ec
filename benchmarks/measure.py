#!/usr/bin/env python3
"""Time one operation on a benchmark database, in its own process.

Prints one JSON object: wall seconds, peak RSS of this process, and what was
done. Every operation runs in a transaction that is rolled back, so the
database is left as it was and measurements can be repeated.

    python3 benchmarks/measure.py --db cb_bench_10000 --what followup
"""

import argparse
import cProfile
import json
import resource
import time

from _odoo import environment


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def followup(env, args):
    """The preview as the run does it: planned and created chunk by chunk
    (``_preview_actions``), timed as a whole."""
    run = env["cobranza.run"].create({"trigger": "manual"})
    env.flush_all()
    base = rss_mb()
    t0 = time.perf_counter()
    run._preview_actions()
    env.flush_all()
    seconds = time.perf_counter() - t0
    env.cr.execute(
        "SELECT count(*), (SELECT count(*) FROM cobranza_action_line r"
        " JOIN cobranza_action a2 ON a2.id = r.action_id"
        " WHERE a2.run_id = %s) FROM cobranza_action WHERE run_id = %s",
        (run.id, run.id),
    )
    actions, invoices = env.cr.fetchone()
    return {
        "seconds": round(seconds, 3),
        "actions": actions,
        "invoices_in_actions": invoices,
        "rss_before_mb": round(base, 1),
    }


def preview_ranges(env, args):
    """The preview of a large book as the background path does it: cut into
    customer ranges (``--range-invoices`` open invoices each), one range per
    unit of work (one transaction in production), each timed with its
    flush; the cache is emptied between ranges."""
    params = env["ir.config_parameter"].sudo()
    params.set_param("cobranza.preview_inline_invoices", "1")
    params.set_param("cobranza.preview_chunk_invoices", str(args.range_invoices))
    run = env["cobranza.run"].create({"trigger": "manual"})
    env.flush_all()
    base = rss_mb()
    t0 = time.perf_counter()
    run._cobranza_preview_start()
    env.flush_all()
    cut = time.perf_counter() - t0
    durations = []
    profiler = cProfile.Profile() if args.profile else None
    while run.state == "previewing":
        t = time.perf_counter()
        if profiler:
            profiler.enable()
        run._cobranza_preview_next_range()
        env.flush_all()
        if profiler:
            profiler.disable()
        durations.append(time.perf_counter() - t)
        env.invalidate_all()
        if args.max_ranges and len(durations) >= args.max_ranges:
            break
    if profiler:
        profiler.dump_stats(args.profile)
    env.cr.execute("SELECT count(*) FROM cobranza_action WHERE run_id = %s", [run.id])
    return {
        "seconds": round(cut + sum(durations), 3),
        "cut_seconds": round(cut, 3),
        "ranges": len(durations),
        "range_seconds": [round(d, 2) for d in durations],
        "longest_range_seconds": round(max(durations), 3) if durations else None,
        "actions": env.cr.fetchone()[0],
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


# A one-page PDF stored as every invoice's own PDF (``invoice_pdf_report_file``)
# for the delivery modes without invoice PDFs: the invoices then look as they
# do after Odoo's own *Send* (their PDF stored once), and the reminder attaches
# the stored file instead of rendering it. Identical content: one file in the
# filestore (checksum de-duplication).
STUB_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def store_stub_invoice_pdfs(env, invoices):
    """Give ``invoices`` a stored PDF (see ``STUB_PDF``); returns how many."""
    missing = invoices.filtered(lambda m: not m.invoice_pdf_report_id)
    env["ir.attachment"].create(
        [
            {
                "name": f"{inv.id}.pdf",
                "raw": STUB_PDF,
                "res_model": "account.move",
                "res_id": inv.id,
                "res_field": "invoice_pdf_report_file",
                "mimetype": "application/pdf",
            }
            for inv in missing
        ]
    )
    missing.invalidate_recordset(["invoice_pdf_report_id", "invoice_pdf_report_file"])
    return len(missing)


def set_delivery_mode(env, mode):
    """Channels of the benchmark policy's levels for a delivery ``mode``:

    - ``email``: email only at every level (no letter, no letter fallback:
      customers without an address get a call task), invoice PDFs stored;
    - ``letters``: the generated policy (letters at 60 days, and a letter
      for customers without an address at that level), invoice PDFs stored;
    - ``letter``: a letter only at every level (the level's email template
      as the letter's), the print room's path;
    - ``pdf``: email only, invoice PDFs rendered by wkhtmltopdf as needed.
    """
    policy = env["cobranza.policy"].search([("name", "=", "Benchmark 15/30/60")])
    if mode in ("email", "pdf"):
        policy.level_ids.write({"use_letter": False, "letter_template_id": False})
    elif mode == "letter":
        for level in policy.level_ids:
            level.write(
                {
                    "use_email": False,
                    "use_letter": True,
                    "letter_template_id": level.mail_template_id.id,
                }
            )
    return policy


def delivery(env, args):
    """Preview plus delivery through ``_cobranza_deliver_chunk``, rolled back.

    Each chunk is what one committed transaction does in production (cron
    or queue job); here they all run in one rolled-back transaction, each
    timed on its own with what its commit would run (the flush and the
    pre-commit hooks, where Odoo's tracking writes its messages), the cache
    cleared between chunks.
    """
    set_delivery_mode(env, args.mode)
    Run = env["cobranza.run"]
    run = Run.create({"trigger": "manual"})
    env.flush_all()
    t0 = time.perf_counter()
    run.action_preview()
    # a large book is previewed in customer ranges (the preview cron's unit
    # of work), here in this transaction
    while run.state == "previewing":
        run._cobranza_preview_next_range()
    env.flush_all()
    preview = time.perf_counter() - t0
    rss_preview = rss_mb()
    actions = run.action_ids
    stubs = 0
    if args.mode != "pdf":
        stubs = store_stub_invoice_pdfs(env, actions.invoice_ids)
    env.flush_all()
    t0 = time.perf_counter()
    run.action_send()
    env.flush_all()
    send_click = time.perf_counter() - t0
    # what the queue_job bridge does in the transaction that pressed Send:
    # cut every queued action into chunks
    t0 = time.perf_counter()
    chunks = Run._cobranza_plan_chunks([run.id])
    plan_chunks = time.perf_counter() - t0
    durations, delivered, sizes = [], 0, []
    profiler = cProfile.Profile() if args.profile else None
    t_start = time.perf_counter()
    for ids in chunks:
        if delivered >= args.max_actions or (
            time.perf_counter() - t_start > args.max_seconds
        ):
            break
        t = time.perf_counter()
        if profiler:
            profiler.enable()
        delivered += Run._cobranza_deliver_chunk(ids)
        # what the commit would do: flush, then the pre-commit hooks (Odoo's
        # field tracking posts its messages there)
        env.flush_all()
        env.cr.precommit.run()
        if profiler:
            profiler.disable()
        durations.append(time.perf_counter() - t)
        sizes.append(len(ids))
        env.invalidate_all()
    seconds = sum(durations)
    if profiler:
        profiler.dump_stats(args.profile)
    done = env["cobranza.action"].browse(actions.ids)
    by_state = {}
    for action in done:
        by_state[action.state] = by_state.get(action.state, 0) + 1
    deliveries = env["cobranza.action.delivery"].read_group(
        [("run_id", "=", run.id)], ["channel"], ["channel"]
    )
    return {
        "mode": args.mode,
        "preview_seconds": round(preview, 3),
        "send_click_seconds": round(send_click, 3),
        "plan_chunks_seconds": round(plan_chunks, 3),
        "actions_proposed": len(actions),
        "stub_invoice_pdfs_stored": stubs,
        "chunks_planned": len(chunks),
        "chunks_delivered": len(durations),
        "chunk_sizes": sorted(set(sizes)),
        "actions_delivered": delivered,
        "action_states": by_state,
        "deliveries_by_channel": {d["channel"]: d["channel_count"] for d in deliveries},
        "seconds": round(seconds, 3),
        "actions_per_second": round(delivered / seconds, 1) if seconds else None,
        "max_chunk_seconds": round(max(durations), 3) if durations else None,
        "mean_chunk_seconds": round(seconds / len(durations), 3) if durations else None,
        "rss_after_preview_mb": round(rss_preview, 1),
    }


OPERATIONS = {
    "followup": followup,
    "dashboard": dashboard,
    "letters": letters,
    "oca": oca,
    "delivery": delivery,
    "preview_ranges": preview_ranges,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--what", choices=sorted(OPERATIONS), required=True)
    parser.add_argument("--letters", type=int, default=200)
    parser.add_argument("--today", default=None)
    parser.add_argument("--mode", choices=("email", "letters", "letter", "pdf"), default="email")
    parser.add_argument("--max-actions", type=int, default=10**9)
    parser.add_argument("--max-seconds", type=float, default=10**9)
    parser.add_argument("--range-invoices", type=int, default=50000)
    parser.add_argument(
        "--max-ranges",
        type=int,
        default=0,
        help="preview_ranges: stop after this many ranges (0: all)",
    )
    parser.add_argument(
        "--profile",
        help="delivery, preview_ranges: write a cProfile of the chunks or "
        "ranges to this file",
    )
    args = parser.parse_args()
    with environment(args.db, commit=False) as env:
        result = OPERATIONS[args.what](env, args)
    result["peak_rss_mb"] = round(rss_mb(), 1)
    result["what"] = args.what
    print(json.dumps(result))


if __name__ == "__main__":
    main()
