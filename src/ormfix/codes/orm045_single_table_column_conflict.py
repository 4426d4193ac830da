"""ORM045 single-table-column-conflict: a single-table-inheritance subclass declares a column the shared table has."""

from __future__ import annotations

import re

from ..index import ClassInfo, ProjectIndex
from ..probe.events import ProbeEvent
from ._class_level import class_context, event_class, where
from .base import Code, Explanation

DOC = """\
## What it is
In single-table inheritance every subclass maps the parent's table. A subclass declares a column
that table already has: the parent's own column (`Manager.name` while `Employee.name` exists), or,
most often, one a sibling subclass declared first (`Engineer.level` and `Manager.level`). The class
statement raises `ArgumentError: Column 'level' on class Manager conflicts with existing column
'employees.level'. If using Declarative, consider using the use_existing_column parameter of
mapped_column() to resolve conflicts.`

## Why it breaks
The error is raised by the class statement, at import: the module stops there, the class and every
class after it in the module never exist, and the application does not start.

## Example
```python
class Employee(Base):
    __tablename__ = "employees"
    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str]
    __mapper_args__ = {"polymorphic_on": "type", "polymorphic_identity": "employee"}

class Engineer(Employee):
    level: Mapped[int | None] = mapped_column(Integer)
    __mapper_args__ = {"polymorphic_identity": "engineer"}

class Manager(Employee):
    level: Mapped[int | None] = mapped_column(Integer)  # ORM045: employees.level exists already
    __mapper_args__ = {"polymorphic_identity": "manager"}
```

## Fixes
- `use-existing-column` (safe when every declaration of the column has the same type, else unsafe:
  the first declaration's definition wins): what the error message and SQLAlchemy's inheritance docs
  advise, `mapped_column(Integer, use_existing_column=True)`, so the subclass maps the table's
  existing column. `Column()` / `db.Column()` have no such keyword: the declaration becomes the docs'
  recipe for them, a `@declared_attr` returning the table's column when it has one:
  `def level(cls): return Employee.__table__.c.get("level", Column(Integer))`.
"""

_CONFLICT = re.compile(
    r"Column '(?P<column>\w+)' on class (?P<cls>\w+) conflicts with existing column "
    r"'(?P<table>[\w.]+)\.(?P=column)'"
)


def _matches(event: ProbeEvent) -> bool:
    return event.get("module", "").startswith("sqlalchemy") and bool(_CONFLICT.search(event.get("message", "")))


def _family(index: ProjectIndex, table: str) -> list[ClassInfo]:
    """The classes mapping ``table``: the class naming it and, transitively, the subclasses without a table."""
    root = index.class_for_table(table.rsplit(".", 1)[-1])
    if root is None:
        return []
    family, names, grew = [root], {root.name}, True
    while grew:
        grew = False
        for cls in index.classes():
            if (
                cls.name not in names
                and any(base.rsplit(".", 1)[-1] in names for base in cls.bases)
                and not cls.tablename_explicit
            ):
                family.append(cls)
                names.add(cls.name)
                grew = True
    return family


def _declarations(index: ProjectIndex, table: str, column: str) -> list[tuple[ClassInfo, str]]:
    """(class, type as written) of every class of the table's family declaring ``column``."""
    found = []
    for cls in _family(index, table):
        for col in cls.columns.values():
            if (col.column_name or col.attribute) == column:
                found.append((cls, f"{col.type_name}({col.type_args})"))
    return found


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    match = _CONFLICT.search(event.get("message", ""))
    column, table = (match["column"], match["table"]) if match else ("?", "?")
    cls = event_class(event, index)
    declared = _declarations(index, table, column)
    others = [c.name for c, _ in declared if cls is None or c.name != cls.name]
    same_type = len({kind for _, kind in declared}) == 1
    attribute = next(
        (
            col.attribute
            for col in (cls.columns.values() if cls else [])
            if (col.column_name or col.attribute) == column
        ),
        column,
    )
    context = dict(
        class_context(cls),
        attribute=attribute,
        table=table,
        same_type=same_type,
        declared_by=others,
        **({"class_line": cls.line} if cls else {}),
    )
    line = cls.columns[attribute].line if cls and attribute in cls.columns else None
    spot = (
        f"{cls.name}.{attribute} ({cls.file}:{line})" if cls and line else f"column {column!r} of {where(cls, event)}"
    )
    first = f" (declared by {', '.join(others)})" if others else ""
    mapped = bool(cls and attribute in cls.columns and cls.columns[attribute].call.endswith("mapped_column"))
    holder = cls.bases[0] if cls and cls.bases else "Parent"
    fix = (
        "reuse the column with mapped_column(..., use_existing_column=True)"
        if mapped
        else f"reuse it with a @declared_attr returning {holder}.__table__.c.get({column!r}, Column(...)) "
        "(use_existing_column= is a mapped_column() keyword)"
    )
    return Explanation(
        message=(
            f"{spot} declares column {column!r}, which the single-table-inheritance table {table!r} already has"
            f"{first}: the class statement raises and the models do not import; {fix}."
        ),
        why=(
            "Single-table inheritance maps every subclass on the parent's table, so a subclass column is added "
            "to that table; a second column of the same name cannot be, and SQLAlchemy refuses the class."
        ),
        context=context,
    )


CODE = Code(
    code="ORM045",
    name="single-table-column-conflict",
    severity="error",
    summary="single-table-inheritance subclass declares a column the shared table already has",
    doc=DOC,
    remedies=("use-existing-column",),
    matches=_matches,
    explain=_explain,
)


# Run as tests (tests/test_code_examples.py): each source is a whole models.py; the DOC's example appears in it.
_INVALID = """\
from typing import Optional

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Employee(Base):
    __tablename__ = "employees"
    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str]
    __mapper_args__ = {"polymorphic_on": "type", "polymorphic_identity": "employee"}

class Engineer(Employee):
    level: Mapped[int | None] = mapped_column(Integer)
    __mapper_args__ = {"polymorphic_identity": "engineer"}

class Manager(Employee):
    level: Mapped[int | None] = mapped_column(Integer)  # ORM045: employees.level exists already
    __mapper_args__ = {"polymorphic_identity": "manager"}
"""
_FIXED = _INVALID.replace(
    "    level: Mapped[int | None] = mapped_column(Integer)  # ORM045: employees.level exists already\n",
    "    level: Mapped[int | None] = mapped_column(Integer, use_existing_column=True)  # ORM045: employees.level exists already\n",
)
EXAMPLES = {
    "invalid": [
        {
            "source": _INVALID,
            "code": "ORM045",
            "fixed": {
                "use-existing-column": _FIXED,
            },
        }
    ],
    "valid": [{"source": _FIXED}],  # the code as its first fix leaves it
}
