"""The records that flow through the pipeline: diagnoses and the fixes proposed for them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


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
    applicability: str  # "safe" | "unsafe" | "display-only"
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
        if self.verification:
            data["verification"] = self.verification
        if self.roundtrip:
            data["roundtrip"] = self.roundtrip
        if self.not_applicable:
            data["not_applicable"] = self.not_applicable
        if self.column:
            data["column"] = self.column
        if self.migration:
            data["migration"] = self.migration
        return data


@dataclass
class Diagnosis:
    """One root cause, at one place in the user's code."""

    code: str
    name: str
    severity: str  # "error" | "warning"
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

    @property
    def key(self) -> tuple:
        return (self.code, self.file, self.class_name, self.attribute, self.line)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "class": self.class_name,
            "attribute": self.attribute,
            "target": self.target,
            "sqlalchemy_error": self.sqlalchemy_error,
            "why": self.why,
            "fixes": [fix.to_json() for fix in self.fixes],
        }
