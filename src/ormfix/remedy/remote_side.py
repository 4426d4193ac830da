"""remote-side: on a self-referential pair, mark the many-to-one side with remote_side= the primary key."""

from __future__ import annotations

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from ._keyword_fix import keyword_fix
from .base import not_applicable

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    facts = diagnosis.context
    side, pk = facts.get("many_to_one_side"), facts.get("primary_key")
    if not side or not pk:
        return not_applicable(STRATEGY, facts.get("undecided") or "cannot tell which side is the many-to-one")
    cls = project.index.find_class(diagnosis.class_name or "", facts.get("event", {}).get("class_module"))
    if cls is None:  # ORM014 found the class when it chose the side
        return not_applicable(STRATEGY, f"cannot find the class {diagnosis.class_name} in the project's files")
    rel, column = cls.relationships.get(side), cls.columns.get(pk)
    value = f"[{pk}]" if rel and column and column.line < rel.line else f'"{cls.name}.{pk}"'
    summary = (
        f"Add remote_side={value} to {cls.name}.{side}, the many-to-one side (its foreign key points "
        f"at the {pk} of another row of the same table)"
    )
    return keyword_fix(project, diagnosis, STRATEGY, summary, "remote_side", attribute=side, value=value)
