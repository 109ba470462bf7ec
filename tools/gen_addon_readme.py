#!/usr/bin/env python3
"""Build each addon's README.rst from its readme/ fragments.

OCA's oca-gen-addon-readme does this in OCA's CI; this small stand-in keeps
README.rst in step here. Edit readme/*.md, never README.rst, then run:

    python3 tools/gen_addon_readme.py
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDON = ROOT / "cobranza_addon"
FRAGMENTS = [
    ("DESCRIPTION", None),
    ("CONTEXT", "Context"),
    ("INSTALL", "Installation"),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("HISTORY", "Changelog"),
    ("CONTRIBUTORS", "Contributors"),
]


def inline(text):
    text = re.sub(r"(?<!`)`([^`]+)`(?!`)", r"``\1``", text)
    return re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"`\1 <\2>`_", text)


def md_to_rst(md):
    out = []
    fenced = False
    for line in md.splitlines():
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        if line.startswith("```"):
            fenced = not fenced
            if fenced:
                out += [f".. code-block:: {line[3:].strip() or 'text'}", ""]
            else:
                out.append("")
        elif fenced:
            out.append("    " + line if line else "")
        elif heading:
            title = inline(heading.group(2))
            char = "~" if len(heading.group(1)) > 2 else "-"
            out += [title, char * len(title), ""]
        elif line.startswith("> "):
            out.append("    " + inline(line[2:]))
        else:
            out.append(inline(line))
    return "\n".join(out).strip() + "\n"


def main():
    for addon in (ADDON, ROOT / "cobranza_queue_job"):
        build(addon)


def build(ADDON):  # noqa: N803 - the addon folder, as the module-level default
    manifest = eval((ADDON / "__manifest__.py").read_text())  # noqa: S307
    title = manifest["name"]
    parts = [
        "=" * len(title),
        title,
        "=" * len(title),
        "",
        ".. This file is generated from readme/*.md by tools/gen_addon_readme.py.",
        "",
        f"**License**: {manifest['license']} · **Version**: {manifest['version']} · "
        f"**Status**: {manifest['development_status']}",
        "",
    ]
    for name, heading in FRAGMENTS:
        path = ADDON / "readme" / f"{name}.md"
        if not path.exists():
            continue
        if heading:
            parts += [heading, "=" * len(heading), ""]
        parts.append(md_to_rst(path.read_text()))
    (ADDON / "README.rst").write_text("\n".join(parts))


if __name__ == "__main__":
    main()
