"""add-tablename: give a declarative class without a table the snake_case plural of its name."""

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
    name, file, tablename = diagnosis.class_name, facts.get("class_file") or diagnosis.file, facts.get("tablename")
    if not name or not file or not tablename:
        return not_applicable(STRATEGY, "cannot find the class statement in the project's files")
    if facts.get("taken_by"):
        return not_applicable(
            STRATEGY,
            f"table {tablename!r} is already mapped by {facts['taken_by']}: choose {name}'s table name by hand",
        )
    summary = (
        f"Add __tablename__ = {tablename!r} to {name} (a guess from the class name: use the "
        "existing table's name if the database already has it under another one)."
    )
    return build_fix(
        project,
        STRATEGY,
        summary,
        "unsafe",
        [(file, partial(codemod.apply, class_name=name, tablename=tablename))],
        schema_change=True,
    )
