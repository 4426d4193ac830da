"""qualify-class-path: name a relationship's target by its module-qualified path, chosen by the foreign keys."""

from __future__ import annotations

from functools import partial

from ormfix.codemods import rename_target as codemod

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from .base import NO_STATEMENT, build_fix, not_applicable, statement_of

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    facts = diagnosis.context
    path, qualified = facts.get("path"), facts.get("qualified")
    if not path or not diagnosis.attribute:
        return not_applicable(STRATEGY, "the relationship's target is not known")
    if not qualified:
        listed = ", ".join(facts.get("classes") or [])
        return not_applicable(
            STRATEGY,
            f"the foreign keys do not single out one of {listed or 'the classes'}: "
            "write the module-qualified path by hand (or rename one class)",
        )
    statement = statement_of(project, diagnosis)
    if statement is None:
        return not_applicable(STRATEGY, NO_STATEMENT)
    rel_file, rel_class, attribute = statement
    step = partial(
        codemod.apply,
        class_name=rel_class,
        attribute=attribute,
        old=path.rsplit(".", 1)[-1],
        new=qualified,
        whole=True,
    )
    summary = f"Point {diagnosis.class_name}.{diagnosis.attribute} at {qualified!r}: the {path} its foreign keys join."
    return build_fix(project, STRATEGY, summary, "safe", [(rel_file, step)])
