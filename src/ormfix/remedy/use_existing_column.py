"""use-existing-column: a single-table subclass column the shared table already has maps that column.

``level = mapped_column(Integer)`` -> ``mapped_column(Integer, use_existing_column=True)``; a ``Column()``
(no such keyword) becomes a ``@declared_attr`` returning ``Parent.__table__.c.get("level", Column(...))``.
"""

from __future__ import annotations

from functools import partial

from ormfix.codemods import use_existing_column as codemod
from ormfix.codemods import wrap_in_declared_attr

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from .base import build_fix, class_attribute, not_applicable

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    name, file, attribute = class_attribute(diagnosis)
    if not name or not file or not attribute:
        return not_applicable(STRATEGY, "cannot find the subclass statement in the project's files")
    cls = project.index.find_class(name, diagnosis.context.get("class_module"))
    column = cls.columns.get(attribute) if cls else None
    if cls is None or column is None or not cls.bases:
        return not_applicable(STRATEGY, f"cannot find {name}.{attribute} as a column in the project's files")
    same = diagnosis.context.get("same_type")
    table = diagnosis.context.get("table")
    column_name = column.column_name or attribute
    caveat = "." if same else ": the declarations differ in type, and the first one's definition wins: check it."
    if column.call.rsplit(".", 1)[-1] == "mapped_column":
        step = partial(codemod.apply, class_name=name, attribute=attribute)
        summary = f"Let {name}.{attribute} map the existing column {table}.{column_name} (use_existing_column=True)"
    else:
        holder = cls.bases[0]
        step = partial(
            wrap_in_declared_attr.apply, class_name=name, attribute=attribute, existing_in=holder, column=column_name
        )
        summary = (
            f"Make {name}.{attribute} a @declared_attr returning {holder}.__table__.c.get({column_name!r}, ...): "
            f"the existing column {table}.{column_name} when the table has it (SQLAlchemy's recipe for "
            f"Column())"
        )
    return build_fix(project, STRATEGY, summary + caveat, "safe" if same else "unsafe", [(file, step)])
