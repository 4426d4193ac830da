"""ORM044 column-is-a-tuple: a trailing comma turns ``name = Column(...),`` into a tuple declarative ignores."""

from __future__ import annotations

import re

from ..index import ProjectIndex
from ..probe.events import ProbeEvent
from ._class_level import class_context, event_class, where
from .base import Code, Explanation

DOC = """\
## What it is
A trailing comma after a column (`name = Column(String(50)),`, often left over from copying a
`Table(...)` argument list) makes the attribute a one-element tuple. Declarative skips it and warns
at the class statement: `SAWarning: Ignoring declarative-like tuple value of attribute 'name':
possibly a copy-and-paste error with a comma accidentally placed at the end of the line?`

## Why it breaks
It is only a warning, so the app starts, but the column does not exist: the table is created
without it, `Tag(name=...)` raises `TypeError: 'name' is an invalid keyword argument`, and
`Tag.name` is a tuple, so queries filtering on it fail. The same comma after a `relationship()`
silently drops the relationship.

## Example
```python
class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
    name = Column(String(50)),  # ORM044: the comma makes a tuple
```

## Fixes
- `remove-trailing-comma` (safe): delete the comma (every other byte stays), so the column is mapped
  as written. If the table already exists without the column, the database needs a migration adding it.
"""

_TUPLE = re.compile(r"Ignoring declarative-like tuple value of attribute '(?P<attr>\w+)'")


def _matches(event: ProbeEvent) -> bool:
    return event.get("module", "").startswith("sqlalchemy") and bool(_TUPLE.search(event.get("message", "")))


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    match = _TUPLE.search(event.get("message", ""))
    attr = match["attr"] if match else "?"
    cls = event_class(event, index)
    if cls is None:  # Flask-SQLAlchemy warns from its own frame: the one class assigning a tuple to attr
        found = [c for c in index.mapped_classes() if attr in c.tuple_columns]
        cls = found[0] if len(found) == 1 else None
    context = dict(class_context(cls), attribute=attr, **({"class_line": cls.line} if cls else {}))
    line = cls.tuple_columns.get(attr) if cls else None
    spot = f"{cls.name}.{attr} ({cls.file}:{line})" if cls and line else f"attribute {attr!r} of {where(cls, event)}"
    return Explanation(
        message=(
            f"{spot} ends with a comma, so its value is a one-element tuple and SQLAlchemy ignores it: the "
            f"column does not exist; remove the trailing comma."
        ),
        why=(
            "Declarative maps Column()/mapped_column()/relationship() values, not tuples holding them; the "
            "table is created without the column and code using the attribute fails at run time."
        ),
        context=context,
    )


CODE = Code(
    code="ORM044",
    name="column-is-a-tuple",
    severity="warning",
    summary="a trailing comma makes a column assignment a tuple that declarative ignores",
    doc=DOC,
    remedies=("remove-trailing-comma",),
    matches=_matches,
    explain=_explain,
)


# Run as tests (tests/test_code_examples.py): each source is a whole models.py; the DOC's example appears in it.
_INVALID = """\
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
    name = Column(String(50)),  # ORM044: the comma makes a tuple
"""
EXAMPLES = {
    "invalid": [
        {
            "source": _INVALID,
            "code": "ORM044",
            "fixed": {"remove-trailing-comma": _INVALID.replace("(String(50)),", "(String(50))")},
        }
    ],
    "valid": [{"source": _INVALID.replace("(String(50)),", "(String(50))")}],
}
