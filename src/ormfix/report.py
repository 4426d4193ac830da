"""Print a run's diagnoses and fixes: text for people (colored diffs), JSON and SARIF for machines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from . import __version__, codes, migrations
from .findings import Diagnosis, Fix
from .pipeline import Report


def to_json(report: Report, *, with_fixes: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "root": str(report.project.path),
        "ormfix_version": __version__,
        "sqlalchemy_version": report.probe.sqlalchemy_version,
        "diagnoses": [],
    }
    for diagnosis in report.diagnoses:
        item = diagnosis.to_json()
        if not with_fixes:
            item["fixes"] = []
        data["diagnoses"].append(item)
    if report.applied or report.refused or report.written:
        data["applied"] = [{"code": d.code, "file": d.file, "line": d.line, "strategy": f.strategy}
                           for d, f in report.applied] if not report.refused else []
        data["written"] = report.written
        data["remaining"] = [d.to_json() | {"fixes": []} for d in report.remaining]
        if report.refused:
            data["refused"] = report.refused
        if report.migration:
            data["migration"] = report.migration
    return data


def _source_root(path: Path) -> tuple[Path, str]:
    """The repository's top folder (where code scanning resolves paths) and PATH's place inside it."""
    for folder in (path, *path.parents):
        if (folder / ".git").exists():
            relative = path.relative_to(folder).as_posix()
            return folder, "" if relative == "." else relative + "/"
    return path, ""


def _location(diagnosis: Diagnosis, prefix: str = "") -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": prefix + (diagnosis.file or "."), "uriBaseId": "SRCROOT"}}
    if diagnosis.line:
        physical["region"] = {"startLine": diagnosis.line}
        if diagnosis.end_line:
            physical["region"]["endLine"] = diagnosis.end_line
    return {"physicalLocation": physical}


def _sarif_fix(fix: Fix, prefix: str = "") -> dict[str, Any]:
    changes = []
    for edit in fix.edits:
        old_lines = edit.before.splitlines(keepends=True)
        new_lines = edit.after.splitlines(keepends=True)
        first = next((i for i, (a, b) in enumerate(zip(old_lines, new_lines)) if a != b), min(len(old_lines), len(new_lines)))
        tail = 0
        while tail < min(len(old_lines), len(new_lines)) - first and old_lines[-1 - tail] == new_lines[-1 - tail]:
            tail += 1
        deleted = old_lines[first:len(old_lines) - tail]
        inserted = new_lines[first:len(new_lines) - tail]
        region = {"startLine": first + 1, "startColumn": 1}
        if deleted:
            region.update({"endLine": first + len(deleted), "endColumn": len(deleted[-1].rstrip("\r\n")) + 2})
        else:
            region.update({"endLine": first + 1, "endColumn": 1})
        changes.append({
            "artifactLocation": {"uri": prefix + edit.path, "uriBaseId": "SRCROOT"},
            "replacements": [{"deletedRegion": region, "insertedContent": {"text": "".join(inserted)}}],
        })
    return {"description": {"text": f"{fix.strategy}: {fix.summary}"}, "artifactChanges": changes}


def to_sarif(report: Report) -> dict[str, Any]:
    rules = [{
        "id": code.code,
        "name": code.name,
        "shortDescription": {"text": code.summary},
        "fullDescription": {"text": code.summary},
        "help": {"text": code.doc, "markdown": code.doc},
        "defaultConfiguration": {"level": "error" if code.severity == "error" else "warning"},
        "properties": {"remedies": list(code.remedies)},
    } for code in codes.ALL]
    top, prefix = _source_root(report.project.path)
    results = []
    for diagnosis in report.diagnoses:
        result: dict[str, Any] = {
            "ruleId": diagnosis.code,
            "ruleIndex": [c.code for c in codes.ALL].index(diagnosis.code),
            "level": "error" if diagnosis.severity == "error" else "warning",
            "message": {"text": f"{diagnosis.message} {diagnosis.why}".strip()},
            "locations": [_location(diagnosis, prefix)],
        }
        fixes = [_sarif_fix(f, prefix) for f in diagnosis.fixes if f.applies and f.verified]
        if fixes:
            result["fixes"] = fixes
        results.append(result)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "ormfix", "version": __version__,
                                "informationUri": "https://pypi.org/project/ormfix/", "rules": rules}},
            "originalUriBaseIds": {"SRCROOT": {"uri": top.as_uri() + "/"}},
            "results": results,
        }],
    }


def print_json(console: Console, data: dict[str, Any]) -> None:
    console.file.write(json.dumps(data, indent=2) + "\n")


def _diff_text(diff: str) -> Text:
    text = Text()
    for line in diff.splitlines(keepends=True):
        style = None
        if line.startswith(("+++", "---")):
            style = "bold"
        elif line.startswith("+"):
            style = "green"
        elif line.startswith("-"):
            style = "red"
        elif line.startswith("@@"):
            style = "cyan"
        text.append(line.replace("\r\n", "\n"), style=style)
    return text


def _fix_label(fix: Fix) -> str:
    parts = [fix.applicability]
    if fix.schema_change:
        parts.append("schema change: the database needs a migration")
    if fix.verified:
        parts.append("verified")
    elif fix.verified is False and fix.applies:
        parts.append("NOT verified")
    elif fix.applies:
        parts.append("not verified (--no-verify)")
    return ", ".join(parts)


def print_text(console: Console, report: Report, *, show_fixes: bool = True, quiet: bool = False) -> None:
    for diagnosis in report.diagnoses:
        where = f"{diagnosis.file}:{diagnosis.line}" if diagnosis.file else "(no location)"
        head = Text()
        head.append(where, style="bold")
        head.append(": ")
        head.append(f"{diagnosis.code} {diagnosis.name}", style="bold red" if diagnosis.severity == "error" else "bold yellow")
        head.append(f" [{diagnosis.severity}]")
        console.print(head)
        console.print(Text("  " + diagnosis.message))
        if quiet:
            continue
        if diagnosis.why:
            console.print(Text("  why: " + diagnosis.why, style="dim"))
        if diagnosis.sqlalchemy_error:
            first = diagnosis.sqlalchemy_error.splitlines()[0]
            console.print(Text("  SQLAlchemy said: " + (first if len(first) < 400 else first[:400] + "..."), style="dim"))
        if not show_fixes:
            continue
        for fix in diagnosis.fixes:
            if not fix.applies:
                console.print(Text(f"  fix {fix.strategy}: {fix.summary}", style="dim"))
                continue
            line = Text("  fix ")
            line.append(fix.strategy, style="bold")
            line.append(f" ({_fix_label(fix)}): {fix.summary}")
            console.print(line)
            if fix.verification and fix.verified is False:
                console.print(Text(f"    verification: {fix.verification}", style="yellow"))
            if fix.roundtrip:
                console.print(Text(f"    round-trip {fix.roundtrip}", style="dim"))
            console.print(_diff_text(fix.diff))
            if fix.migration:
                console.print(Text("  " + migrations.as_text(fix.migration), style="dim"))
        console.print()


def verbose_lines(report: Report) -> list[str]:
    """What --verbose adds (on stderr): what was discovered, how the probe went, what was suppressed."""
    project = report.project
    lines = [
        f"project {project.path} (files relative to {project.base}); {len(project.files)} Python file(s)",
        f"import roots: {', '.join(str(r) for r in project.roots) or '-'}; models: {', '.join(project.modules) or '-'}",
        f"interpreter: {project.python}; SQLAlchemy {report.probe.sqlalchemy_version or '?'}; "
        f"probe {report.probe.status}; {report.probes} probe run(s) in {report.seconds:.1f} s",
    ]
    if report.settings.source:
        lines.append(f"settings from {report.settings.source}")
    for diagnosis in report.suppressed:
        lines.append(f"suppressed {diagnosis.file}:{diagnosis.line}: {diagnosis.code} {diagnosis.name}")
    return lines


def summary_line(report: Report, command: str) -> str:
    errors = sum(1 for d in report.diagnoses if d.severity == "error")
    warnings = len(report.diagnoses) - errors
    # check is the CI gate: the same tree prints the same bytes every run (its time is in --verbose)
    took = "" if command == "check" else f" ({report.seconds:.1f} s)"
    if not report.diagnoses:
        return f"No problems found: the mappers configure{took}."
    found = f"Found {errors} error{'s' if errors != 1 else ''}" + (f" and {warnings} warning{'s' if warnings != 1 else ''}" if warnings else "")
    if command == "check":
        return f"{found}. Run `ormfix suggest` to see verified fixes."
    verified = sum(1 for d in report.diagnoses for f in d.fixes if f.applies and f.verified)
    return f"{found}; {verified} verified fix{'es' if verified != 1 else ''} ({report.seconds:.1f} s, {report.probes} probe run{'s' if report.probes != 1 else ''})."
