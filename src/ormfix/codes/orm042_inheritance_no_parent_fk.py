"""ORM042 inheritance-no-parent-fk: a joined-table subclass whose table has no ForeignKey to the parent's."""

from __future__ import annotations

import re
from typing import Any

from ..index import ClassInfo, ProjectIndex
from ..probe.events import ProbeEvent
from ._class_level import class_context, event_class, message_matches, where
from .base import Code, Explanation

DOC = """\
## What it is
A subclass with a table of its own (its own `__tablename__`, or with Flask-SQLAlchemy its own
primary key) is joined-table inheritance: each `Manager` row is an `employees` row plus a
`managers` row, joined on a foreign key from the subclass's primary key to the parent's. Without
that ForeignKey, the `class` statement raises `NoForeignKeysError: Can't determine the inherit
condition between inherited table 'employees' and inheriting table 'managers'; tables have no
foreign key relationships established.`

## Why it breaks
The error is raised when the module is imported: the subclass does not exist, the module stops
there, and the app fails to start.

## Example
```python
class Employee(Base):
    __tablename__ = "employees"
    id = Column(Integer, primary_key=True)

class Manager(Employee):
    __tablename__ = "managers"
    id = Column(Integer, primary_key=True)  # ORM042: no ForeignKey("employees.id")
```

## Fixes
- `add-parent-fk` (safe, schema change): add `ForeignKey("employees.id")` to the subclass's primary key
  column, or, when the subclass declares none, add `id = Column(Integer, ForeignKey("employees.id"),
  primary_key=True)` typed like the parent's key (in the class's style). The database needs a
  migration. Not offered when the parent's key is composite or not found, or the subclass has
  several key columns.
- Single-table inheritance (drop the subclass's table) is for a person to decide: it moves the
  subclass's columns into the parent's table.
"""

_INHERIT = re.compile(
    r"Can't determine the inherit condition between inherited table '(?P<parent>[^']+)' "
    r"and inheriting table '(?P<child>[^']+)'"
)

_matches = message_matches(_INHERIT.pattern)


def _parent(cls: ClassInfo | None, table: str, index: ProjectIndex) -> ClassInfo | None:
    """The mapped parent class: the base that maps ``table``, else the class mapping it."""
    if cls is not None:
        for base in cls.bases:
            found = index.find_class(base)
            if found is not None and found.tablename == table:
                return found
    return index.class_for_table(table)


def _key_facts(parent: ClassInfo | None, child: ClassInfo | None) -> dict[str, Any]:
    """What add-parent-fk needs: the parent's one key column (type, name) and the child's key attribute."""
    if parent is None or len(parent.primary_keys) != 1:
        return {}
    key = parent.primary_keys[0]
    facts: dict[str, Any] = {
        "parent_key": {
            "attribute": key.attribute,
            "column": key.column_name or key.attribute,
            "type_name": key.type_name or "Integer",
            "type_args": key.type_args,
            "type_module": key.type_module,
            "python_type": key.python_type or "int",
        }
    }
    if child is not None:
        facts["child_keys"] = [c.attribute for c in child.primary_keys]
    return facts


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    match = _INHERIT.search(event.get("message", ""))
    parent_table, child_table = (match["parent"], match["child"]) if match else ("?", "?")
    cls = event_class(event, index)
    parent = _parent(cls, parent_table, index)
    facts = _key_facts(parent, cls)
    key = facts.get("parent_key", {}).get("column", "id")
    keys = [c for c in (cls.primary_keys if cls else [])]
    if cls is not None and len(keys) == 1:
        fix = f"add ForeignKey('{parent_table}.{key}') to {cls.name}.{keys[0].attribute} ({cls.file}:{keys[0].line})"
    else:
        fix = f"give it a primary key column with ForeignKey('{parent_table}.{key}')"
    context = dict(class_context(cls), parent_table=parent_table, child_table=child_table, **facts)
    return Explanation(
        message=(
            f"{where(cls, event)} inherits {parent.name if parent else parent_table!r} with a table of its own "
            f"({child_table!r}), but no column of {child_table!r} has a ForeignKey to {parent_table!r}, so "
            f"SQLAlchemy cannot join the two rows of one object; {fix}."
        ),
        why=(
            "Joined-table inheritance joins the subclass's table to the parent's through a ForeignKey from the "
            "subclass's primary key; without one the class statement raises at import, so the module never loads."
        ),
        context=context,
    )


CODE = Code(
    code="ORM042",
    name="inheritance-no-parent-fk",
    severity="error",
    summary="joined-table inheritance subclass whose table has no ForeignKey to the parent table",
    doc=DOC,
    remedies=("add-parent-fk",),
    matches=_matches,
    explain=_explain,
    # an inheritance subclass without a ForeignKey to its parent is also a NoForeignKeysError
    supersedes=("ORM001",),
)


# Run as tests (tests/test_code_examples.py): each source is a whole models.py; the DOC's example appears in it.
_INVALID = """\
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Employee(Base):
    __tablename__ = "employees"
    id = Column(Integer, primary_key=True)

class Manager(Employee):
    __tablename__ = "managers"
    id = Column(Integer, primary_key=True)  # ORM042: no ForeignKey("employees.id")
"""
_FIXED = _INVALID.replace(
    '    id = Column(Integer, primary_key=True)  # ORM042: no ForeignKey("employees.id")\n',
    '    id = Column(Integer, ForeignKey("employees.id"), primary_key=True)  # ORM042: no ForeignKey("employees.id")\n',
)
EXAMPLES = {
    "invalid": [
        {
            "source": _INVALID,
            "code": "ORM042",
            "fixed": {
                "add-parent-fk": _FIXED,
            },
        }
    ],
    "valid": [{"source": _FIXED}],  # the code as its first fix leaves it
}
