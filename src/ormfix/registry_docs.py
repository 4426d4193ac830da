"""The registry for people and scripts: `ormfix codes --format markdown` (the README's code and strategy tables)
and `--format json`. Reads ``ormfix.codes`` and the catalog ``ormfix.remedies`` only (no LibCST)."""

from __future__ import annotations

import json

from . import codes, remedies

# the README holds each table between these markers (tests/test_registry.py checks it is current)
TABLES = ("codes", "strategies")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def codes_table() -> str:
    rows = ["| code | name | severity | what | strategies |", "|---|---|---|---|---|"]
    for code in codes.ALL:
        named = ", ".join(f"`{name}`" for name in code.remedies) or "—"
        rows.append(f"| {code.code} | {code.name} | {code.severity} | {_cell(code.summary)} | {named} |")
    return "\n".join(rows) + "\n"


def strategies_table() -> str:
    rows = ["| strategy | does | applicability |", "|---|---|---|"]
    for remedy in remedies.CATALOG:
        rows.append(f"| `{remedy.name}` | {_cell(remedy.summary)} | {_cell(remedy.applicability)} |")
    rows.append(f"| `{remedies.AUTO}` | {_cell(remedies.AUTO_SUMMARY)} | |")
    return "\n".join(rows) + "\n"


def table(name: str) -> str:
    """One of TABLES, as markdown."""
    return {"codes": codes_table, "strategies": strategies_table}[name]()


def markdown() -> str:
    """Both tables, each under a heading that names it."""
    return "\n".join(f"## {name.capitalize()}\n\n{table(name)}" for name in TABLES)


def as_json() -> str:
    document = {
        "codes": [
            {
                "code": code.code,
                "name": code.name,
                "severity": code.severity,
                "summary": code.summary,
                "remedies": list(code.remedies),
                "supersedes": list(code.supersedes),
            }
            for code in codes.ALL
        ],
        "matching_order": [code.code for code in codes.MATCHING],
        "strategies": [
            {
                "name": remedy.name,
                "module": f"ormfix.remedy.{remedy.module}",
                "summary": remedy.summary,
                "applicability": remedy.applicability,
                "keeps_relationship": remedy.keeps_relationship,
                "always_unsafe": remedy.always_unsafe,
                "automatic": remedy.automatic,
                "schema_change": remedy.schema_change,
            }
            for remedy in remedies.CATALOG
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def rewrite_readme(text: str) -> str:
    """``text`` with each ``<!-- begin: NAME -->`` ... ``<!-- end: NAME -->`` block of TABLES regenerated."""
    for name in TABLES:
        begin, end = f"<!-- begin: {name} -->\n", f"<!-- end: {name} -->\n"
        start, stop = text.index(begin) + len(begin), text.index(end)
        text = text[:start] + table(name) + text[stop:]
    return text


if __name__ == "__main__":  # python -m ormfix.registry_docs README.md
    import sys
    from pathlib import Path

    for path in map(Path, sys.argv[1:]):
        path.write_text(rewrite_readme(path.read_text(encoding="utf-8")), encoding="utf-8")
