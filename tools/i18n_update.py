#!/usr/bin/env python3
"""Refresh i18n/cobranza_addon.pot from a database and merge it into es.po.

Usage: python3 tools/i18n_update.py DB   (the addon installed in DB)

Keeps every existing Spanish translation whose msgid is still used, adds the
new msgids untranslated, drops the obsolete ones, and lists what is left to
translate. Exits 1 while any entry is untranslated.
"""

import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "cobranza_addon" / "i18n"


def main(db):
    import odoo

    odoo_addons = Path(odoo.__file__).resolve().parent.parent / "addons"
    pot_path = I18N / "cobranza_addon.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "-d",
            db,
            f"--addons-path={odoo_addons},{ROOT}",
            f"--i18n-export={pot_path}",
            "--modules=cobranza_addon",
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
    )
    pot = polib.pofile(str(pot_path))
    po_path = I18N / "es.po"
    old = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
    known = {(e.msgctxt, e.msgid): e.msgstr for e in old if e.msgstr}
    po = polib.POFile()
    po.metadata = dict(pot.metadata)
    po.metadata.update(
        {
            "Language": "es",
            "Plural-Forms": "nplurals=2; plural=(n != 1);",
        }
    )
    missing = []
    for entry in pot:
        new = polib.POEntry(
            msgid=entry.msgid,
            msgctxt=entry.msgctxt,
            msgstr=known.get((entry.msgctxt, entry.msgid), ""),
            occurrences=entry.occurrences,
            comment=entry.comment,
            tcomment=entry.tcomment,
            flags=entry.flags,
        )
        if not new.msgstr:
            missing.append(entry.msgid)
        po.append(new)
    po.wrapwidth = 78
    po.save(str(po_path))
    print(f"{len(po)} entries, {len(missing)} untranslated")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
