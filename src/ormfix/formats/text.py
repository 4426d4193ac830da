"""Text for people: each diagnosis with its why, fixes and colored diffs, apply's account, the summary line.

Everything a diagnosis says is printed as plain text (rich ``Text``), never parsed as markup:
``Mapped[dict]`` keeps its ``[dict]``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from .. import migrations
from ..findings import Diagnosis, Fix
from ..patches import Series
from ..probe.isolation import describe as describe_isolation
from ..report import Report


def where(diagnosis: Diagnosis | dict[str, Any]) -> str:
    """``file:line:col`` (``file:line`` without a column; ``(no location)`` without a file)."""
    place: dict[str, Any] = (
        diagnosis
        if isinstance(diagnosis, dict)
        else {"file": diagnosis.file, "line": diagnosis.line, "column": diagnosis.column}
    )
    if not place.get("file"):
        return "(no location)"
    text: str = place["file"]
    if place.get("line"):
        text += f":{place['line']}"
        if place.get("column"):
            text += f":{place['column']}"
    return text


def diff_text(diff: str) -> Text:
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


def fix_label(fix: Fix) -> str:
    parts: list[str] = [fix.applicability]
    if fix.schema_change:
        parts.append("schema change: the database needs a migration")
    if fix.verified:
        parts.append("verified")
    elif fix.verified is False and fix.applies:
        parts.append("NOT verified")
    elif fix.applies:
        parts.append("not verified (--no-verify)")
    return ", ".join(parts)


def _first_line(text: str) -> str:
    first = text.splitlines()[0] if text.strip() else ""
    return first if len(first) < 400 else first[:400] + "..."


def print_diagnosis(console: Console, diagnosis: Diagnosis, *, show_fixes: bool = True, quiet: bool = False) -> None:
    head = Text()
    head.append(where(diagnosis), style="bold")
    head.append(": ")
    head.append(
        f"{diagnosis.code} {diagnosis.name}", style="bold red" if diagnosis.severity == "error" else "bold yellow"
    )
    head.append(f" [{diagnosis.severity}]")
    console.print(head)
    console.print(Text("  " + diagnosis.message))
    if quiet:
        return
    for place in diagnosis.related:
        console.print(Text(f"  note: {where(place)}: {place.get('message') or ''}".rstrip(), style="dim"))
    if diagnosis.why:
        console.print(Text("  why: " + diagnosis.why, style="dim"))
    if diagnosis.sqlalchemy_error:
        console.print(Text(f"  {diagnosis.said_by} said: {_first_line(diagnosis.sqlalchemy_error)}", style="dim"))
    if show_fixes:
        for fix in diagnosis.fixes:
            _print_fix(console, fix)
    console.print()


def _print_fix(console: Console, fix: Fix) -> None:
    if not fix.applies:
        console.print(Text(f"  fix {fix.strategy}: {fix.summary}", style="dim"))
        return
    line = Text("  fix ")
    line.append(fix.strategy, style="bold")
    line.append(f" ({fix_label(fix)}): {fix.summary}")
    console.print(line)
    if fix.verification and fix.verified is False:
        console.print(Text(f"    verification: {fix.verification}", style="yellow"))
    if fix.roundtrip:
        console.print(Text(f"    round-trip {fix.roundtrip}", style="dim"))
    console.print(diff_text(fix.diff))
    if fix.migration:
        console.print(Text("  " + migrations.as_text(fix.migration), style="dim"))


def print_text(console: Console, report: Report, *, show_fixes: bool = True, quiet: bool = False) -> None:
    for diagnosis in report.diagnoses:
        print_diagnosis(console, diagnosis, show_fixes=show_fixes, quiet=quiet)


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def summary_line(report: Report, command: str) -> str:
    """One true sentence: what was found, what was suppressed, whether the mappers configure. check is the CI
    gate: the same tree prints the same bytes every run, so its time is only in --verbose."""
    took = "" if command == "check" else f" ({report.seconds:.1f} s)"
    errors = sum(1 for d in report.diagnoses if d.severity == "error")
    warnings = len(report.diagnoses) - errors
    hidden = len(report.suppressed_errors)
    if not report.diagnoses:
        if hidden:
            return (
                f"{_plural(hidden, 'error')} suppressed: configure_mappers() still fails{took} (--verbose lists them)."
            )
        if report.probe.status == "ok" and not report.mapped_classes:
            modules = ", ".join(report.project.modules) or "the project"
            return f"No mapped classes: importing {modules} maps no class, so nothing was checked{took}."
        return f"No problems found: the mappers configure{took}."
    found = f"Found {_plural(errors, 'error')}" + (f" and {_plural(warnings, 'warning')}" if warnings else "")
    if hidden:
        found += f" ({hidden} more suppressed)"
    if command == "check":
        return f"{found}. Run `ormfix suggest` to see verified fixes."
    verified = sum(1 for d in report.diagnoses for f in d.fixes if f.applies and f.verified)
    return (
        f"{found}; {_plural(verified, 'verified fix', 'verified fixes')} "
        f"({report.seconds:.1f} s, {_plural(report.probes, 'probe run')})."
    )


def statistics_lines(diagnoses: list[Diagnosis]) -> list[str]:
    """``--statistics``: how many of each code, most first (then by code), like ruff's."""
    counts = Counter((d.code, d.name, d.severity) for d in diagnoses)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    return [f"{count:>5}  {code}  {name} [{severity}]" for (code, name, severity), count in rows]


def verbose_lines(report: Report) -> list[str]:
    """What --verbose adds (on stderr): what was discovered, how the probe went, what was suppressed."""
    project = report.project
    lines = [
        f"project {project.path} (files relative to {project.base}); {len(project.files)} Python file(s)",
        f"import roots: {', '.join(str(r) for r in project.roots) or '-'}; models: {', '.join(project.modules) or '-'}",
        f"interpreter: {project.python} ({project.python_reason or 'given'})",
        f"SQLAlchemy {report.probe.sqlalchemy_version or '?'}; "
        f"probe {report.probe.status}; {report.mapped_classes} mapped class(es); "
        f"{report.probes} probe run(s) in {report.seconds:.1f} s",
        describe_isolation(report.probe.isolation),
    ]
    if report.settings.source:
        lines.append(f"settings from {report.settings.source}")
    for diagnosis in report.suppressed:
        lines.append(f"suppressed {where(diagnosis)}: {diagnosis.code} {diagnosis.name}")
    return lines


def print_apply(console: Console, report: Report, dry_run: bool, quiet: bool) -> None:
    """What apply wrote (or would write), what it could not fix, what is left."""
    if not report.diagnoses:
        console.print(Text(summary_line(report, "apply")))
        return
    for diagnosis, fix in report.applied:
        done = "would apply" if dry_run else "refused" if report.refused else "applied"
        console.print(
            Text(f"{where(diagnosis)}: {diagnosis.code} {diagnosis.name}: {done} {fix.strategy} ({fix_label(fix)})")
        )
        if not quiet:
            console.print(diff_text(fix.diff))
        if fix.schema_change and not fix.column:
            console.print(Text("  note: this changes the schema: the database needs a migration."))
    if report.migration:
        console.print(
            Text(
                ("Would write " if dry_run and report.migration["kind"] == "alembic" else "")
                + migrations.as_text(report.migration)
            )
        )
    declined = {id(d): fix for d, fix in report.declined}
    for diagnosis in report.diagnoses:
        if any(diagnosis is a for a, _ in report.applied):
            continue
        reasons = [f"{f.strategy}: {f.verification or f.not_applicable or f.applicability}" for f in diagnosis.fixes]
        if id(diagnosis) in declined:
            reasons = [f"you declined {declined[id(diagnosis)].strategy}"]
        console.print(
            Text(
                f"{where(diagnosis)}: {diagnosis.code} {diagnosis.name}: not fixed "
                f"({'; '.join(reasons) or 'no remedy'})"
            )
        )
    if report.written:
        console.print(Text(f"Wrote {len(report.written)} file(s): {', '.join(report.written)}"))
    if report.refused:
        return
    left = [d for d in report.remaining if d.severity == "error"]
    if left:
        console.print(Text(f"{len(left)} problem(s) left:"))
        for diagnosis in left:
            console.print(Text(f"  {where(diagnosis)}: {diagnosis.code} {diagnosis.message}"))
        hint = "" if report.applied or report.declined else " (unsafe fixes need --unsafe-fixes or a named --strategy)"
        console.print(Text(f"Not everything was fixed{hint}."))
    elif report.suppressed_left:
        console.print(
            Text(f"{_plural(len(report.suppressed_left), 'suppressed error')} left: configure_mappers() still fails.")
        )
    else:
        console.print(Text("Nothing left: configure_mappers() passes." if not dry_run else "Nothing would be left."))


def series_lines(written: Series, patch_dir: Path) -> list[str]:
    """What suggest --patch-dir wrote (for stderr); `git am` is named only when the series holds a patch."""
    series, alternatives = written["series"], written["alternatives"]
    parts = []
    if series:
        parts.append(f"{len(series)} patch(es) to {patch_dir} (git am {patch_dir}/*.patch)")
    if alternatives:
        parts.append(f"{len(alternatives)} alternative(s) to {patch_dir / 'alternatives'}")
    lines = [
        f"ormfix: wrote {' and '.join(parts)}"
        if parts
        else f"ormfix: no patch written to {patch_dir}: no diagnosis has an applicable fix"
    ]
    return lines + [f"ormfix: not in the series: {reason}" for reason in written["skipped"]]
