# Shared checks for the test and run commands. Sourced, not executed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
if [ -n "${ODOO_PATH:-}" ]; then
  export PYTHONPATH="${ODOO_PATH}${PYTHONPATH:+:$PYTHONPATH}"
fi

die() { echo "ERROR: $*" >&2; exit 2; }

check_odoo() {
  ODOO_DIR="$("$PYTHON" -c 'import os, odoo; print(os.path.dirname(os.path.dirname(odoo.__file__)))' 2>/dev/null)" \
    || die "Odoo 18.0 is not importable by $PYTHON: install it, or set ODOO_PATH to an Odoo 18.0 source tree (the folder that holds odoo/ and addons/)."
  local version
  version="$("$PYTHON" -c 'from odoo import release; print(release.major_version)')"
  [ "$version" = "18.0" ] || die "Odoo 18.0 is required, found $version at $ODOO_DIR."
  ADDONS_PATH="$ODOO_DIR/addons,$ROOT"
  # Odoo's own launcher: a server started with "python -m odoo" cannot
  # re-execute itself after a worker hits a limit.
  ODOO_BIN="$ODOO_DIR/odoo-bin"
  [ -f "$ODOO_BIN" ] || die "Odoo's launcher $ODOO_BIN is missing (set ODOO_PATH to an Odoo 18.0 source tree)."
}

check_postgres() {
  export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-$(id -un)}"
  psql -d postgres -Atqc 'select 1' >/dev/null 2>&1 \
    || die "PostgreSQL is not reachable at $PGHOST:$PGPORT as $PGUSER (set PGHOST, PGPORT, PGUSER)."
}

install_requirements() {
  if [ "${SKIP_PIP:-0}" != "1" ]; then
    "$PYTHON" -m pip install -q --disable-pip-version-check -r "$ROOT/requirements.txt" \
      || die "could not install the Python requirements (requirements.txt)."
    "$PYTHON" -m pip install -q --disable-pip-version-check --no-deps -r "$ROOT/requirements-oca.txt" \
      || die "could not install the OCA addons (requirements-oca.txt)."
  fi
}

odoo_cmd() {
  "$PYTHON" "$ODOO_BIN" --addons-path="$ADDONS_PATH" --db_host="$PGHOST" --db_port="$PGPORT" \
    --db_user="$PGUSER" "$@"
}
