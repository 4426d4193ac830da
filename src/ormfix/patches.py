"""Patch files for review, in `git format-patch` form.

``DIR/NNNN-*.patch`` is the series: for each diagnosis, the fix ``apply`` would choose, each patch made
against the tree as the previous ones leave it, so ``git am DIR/*.patch`` run at PATH makes one commit
per fix, in order (``git am --directory=SUB`` when PATH is the folder SUB of the repository).
``DIR/alternatives/NNNN-*.patch`` holds every other applicable fix, each against the original tree
(``git apply``, ``patch -p1``). A fix that adds a column carries its Alembic revision as a new file.

A patch is bytes: each file's hunks are encoded as that file is on disk (its encoding, its BOM), the
message as UTF-8. Inside this module a patch is held as text in which every character is one byte
(latin-1), so the text helpers below work unchanged, and it is written out with that mapping.
"""

from __future__ import annotations

import os
import re
from email.utils import formatdate
from pathlib import Path
from typing import Any, TypedDict

from ormfix.codemods import NotApplicable

from . import migrations
from .diffs import unified_diff
from .discover import Project
from .errors import UsageError
from .findings import Diagnosis, Fix
from .write import encoding_of

SERIES_NAME = re.compile(r"^\d{4}-.*\.patch$")
# lines that would end a commit message early in `git am` (mailinfo splits the body there)
_BODY_BREAKS = re.compile(r"^(---|diff -|Index: |From )")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def _label(diagnosis: Diagnosis) -> str:
    if diagnosis.class_name and diagnosis.attribute:
        return f"{diagnosis.class_name}.{diagnosis.attribute}"
    return diagnosis.file or "project"


def _bytes_as_text(data: bytes) -> str:
    return data.decode("latin-1")


def file_diff(project: Project, path: str, before: str, after: str) -> str:
    """The diff of one file, encoded as the file is on disk (BOM included), as one-char-per-byte text."""
    encoding = encoding_of(project.base / path)
    if encoding == "utf-8-sig":
        before, after, encoding = "\ufeff" + before, "\ufeff" + after, "utf-8"
    return _bytes_as_text(unified_diff(path, before, after).encode(encoding, "surrogateescape"))


def new_file_diff(path: str, text: str) -> str:
    lines = text.splitlines(keepends=True)
    body = "".join(
        "+" + line if line.endswith("\n") else "+" + line + "\n\\ No newline at end of file\n" for line in lines
    )
    return _bytes_as_text(
        (
            f"diff --git a/{path} b/{path}\nnew file mode 100644\n--- /dev/null\n+++ b/{path}\n"
            f"@@ -0,0 +1,{len(lines)} @@\n{body}"
        ).encode()
    )


def _with_git_headers(diff: str) -> str:
    """A `diff --git` line before each file of a plain unified diff."""
    return re.sub(
        r"^--- a/(.+)\n\+\+\+ b/(.+)\n", lambda m: f"diff --git a/{m[1]} b/{m[2]}\n{m[0]}", diff, flags=re.MULTILINE
    )


def _diffstat(diff: str) -> str:
    stats: dict[str, list[int]] = {}
    current = None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            current = line[6:] if line.startswith("+++ b/") else line[4:]
            stats[current] = [0, 0]
        elif current and line.startswith("+"):
            stats[current][0] += 1
        elif current and line.startswith("-") and not line.startswith("--- "):
            stats[current][1] += 1
    rows = [f" {path} | {added + removed} {'+' * added}{'-' * removed}" for path, (added, removed) in stats.items()]
    added, removed = sum(s[0] for s in stats.values()), sum(s[1] for s in stats.values())
    parts = [f" {len(stats)} file{'s' if len(stats) != 1 else ''} changed"]
    if added:
        parts.append(f"{added} insertion{'s' if added != 1 else ''}(+)")
    if removed:
        parts.append(f"{removed} deletion{'s' if removed != 1 else ''}(-)")
    return "\n".join(rows) + "\n" + ", ".join(parts) + "\n"


def _body(diagnosis: Diagnosis, fix: Fix, migration: dict[str, Any] | None) -> str:
    state = "verified" if fix.verified else "NOT verified"
    lines = [
        f"{diagnosis.code} {diagnosis.name} at {diagnosis.file}:{diagnosis.line}:",
        diagnosis.message,
        "",
    ]
    if diagnosis.sqlalchemy_error:
        lines += [f"{diagnosis.said_by} says:", "  " + diagnosis.sqlalchemy_error.strip().splitlines()[0], ""]
    if diagnosis.why:
        lines += [f"Why it breaks: {diagnosis.why}", ""]
    lines += [f"Why this fix ({fix.strategy}; {fix.applicability}, {state}): {fix.summary}"]
    if fix.verification:
        lines.append(f"Verification: {fix.verification}")
    if fix.roundtrip:
        lines.append(f"Round-trip {fix.roundtrip}")
    if migration and migration["kind"] == "alembic":
        lines.append(
            f"Migration: Alembic revision {migration['revision']} (down_revision "
            f"{migration['down_revision']!r}) is part of this patch."
        )
    elif migration:
        lines += ["", f"Migration ({migration['dialect']}; {migration['note']}):"]
        lines += ["  " + line for line in migration["sql"].splitlines()]
    lines += ["", "Generated-by: ormfix"]
    return "\n".join(" " + line if _BODY_BREAKS.match(line) else line for line in lines)


def patch_text(
    diagnosis: Diagnosis,
    fix: Fix,
    number: int,
    total: int,
    diff: str | None = None,
    migration: dict[str, Any] | None = None,
) -> str:
    diff = _with_git_headers(fix.diff if diff is None else diff)
    subject = f"{diagnosis.code} {_label(diagnosis)}: {fix.strategy}"
    header = (
        "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n"
        "From: ormfix <ormfix@users.noreply.invalid>\n"
        f"Date: {formatdate(localtime=False)}\n"
        f"Subject: [PATCH {number}/{total}] {subject}\n"
        "\n" + _body(diagnosis, fix, migration) + "\n---\n"
    )
    return _bytes_as_text(header.encode("utf-8")) + _diffstat(diff) + "\n" + diff + "-- \normfix\n\n"


def _migration_file(project: Project, migration: dict[str, Any] | None) -> tuple[str, str] | None:
    """(path relative to PATH, text) of an Alembic revision that lives inside PATH."""
    if not migration or migration["kind"] != "alembic":
        return None
    absolute = Path(migration["absolute_path"])
    if not absolute.is_relative_to(project.path):
        return None
    return absolute.relative_to(project.path).as_posix(), migration["text"]


def _step(project: Project, fix: Fix, current: dict[str, str]) -> tuple[dict[str, str], str]:
    """The texts after this fix on top of ``current``, and the diff from ``current``."""
    after = dict(current)
    diff = ""
    for edit in fix.edits:
        before = current[edit.path] if edit.path in current else project.original_text(edit.path)
        text = edit.replay(before)
        after[edit.path] = text
        diff += file_diff(project, edit.path, before, text)
    return after, diff


def _rel_to_path(project: Project, diff: str) -> str:
    """Fix diffs are relative to the project's base; the series applies at PATH."""
    prefix = project.path.relative_to(project.base).as_posix() if project.path != project.base else ""
    if not prefix or not project.path.is_relative_to(project.base):
        return diff
    return diff.replace(f"a/{prefix}/", "a/").replace(f"b/{prefix}/", "b/")


def check_folder(folder: Path) -> None:
    """--patch-dir must be a folder, or a path where one can be created: else one line, exit 2."""
    folder = folder.expanduser().absolute()
    existing = folder
    while not existing.exists() and existing.parent != existing:
        if existing.is_symlink():
            raise UsageError(f"--patch-dir {folder}: {existing} is a dangling link; cannot create the folder")
        existing = existing.parent
    if not existing.is_dir():
        raise UsageError(f"--patch-dir {folder}: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK) or not existing.stat().st_mode & 0o222:
        raise UsageError(
            f"--patch-dir {folder}: "
            + ("the folder is read-only" if existing == folder else f"cannot create it ({existing} is read-only)")
        )


def _clear(folder: Path) -> None:
    for old in folder.glob("*.patch") if folder.is_dir() else []:
        if SERIES_NAME.match(old.name):
            old.unlink()


class Series(TypedDict):
    """What write_series wrote: the series' patches, the alternatives', and why a fix is not in the series."""

    series: list[Path]
    alternatives: list[Path]
    skipped: list[str]


def write_series(project: Project, diagnoses: list[Diagnosis], chosen: dict[int, Fix], folder: Path) -> Series:
    """Write the series (``chosen``: id(diagnosis) -> the fix apply would choose) and the alternatives.

    Returns {"series": [paths], "alternatives": [paths], "skipped": [reasons]}."""
    try:
        return _write_series(project, diagnoses, chosen, folder)
    except OSError as exc:
        raise UsageError(f"--patch-dir {folder}: {exc.strerror or exc}") from None


def _write_series(project: Project, diagnoses: list[Diagnosis], chosen: dict[int, Fix], folder: Path) -> Series:
    alternatives_dir = folder / "alternatives"
    folder.mkdir(parents=True, exist_ok=True)
    _clear(folder)
    _clear(alternatives_dir)
    series = [(d, chosen[id(d)]) for d in diagnoses if id(d) in chosen]
    others = [(d, f) for d in diagnoses for f in d.fixes if f.applies and f is not chosen.get(id(d))]
    written: Series = {"series": [], "alternatives": [], "skipped": []}
    current: dict[str, str] = {}
    previous: dict[str, str] = {}  # the revisions of the earlier patches, the next one on top of them
    alembic = migrations.find_alembic(project) is not None
    schema: dict[str, Any] | str | None = None  # the tables before the series, read once (a str: why not)
    steps = []  # (diagnosis, fix, diff, migration) of each patch that changes something
    for diagnosis, fix in series:
        try:
            after, diff = _step(project, fix, current)
        except NotApplicable as exc:
            written["skipped"].append(
                f"{_label(diagnosis)} {fix.strategy}: does not apply after the earlier "
                f"patches ({exc}); see alternatives/"
            )
            others.append((diagnosis, fix))
            continue
        if after == current or not diff:  # an earlier patch already made this change (the twin of a pair)
            written["skipped"].append(f"{_label(diagnosis)} {fix.strategy}: an earlier patch already makes this change")
            continue
        migration = None
        if fix.schema_change and alembic:
            schema = migrations.read_schema(project) if schema is None else schema
            migration = (
                {"kind": "error", "note": schema}
                if isinstance(schema, str)
                else migrations.revision(project, after, previous, schema=schema)
            )
        elif fix.column:
            migration = migrations.plan(project, [fix.column])
        current = after
        diff = _rel_to_path(project, diff)
        if migration is not None and (new_file := _migration_file(project, migration)) is not None:
            diff += new_file_diff(*new_file)
            previous[migration["file_name"]] = migration["text"]
        steps.append((diagnosis, fix, diff, migration))
    for number, (diagnosis, fix, diff, migration) in enumerate(steps, start=1):
        name = f"{number:04d}-{_slug(f'{diagnosis.code}-{_label(diagnosis)}-{fix.strategy}')}.patch"
        text = patch_text(diagnosis, fix, number, len(steps), diff, migration)
        (folder / name).write_bytes(text.encode("latin-1"))
        written["series"].append(folder / name)
    if others:
        alternatives_dir.mkdir(exist_ok=True)
    for number, (diagnosis, fix) in enumerate(others, start=1):
        diff = _rel_to_path(project, "".join(file_diff(project, e.path, e.before, e.after) for e in fix.edits))
        if (new_file := _migration_file(project, fix.migration)) is not None:
            diff += new_file_diff(*new_file)
        name = f"{number:04d}-{_slug(f'{diagnosis.code}-{_label(diagnosis)}-{fix.strategy}')}.patch"
        (alternatives_dir / name).write_bytes(patch_text(diagnosis, fix, 1, 1, diff, fix.migration).encode("latin-1"))
        written["alternatives"].append(alternatives_dir / name)
    return written
