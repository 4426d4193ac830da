"""ORM032 no-tablename: a declarative class with neither ``__tablename__`` nor ``__table__``."""

from __future__ import annotations

import re

from ..index import ProjectIndex, camel_to_snake
from ..probe.events import ProbeEvent
from ._class_level import class_context, event_class, message_matches, where
from .base import Code, Explanation

DOC = """\
## What it is
A class that inherits from the declarative base directly must say which table it maps:
`__tablename__ = "..."` (or a `__table__`). This one has neither, and no mapped parent class to share
a table with, so the `class` statement raises `InvalidRequestError: Class ... does not have a
__table__ or __tablename__ specified and does not inherit from an existing table-mapped class.`
(Flask-SQLAlchemy generates a name from the class name, so `db.Model` classes do not hit this.)

## Why it breaks
The error is raised when the module is imported: the class does not exist, the module stops there,
and everything that imports it (the models package, the app) fails to start.

## Example
```python
class OrderItem(Base):  # ORM032: no __tablename__
    id = Column(Integer, primary_key=True)
    quantity = Column(Integer, nullable=False)
```

## Fixes
- `add-tablename` (unsafe, schema: a guessed table name): add `__tablename__` with the snake_case
  plural of the class name (`OrderItem` -> `"order_items"`). Check it against the database: an
  existing table under another name needs that name instead. Not offered when the name is taken.
If the class is meant as a shared base (a mixin of columns), mark it `__abstract__ = True` instead.
"""

_matches = message_matches(r"does not have a __table__ or __tablename__ specified")


def plural_table_name(class_name: str) -> str:
    """``OrderItem`` -> ``order_items``, ``Category`` -> ``categories``, ``Address`` -> ``addresses``."""
    name = camel_to_snake(class_name)
    if re.search(r"[^aeiou]y$", name):
        return name[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", name):
        return name + "es"
    return name + "s"


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    cls = event_class(event, index)
    name = cls.name if cls else (event.get("class") or "")
    tablename = plural_table_name(name) if name else None
    context = dict(class_context(cls), tablename=tablename)
    taken = index.class_for_table(tablename) if tablename else None
    if taken is not None:
        context["taken_by"] = taken.name
    return Explanation(
        message=(
            f"{where(cls, event)} has no __tablename__ (nor __table__) and no mapped parent class, so "
            f"SQLAlchemy does not know which table it maps" + (f" (suggested: {tablename!r})." if tablename else ".")
        ),
        why=(
            "A class on the declarative base needs a table; without one the class statement raises at import, "
            "so the module (and the app importing it) never loads."
        ),
        context=context,
    )


CODE = Code(
    code="ORM032",
    name="no-tablename",
    severity="error",
    summary="declarative class without __tablename__ or __table__",
    doc=DOC,
    remedies=("add-tablename",),
    matches=_matches,
    explain=_explain,
)


# Run as tests (tests/test_code_examples.py): each source is a whole models.py; the DOC's example appears in it.
_INVALID = """\
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class OrderItem(Base):  # ORM032: no __tablename__
    id = Column(Integer, primary_key=True)
    quantity = Column(Integer, nullable=False)
"""
_CLASS = "class OrderItem(Base):  # ORM032: no __tablename__\n"
EXAMPLES = {
    "invalid": [
        {
            "source": _INVALID,
            "code": "ORM032",
            "fixed": {"add-tablename": _INVALID.replace(_CLASS, _CLASS + '    __tablename__ = "order_items"\n')},
        }
    ],
    "valid": [{"source": _INVALID.replace(_CLASS, 'class OrderItem(Base):\n    __tablename__ = "items"\n')}],
}
