"""add-column-type: ``settings: Mapped[dict] = mapped_column()`` -> ``mapped_column(JSON)``."""

from __future__ import annotations

from functools import partial

from ormfix.codemods import add_column_type as codemod

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from .base import build_fix, class_attribute, not_applicable

STRATEGY = strategy_of(__name__)

# Python types SQLAlchemy has no column type for, that a JSON column holds as they are
JSON_SHAPED = {"dict", "Dict", "list", "List", "Any", "Mapping", "MutableMapping", "Sequence"}


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    facts = diagnosis.context
    name, file, attribute = class_attribute(diagnosis)
    if facts.get("form") != "no-column-type":
        return not_applicable(STRATEGY, "the annotation is not a Mapped[] of a Python type without a column type")
    if not name or not file or not attribute:
        return not_applicable(STRATEGY, "cannot find the annotated attribute in the project's files")
    python_type = facts.get("python_type") or "?"
    if python_type.split("[", 1)[0].rsplit(".", 1)[-1] not in JSON_SHAPED:
        return not_applicable(
            STRATEGY,
            f"no column type is known to hold {python_type}: pass one to mapped_column() "
            f"or add {python_type} to the base's type_annotation_map",
        )
    summary = (
        f"Store {name}.{attribute} ({python_type}) in a JSON column: mapped_column(JSON) (a choice of "
        "database type: check it, e.g. JSONB on PostgreSQL, and that an existing column holds JSON)."
    )
    return build_fix(
        project, STRATEGY, summary, "unsafe", [(file, partial(codemod.apply, class_name=name, attribute=attribute))]
    )
