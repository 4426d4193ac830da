"""lazy-select: a many-to-one (or uselist=False) relationship cannot be lazy="dynamic"; load it normally."""

from __future__ import annotations

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from ._keyword_fix import keyword_fix

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    summary = (
        f'Set lazy="select" on {diagnosis.class_name}.{diagnosis.attribute}: it holds one object, '
        "which loads on first access (no query object to call .filter() on)"
    )
    return keyword_fix(project, diagnosis, STRATEGY, summary, "lazy", text="select")
