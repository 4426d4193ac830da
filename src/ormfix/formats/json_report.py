"""``--format json`` (one document, versioned, described by ormfix/schemas/report.schema.json) and
``--format json-lines`` (one diagnosis per line). Every key is always present (null when it does not
apply), so a record's keys never vary; no timing, so two runs on one tree print the same bytes."""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..findings import Diagnosis, public_migration
from ..report import Report

FORMAT_VERSION = 1  # bumped when a key changes meaning or goes away (new keys do not bump it)


def summary(report: Report) -> dict[str, Any]:
    errors = sum(1 for d in report.diagnoses if d.severity == "error")
    return {
        "errors": errors,
        "warnings": len(report.diagnoses) - errors,
        "suppressed": len(report.suppressed),
        "suppressed_errors": len(report.suppressed_errors),
        "mapped_classes": report.mapped_classes,
        "mappers_configure": report.probe.clean,
    }


def to_json(report: Report, *, with_fixes: bool = True, command: str = "check") -> dict[str, Any]:
    diagnoses = []
    for diagnosis in report.diagnoses:
        item = diagnosis.to_json()
        if not with_fixes:
            item["fixes"] = []
        diagnoses.append(item)
    applying = command == "apply"
    return {
        "version": FORMAT_VERSION,
        "command": command,
        "root": str(report.project.path),
        "ormfix_version": __version__,
        "sqlalchemy_version": report.probe.sqlalchemy_version or None,
        "summary": summary(report),
        "diagnoses": diagnoses,
        # apply only (null for check / suggest)
        "applied": (
            [{"code": d.code, "file": d.file, "line": d.line, "strategy": f.strategy} for d, f in report.applied]
            if not report.refused
            else []
        )
        if applying
        else None,
        "written": list(report.written) if applying else None,
        "remaining": [d.to_json() | {"fixes": []} for d in report.remaining] if applying else None,
        "refused": (report.refused or None) if applying else None,
        "migration": public_migration(report.migration) if applying else None,
    }


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2) + "\n"


def to_json_lines(diagnoses: list[Diagnosis]) -> str:
    """One diagnosis (its JSON record, fixes left out) per line."""
    return "".join(json.dumps(d.to_json() | {"fixes": []}) + "\n" for d in diagnoses)
