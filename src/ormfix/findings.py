"""The records that flow through the pipeline: diagnoses and the fixes proposed for them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from .probe.events import ProbeEvent

Severity = Literal["error", "warning"]
# safe: `apply` writes it; unsafe: only with --unsafe-fixes; display-only: shown, never written
Applicability = Literal["safe", "unsafe", "display-only"]
ErrorSource = Literal["sqlalchemy", "python", "probe"]  # whose words a diagnosis's sqlalchemy_error holds


@dataclass
class FileEdit:
    """One file's content before and after a fix (paths relative to the project PATH).

    ``transforms`` rewrite the file's text (LibCST codemods); they are kept so that several fixes
    can be composed on one file (verification in batches, ``apply --strategy=auto``).
    """

    path: str
    before: str
    after: str
    transforms: list[Callable[[str], str]] = field(default_factory=list)

    def replay(self, text: str) -> str:
        """This edit's codemods run on ``text`` (the file as other fixes left it)."""
        for transform in self.transforms:
            text = transform(text)
        return text


@dataclass
class Fix:
    """A remedy applied to a diagnosis: the edits it makes and what verification said."""

    strategy: str
    summary: str
    applicability: Applicability
    schema_change: bool = False
    edits: list[FileEdit] = field(default_factory=list)
    verified: bool | None = None  # None: not verified (yet, or --no-verify)
    verification: str = ""  # what verification found, one line
    roundtrip: str = ""  # "passed: ...", "skipped: ...", "failed: ..." or ""
    diff: str = ""
    not_applicable: str = ""  # a reason when the remedy cannot apply
    # a column the fix adds: {"table", "name", "type", "type_args", "type_module", "references", "nullable"}
    column: dict[str, Any] | None = None
    migration: dict[str, Any] | None = None  # what the database needs (see migrations.py)

    @property
    def applies(self) -> bool:
        return not self.not_applicable and bool(self.edits)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "strategy": self.strategy,
            "applicability": self.applicability,
            "schema_change": self.schema_change,
            "verified": bool(self.verified),
            "summary": self.summary,
            "diff": self.diff,
        }
        # every key always present (null when it does not apply), so a record's keys do not vary
        data["verification"] = self.verification or None
        data["roundtrip"] = self.roundtrip or None
        data["not_applicable"] = self.not_applicable or None
        data["column"] = self.column or None
        data["migration"] = public_migration(self.migration)
        return data


def public_migration(migration: dict[str, Any] | None) -> dict[str, Any] | None:
    """A migration as machine output shows it: paths relative to the project (no absolute path)."""
    return {k: v for k, v in migration.items() if k != "absolute_path"} if migration else None


def location_json(place: dict[str, Any]) -> dict[str, Any]:
    """A related location with every key present (null when unknown)."""
    return {key: place.get(key) for key in ("file", "line", "column", "end_line", "end_column", "message")}


@dataclass
class Diagnosis:
    """One root cause, at one place in the user's code."""

    code: str
    name: str
    severity: Severity
    message: str
    file: str | None
    line: int | None
    class_name: str | None = None
    attribute: str | None = None
    target: str | None = None
    sqlalchemy_error: str = ""
    why: str = ""
    hint: str = ""
    end_line: int | None = None
    fixes: list[Fix] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)
    column: int | None = None  # 1-based, in characters, like end_column (the range's end, exclusive)
    end_column: int | None = None
    related: list[dict[str, Any]] = field(default_factory=list)  # {file, line, column, end_line, end_column, message}
    error_source: ErrorSource = "sqlalchemy"  # whose words sqlalchemy_error holds

    @property
    def event(self) -> ProbeEvent:
        """The probe's event this diagnosis was made from (empty for one without: a hang, ORM090)."""
        event: ProbeEvent = self.context.get("event", {})
        return event

    @property
    def said_by(self) -> str:
        """The label for ``sqlalchemy_error`` in text: only SQLAlchemy's own words are "SQLAlchemy said"."""
        return {"sqlalchemy": "SQLAlchemy", "python": "Python", "probe": "The probe"}.get(self.error_source, "Python")

    @property
    def sort_key(self) -> tuple[bool, str, int, int, str, str, str, str]:
        """Output order: by file, then line, column and code (diagnoses without a place last)."""
        return (
            self.file is None,
            self.file or "",
            self.line or 0,
            self.column or 0,
            self.code,
            self.class_name or "",
            self.attribute or "",
            self.message,
        )

    @property
    def key(self) -> tuple[str, str | None, str | None, str | None, int | None]:
        return (self.code, self.file, self.class_name, self.attribute, self.line)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": (self.end_line or self.line) if self.line else None,
            "end_column": self.end_column,
            "class": self.class_name,
            "attribute": self.attribute,
            "target": self.target,
            "sqlalchemy_error": self.sqlalchemy_error,
            "error_source": self.error_source if self.sqlalchemy_error else None,
            "why": self.why,
            "related": [location_json(r) for r in self.related],
            "fixes": [fix.to_json() for fix in self.fixes],
        }
