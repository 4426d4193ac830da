"""Which diagnoses to report: select / ignore / per-file-ignores, and inline ``# ormfix: ignore[ORM002]``.

A code pattern matches a diagnosis by its code or a prefix of it (``ORM00`` matches ORM001..ORM009)
or by its name (``no-foreign-keys``); a pattern that names no code is a usage error. An inline comment
on any line of the diagnosis's range, or of the statement it belongs to, suppresses the codes it
lists, or every code when bare (``# ormfix: ignore``). A comment that suppresses nothing is ORM090.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

from . import codes as registry
from .config import Settings
from .discover import Project
from .errors import UsageError
from .findings import Diagnosis
from .index import read_source

INLINE = re.compile(r"#\s*ormfix:\s*ignore\b(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)


@dataclass
class Filters:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    config_dir: Path | None = None  # per-file-ignores globs are relative to the pyproject.toml's folder

    @classmethod
    def from_settings(
        cls, settings: Settings, select: list[str] | None = None, ignore: list[str] | None = None
    ) -> Filters:
        """The configuration's filters; ``select``/``ignore`` given on the command line replace its own."""
        return cls(
            select=registry.check_patterns([c.upper() for c in select], "--select")
            if select
            else list(settings.select),
            ignore=registry.check_patterns([c.upper() for c in ignore], "--ignore")
            if ignore
            else list(settings.ignore),
            per_file_ignores=dict(settings.per_file_ignores),
            config_dir=settings.source.parent if settings.source else None,
        )


@dataclass
class Suppression:
    """One ``# ormfix: ignore[...]`` comment: where it is, what it lists ([] = every code), what it hid."""

    file: str
    line: int
    column: int  # 1-based, in characters
    end_column: int
    codes: list[str]
    used: set[str] = field(default_factory=set)  # the listed codes that suppressed something ("*" when bare)

    def unused_codes(self) -> list[str] | None:
        """None when the comment did its job; else the codes that suppressed nothing ([] when bare)."""
        if not self.codes:
            return None if self.used else []
        left = [c for c in self.codes if c not in self.used]
        return left or None


def matches(diagnosis: Diagnosis, patterns: list[str]) -> bool:
    return any(
        diagnosis.code.upper().startswith(p.upper()) or diagnosis.name.upper() == p.upper() for p in patterns if p
    )


def inline_codes(text: str, first: int, last: int) -> list[str] | None:
    """Codes listed by ``# ormfix: ignore[...]`` on lines first..last ([] for a bare ignore), else None."""
    lines = text.splitlines()
    found: list[str] | None = None
    for number in range(max(first, 1), min(last, len(lines)) + 1):
        match = INLINE.search(lines[number - 1])
        if match is None:
            continue
        listed = [c.strip() for c in (match["codes"] or "").split(",") if c.strip()]
        if not listed:
            return []
        found = (found or []) + listed
    return found


def _read(project: Project, rel: str) -> str:
    try:
        return read_source(project.files[rel][0])
    except (OSError, UnicodeDecodeError, SyntaxError, LookupError):
        return ""


def inline_suppressions(project: Project) -> dict[str, dict[int, Suppression]]:
    """Every inline suppression comment of the project's files (file -> line -> comment); a code in one that
    names no code is a usage error."""
    found: dict[str, dict[int, Suppression]] = {}
    for rel in sorted(project.files):
        text = _read(project, rel)
        if "ormfix" not in text:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            match = INLINE.search(line)
            if match is None:
                continue
            listed = [c.strip() for c in (match["codes"] or "").split(",") if c.strip()]
            for code in listed:
                reason = registry.unknown_pattern(code)
                if reason is not None:
                    raise UsageError(f"{rel}:{number}: `# ormfix: ignore[...]`: {reason}")
            found.setdefault(rel, {})[number] = Suppression(rel, number, match.start() + 1, match.end() + 1, listed)
    return found


def _lines(diagnosis: Diagnosis) -> range:
    """The lines an inline comment may sit on: the diagnosis's range and the statement around it."""
    first, last = diagnosis.line or 0, diagnosis.end_line or diagnosis.line or 0
    statement = diagnosis.context.get("statement") if isinstance(diagnosis.context, dict) else None
    if statement:
        first, last = min(first, statement[0]), max(last, statement[1])
    return range(first, last + 1)


def _inline_suppressed(diagnosis: Diagnosis, comments: dict[str, dict[int, Suppression]]) -> bool:
    in_file = comments.get(diagnosis.file or "")
    if not in_file or not diagnosis.line:
        return False
    hit = False
    for number in _lines(diagnosis):
        comment = in_file.get(number)
        if comment is None:
            continue
        if not comment.codes:
            comment.used.add("*")
            hit = True
        for code in comment.codes:
            if matches(diagnosis, [code]):
                comment.used.add(code)
                hit = True
    return hit


def _file_ignored(project: Project, diagnosis: Diagnosis, filters: Filters) -> bool:
    if not diagnosis.file or not filters.per_file_ignores:
        return False
    absolute = (project.base / diagnosis.file).resolve()
    names = {diagnosis.file, absolute.name}
    if filters.config_dir is not None and absolute.is_relative_to(filters.config_dir.resolve()):
        names.add(absolute.relative_to(filters.config_dir.resolve()).as_posix())
    return any(
        matches(diagnosis, codes) and any(fnmatch(name, glob) for name in names)
        for glob, codes in filters.per_file_ignores.items()
    )


def filter_diagnoses(
    project: Project,
    diagnoses: list[Diagnosis],
    filters: Filters,
    comments: dict[str, dict[int, Suppression]] | None = None,
) -> tuple[list[Diagnosis], list[Diagnosis]]:
    """(kept, suppressed); ``comments`` (inline_suppressions()) record which of them were used."""
    if comments is None:
        comments = inline_suppressions(project)
    kept: list[Diagnosis] = []
    suppressed: list[Diagnosis] = []
    for diagnosis in diagnoses:
        dropped = (
            (filters.select and not matches(diagnosis, filters.select))
            or matches(diagnosis, filters.ignore)
            or _file_ignored(project, diagnosis, filters)
            or _inline_suppressed(diagnosis, comments)
        )
        (suppressed if dropped else kept).append(diagnosis)
    return kept, suppressed


def unused_suppressions(
    project: Project, comments: dict[str, dict[int, Suppression]], filters: Filters
) -> list[Diagnosis]:
    """ORM090 for each comment that suppressed nothing (select / ignore / per-file-ignores apply to it)."""
    code = registry.UNUSED_SUPPRESSION
    found = []
    for rel in sorted(comments):
        for number, comment in sorted(comments[rel].items()):
            unused = comment.unused_codes()
            if unused is None:
                continue
            explanation = code.explain({"codes": unused}, project.index)
            found.append(
                Diagnosis(
                    code=code.code,
                    name=code.name,
                    severity=code.severity,
                    message=explanation.message,
                    file=rel,
                    line=number,
                    end_line=number,
                    column=comment.column,
                    end_column=comment.end_column,
                    why=explanation.why,
                )
            )
    return filter_diagnoses(project, found, filters, comments={})[0]
