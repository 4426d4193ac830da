"""remove-trailing-comma: ``name = Column(String(50)),`` -> ``name = Column(String(50))``."""

from __future__ import annotations

from functools import partial

from ormfix.codemods import remove_trailing_comma as codemod

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from .base import build_fix, class_attribute, not_applicable

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    name, file, attribute = class_attribute(diagnosis)
    if not name or not file or not attribute:
        return not_applicable(STRATEGY, "cannot tell which class assigns the tuple (several classes do)")
    summary = (
        f"Remove the trailing comma after {name}.{attribute}, so the column is mapped; a table created "
        "without it needs a migration adding the column."
    )
    return build_fix(
        project,
        STRATEGY,
        summary,
        "safe",
        [(file, partial(codemod.apply, class_name=name, attribute=attribute))],
        schema_change=True,
    )
