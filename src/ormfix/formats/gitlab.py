"""``--format gitlab``: a GitLab Code Quality report (a JSON array of issues).

Each issue: ``description``, ``check_name`` (the code), ``fingerprint`` (a hash of the code, the file and
``Class.attribute``, never the line, so an issue keeps its identity when code above it moves),
``severity`` (info / minor / major / critical / blocker) and ``location.path`` / ``location.lines.begin``.
Paths are relative to the repository's top folder, as GitLab reads them.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..findings import Diagnosis
from ..report import Report
from .sarif import source_root

# an error stops configure_mappers(), so every query of the application fails: critical
SEVERITY = {"error": "critical", "warning": "minor"}
NOTICES = {"ORM090"}  # about ormfix's own comments, not the mapping


def severity(diagnosis: Diagnosis) -> str:
    return "info" if diagnosis.code in NOTICES else SEVERITY.get(diagnosis.severity, "major")


def fingerprint(diagnosis: Diagnosis) -> str:
    if diagnosis.class_name:
        subject = f"{diagnosis.class_name}.{diagnosis.attribute}" if diagnosis.attribute else diagnosis.class_name
    else:
        subject = diagnosis.message
    return hashlib.sha256(f"{diagnosis.code}\0{diagnosis.file or ''}\0{subject}".encode()).hexdigest()


def to_gitlab(diagnoses: list[Diagnosis], report: Report) -> list[dict[str, Any]]:
    _, prefix = source_root(report.project.path)
    issues, seen = [], set()
    for diagnosis in diagnoses:
        mark = fingerprint(diagnosis)
        while mark in seen:  # two issues of one code on one attribute: still two issues
            mark = hashlib.sha256(mark.encode()).hexdigest()
        seen.add(mark)
        issues.append(
            {
                "type": "issue",
                "description": f"{diagnosis.code} {diagnosis.name}: {diagnosis.message}",
                "check_name": diagnosis.code,
                "fingerprint": mark,
                "severity": severity(diagnosis),
                "location": {"path": prefix + (diagnosis.file or "."), "lines": {"begin": diagnosis.line or 1}},
            }
        )
    return issues
