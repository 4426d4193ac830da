"""add-primary-key: give a mapped class without a primary key an integer ``id`` key column."""

from __future__ import annotations

from functools import partial

from ormfix.codemods import add_primary_key as codemod

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from .base import build_fix, not_applicable

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    name, file = diagnosis.class_name, diagnosis.context.get("class_file") or diagnosis.file
    if not name or not file:
        return not_applicable(STRATEGY, "cannot find the class statement in the project's files")
    if diagnosis.context.get("has_id"):
        return not_applicable(
            STRATEGY,
            f"{name}.id already exists without primary_key=True: mark the column "
            "that identifies a row primary_key=True by hand",
            summary=f"Display only: mark {name}'s identifying column (probably id) primary_key=True.",
        )
    summary = (
        f"Add an integer primary key column {name}.id; the database needs a migration adding it "
        "(existing rows need values)."
    )
    return build_fix(
        project, STRATEGY, summary, "safe", [(file, partial(codemod.apply, class_name=name))], schema_change=True
    )
