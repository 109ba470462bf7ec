#!/usr/bin/env bash
# The run command: a demo database with a realistic book, served on :8069.
source "$(dirname "$0")/common.sh"

check_odoo
check_postgres
install_requirements

DB="${DEMO_DB:-cobranza_demo}"
PORT="${HTTP_PORT:-8069}"
if ! psql -d "$DB" -Atqc "select 1 from ir_module_module where name='cobranza_addon' and state='installed'" 2>/dev/null | grep -q 1; then
  echo "== Creating the demo database '$DB' (a few minutes the first time)"
  dropdb --if-exists "$DB" >/dev/null 2>&1 || true
  createdb "$DB"
  odoo_cmd -d "$DB" -i cobranza_addon --load-language=es_ES,es_419 --stop-after-init --log-level=warn \
    --max-cron-threads=0 --http-port="$PORT"
fi
cat <<MSG

Cobranza demo is starting on http://localhost:$PORT  (database: $DB)
Logins (user / password):
  Administrator (configures policies, levels, stages): admin / admin
  Credit manager (approves plans, excludes invoices):  manager / manager
  Collector (follows up her customers):                collector1 / collector1
  Collector (follows up his customers):                collector2 / collector2
Stop with Ctrl+C.

MSG
exec "$PYTHON" -m odoo --addons-path="$ADDONS_PATH" --db_host="$PGHOST" --db_port="$PGPORT" \
  --db_user="$PGUSER" -d "$DB" --db-filter="^${DB}\$" --http-port="$PORT" --log-level=info
