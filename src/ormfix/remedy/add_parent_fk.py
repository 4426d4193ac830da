"""add-parent-fk: a joined-table subclass's primary key gets ForeignKey to the parent's key (added if missing)."""

from __future__ import annotations

from functools import partial

from ormfix.codemods import add_parent_fk as codemod

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from .base import build_fix, not_applicable

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    facts = diagnosis.context
    name, file, key = diagnosis.class_name, facts.get("class_file") or diagnosis.file, facts.get("parent_key")
    if not name or not file:
        return not_applicable(STRATEGY, "cannot find the subclass statement in the project's files")
    if key is None:
        return not_applicable(
            STRATEGY,
            f"the parent table {facts.get('parent_table')!r} has no single primary key "
            "column ormfix can read (composite, or declared elsewhere)",
        )
    child_keys = facts.get("child_keys", [])
    if len(child_keys) > 1:
        return not_applicable(
            STRATEGY,
            f"{name} has several primary key columns ({', '.join(child_keys)}): "
            "which one references the parent is for a person to decide",
        )
    target = f"{facts['parent_table']}.{key['column']}"
    column = child_keys[0] if child_keys else key["attribute"]
    what = (
        f"Add ForeignKey('{target}') to {name}.{column}"
        if child_keys
        else f"Add the key column {name}.{column} ({key['type_name']}, ForeignKey('{target}'), primary_key)"
    )
    summary = f"{what}, so each {name} row joins its parent row; the database needs a migration."
    step = partial(
        codemod.apply,
        class_name=name,
        target=target,
        column_name=column,
        type_name=key["type_name"],
        type_args=key["type_args"],
        type_module=key["type_module"],
        python_type=key["python_type"],
    )
    return build_fix(project, STRATEGY, summary, "safe", [(file, step)], schema_change=True)
