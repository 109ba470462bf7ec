#!/usr/bin/env python3
"""End to end: the demo's waiting run delivered by a real queue_job runner.

Usage: python3 benchmarks/queue_job_e2e.py [--db cb_qj_e2e] [--port 8391] [--workers 2]

Creates a database with the demo book and ``cobranza_queue_job``, starts
``odoo-bin`` with ``--workers`` HTTP workers and queue_job's job runner
(``server_wide_modules = web,queue_job``, channel ``root.cobranza`` with one
slot per worker), presses *Send* on the waiting run as the credit manager
over XML-RPC, and waits until the run is done. It then checks, from the
database, that every chunk job is done, that every sent action has exactly
one delivery per channel, that the SMTP sink (``aiosmtpd``, started by this
script on 127.0.0.1, Odoo pointed at it with ``--smtp``) received each email
once, and prints the timings. SMS cannot leave this machine (no IAP): their
queue fails them, as it would with no SMS credit.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import xmlrpc.client
from collections import Counter
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent


def sh(*args, **kw):
    return subprocess.run(args, check=True, **kw)


def psql(db, query):
    out = subprocess.run(
        ["psql", "-d", db, "-Atqc", query], check=True, capture_output=True, text=True
    )
    return out.stdout.strip()


class Sink:
    """Counts what really arrives over SMTP."""

    def __init__(self):
        self.received = Counter()

    async def handle_DATA(self, server, session, envelope):
        for rcpt in envelope.rcpt_tos:
            self.received[rcpt] += 1
        return "250 OK"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="cb_qj_e2e")
    parser.add_argument("--port", type=int, default=8391)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=900)
    parser.add_argument("--smtp-port", type=int, default=2591)
    args = parser.parse_args()

    import odoo

    odoo_dir = Path(odoo.__file__).resolve().parent.parent
    addons = f"{odoo_dir / 'addons'},{ROOT}"
    base = [sys.executable, str(odoo_dir / "odoo-bin"), f"--addons-path={addons}"]
    db = args.db
    subprocess.run(["dropdb", "--if-exists", db], check=False)
    sh("createdb", db)
    print(f"== installing the demo book with cobranza_queue_job in {db}")
    sh(
        *base,
        "-d",
        db,
        "-i",
        "cobranza_addon,cobranza_queue_job",
        "--stop-after-init",
        "--log-level=warn",
        "--max-cron-threads=0",
    )
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
    print(f"== starting odoo-bin with {args.workers} workers (log {log})")
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
            f"--gevent-port={args.port + 3}",
            "--log-level=info",
            f"--logfile={log}",
        ],
        env={**os.environ, "ODOO_QUEUE_JOB_PORT": str(args.port)},
    )
    try:
        url = f"http://127.0.0.1:{args.port}"
        for _ in range(120):
            try:
                xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").version()
                break
            except OSError:
                time.sleep(1)
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
        uid = common.authenticate(db, "manager", "manager", {})
        models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
        run_ids = models.execute_kw(
            db, uid, "manager", "cobranza.run", "search", [[("state", "=", "preview")]]
        )
        if not run_ids:
            raise SystemExit("the demo has no run waiting in preview")
        run_id = run_ids[0]
        started = time.monotonic()
        models.execute_kw(db, uid, "manager", "cobranza.run", "action_send", [[run_id]])
        clicked = time.monotonic() - started
        print(f"== Send returned in {clicked:.2f} s")
        state = None
        while time.monotonic() - started < args.timeout:
            state = psql(db, f"SELECT state FROM cobranza_run WHERE id = {run_id}")
            if state != "sending":
                break
            time.sleep(2)
        elapsed = time.monotonic() - started
        jobs = psql(
            db,
            "SELECT state || ':' || count(*) FROM queue_job "
            "WHERE method_name = '_cobranza_job_deliver_chunk' GROUP BY state",
        )
        actions = psql(
            db,
            f"SELECT state || ':' || count(*) FROM cobranza_action "
            f"WHERE run_id = {run_id} GROUP BY state ORDER BY 1",
        )
        dup_delivery = psql(
            db,
            "SELECT count(*) FROM (SELECT action_id, channel FROM "
            "cobranza_action_delivery GROUP BY 1, 2 HAVING count(*) > 1) d",
        )
        deliveries = psql(
            db,
            "SELECT channel || ' ' || state || ':' || count(*) "
            "FROM cobranza_action_delivery GROUP BY channel, state ORDER BY 1",
        )
        # let the mail queue drain towards the sink
        for _ in range(60):
            if (
                psql(db, "SELECT count(*) FROM mail_mail WHERE state = 'outgoing'")
                == "0"
            ):
                break
            time.sleep(5)
        emailed = psql(
            db,
            "SELECT count(*) FROM cobranza_action_delivery "
            "WHERE channel = 'email' AND state = 'sent'",
        )
        workers = psql(
            db,
            "SELECT count(DISTINCT worker_pid) FROM queue_job "
            "WHERE method_name = '_cobranza_job_deliver_chunk'",
        )
        print(f"run state: {state} after {elapsed:.1f} s")
        print(f"chunk jobs: {jobs.replace(chr(10), ', ')}")
        print(f"actions: {actions.replace(chr(10), ', ')}")
        print(f"distinct worker processes that ran chunks: {workers}")
        print(f"deliveries: {deliveries.replace(chr(10), ', ')}")
        print(f"actions with a channel delivered twice: {dup_delivery}")
        twice = {rcpt: n for rcpt, n in sink.received.items() if n > 1}
        print(
            f"SMTP sink: {sum(sink.received.values())} messages to "
            f"{len(sink.received)} addresses ({emailed} emails delivered by the run); "
            f"addresses that received more than one: {twice or 'none'}"
        )
        ok = state == "done" and "failed" not in jobs and dup_delivery == "0"
        print("RESULT:", "ok" if ok else "NOT OK")
        return 0 if ok else 1
    finally:
        server.terminate()
        server.wait(timeout=60)
        smtp.stop()


if __name__ == "__main__":
    sys.exit(main())
