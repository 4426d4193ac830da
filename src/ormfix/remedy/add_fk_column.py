"""add-fk-column: add the missing foreign-key column, typed like the referenced primary key."""

from __future__ import annotations

from functools import partial

from ormfix.codemods import add_fk_column as codemod

from ..discover import Project
from ..findings import Diagnosis, Fix
from .base import build_fix, holder_table, not_applicable

STRATEGY = "add-fk-column"


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    facts = diagnosis.context
    if facts.get("secondary"):
        return not_applicable(STRATEGY, "this is a many-to-many relationship: the ForeignKeys belong in the "
                                        "association table, which add-fk-column does not edit")
    if "holder" not in facts:
        return not_applicable(STRATEGY, "cannot find both classes of the relationship in the project's files")
    if "existing_column" in facts:
        return not_applicable(STRATEGY, f"{facts['holder']}.{facts['existing_column']} already exists without a "
                                        "ForeignKey; use --strategy=foreign-keys")
    if "misspelled_fk" in facts:
        bad = facts["misspelled_fk"]
        return not_applicable(STRATEGY, f"{facts['holder']}.{bad['column']} already references "
                                        f"{bad['target']!r}, a misspelled table: fix that ForeignKey's target instead")
    holder = project.index.find_class(facts["holder"], facts.get("holder_module"))
    referenced = project.index.find_class(facts["referenced"])
    pks = referenced.primary_keys if referenced else []
    column = facts["column"]
    if len(pks) != 1:
        what = "a composite primary key" if pks else "no primary key ormfix can read"
        cols = ", ".join(pk.column_name or pk.attribute for pk in pks)
        return not_applicable(
            STRATEGY,
            f"{facts['referenced']} has {what}{f' ({cols})' if cols else ''}: a ForeignKey to it needs one column "
            f"per key column and a ForeignKeyConstraint; add them to {facts['holder']} by hand",
            summary=f"Display only: {facts['holder']} needs columns referencing every primary key column of "
                    f"{facts['referenced']} ({cols}), joined by a ForeignKeyConstraint.")
    pk = pks[0]
    target = f"{facts['referenced_table']}.{pk.column_name or pk.attribute}"
    type_name = pk.type_name or "Integer"
    step = partial(codemod.apply, class_name=holder.name, column_name=column, target=target,
                   type_name=type_name, type_args=pk.type_args if type_name != "String" or pk.type_args else "",
                   type_module=pk.type_module, python_type=pk.python_type or "int", nullable=True,
                   reference=f"{referenced.name}.{pk.attribute}",
                   dataclass=project.index.inherits(holder, "MappedAsDataclass"),
                   type_implied=pk.type_from_annotation)
    summary = (f"Add {holder.name}.{column} ({type_name}, ForeignKey('{target}'), nullable) so "
               f"{diagnosis.class_name}.{diagnosis.attribute} can join; the database needs a migration adding the column.")
    fix = build_fix(project, STRATEGY, summary, "safe", [(holder.file, step)], schema_change=True)
    if fix.applies:
        fix.column = {"table": holder_table(holder, diagnosis), "name": column, "type": type_name,
                      "type_args": pk.type_args, "type_module": pk.type_module, "references": target,
                      "nullable": True}
    return fix
