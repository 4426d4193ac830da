"""foreign-keys: say which column joins (foreign_keys=), adding the ForeignKey where the column lacks it."""

from __future__ import annotations

from functools import partial

from ormfix.codemods import foreign_keys as codemod
from ormfix.codemods import relationship_arg

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from .base import (
    NO_STATEMENT,
    Transform,
    build_fix,
    holder_table,
    not_applicable,
    statement_of,
)

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    if diagnosis.code == "ORM003":
        return _ambiguous(diagnosis, project)
    if diagnosis.code == "ORM001":
        return _column_without_fk(diagnosis, project)
    if diagnosis.code == "ORM022":
        return _primaryjoin(diagnosis, project)
    return not_applicable(STRATEGY, f"does not apply to {diagnosis.code}")


def _relationship_step(
    diagnosis: Diagnosis, project: Project, holder: str, column: str
) -> tuple[str, Transform] | None:
    """foreign_keys="holder.column" on the diagnosis's relationship (None: the diagnosis names none)."""
    statement = statement_of(project, diagnosis)
    if statement is None:
        return None
    rel_file, rel_class, attribute = statement
    value = f'"{holder}.{column}"'
    return rel_file, partial(
        codemod.add_foreign_keys_arg,
        class_name=rel_class,
        attribute=attribute,
        foreign_keys=value,
    )


def _ambiguous(diagnosis: Diagnosis, project: Project) -> Fix:
    facts = diagnosis.context
    columns = facts.get("columns") or []
    if not columns or not diagnosis.class_name:
        return not_applicable(STRATEGY, "cannot find the candidate ForeignKey columns in the project's files")
    holder, column = facts["holder"], columns[0]
    sure = facts.get("name_match") or len(columns) == 1
    summary = f'Add foreign_keys="{holder}.{column}" to {diagnosis.class_name}.{diagnosis.attribute}' + (
        "" if sure else f" (a guess among {', '.join(columns)}: check it is the column you meant)"
    )
    step = _relationship_step(diagnosis, project, holder, column)
    if step is None or diagnosis.attribute is None:
        return not_applicable(STRATEGY, NO_STATEMENT)
    steps = [step]
    pair = facts.get("pair")
    if pair:  # the child's many-to-one over the same column: one link, not two overlapping relationships
        steps += [
            (
                step[0],  # the relationship's file
                partial(
                    relationship_arg.apply,
                    class_name=diagnosis.class_name,
                    attribute=diagnosis.attribute,
                    keyword="back_populates",
                    text=pair["attribute"],
                ),
            ),
            (
                pair["file"],
                partial(
                    relationship_arg.apply,
                    class_name=pair["class"],
                    attribute=pair["attribute"],
                    keyword="back_populates",
                    text=diagnosis.attribute,
                ),
            ),
        ]
        summary += (
            f", the column {pair['class']}.{pair['attribute']} joins on, and link the two with "
            f"back_populates on both sides (otherwise they overlap)"
        )
    return build_fix(project, STRATEGY, summary, "safe" if sure else "unsafe", steps)


def _primaryjoin(diagnosis: Diagnosis, project: Project) -> Fix:
    """A primaryjoin= without ForeignKey: foreign_keys= names its referencing column."""
    facts = diagnosis.context
    if "holder" not in facts:
        return not_applicable(STRATEGY, facts.get("undecided", "cannot tell which column of the join holds the key"))
    summary = (
        f'Add foreign_keys="{facts["holder"]}.{facts["column"]}" to {diagnosis.class_name}.'
        f"{diagnosis.attribute}: the primaryjoin's column that points at {facts['referenced']}"
    )
    step = _relationship_step(diagnosis, project, facts["holder"], facts["column"])
    if step is None:
        return not_applicable(STRATEGY, NO_STATEMENT)
    return build_fix(project, STRATEGY, summary, "safe", [step])


def _column_without_fk(diagnosis: Diagnosis, project: Project) -> Fix:
    facts = diagnosis.context
    if "existing_column" not in facts:
        holder = facts.get("holder", "the target class")
        return not_applicable(
            STRATEGY,
            f"{holder} has no column to name in foreign_keys= "
            f"(no {facts.get('column', '..._id')}); use --strategy=add-fk-column",
        )
    holder_cls = project.index.find_class(facts["holder"], facts.get("holder_module"))
    if holder_cls is None:  # the code found it when it named it
        return not_applicable(STRATEGY, f"cannot find the class {facts['holder']} in the project's files")
    referenced = project.index.find_class(facts["referenced"])
    pks = referenced.primary_keys if referenced else []
    if len(pks) != 1:
        return not_applicable(STRATEGY, f"{facts['referenced']} has no single-column primary key to reference")
    column = facts["existing_column"]
    target = f"{facts['referenced_table']}.{pks[0].column_name or pks[0].attribute}"
    step = _relationship_step(diagnosis, project, holder_cls.name, column)
    if step is None:
        return not_applicable(STRATEGY, NO_STATEMENT)
    steps: list[tuple[str, Transform]] = [
        (
            holder_cls.file,
            partial(codemod.add_foreign_key_to_column, class_name=holder_cls.name, column_name=column, target=target),
        ),
        step,
    ]
    summary = (
        f"Add ForeignKey('{target}') to {holder_cls.name}.{column} and name it in "
        f"{diagnosis.class_name}.{diagnosis.attribute}'s foreign_keys=; the database needs the "
        "foreign key constraint too."
    )
    fix = build_fix(project, STRATEGY, summary, "safe", steps, schema_change=True)
    if fix.applies:  # the column exists: the database needs only the foreign key constraint
        fix.column = {
            "table": holder_table(holder_cls, diagnosis),
            "name": column,
            "references": target,
            "exists": True,
        }
    return fix
