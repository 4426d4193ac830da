"""annotate-foreign: wrap the referencing column of a primaryjoin= in foreign() (ORM022)."""

from __future__ import annotations

from functools import partial

from ormfix.codemods import annotate_foreign as codemod

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from .base import NO_STATEMENT, build_fix, not_applicable, statement_of

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    facts = diagnosis.context
    if "holder" not in facts:
        return not_applicable(STRATEGY, facts.get("undecided", "cannot tell which column of the join holds the key"))
    column = f"{facts['holder']}.{facts['column']}"
    statement = statement_of(project, diagnosis)
    if statement is None:
        return not_applicable(STRATEGY, NO_STATEMENT)
    rel_file, rel_class, attribute = statement
    step = partial(codemod.apply, class_name=rel_class, attribute=attribute, column=column)
    summary = (
        f"Write foreign({column}) in {diagnosis.class_name}.{diagnosis.attribute}'s primaryjoin: "
        f"{column} is the column that points at {facts['referenced']}"
    )
    return build_fix(project, STRATEGY, summary, "safe", [(rel_file, step)])
