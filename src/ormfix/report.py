"""The record a run produces: what the CLI renders (formats/), the Python API returns and the pytest plugin
reads. It sits below the pipeline that fills it and the formats that render it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .config import Settings
from .discover import Project
from .findings import Diagnosis, Fix
from .probe.runner import ProbeResult
from .suppress import Filters, Suppression, filter_diagnoses


@dataclass
class Report:
    project: Project
    diagnoses: list[Diagnosis]
    probe: ProbeResult
    probes: int = 1
    seconds: float = 0.0
    applied: list[tuple[Diagnosis, Fix]] = field(default_factory=list)
    remaining: list[Diagnosis] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    refused: str = ""
    settings: Settings = field(default_factory=Settings)
    filters: Filters = field(default_factory=Filters)
    suppressed: list[Diagnosis] = field(default_factory=list)
    migration: dict[str, Any] | None = None  # what apply wrote (an Alembic revision) or shows (SQL) for new columns
    declined: list[tuple[Diagnosis, Fix]] = field(default_factory=list)  # skipped in apply --interactive
    comments: dict[str, dict[int, Suppression]] = field(
        default_factory=dict
    )  # the inline suppressions read once (suppress.inline_suppressions)
    suppressed_left: list[Diagnosis] = field(default_factory=list)  # apply: errors left that the filters hide
    diff: str = ""  # apply: the unified diff of what it writes (or would write, with --dry-run / --diff)

    def keep(self, diagnoses: list[Diagnosis]) -> list[Diagnosis]:
        """The diagnoses that select / ignore / per-file-ignores / inline comments let through, in order."""
        return sorted(
            filter_diagnoses(self.project, diagnoses, self.filters, self.comments)[0], key=lambda d: d.sort_key
        )

    @property
    def suppressed_errors(self) -> list[Diagnosis]:
        return [d for d in self.suppressed if d.severity == "error"]

    @property
    def mapped_classes(self) -> int:
        """Classes the probe saw mapped (0 with a --models module that maps nothing)."""
        return len(self.probe.classes)
