#!/usr/bin/env python3
"""Throughput of delivery on a generated book with a real queue_job runner.

Usage::

    python3 benchmarks/run.py --sizes 10000 --keep ...      # makes cb_bench_10000
    python3 benchmarks/queue_job_book.py --book cb_bench_10000 --workers 1
    python3 benchmarks/queue_job_book.py --book cb_bench_10000 --workers 2

Copies the generated book (``createdb -T``) to ``--db``, installs
``cobranza_queue_job`` on the copy, sets the benchmark policy to the path
without invoice PDFs (email only, every invoice's PDF already stored, see
``measure.py``: ``set_delivery_mode`` and ``store_stub_invoice_pdfs``),
previews a run and commits. It then starts ``odoo-bin`` with ``--workers``
HTTP workers and queue_job's job runner (channel ``root.cobranza`` with one
slot per worker; the stock delivery cron is switched off in the copy so that
every chunk goes through a queue job), presses *Send* as admin over XML-RPC
and waits until the run is done. Throughput is the actions delivered
divided by the span from the first chunk job's start to the last one's end
(``queue_job.date_started`` / ``date_done``); the longest transaction is
the longest chunk job; the peak RSS of every Odoo process is read from
``/proc/<pid>/status`` (``VmHWM``) before the server is stopped. Emails go
to an ``aiosmtpd`` sink on 127.0.0.1 through the mail queue. The copy is
dropped unless ``--keep``. Prints one JSON object (last line).

``--mail-after``: Odoo's mail queue (the cron *Mail: Email Queue Manager*)
is held while the chunk jobs run and released when they are done, so the
throughput counts the workers' own work (creating the messages), not the
mail queue's SMTP sending competing for the same two cores; the queue's
draining time is reported apart (``mail_queue_seconds``).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import xmlrpc.client
from collections import Counter
from pathlib import Path

from aiosmtpd.controller import Controller

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _odoo import addons_path, environment  # noqa: E402
from measure import set_delivery_mode, store_stub_invoice_pdfs  # noqa: E402


def psql(db, query):
    out = subprocess.run(
        ["psql", "-d", db, "-Atqc", query], check=True, capture_output=True, text=True
    )
    return out.stdout.strip()


class Sink:
    def __init__(self):
        self.received = Counter()

    async def handle_DATA(self, server, session, envelope):
        for rcpt in envelope.rcpt_tos:
            self.received[rcpt] += 1
        return "250 OK"


def cpu_times():
    """(busy, total) jiffies of all the machine's cores, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split()[1:9]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def prepare(db, chunk_size, mail_after=False):
    """Email-only policy, stored invoice PDFs, a previewed run; committed."""
    with environment(db, commit=True) as env:
        set_delivery_mode(env, "email")
        env.ref("cobranza_addon.cobranza_delivery_cron").active = False
        if mail_after:
            env.ref("mail.ir_cron_mail_scheduler_action").active = False
        if chunk_size:
            env["ir.config_parameter"].set_param(
                "cobranza.delivery_chunk_size", str(chunk_size)
            )
        run = env["cobranza.run"].create({"trigger": "manual"})
        t0 = time.perf_counter()
        run.action_preview()
        # a large book is previewed in customer ranges (the preview cron's
        # unit of work): done here, in this transaction
        while run.state == "previewing":
            run._cobranza_preview_next_range()
        env.flush_all()
        preview = time.perf_counter() - t0
        stubs = store_stub_invoice_pdfs(env, run.action_ids.invoice_ids)
        env.flush_all()
        return run.id, len(run.action_ids), round(preview, 3), stubs


def release_mail_queue(db):
    """Switch the mail queue's cron back on and wake the cron thread."""
    psql(
        db,
        "UPDATE ir_cron SET active = true WHERE id = (SELECT res_id FROM "
        "ir_model_data WHERE module = 'mail' AND "
        "name = 'ir_cron_mail_scheduler_action'); "
        "INSERT INTO ir_cron_trigger (cron_id, call_at) SELECT res_id, "
        "now() AT TIME ZONE 'UTC' FROM ir_model_data WHERE module = 'mail' "
        "AND name = 'ir_cron_mail_scheduler_action'; "
        f"NOTIFY cron_trigger, '{db}'",
    )


def process_rss(root_pid):
    """``{pid: (cmdline tail, peak RSS MiB)}`` for the server and its children."""
    out = {}
    pids = [root_pid]
    children = subprocess.run(
        ["pgrep", "-P", str(root_pid)], capture_output=True, text=True
    ).stdout.split()
    pids += [int(p) for p in children]
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        hwm = next(
            (int(x.split()[1]) for x in status.splitlines() if x.startswith("VmHWM")),
            0,
        )
        out[pid] = round(hwm / 1024, 1)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--book", default="cb_bench_10000")
    parser.add_argument("--db", default=None)
    parser.add_argument("--port", type=int, default=8392)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk-size", type=int, default=0)
    parser.add_argument("--timeout", type=int, default=1800)
    parser.add_argument("--mail-wait", type=int, default=180)
    parser.add_argument("--smtp-port", type=int, default=2592)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--mail-after",
        action="store_true",
        help="hold the mail queue while the chunk jobs run (see the docstring)",
    )
    args = parser.parse_args()
    db = args.db or f"bn_qj_w{args.workers}"
    load_start = os.getloadavg()
    import odoo

    odoo_bin = Path(odoo.__file__).resolve().parent.parent / "odoo-bin"
    base = [sys.executable, str(odoo_bin), f"--addons-path={addons_path()}"]
    subprocess.run(["dropdb", "--if-exists", db], check=False)
    subprocess.run(["createdb", "-T", args.book, db], check=True)
    subprocess.run(
        [
            *base,
            "-d",
            db,
            "-i",
            "cobranza_queue_job",
            "--stop-after-init",
            "--log-level=warn",
            "--max-cron-threads=0",
            f"--http-port={args.port}",
        ],
        check=True,
    )
    run_id, proposed, preview, stubs = prepare(db, args.chunk_size, args.mail_after)
    from odoo.sql_db import close_all

    close_all()
    conf = tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False)
    conf.write(
        "[options]\n"
        "server_wide_modules = base,web,queue_job\n"
        f"[queue_job]\nchannels = root:{args.workers},root.cobranza:{args.workers}\n"
    )
    conf.close()
    sink = Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=args.smtp_port)
    smtp.start()
    log = Path(tempfile.gettempdir()) / f"{db}.log"
    server = subprocess.Popen(
        [
            *base,
            "-c",
            conf.name,
            "-d",
            db,
            f"--db-filter=^{db}$",
            f"--http-port={args.port}",
            "--http-interface=127.0.0.1",
            f"--workers={args.workers}",
            "--max-cron-threads=1",
            "--limit-time-real=600",
            "--limit-time-cpu=600",
            "--log-level=info",
            f"--logfile={log}",
            "--smtp=127.0.0.1",
            f"--smtp-port={args.smtp_port}",
        ],
        env={**os.environ, "ODOO_QUEUE_JOB_PORT": str(args.port)},
    )
    result = {
        "book": args.book,
        "workers": args.workers,
        "channel_capacity": args.workers,
        "actions_proposed": proposed,
        "preview_seconds": preview,
        "stub_invoice_pdfs_stored": stubs,
        "load_average_at_start": [round(x, 2) for x in load_start],
        "mail_queue_held_during_jobs": args.mail_after,
    }
    try:
        url = f"http://127.0.0.1:{args.port}"
        for _ in range(120):
            try:
                xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").version()
                break
            except OSError:
                time.sleep(1)
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
        uid = common.authenticate(db, "admin", "admin", {})
        models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
        started = time.monotonic()
        cpu_start = cpu_times()
        models.execute_kw(db, uid, "admin", "cobranza.run", "action_send", [[run_id]])
        result["send_click_seconds"] = round(time.monotonic() - started, 2)
        state = None
        all_chunks_done_at = None
        while time.monotonic() - started < args.timeout:
            state = psql(db, f"SELECT state FROM cobranza_run WHERE id = {run_id}")
            if state != "sending":
                break
            # The last chunk's transaction checks the run again after it
            # commits, in a new transaction; the stock delivery cron (every
            # 5 min, switched off here) is only the safety net.
            left = psql(
                db,
                "SELECT count(*) FROM queue_job WHERE method_name = "
                "'_cobranza_job_deliver_chunk' AND state <> 'done'",
            )
            queued = psql(
                db,
                f"SELECT count(*) FROM cobranza_action WHERE run_id = {run_id}"
                " AND state = 'queued'",
            )
            if left == "0" and queued == "0":
                if not all_chunks_done_at:
                    all_chunks_done_at = time.monotonic()
                    busy, total = cpu_times()
                    # the machine's cores busy (user, system, steal) from the
                    # click to the last chunk job: 100 % is every core saturated
                    result["cpu_busy_percent_click_to_last_job"] = round(
                        100 * (busy - cpu_start[0]) / max(total - cpu_start[1], 1), 1
                    )
                if time.monotonic() - all_chunks_done_at > 30:
                    result["run_left_in_sending_after_last_chunk"] = True
                    break
            time.sleep(0.5)
        if "cpu_busy_percent_click_to_last_job" not in result:
            # the run ended between two polls: up to here
            busy, total = cpu_times()
            result["cpu_busy_percent_click_to_last_job"] = round(
                100 * (busy - cpu_start[0]) / max(total - cpu_start[1], 1), 1
            )
        if all_chunks_done_at and state == "done":
            result["run_done_seconds_after_chunk_jobs_seen_done"] = round(
                time.monotonic() - all_chunks_done_at, 1
            )
        result["wall_seconds_click_to_done"] = round(time.monotonic() - started, 1)
        result["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        result["run_state"] = state
        result["peak_rss_mb_by_process"] = process_rss(server.pid)
        span = psql(
            db,
            "SELECT count(*), "
            "extract(epoch FROM max(date_done) - min(date_started)), "
            "max(extract(epoch FROM date_done - date_started)), "
            "count(DISTINCT worker_pid), string_agg(DISTINCT state, ',') "
            "FROM queue_job WHERE method_name = '_cobranza_job_deliver_chunk'",
        ).split("|")
        jobs, span_s, longest, pids, job_states = span
        delivered = int(
            psql(
                db,
                f"SELECT count(*) FROM cobranza_action WHERE run_id = {run_id} "
                "AND state IN ('done', 'skipped', 'blocked', 'deferred', 'failed')",
            )
        )
        result.update(
            {
                "chunk_jobs": int(jobs),
                "job_states": job_states,
                "distinct_worker_pids": int(pids),
                "actions_processed": delivered,
                "action_states": psql(
                    db,
                    f"SELECT string_agg(state || ':' || n, ', ') FROM (SELECT state,"
                    f" count(*) n FROM cobranza_action WHERE run_id = {run_id}"
                    " GROUP BY state) s",
                ),
                "jobs_span_seconds": round(float(span_s), 2),
                "actions_per_second": round(delivered / float(span_s), 1),
                "longest_chunk_job_seconds": round(float(longest), 2),
                "duplicate_deliveries": int(
                    psql(
                        db,
                        "SELECT count(*) FROM (SELECT action_id, channel FROM "
                        "cobranza_action_delivery GROUP BY 1, 2 "
                        "HAVING count(*) > 1) d",
                    )
                ),
            }
        )
        t = time.monotonic()
        if args.mail_after:
            release_mail_queue(db)
        while time.monotonic() - t < args.mail_wait:
            left = psql(db, "SELECT count(*) FROM mail_mail WHERE state = 'outgoing'")
            if left == "0":
                break
            time.sleep(3)
        result["mail_queue_seconds"] = round(time.monotonic() - t, 1)
        result["mail_outgoing_left"] = int(
            psql(db, "SELECT count(*) FROM mail_mail WHERE state = 'outgoing'")
        )
        result["smtp_sink_messages"] = sum(sink.received.values())
        result["smtp_addresses_received_twice"] = sum(
            1 for n in sink.received.values() if n > 1
        )
    finally:
        server.terminate()
        server.wait(timeout=120)
        smtp.stop()
        os.unlink(conf.name)
        if not args.keep:
            subprocess.run(["dropdb", "--if-exists", db], check=False)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
