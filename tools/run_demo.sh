#!/usr/bin/env bash
# The run command: a demo database with a realistic book, served on :8069.
source "$(dirname "$0")/common.sh"

check_odoo
check_postgres
install_requirements

DB="${DEMO_DB:-cobranza_demo}"
PORT="${HTTP_PORT:-8069}"
# A demo runs long requests (a whole run's preview, PDFs): give them time.
LIMIT_REAL="${LIMIT_TIME_REAL:-600}"
if ! psql -d "$DB" -Atqc "select 1 from ir_module_module where name='cobranza_addon' and state='installed'" 2>/dev/null | grep -q 1; then
  echo "== Creating the demo database '$DB' (a few minutes the first time)"
  dropdb --if-exists "$DB" >/dev/null 2>&1 || true
  createdb "$DB"
  # payment_demo belongs to the demo only (paying an installment on the
  # portal end to end), not to the addon's dependencies.
  odoo_cmd -d "$DB" -i cobranza_addon,payment_demo --load-language=es_ES,es_419,en_US \
    --stop-after-init --log-level=warn --max-cron-threads=0 --http-port="$PORT" \
    --limit-time-real=3600 --limit-time-cpu=3600
fi
# What the demo sends lands in a local SMTP sink, one .eml file per message,
# so what a customer receives can be read (no mail leaves this machine).
SMTP_PORT="${SMTP_PORT:-2525}"
OUTBOX="${OUTBOX:-$ROOT/.odoo-data/outbox}"
"$PYTHON" "$ROOT/tools/mail_sink.py" --port "$SMTP_PORT" --out "$OUTBOX" &
SINK_PID=$!
trap 'kill $SINK_PID 2>/dev/null || true' EXIT

cat <<MSG

Cobranza demo is starting on http://localhost:$PORT  (database: $DB)
The first page takes about a minute while Odoo builds its web assets;
after that pages open in a second or two.

Logins (user / password):
  Administrator (configures policies, levels, stages): admin / admin
  Credit manager (approves plans, excludes invoices):  manager / manager
  Collector (follows up her customers):                collector1 / collector1
  Collector (follows up his customers):                collector2 / collector2
  Portal customer (sees and pays its payment plan):    customer / customer
    (http://localhost:$PORT/my/payment_plans)
Emails the demo sends are written to $OUTBOX (one .eml file each).
Stop with Ctrl+C.

MSG
"$PYTHON" "$ODOO_BIN" --addons-path="$ADDONS_PATH" --db_host="$PGHOST" --db_port="$PGPORT" \
  --db_user="$PGUSER" -d "$DB" --db-filter="^${DB}\$" --http-port="$PORT" --log-level=info \
  --gevent-port="${GEVENT_PORT:-$((PORT + 3))}" \
  --workers=2 --max-cron-threads=1 --limit-time-real="$LIMIT_REAL" --limit-time-cpu="$LIMIT_REAL" \
  --limit-memory-soft=2147483648 --limit-memory-hard=2684354560 \
  --smtp=127.0.0.1 --smtp-port="$SMTP_PORT"
