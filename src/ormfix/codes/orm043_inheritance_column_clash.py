"""ORM043 inheritance-column-clash: a subclass column named like a parent column is silently combined with it."""

from __future__ import annotations

import re

from ..index import ClassInfo, ProjectIndex, camel_to_snake
from ..probe.events import ProbeEvent
from ._class_level import class_context, event_class, where
from .base import Code, Explanation

DOC = """\
## What it is
In joined-table inheritance the subclass declares a column under the same attribute name as a parent
column (`Manager.name` while `Employee.name` exists). SQLAlchemy maps both columns under one
attribute and warns at the class statement: `SAWarning: Implicitly combining column employees.name
with column managers.name under attribute 'name'. Please configure one or more attributes for these
same-named columns explicitly.` (where the mapping is explicit, the same text is an
`InvalidRequestError`).

## Why it breaks
The app runs, but `Manager.name` now stands for two columns: every write copies the value into both
tables, reads take the subclass's, and queries on `Employee.name` and `Manager.name` mean different
columns. Usually the subclass column is a copy-paste or a leftover of a migration, and which column
holds the truth is no longer clear.

## Example
```python
class Employee(Base):
    __tablename__ = "employees"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))

class Manager(Employee):
    __tablename__ = "managers"
    id = Column(Integer, ForeignKey("employees.id"), primary_key=True)
    name = Column(String(50))  # ORM043: combined with employees.name
```

## Fixes
- `rename-subclass-attribute` (unsafe: code reading the subclass column must use the new name): what
  SQLAlchemy's inheritance docs advise to give the subclass an attribute of its own, a different
  attribute name with the column name kept explicit: `manager_name = Column("name", String(50))`. The
  schema does not change; `Manager.name` is then the parent's column only. If the subclass column is a
  leftover, delete it by hand (a migration drops it).
"""

_COMBINING = re.compile(
    r"Implicitly combining column (?P<first>[\w.]+)\.\w+ with column (?P<second>[\w.]+)\.\w+ "
    r"under attribute '(?P<attr>\w+)'"
)


def _matches(event: ProbeEvent) -> bool:
    return event.get("module", "").startswith("sqlalchemy") and bool(_COMBINING.search(event.get("message", "")))


def _subclass(event: ProbeEvent, index: ProjectIndex, tables: tuple[str, str], attr: str) -> ClassInfo | None:
    """The class statement that warned, else (Flask-SQLAlchemy warns from its own frame) the class of one
    of the two tables that assigns ``attr`` and inherits from the other's class."""
    found = event_class(event, index)
    if found is not None:
        return found
    for table, other in (tables, tables[::-1]):
        cls, parent = index.class_for_table(table.rsplit(".", 1)[-1]), index.class_for_table(other.rsplit(".", 1)[-1])
        if (
            cls is not None
            and parent is not None
            and attr in cls.columns
            and any(base.rsplit(".", 1)[-1] == parent.name for base in cls.bases)
        ):
            return cls
    return None


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    match = _COMBINING.search(event.get("message", ""))
    attr = match["attr"] if match else "?"
    tables = (match["first"], match["second"]) if match else ("?", "?")
    cls = _subclass(event, index, tables, attr)
    column = cls.columns.get(attr) if cls else None
    new = f"{camel_to_snake(cls.name)}_{attr}" if cls else f"{attr}_own"
    context = dict(class_context(cls), attribute=attr, new_attribute=new, **({"class_line": cls.line} if cls else {}))
    spot = (
        f"{cls.name}.{attr} ({cls.file}:{column.line})"
        if cls and column
        else f"attribute {attr!r} of {where(cls, event)}"
    )
    return Explanation(
        message=(
            f"{spot} declares a column named like the inherited {attr!r}: SQLAlchemy maps "
            f"{tables[0]}.{attr} and {tables[1]}.{attr} together under one attribute; give the subclass "
            f"column its own attribute ({new} = Column({attr!r}, ...)) or delete it."
        ),
        why=(
            "One attribute over two columns writes every value twice and reads the subclass's copy, so the two "
            "tables can disagree and queries on the parent's attribute and the subclass's mean different columns."
        ),
        context=context,
    )


CODE = Code(
    code="ORM043",
    name="inheritance-column-clash",
    severity="warning",
    summary="joined-inheritance subclass column named like a parent column (implicitly combined)",
    doc=DOC,
    remedies=("rename-subclass-attribute",),
    matches=_matches,
    explain=_explain,
)

# Run as tests (tests/test_code_examples.py): each source is a whole models.py; the DOC's example appears in it.
_INVALID = """\
from sqlalchemy import JSON, Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Employee(Base):
    __tablename__ = "employees"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))

class Manager(Employee):
    __tablename__ = "managers"
    id = Column(Integer, ForeignKey("employees.id"), primary_key=True)
    name = Column(String(50))  # ORM043: combined with employees.name
"""
_FIXED = _INVALID.replace(
    "    name = Column(String(50))  # ORM043", '    manager_name = Column("name", String(50))  # ORM043'
)
EXAMPLES = {
    "invalid": [
        {
            "source": _INVALID,
            "code": "ORM043",
            "fixed": {
                "rename-subclass-attribute": _FIXED,
            },
        }
    ],
    "valid": [{"source": _FIXED}],  # the code as its safe fix leaves it
}
