"""ORM037 reserved-attribute: a declarative class assigns ``metadata`` or ``registry``."""

from __future__ import annotations

import re

from ..index import ProjectIndex
from ..probe.events import ProbeEvent
from ._class_level import class_assigning, class_context, event_class, where
from .base import Code, Explanation

DOC = """\
## What it is
On a declarative class, `metadata` is the base's `MetaData` and `registry` its class registry. A
column assigned to either name (`metadata = Column(JSON)`, a common name for a JSON column) hides
them. SQLAlchemy 2.0 refuses the `class` statement: `InvalidRequestError: Attribute name 'metadata'
is reserved when using the Declarative API.`; 2.1 maps it but warns: `SAWarning: Attribute name
'metadata' should be left reserved for the MetaData instance when using a Declarative class.`

## Why it breaks
On 2.0 the error is raised when the module is imported: the class does not exist and the app fails
to start. On 2.1 the class loads, but `Document.metadata` is no longer the `MetaData`: code (and
tools such as Alembic or `create_all()`) reading it from the class gets the column instead.

## Example
```python
class Document(Base):
    __tablename__ = "documents"
    id = Column(Integer, primary_key=True)
    metadata = Column(JSON)  # ORM037: reserved name
```

## Fixes
- `rename-reserved-attribute` (unsafe: code using the attribute must change): rename the attribute
  to `metadata_` and keep the database column's name, `metadata_ = Column("metadata", JSON)`
  (`mapped_column("metadata", ...)`), so the schema does not change. Every `obj.metadata` /
  `Document.metadata` in the code must become `metadata_`.
"""

_RESERVED = re.compile(
    r"Attribute name '(?P<attr>\w+)' (?:is reserved when using the Declarative API"
    r"|should be left reserved for)"
)


def _matches(event: ProbeEvent) -> bool:
    return event.get("module", "").startswith("sqlalchemy") and bool(_RESERVED.search(event.get("message", "")))


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    match = _RESERVED.search(event.get("message", ""))
    attr = match["attr"] if match else "metadata"
    cls = event_class(event, index) or class_assigning(index, attr)  # Flask-SQLAlchemy warns from its own frame
    context = dict(class_context(cls), attribute=attr, **({"class_line": cls.line} if cls else {}))
    hidden = "MetaData" if attr == "metadata" else "registry"
    raised = event.get("severity") != "warning"
    return Explanation(
        message=(
            f"{where(cls, event)} assigns {attr!r}, a name declarative classes reserve for the base's "
            f"{hidden}; rename the attribute ({attr}_) and keep the column name."
        ),
        why=(
            "The class attribute would hide the base's "
            + hidden
            + (
                "; SQLAlchemy 2.0 refuses the class statement at import, so the module never loads."
                if raised
                else "; code and tools reading it from the class "
                "get the column instead, and SQLAlchemy 2.0 refuses the class outright."
            )
        ),
        context=context,
    )


CODE = Code(
    code="ORM037",
    name="reserved-attribute",
    severity="error",
    summary="declarative class assigns the reserved name metadata or registry",
    doc=DOC,
    remedies=("rename-reserved-attribute",),
    matches=_matches,
    explain=_explain,
)

# Run as tests (tests/test_code_examples.py): each source is a whole models.py; the DOC's example appears in it.
_INVALID = """\
from sqlalchemy import JSON, Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Document(Base):
    __tablename__ = "documents"
    id = Column(Integer, primary_key=True)
    metadata = Column(JSON)  # ORM037: reserved name
"""
_FIXED = _INVALID.replace("metadata = Column(JSON)", 'metadata_ = Column("metadata", JSON)')
EXAMPLES = {
    "invalid": [
        {
            "source": _INVALID,
            "code": "ORM037",
            "fixed": {
                "rename-reserved-attribute": _FIXED,
            },
        }
    ],
    "valid": [{"source": _FIXED}],  # the code as its safe fix leaves it
}
