"""Open an Odoo environment on a benchmark database (shared by the scripts)."""

import contextlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def oca_addons_path():
    """The folder holding the OCA wheels' addons (pip install --no-deps ...)."""
    import importlib.util

    spec = importlib.util.find_spec("odoo.addons.account_credit_control")
    if spec is None or not spec.submodule_search_locations:
        return None
    return os.path.dirname(list(spec.submodule_search_locations)[0])


def addons_path():
    import odoo

    odoo_root = os.path.dirname(os.path.dirname(odoo.__file__))
    paths = [os.path.join(odoo_root, "addons"), ROOT]
    oca = oca_addons_path()
    if oca and oca not in paths:
        paths.append(oca)
    return ",".join(paths)


_CONFIGURED = []


def config(db, port=8283):
    from odoo.tools import config as odoo_config

    if _CONFIGURED:
        odoo_config["db_name"] = db
        return
    _CONFIGURED.append(db)
    odoo_config.parse_config(
        [
            f"--addons-path={addons_path()}",
            f"--database={db}",
            "--db_host=" + os.environ.get("PGHOST", "127.0.0.1"),
            "--db_port=" + os.environ.get("PGPORT", "5432"),
            f"--http-port={port}",
            "--log-level=warn",
            "--max-cron-threads=0",
        ]
    )


@contextlib.contextmanager
def environment(db, commit=True):
    import odoo
    from odoo.api import SUPERUSER_ID, Environment
    from odoo.modules.registry import Registry

    config(db)
    registry = Registry(db)
    with registry.cursor() as cr:
        env = Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
        yield env
        if commit:
            cr.commit()
        else:
            cr.rollback()
    del odoo


def log(*args):
    print(*args, file=sys.stderr, flush=True)
