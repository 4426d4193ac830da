"""annotate-foreign: wrap the referencing column of a primaryjoin= in foreign() (ORM022)."""

from __future__ import annotations

from functools import partial

from ormfix.codemods import annotate_foreign as codemod

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from .base import build_fix, not_applicable, owner_class, owner_file

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    facts = diagnosis.context
    if "holder" not in facts:
        return not_applicable(STRATEGY, facts.get("undecided", "cannot tell which column of the join holds the key"))
    column = f"{facts['holder']}.{facts['column']}"
    step = partial(
        codemod.apply, class_name=owner_class(project, diagnosis), attribute=diagnosis.attribute, column=column
    )
    summary = (
        f"Write foreign({column}) in {diagnosis.class_name}.{diagnosis.attribute}'s primaryjoin: "
        f"{column} is the column that points at {facts['referenced']}"
    )
    return build_fix(project, STRATEGY, summary, "safe", [(owner_file(project, diagnosis), step)])
