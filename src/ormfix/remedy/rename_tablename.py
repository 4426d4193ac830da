"""rename-tablename: give the later of two classes sharing a ``__tablename__`` a table of its own."""

from __future__ import annotations

from functools import partial

from ormfix.codemods import add_tablename as codemod

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from .base import build_fix, not_applicable

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    facts = diagnosis.context
    name, file, table = diagnosis.class_name, facts.get("class_file") or diagnosis.file, facts.get("table")
    if not name or not file:
        return not_applicable(STRATEGY, "cannot find the class statement in the project's files")
    if facts.get("same_class"):
        return not_applicable(
            STRATEGY, f"{name} is defined twice: import its module under one name only (or delete the copy)"
        )
    if not facts.get("tablename"):
        return not_applicable(STRATEGY, f"no free table name to suggest for {name}: choose one by hand")
    new = facts["tablename"]
    summary = (
        f"Rename {name}'s table from {table!r} (already mapped by {facts.get('first_class', 'another class')}) "
        f"to {new!r} (a guess from the class name; the database needs that table)."
    )
    return build_fix(
        project,
        STRATEGY,
        summary,
        "unsafe",
        [(file, partial(codemod.apply, class_name=name, tablename=new, replace=True))],
        schema_change=True,
    )
