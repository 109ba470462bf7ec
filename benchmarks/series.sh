#!/usr/bin/env bash
# The series of measurements behind the "Latest figures" of benchmarks/README.md,
# one after the other, each preceded by a CPU reference timing and the load
# average. Needs the kept books (see README.md: Scale) and bn_book_b.
# Usage: bash benchmarks/series.sh > series.log 2>&1
cd "$(dirname "$0")/.."
ref() { echo "## $(date +%T) cpu-ref $(python3 -m timeit -n 20 -r 3 'sum(range(10**6))') load $(cut -d' ' -f1-3 /proc/loadavg)"; }
m() { ref; echo "## measure.py $*"; python3 benchmarks/measure.py "$@" 2>/dev/null | tail -1; }
for i in 1 2; do m --db cb_bench_10000 --what followup; done
for i in 1 2; do m --db cb_bench_100000 --what followup; done
for i in 1 2; do m --db cb_bench_1000000 --what preview_ranges --range-invoices 50000; done
for i in 1 2 3; do m --db bn_book_b --what delivery --mode email --max-actions 600; done
m --db cb_bench_100000 --what delivery --mode email --max-actions 200
for i in 1 2; do for w in 1 2; do
  ref; echo "## qj10k pair $i workers $w"
  python3 benchmarks/queue_job_book.py --book cb_bench_10000 --workers $w --db bn_qj_w$w --port 839$((5+w)) --smtp-port 259$w --chunk-size 100 2>/dev/null | tail -1
done; done
for w in 2 1; do
  ref; echo "## qj100k workers $w"
  python3 benchmarks/queue_job_book.py --book cb_bench_100000 --workers $w --db bn_qj100_w$w --port 839$((6+w)) --smtp-port 258$w --mail-wait 600 --timeout 2400 2>/dev/null | tail -1
done
m --db cb_bench_10000 --what oca
echo "## END $(date +%T)"
