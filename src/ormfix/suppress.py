"""Which diagnoses to report: select / ignore / per-file-ignores, and inline ``# ormfix: ignore[ORM002]``.

A code pattern matches a diagnosis by its code or a prefix of it (``ORM00`` matches ORM001..ORM009)
or by its name (``no-foreign-keys``). An inline comment on any line of the offending statement
suppresses the codes it lists, or every code when bare (``# ormfix: ignore``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

from .config import Settings
from .discover import Project
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
    def from_settings(cls, settings: Settings, select: list[str] | None = None,
                      ignore: list[str] | None = None) -> "Filters":
        """The configuration's filters; ``select``/``ignore`` given on the command line replace its own."""
        return cls(
            select=[c.upper() for c in select] if select else list(settings.select),
            ignore=[c.upper() for c in ignore] if ignore else list(settings.ignore),
            per_file_ignores=dict(settings.per_file_ignores),
            config_dir=settings.source.parent if settings.source else None,
        )


def matches(diagnosis: Diagnosis, patterns: list[str]) -> bool:
    return any(diagnosis.code.upper().startswith(p.upper()) or diagnosis.name.upper() == p.upper()
               for p in patterns if p)


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


def _inline_suppressed(project: Project, diagnosis: Diagnosis, cache: dict[str, str]) -> bool:
    if not diagnosis.file or not diagnosis.line or diagnosis.file not in project.files:
        return False
    if diagnosis.file not in cache:
        try:
            cache[diagnosis.file] = read_source(project.files[diagnosis.file][0])
        except (OSError, UnicodeDecodeError, SyntaxError):
            cache[diagnosis.file] = ""
    codes = inline_codes(cache[diagnosis.file], diagnosis.line, diagnosis.end_line or diagnosis.line)
    return codes is not None and (not codes or matches(diagnosis, codes))


def _file_ignored(project: Project, diagnosis: Diagnosis, filters: Filters) -> bool:
    if not diagnosis.file or not filters.per_file_ignores:
        return False
    absolute = (project.base / diagnosis.file).resolve()
    names = {diagnosis.file, absolute.name}
    if filters.config_dir is not None and absolute.is_relative_to(filters.config_dir.resolve()):
        names.add(absolute.relative_to(filters.config_dir.resolve()).as_posix())
    return any(matches(diagnosis, codes) and any(fnmatch(name, glob) for name in names)
               for glob, codes in filters.per_file_ignores.items())


def filter_diagnoses(project: Project, diagnoses: list[Diagnosis],
                     filters: Filters) -> tuple[list[Diagnosis], list[Diagnosis]]:
    """(kept, suppressed)."""
    kept, suppressed = [], []
    cache: dict[str, str] = {}
    for diagnosis in diagnoses:
        dropped = ((filters.select and not matches(diagnosis, filters.select))
                   or matches(diagnosis, filters.ignore)
                   or _file_ignored(project, diagnosis, filters)
                   or _inline_suppressed(project, diagnosis, cache))
        (suppressed if dropped else kept).append(diagnosis)
    return kept, suppressed
