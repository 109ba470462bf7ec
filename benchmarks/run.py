#!/usr/bin/env python3
"""The benchmark harness: build books of several sizes and time the addon.

For every size (open invoice lines): create ``cb_bench_<size>`` from a
template database with cobranza_addon and OCA account_credit_control
installed, generate the book (``generate.py``, ``size / 10`` customers),
then time, each in a fresh process (``measure.py``) so that peak memory is
its own: our follow-up run (classification + creation of the proposed
actions), OCA's credit control run on the same book with the equivalent
policy (levels at 15, 30, 60 days), the dashboard KPI queries, and letter
PDF rendering, and (op ``delivery``) preview plus delivery through
``_cobranza_deliver_chunk`` in three modes (rolled back). Results go to
``benchmarks/results/<size>.json`` and a Markdown table is printed.

    python3 benchmarks/run.py --sizes 10000,100000,1000000

Needs: PostgreSQL reachable (PGHOST/PGPORT), Odoo 18 importable, and
``pip install --no-deps odoo-addon-account-credit-control==18.0.*``.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from _odoo import addons_path, log  # noqa: E402

TEMPLATE_DB = "cb_bench_tpl"


def sh(*cmd, timeout=None, check=True):
    return subprocess.run(
        cmd, check=check, timeout=timeout, capture_output=True, text=True
    )


def db_exists(name):
    out = sh(
        "psql",
        "-d",
        "postgres",
        "-Atc",
        f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
    ).stdout
    return out.strip() == "1"


def make_template(port):
    if db_exists(TEMPLATE_DB):
        return
    log(
        f"creating {TEMPLATE_DB} (installing cobranza_addon and account_credit_control)"
    )
    sh("createdb", TEMPLATE_DB)
    sh(
        sys.executable,
        "-m",
        "odoo",
        f"--addons-path={addons_path()}",
        "-d",
        TEMPLATE_DB,
        "-i",
        "cobranza_addon,account_credit_control",
        "--without-demo=all",
        "--stop-after-init",
        f"--http-port={port}",
        "--max-cron-threads=0",
        "--log-level=warn",
    )


def measure(db, what, timeout, extra=(), repeat=1):
    """Best (lowest wall time) of ``repeat`` runs, each in a fresh process."""
    runs = [measure_once(db, what, timeout, extra) for _i in range(repeat)]
    ok = [r for r in runs if r.get("seconds") is not None]
    best = min(ok, key=lambda r: r["seconds"]) if ok else runs[-1]
    best["all_seconds"] = [r.get("seconds") for r in runs]
    return best


def measure_once(db, what, timeout, extra=()):
    load = os.getloadavg()[0]
    t0 = time.time()
    try:
        proc = sh(
            sys.executable,
            os.path.join(HERE, "measure.py"),
            "--db",
            db,
            "--what",
            what,
            *extra,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"what": what, "timeout": timeout, "seconds": None}
    except subprocess.CalledProcessError as err:
        return {"what": what, "error": err.stderr[-2000:]}
    lines = [x for x in proc.stdout.splitlines() if x.startswith("{")]
    result = json.loads(lines[-1])
    result["process_seconds"] = round(time.time() - t0, 1)
    result["load_average_1min"] = round(load, 2)
    return result


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(
                x.split(":", 1)[1].strip() for x in f if x.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) / 1024 / 1024
    pg = sh("psql", "-d", "postgres", "-Atc", "SHOW server_version").stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgresql": pg,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--port", type=int, default=8284)
    parser.add_argument("--oca-timeout", type=int, default=3600)
    parser.add_argument(
        "--skip-oca-above",
        type=int,
        default=10**9,
        help="do not run OCA on books larger than this",
    )
    parser.add_argument("--letters", type=int, default=200)
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of each measurement; the fastest is kept",
    )
    parser.add_argument(
        "--delivery-modes",
        default="email,letters,pdf",
        help="delivery op: email only / email + letters (invoice PDFs stored) "
        "/ email with invoice PDFs rendered",
    )
    parser.add_argument(
        "--delivery-max-actions",
        type=int,
        default=400,
        help="delivery op: stop after the chunk that reaches this many actions",
    )
    parser.add_argument(
        "--delivery-max-seconds",
        type=float,
        default=120,
        help="delivery op: start no chunk after this many seconds of delivery",
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument(
        "--generate-seconds",
        type=float,
        default=None,
        help="with --reuse: the generation time of the kept book, to record",
    )
    parser.add_argument(
        "--ops",
        default="followup,dashboard,letters,oca",
        help="measurements to take; others are kept from an earlier results file",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse a book kept by an earlier --keep run",
    )
    args = parser.parse_args()
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    make_template(args.port)
    summary = {"machine": machine(), "command": " ".join(sys.argv), "sizes": {}}
    log(json.dumps(summary["machine"]))
    for size in [int(s) for s in args.sizes.split(",")]:
        db = f"cb_bench_{size}"
        if args.reuse and db_exists(db):
            result = {"generate_seconds": args.generate_seconds, "generated": "reused"}
        else:
            sh("dropdb", "--if-exists", db)
            sh("createdb", "-T", TEMPLATE_DB, db)
            t0 = time.time()
            gen = sh(
                sys.executable,
                os.path.join(HERE, "generate.py"),
                "--db",
                db,
                "--partners",
                str(max(size // 10, 1)),
                "--invoices",
                str(size),
                "--seed",
                str(args.seed),
                timeout=7200,
            )
            result = {
                "generate_seconds": round(time.time() - t0, 1),
                "generated": gen.stdout.strip().splitlines()[-1],
            }
        log(f"[{size}] generated in {result['generate_seconds']}s")
        rep = args.repeat
        ops = args.ops.split(",")
        path = os.path.join(HERE, "results", f"{size}.json")
        if os.path.exists(path):
            with open(path) as f:
                previous = json.load(f)
            if result["generated"] == "reused":
                for key in ("generate_seconds", "generated"):
                    result[key] = previous.get(key) or result[key]
            for op in ("followup", "dashboard", "letters", "oca", "delivery"):
                if op not in ops and op in previous:
                    result[op] = previous[op]
        if "followup" in ops:
            result["followup"] = measure(db, "followup", 3600, repeat=rep)
        log(f"[{size}] followup {result.get('followup')}")
        if "dashboard" in ops:
            result["dashboard"] = measure(db, "dashboard", 3600, repeat=rep)
        log(f"[{size}] dashboard {result.get('dashboard')}")
        if "letters" in ops:
            result["letters"] = measure(
                db, "letters", 3600, ("--letters", str(args.letters)), repeat=rep
            )
        log(f"[{size}] letters {result.get('letters')}")
        if "delivery" in ops:
            result["delivery"] = {
                mode: measure(
                    db,
                    "delivery",
                    7200,
                    (
                        "--mode",
                        mode,
                        "--max-actions",
                        str(args.delivery_max_actions),
                        "--max-seconds",
                        str(args.delivery_max_seconds),
                    ),
                    repeat=rep,
                )
                for mode in args.delivery_modes.split(",")
            }
        log(f"[{size}] delivery {result.get('delivery')}")
        if "oca" in ops:
            if size <= args.skip_oca_above:
                result["oca"] = measure(db, "oca", args.oca_timeout, repeat=rep)
            else:
                result["oca"] = {"skipped": True}
        result.setdefault("oca", {"skipped": True})
        log(f"[{size}] oca {result['oca']}")
        ours, theirs = result["followup"].get("seconds"), result["oca"].get("seconds")
        result["ratio_oca_over_ours"] = (
            round(theirs / ours, 1) if ours and theirs else None
        )
        summary["sizes"][size] = result
        with open(path, "w") as f:
            json.dump(
                {
                    "machine": summary["machine"],
                    "command": summary["command"],
                    "size": size,
                    **result,
                },
                f,
                indent=2,
            )
        if not args.keep:
            sh("dropdb", "--if-exists", db)
    print(table(summary))


def table(summary):
    rows = [
        "| open lines | follow-up run (s) | peak RSS (MiB) | OCA run (s) | OCA ÷ ours "
        "| dashboard KPIs (s), snapshot (live) | full dashboard (s) | letters/s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, r in summary["sizes"].items():
        f, d, let, o = r["followup"], r["dashboard"], r["letters"], r["oca"]
        rows.append(
            f"| {size:,} | {f.get('seconds')} | {f.get('peak_rss_mb')} | "
            f"{o.get('seconds', 'timeout' if o.get('timeout') else 'n/a')} | "
            f"{r['ratio_oca_over_ours']} | {d.get('kpis_seconds')} "
            f"({d.get('kpis_live_seconds')} live) | "
            f"{d.get('full_dashboard_seconds')} | {let.get('letters_per_second')} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    main()
