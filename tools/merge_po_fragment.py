#!/usr/bin/env python3
"""Merge a generated PO fragment into a .po file without reformatting it.

The generated fragments (i18n/es_template_set.po.fragment from
tools/gen_template_po.py, i18n/es_holidays.po.fragment from
tools/gen_rule_data.py) own their records: every entry of the target whose
occurrences all belong to records of the fragment is dropped (it is an older
text of the same record), and the fragment's entries are appended at the end.
Occurrences of the fragment that also sit in an entry the target keeps (same
msgid used elsewhere) are added to that entry instead, so no msgid appears
twice. The rest of the file is left byte for byte as it was.

Usage::

    python3 tools/merge_po_fragment.py cobranza_addon/i18n/es.po FRAGMENT...
"""

import re
import sys
from pathlib import Path

OCCURRENCE = re.compile(r"^#: (.+)$", re.M)


def blocks(text):
    """The entries of a .po text, as the blank-line separated blocks."""
    return [block for block in re.split(r"\n\s*\n", text.strip("\n")) if block]


def occurrences(block):
    return {occ for line in OCCURRENCE.findall(block) for occ in line.split()}


def msgid(block):
    """The msgid of a block, as its source lines (enough to compare)."""
    match = re.search(r"^msgid .*?(?=^msgstr )", block, re.M | re.S)
    return match.group(0) if match else None


def is_header(block):
    return msgid(block) == 'msgid ""\n'


def merge(target_text, fragment_texts):
    fragment_blocks = [
        b for text in fragment_texts for b in blocks(text) if not is_header(b)
    ]
    owned = set().union(*(occurrences(b) for b in fragment_blocks))
    # A record of the fragment: "model:x,field:module.xmlid" -> the record.
    owned_records = {occ.rsplit(":", 1)[1] for occ in owned if occ.startswith("model:")}

    def is_owned(occ):
        return occ.startswith("model:") and occ.rsplit(":", 1)[1] in owned_records

    kept = []
    for block in blocks(target_text):
        occs = occurrences(block)
        if occs and all(is_owned(occ) for occ in occs):
            continue
        if occs and any(is_owned(occ) for occ in occs):
            # Keep the entry for its other uses, without the owned lines.
            lines = [
                line
                for line in block.split("\n")
                if not (line.startswith("#: ") and is_owned(line[3:].strip()))
            ]
            block = "\n".join(lines)
        kept.append(block)
    kept_ids = {msgid(b): i for i, b in enumerate(kept) if msgid(b)}
    appended = []
    for block in fragment_blocks:
        index = kept_ids.get(msgid(block))
        if index is None:
            appended.append(block)
            continue
        # Same msgid already in the file: add the occurrences there.
        extra = "\n".join(line for line in block.split("\n") if line.startswith("#: "))
        lines = kept[index].split("\n")
        at = max(i for i, line in enumerate(lines) if line.startswith("#"))
        kept[index] = "\n".join(lines[: at + 1] + [extra] + lines[at + 1 :])
    return "\n\n".join(kept + appended) + "\n"


def main(target, *fragments):
    path = Path(target)
    texts = [Path(f).read_text(encoding="utf-8") for f in fragments]
    path.write_text(merge(path.read_text(encoding="utf-8"), texts), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])
