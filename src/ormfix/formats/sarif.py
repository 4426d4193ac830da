"""``--format sarif``: SARIF 2.1.0 for code scanning (paths relative to the repository's top folder).

Regions count columns in characters (``run.columnKind = unicodeCodePoints``); the other places a
diagnosis involves are ``relatedLocations``; a verified fix is a SARIF ``fix`` with its replacements.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import __version__, codes
from ..findings import Diagnosis, Fix
from ..report import Report


def source_root(path: Path) -> tuple[Path, str]:
    """The repository's top folder (where code scanning resolves paths) and PATH's place inside it."""
    for folder in (path, *path.parents):
        if (folder / ".git").exists():
            relative = path.relative_to(folder).as_posix()
            return folder, "" if relative == "." else relative + "/"
    return path, ""


def _region(place: dict[str, Any]) -> dict[str, Any] | None:
    if not place.get("line"):
        return None
    region: dict[str, Any] = {"startLine": place["line"], "endLine": place.get("end_line") or place["line"]}
    if place.get("column"):
        region["startColumn"] = place["column"]
        if place.get("end_column"):
            region["endColumn"] = place["end_column"]
    return region


def _physical(place: dict[str, Any], prefix: str) -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": prefix + (place.get("file") or "."), "uriBaseId": "SRCROOT"}
    }
    region = _region(place)
    if region:
        physical["region"] = region
    return physical


def _place(diagnosis: Diagnosis) -> dict[str, Any]:
    return {
        "file": diagnosis.file,
        "line": diagnosis.line,
        "end_line": diagnosis.end_line,
        "column": diagnosis.column,
        "end_column": diagnosis.end_column,
    }


def _sarif_fix(fix: Fix, prefix: str = "") -> dict[str, Any]:
    changes = []
    for edit in fix.edits:
        old_lines = edit.before.splitlines(keepends=True)
        new_lines = edit.after.splitlines(keepends=True)
        first = next(
            (i for i, (a, b) in enumerate(zip(old_lines, new_lines)) if a != b), min(len(old_lines), len(new_lines))
        )
        tail = 0
        while tail < min(len(old_lines), len(new_lines)) - first and old_lines[-1 - tail] == new_lines[-1 - tail]:
            tail += 1
        deleted = old_lines[first : len(old_lines) - tail]
        inserted = new_lines[first : len(new_lines) - tail]
        region = {"startLine": first + 1, "startColumn": 1}
        if deleted:
            region.update({"endLine": first + len(deleted), "endColumn": len(deleted[-1].rstrip("\r\n")) + 2})
        else:
            region.update({"endLine": first + 1, "endColumn": 1})
        changes.append(
            {
                "artifactLocation": {"uri": prefix + edit.path, "uriBaseId": "SRCROOT"},
                "replacements": [{"deletedRegion": region, "insertedContent": {"text": "".join(inserted)}}],
            }
        )
    return {"description": {"text": f"{fix.strategy}: {fix.summary}"}, "artifactChanges": changes}


def _result(diagnosis: Diagnosis, prefix: str, rule_ids: list[str]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": diagnosis.code,
        "ruleIndex": rule_ids.index(diagnosis.code),
        "level": "error" if diagnosis.severity == "error" else "warning",
        "message": {"text": f"{diagnosis.message} {diagnosis.why}".strip()},
        "locations": [{"physicalLocation": _physical(_place(diagnosis), prefix)}],
    }
    related = [
        {
            "id": number,
            "physicalLocation": _physical(place, prefix),
            **({"message": {"text": place["message"]}} if place.get("message") else {}),
        }
        for number, place in enumerate(diagnosis.related, start=1)
        if place.get("file")
    ]
    if related:
        result["relatedLocations"] = related
    fixes = [_sarif_fix(f, prefix) for f in diagnosis.fixes if f.applies and f.verified]
    if fixes:
        result["fixes"] = fixes
    return result


def to_sarif(report: Report, diagnoses: list[Diagnosis] | None = None) -> dict[str, Any]:
    rules = [
        {
            "id": code.code,
            "name": code.name,
            "shortDescription": {"text": code.summary},
            "fullDescription": {"text": code.summary},
            "help": {"text": code.doc, "markdown": code.doc},
            "defaultConfiguration": {"level": "error" if code.severity == "error" else "warning"},
            "properties": {"remedies": list(code.remedies)},
        }
        for code in codes.ALL
    ]
    rule_ids = [code.code for code in codes.ALL]
    top, prefix = source_root(report.project.path)
    found = report.diagnoses if diagnoses is None else diagnoses
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "ormfix",
                        "version": __version__,
                        "informationUri": "https://pypi.org/project/ormfix/",
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"SRCROOT": {"uri": top.as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": [_result(d, prefix, rule_ids) for d in found],
            }
        ],
    }
