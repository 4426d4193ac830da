"""overlaps: declare an intended overlap with overlaps="..." (keeps today's behaviour, silences the warning)."""

from __future__ import annotations

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from ._keyword_fix import keyword_fix
from .base import not_applicable

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    value = diagnosis.context.get("overlaps")
    if not value:
        return not_applicable(STRATEGY, "SQLAlchemy named no overlapping relationship")
    summary = (
        f"Add overlaps={value!r} to {diagnosis.class_name}.{diagnosis.attribute}: declares the overlap "
        "with " + ", ".join(diagnosis.context.get("conflicts") or [value]) + " as intended (behaviour unchanged)"
    )
    return keyword_fix(project, diagnosis, STRATEGY, summary, "overlaps", text=value)
