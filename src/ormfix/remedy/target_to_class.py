"""target-to-class: relationship("posts") names a table; point it at the class mapped to that table."""

from __future__ import annotations

from functools import partial

from ormfix.codemods import rename_target as codemod

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from .base import NO_STATEMENT, build_fix, not_applicable, statement_of

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    table, cls = diagnosis.context.get("table"), diagnosis.context.get("class_for_table")
    if not table or not cls or not diagnosis.attribute:
        return not_applicable(STRATEGY, f"no mapped class has the table {table!r}")
    statement = statement_of(project, diagnosis)
    if statement is None:
        return not_applicable(STRATEGY, NO_STATEMENT)
    rel_file, rel_class, attribute = statement
    step = partial(codemod.apply, class_name=rel_class, attribute=attribute, old=table, new=cls)
    summary = f"Point {diagnosis.class_name}.{diagnosis.attribute} at the class {cls} instead of its table {table!r}"
    return build_fix(project, STRATEGY, summary, "safe", [(rel_file, step)])
