"""ORM047 polymorphic-identity-missing: a subclass in a polymorphic hierarchy with no polymorphic_identity."""

from __future__ import annotations

import re

from ..index import ProjectIndex, camel_to_snake
from ..probe.events import ProbeEvent
from ._class_level import class_context, event_class, where
from .base import Code, Explanation

DOC = """\
## What it is
The base class of an inheritance hierarchy names a discriminator (`__mapper_args__ =
{"polymorphic_on": "kind", ...}`) and a subclass does not say which value marks its rows. SQLAlchemy
warns when the mapper is built: `SAWarning: Mapper[Engineer(staff)] does not indicate a
'polymorphic_identity', yet is part of an inheritance hierarchy that has a 'polymorphic_on' column of
'staff.kind'`.

## Why it breaks
It is a warning, so the app starts, but the subclass has no identity: its rows are stored with the
discriminator of no class (NULL, or the parent's), and loading them back gives instances of the parent
class (or fails), so `session.get(Engineer, 1)` does not return an Engineer.

## Example
```python
class Staff(Base):
    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_identity": "staff"}

class Engineer(Staff):  # ORM047: no polymorphic_identity
    level: Mapped[int] = mapped_column(nullable=True)

class SeniorEngineer(Engineer):
    __mapper_args__ = {"polymorphic_identity": "senior"}
```

## Fixes
- `polymorphic-abstract` (safe, for an intermediate class that has mapped subclasses):
  `__mapper_args__ = {"polymorphic_abstract": True}` (SQLAlchemy 2.0+): the class is a base for its
  subclasses and is never instantiated itself, which is what a class without an identity already is.
- `polymorphic-identity` (unsafe: it picks the value stored in the discriminator column, which must
  not clash with rows already in the database): `"polymorphic_identity": "engineer"` (the class name
  in snake case).
"""

_NO_IDENTITY = re.compile(r"Mapper\[(?P<cls>\w+)\((?P<table>[\w.]*)\)\] does not indicate a 'polymorphic_identity'")


def _matches(event: ProbeEvent) -> bool:
    return event.get("module", "").startswith("sqlalchemy") and bool(_NO_IDENTITY.search(event.get("message", "")))


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    match = _NO_IDENTITY.search(event.get("message", ""))
    cls = event_class(event, index)
    if cls is None and match:
        cls = index.find_class(match["cls"])
    subclasses = sorted(
        c.name for c in index.classes() if cls and any(b.rsplit(".", 1)[-1] == cls.name for b in c.bases)
    )
    context = dict(
        class_context(cls),
        subclasses=subclasses,
        identity=camel_to_snake(cls.name) if cls else "",
        **({"class_line": cls.line} if cls else {}),
    )
    role = f"an intermediate class (subclasses: {', '.join(subclasses)})" if subclasses else "a leaf class"
    return Explanation(
        message=(
            f"{where(cls, event)} is part of a polymorphic hierarchy but has no polymorphic_identity ({role}); "
            + (
                "mark it polymorphic_abstract=True."
                if subclasses
                else "give it a polymorphic_identity (the value its rows store)."
            )
        ),
        why=(
            "Without an identity its rows are stored and loaded as no class of their own: queries return parent "
            "instances (or fail) for them. SQLAlchemy only warns."
        ),
        context=context,
    )


CODE = Code(
    code="ORM047",
    name="polymorphic-identity-missing",
    severity="warning",
    summary="subclass in a polymorphic hierarchy without polymorphic_identity (SAWarning)",
    doc=DOC,
    remedies=("polymorphic-abstract", "polymorphic-identity"),
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


class Staff(Base):
    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_identity": "staff"}

class Engineer(Staff):  # ORM047: no polymorphic_identity
    level: Mapped[int] = mapped_column(nullable=True)

class SeniorEngineer(Engineer):
    __mapper_args__ = {"polymorphic_identity": "senior"}
"""
_FIXED = _INVALID.replace(
    "class Engineer(Staff):  # ORM047: no polymorphic_identity\n",
    'class Engineer(Staff):  # ORM047: no polymorphic_identity\n    __mapper_args__ = {"polymorphic_abstract": True}\n',
)
EXAMPLES = {
    "invalid": [
        {
            "source": _INVALID,
            "code": "ORM047",
            "fixed": {
                "polymorphic-abstract": _FIXED,
                "polymorphic-identity": _INVALID.replace(
                    "class Engineer(Staff):  # ORM047: no polymorphic_identity\n",
                    'class Engineer(Staff):  # ORM047: no polymorphic_identity\n    __mapper_args__ = {"polymorphic_identity": "engineer"}\n',
                ),
            },
        }
    ],
    "valid": [{"source": _FIXED}],  # the code as its first fix leaves it
}
