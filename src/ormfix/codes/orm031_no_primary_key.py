"""ORM031 no-primary-key: a mapped class whose table has no primary key column."""

from __future__ import annotations

from ..index import ProjectIndex
from ..probe.events import ProbeEvent
from ._class_level import class_context, event_class, message_matches, where
from .base import Code, Explanation

DOC = """\
## What it is
Every mapped class needs a primary key: the ORM identifies each row (the identity map, `session.get()`,
updates and deletes) by it. The class declares columns but none with `primary_key=True`, so the
`class` statement itself raises `ArgumentError: Mapper ... could not assemble any primary key columns
for mapped table '...'`.

## Why it breaks
The error is raised when the module is imported: the class does not exist, the module stops there,
and everything that imports it (the models package, the app) fails to start.

## Example
```python
class Tag(Base):
    __tablename__ = "tags"
    name = Column(String(50), unique=True)  # ORM031: no primary_key=True anywhere
```

## Fixes
- `add-primary-key` (safe, schema change): add `id = Column(Integer, primary_key=True)` (written in
  the class's style: `db.Column(db.Integer, ...)`, `id: Mapped[int] = mapped_column(primary_key=True)`)
  as the class's first column. The database needs a migration adding the column. Display-only when
  the class already has an attribute called `id`: then mark the right column `primary_key=True` by hand.
"""

_matches = message_matches(r"could not assemble any primary key columns")


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    cls = event_class(event, index)
    context = class_context(cls)
    if cls is not None and "id" in cls.attributes:
        context["has_id"] = True
    table = cls.tablename if cls else None
    return Explanation(
        message=(f"{where(cls, event)} maps table {table!r} without a primary key: no column has primary_key=True."),
        why=(
            "The ORM identifies every row by its primary key; without one the class statement raises at "
            "import, so the module (and the app importing it) never loads."
        ),
        context=context,
    )


CODE = Code(
    code="ORM031",
    name="no-primary-key",
    severity="error",
    summary="mapped class without any primary key column",
    doc=DOC,
    remedies=("add-primary-key",),
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
    name = Column(String(50), unique=True)  # ORM031: no primary_key=True anywhere
"""
EXAMPLES = {
    "invalid": [
        {
            "source": _INVALID,
            "code": "ORM031",
            "fixed": {
                "add-primary-key": _INVALID.replace('"tags"\n', '"tags"\n    id = Column(Integer, primary_key=True)\n'),
            },
        }
    ],
    "valid": [{"source": _INVALID.replace("unique=True", "primary_key=True")}],  # a natural key
}
