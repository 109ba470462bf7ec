#!/usr/bin/env python3
"""Write the Spanish translations of the template set: a PO fragment for
es.po (neutral Latin American Spanish) and i18n/es_ES.po (Spain's variants).

The template set (tools/gen_template_data.py) ships English records whose
Spanish texts are translations. A PO entry only works if its ``msgid`` is the
English value exactly as Odoo stores it, and Odoo may rewrite an html body on
save (sanitize). So this script does not guess: it asks Odoo.

1. creates a scratch database (``cb_tmpl_po`` unless ``PO_DB`` says otherwise),
   installs cobranza_addon in it and exports the module's .pot (the English
   values as stored);
2. activates es_419 and es_ES and writes each Spanish text through the ORM
   into the record's translation (``record.with_context(lang=...).field = ...``),
   the same storage path a user's edit takes: the neutral text in es_419,
   Spain's in es_ES;
3. exports both languages and keeps the entries of the template set
   (msgid = stored English, msgstr = stored Spanish), checking that every
   translatable field of every record of the set is there;
4. writes the es_419 ones to ``cobranza_addon/i18n/es_template_set.po.fragment``
   and the es_ES ones that differ from them to ``cobranza_addon/i18n/es_ES.po``
   (Odoo loads es.po, then es_ES.po, for es_ES), and drops the scratch
   database.

The fragment is not loaded by Odoo on its own: merge it into i18n/es.po
(e.g. ``msgcat --use-first i18n/es.po i18n/es_template_set.po.fragment``).

Usage (after ``python3 tools/gen_template_data.py``)::

    python3 tools/gen_template_po.py

Environment: ``PO_DB`` (database, default cb_tmpl_po), ``PO_HTTP_PORT``
(default 8302), ``KEEP_DB=1`` to keep the database, and the PG* variables of
tools/common.sh.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_template_data  # noqa: E402

OUT = ROOT / "cobranza_addon" / "i18n" / "es_template_set.po.fragment"
OUT_ES = ROOT / "cobranza_addon" / "i18n" / "es_ES.po"
MODULE = "cobranza_addon"
#: Language the neutral Spanish is stored in, and Spain's.
LANG, LANG_ES = "es_419", "es_ES"

# Runs inside ``odoo shell``; the %(...)r fields are filled in by main().
SHELL_SCRIPT = """
import json
rows = json.load(open(%(rows)r, encoding="utf-8"))
env["res.lang"]._activate_lang(%(lang)r)
env["res.lang"]._activate_lang(%(lang_es)r)
stored = []
for model, xmlid, field, en_value, es_value, spain_value in rows:
    record = env.ref(%(module)r + "." + xmlid)
    record.with_context(lang=%(lang)r)[field] = es_value
    record.with_context(lang=%(lang_es)r)[field] = spain_value
    record.flush_recordset()
    stored.append([
        model, xmlid, field,
        record.with_context(lang="en_US")[field],
        record.with_context(lang=%(lang)r)[field],
        record.with_context(lang=%(lang_es)r)[field],
    ])
env.cr.commit()
json.dump(stored, open(%(stored)r, "w", encoding="utf-8"))
"""


def odoo_python():
    return os.environ.get("PYTHON", sys.executable)


def odoo_args(db):
    import odoo  # noqa: F401  (fail early if Odoo is not importable)

    odoo_dir = Path(odoo.__file__).resolve().parent.parent
    return [
        odoo_python(),
        "-m",
        "odoo",
        f"--addons-path={odoo_dir / 'addons'},{ROOT}",
        f"--db_host={os.environ.get('PGHOST', '127.0.0.1')}",
        f"--db_port={os.environ.get('PGPORT', '5432')}",
        f"--db_user={os.environ.get('PGUSER', os.environ.get('USER', 'root'))}",
        "-d",
        db,
    ]


def run(cmd, **kwargs):
    print("+", " ".join(str(c) for c in cmd[:6]), "...", file=sys.stderr)
    subprocess.run(cmd, check=True, **kwargs)


def occurrence(model, xmlid, field):
    return f"model:{model},{field}:{MODULE}.{xmlid}"


def main():
    db = os.environ.get("PO_DB", "cb_tmpl_po")
    if "tmpl" not in db:
        sys.exit("PO_DB must be a scratch *tmpl* database")
    port = os.environ.get("PO_HTTP_PORT", "8302")
    rows = gen_template_data.translations()
    base = odoo_args(db)
    with tempfile.TemporaryDirectory(prefix="cobranza-po-") as tmp:
        tmp = Path(tmp)
        rows_file, stored_file = tmp / "rows.json", tmp / "stored.json"
        rows_file.write_text(json.dumps(rows), encoding="utf-8")
        run(["dropdb", "--if-exists", db])
        run(["createdb", db])
        try:
            run(
                base
                + [
                    f"--data-dir={tmp / 'data'}",
                    "-i",
                    MODULE,
                    "--without-demo=all",
                    "--stop-after-init",
                    f"--http-port={port}",
                    "--log-level=warn",
                ]
            )
            pot = tmp / "x.pot"
            run(
                base
                + [
                    f"--data-dir={tmp / 'data'}",
                    f"--i18n-export={pot}",
                    f"--modules={MODULE}",
                    "--stop-after-init",
                    "--log-level=warn",
                ]
            )
            script = SHELL_SCRIPT % {
                "rows": str(rows_file),
                "stored": str(stored_file),
                "lang": LANG,
                "lang_es": LANG_ES,
                "module": MODULE,
            }
            run(
                base[:3]
                + ["shell"]
                + base[3:]
                + [
                    f"--data-dir={tmp / 'data'}",
                    "--no-http",
                    "--log-level=warn",
                ],
                input=script.encode(),
            )
            po_files = {}
            for lang in (LANG, LANG_ES):
                po_files[lang] = tmp / f"{lang}.po"
                run(
                    base
                    + [
                        f"--data-dir={tmp / 'data'}",
                        f"--language={lang}",
                        f"--i18n-export={po_files[lang]}",
                        f"--modules={MODULE}",
                        "--stop-after-init",
                        "--log-level=warn",
                    ]
                )
            stored = json.loads(stored_file.read_text(encoding="utf-8"))
            pot = polib.pofile(str(pot))
            neutral = [row[:5] for row in stored]
            fragment = set_entries(pot, polib.pofile(str(po_files[LANG])), neutral)
            write_po(OUT, fragment, "es", FRAGMENT_HEADER)
            # Spain's file: only what differs from the neutral text.
            spain = [row[:4] + row[5:] for row in stored if row[5] != row[4]]
            entries = set_entries(pot, polib.pofile(str(po_files[LANG_ES])), spain)
            write_po(OUT_ES, hand_written(stored) + entries, "es_ES", SPAIN_HEADER)
        finally:
            if os.environ.get("KEEP_DB") != "1":
                run(["dropdb", "--if-exists", db])


FRAGMENT_HEADER = (
    "# Spanish translations of the Cobranza template set (neutral Latin\n"
    "# American Spanish, for every Spanish locale).\n"
    "# Generated by tools/gen_template_po.py from a real install: do not edit,\n"
    "# edit tools/gen_template_data.py and re-run both scripts.\n"
    "# Not loaded by Odoo by itself: merge it into es.po.\n"
)
SPAIN_HEADER = (
    "# Spain's Spanish (es_ES), loaded by Odoo after es.po for a customer or\n"
    "# user in Spain: only the texts that Spain words differently.\n"
    "# The template-set entries are generated by tools/gen_template_po.py from\n"
    "# tools/gen_template_data.py: edit the script and re-run both scripts.\n"
)


def set_entries(pot, po, stored):
    """The entries of the set in ``po``, checked against what Odoo stored."""
    wanted = {occurrence(m, x, f): (en, es) for m, x, f, en, es in stored}
    pot_ids = {
        f"{occ}:{entry.msgid}"
        for entry in pot
        for occ, __ in entry.occurrences
        if occ in wanted
    }
    entries = []
    found = set()
    for entry in po:
        ours = [(occ, line) for occ, line in entry.occurrences if occ in wanted]
        if not ours:
            continue
        for occ, __ in ours:
            en, es = wanted[occ]
            if entry.msgid != en or entry.msgstr != es:
                sys.exit(f"{occ}: the export does not match the stored values")
            if f"{occ}:{en}" not in pot_ids:
                sys.exit(f"{occ}: the .pot does not hold the stored English value")
            found.add(occ)
        entries.append(
            polib.POEntry(
                msgid=entry.msgid,
                msgstr=entry.msgstr,
                occurrences=ours,
                comment=entry.comment,
                tcomment=entry.tcomment,
            )
        )
    missing = set(wanted) - found
    if missing:
        sys.exit("missing from the export: " + ", ".join(sorted(missing)))
    return entries


def hand_written(stored):
    """The entries of es_ES.po that are not the template set's (kept)."""
    if not OUT_ES.exists():
        return []
    ours = {occurrence(m, x, f) for m, x, f, *__ in stored}
    return [
        entry
        for entry in polib.pofile(str(OUT_ES))
        if not all(occ in ours for occ, __ in entry.occurrences)
    ]


def write_po(path, entries, language, header):
    po = polib.POFile(wrapwidth=78)
    po.metadata = {
        "Project-Id-Version": "Odoo Server 18.0",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "",
        "Language": language,
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    for entry in entries:
        po.append(entry)
    path.write_text(header + po.__unicode__(), encoding="utf-8")
    print(f"{path.relative_to(ROOT)}: {len(po)} entries", file=sys.stderr)


if __name__ == "__main__":
    main()
