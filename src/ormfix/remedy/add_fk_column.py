"""add-fk-column: add the missing foreign-key column, typed like the referenced primary key."""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

from ormfix.codemods import add_fk_column as codemod

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..history import statement_in_head
from ..index import ClassInfo
from ..remedies import strategy_of
from .base import build_fix, holder_table, not_applicable

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    facts = diagnosis.context
    if facts.get("secondary"):
        return not_applicable(
            STRATEGY,
            "this is a many-to-many relationship: the ForeignKeys belong in the "
            "association table, which add-fk-column does not edit",
        )
    if "holder" not in facts:
        return not_applicable(STRATEGY, "cannot find both classes of the relationship in the project's files")
    if "existing_column" in facts:
        return not_applicable(
            STRATEGY,
            f"{facts['holder']}.{facts['existing_column']} already exists without a "
            "ForeignKey; use --strategy=foreign-keys",
        )
    if "misspelled_fk" in facts:
        bad = facts["misspelled_fk"]
        return not_applicable(
            STRATEGY,
            f"{facts['holder']}.{bad['column']} already references "
            f"{bad['target']!r}, a misspelled table: fix that ForeignKey's target instead",
        )
    holder = project.index.find_class(facts["holder"], facts.get("holder_module"))
    referenced = project.index.find_class(facts["referenced"])
    pks = referenced.primary_keys if referenced else []
    column = facts["column"]
    if len(pks) != 1 or referenced is None:
        what = "a composite primary key" if pks else "no primary key ormfix can read"
        cols = ", ".join(pk.column_name or pk.attribute for pk in pks)
        return not_applicable(
            STRATEGY,
            f"{facts['referenced']} has {what}{f' ({cols})' if cols else ''}: a ForeignKey to it needs one column "
            f"per key column and a ForeignKeyConstraint; add them to {facts['holder']} by hand",
            summary=f"Display only: {facts['holder']} needs columns referencing every primary key column of "
            f"{facts['referenced']} ({cols}), joined by a ForeignKeyConstraint.",
        )
    if holder is None:  # the code found it when it named it
        return not_applicable(STRATEGY, f"cannot find the class {facts['holder']} in the project's files")
    pk = pks[0]
    target = f"{facts['referenced_table']}.{pk.column_name or pk.attribute}"
    type_name = pk.type_name or "Integer"
    restore, not_null = _as_it_was(project, holder, column, target)
    ondelete, index, meant_not_null, evidence = _evidence(holder, column, referenced)
    step = partial(
        codemod.apply,
        class_name=holder.name,
        column_name=column,
        target=target,
        type_name=type_name,
        type_args=pk.type_args if type_name != "String" or pk.type_args else "",
        type_module=pk.type_module,
        python_type=pk.python_type or "int",
        nullable=True,
        restore=restore,
        reference=f"{referenced.name}.{pk.attribute}",
        dataclass=project.index.inherits(holder, "MappedAsDataclass"),
        type_implied=pk.type_from_annotation,
        ondelete=None if restore else ondelete,
        index=bool(index and not restore),
    )
    how = "as the repository's HEAD has it" if restore else f"{type_name}, ForeignKey('{target}'), nullable"
    if evidence and not restore:
        how += "; " + ", ".join(evidence)
    joins = f"{diagnosis.class_name}.{diagnosis.attribute or facts.get('relationship')}"
    summary = (
        f"Add {holder.name}.{column} ({how}) so {joins} can join; the database needs a migration adding the column."
    )
    if meant_not_null and not restore:
        summary += (
            f" {holder.name}'s relationship to {referenced.name} is annotated as never None, so the column "
            "is meant NOT NULL: it is added nullable, since existing rows have no value; backfill them, "
            "then make it NOT NULL (nullable=False) with a second migration."
        )
    if not_null:
        summary += (
            " It was NOT NULL: it is added nullable, since existing rows have no value; backfill them, then "
            "make it NOT NULL (nullable=False) with a second migration."
        )
    fix = build_fix(project, STRATEGY, summary, "safe", [(holder.file, step)], schema_change=True)
    if fix.applies:
        fix.column = {
            "table": holder_table(holder, diagnosis),
            "name": column,
            "type": type_name,
            "type_args": pk.type_args,
            "type_module": pk.type_module,
            "references": target,
            "nullable": True,
        }
        if ondelete and not restore:  # only what the evidence shows: the column's record keeps its shape
            fix.column["ondelete"] = ondelete
        if index and not restore:
            fix.column["index"] = True
    return fix


def _evidence(holder: ClassInfo, column: str, referenced: ClassInfo | None) -> tuple[str | None, bool, bool, list[str]]:
    """What the class's other foreign keys and its relationship to the referenced class say the new column
    is: (ondelete, index, meant NOT NULL, the evidence in words)."""
    others = [
        c
        for c in holder.columns.values()  # the class's own: a mixin's columns follow the mixin's conventions
        if (c.foreign_keys or c.foreign_key_refs)
        and c.attribute != column
        and not c.primary_key
        and not c.linked
        and c.defined_in is None
    ]
    ondeletes = {c.ondelete for c in others}
    ondelete = ondeletes.pop() if len(ondeletes) == 1 and None not in ondeletes else None
    index = bool(others) and all(c.indexed for c in others)
    evidence: list[str] = []
    if ondelete:
        evidence.append(f"ondelete={ondelete!r} like its other foreign keys")
    if index:
        evidence.append("index=True like its other foreign keys")
    twin = next(
        (
            r
            for r in holder.relationships.values()
            if referenced is not None
            and (r.target or "").rsplit(".", 1)[-1] == referenced.name
            and r.collection is False
            and r.annotation
        ),
        None,
    )
    meant_not_null = twin is not None and not re.search(r"\bOptional\b|\bNone\b", twin.annotation)
    return ondelete, index, meant_not_null, evidence


_NOT_NULL = re.compile(r"\bnullable\s*=\s*False\b")


def _as_it_was(project: Project, holder: ClassInfo, column: str, target: str) -> tuple[str, bool]:
    """(the column's statement as git's HEAD has it, or ""; whether it was NOT NULL). A NOT NULL column
    without a server_default comes back nullable: a table with rows cannot take it otherwise."""
    path = project.files.get(holder.file, (project.base / holder.file, None))[0]
    line = statement_in_head(Path(path), holder.name, column)
    if not line or target not in line:
        return "", False
    if _NOT_NULL.search(line) and "server_default" not in line:
        return _NOT_NULL.sub("nullable=True", line, count=1), True
    return line, False
