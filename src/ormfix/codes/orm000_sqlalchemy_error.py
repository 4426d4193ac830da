"""ORM000 sqlalchemy-error: any mapper-configuration error or SAWarning without a code of its own."""

from __future__ import annotations

from ..index import ProjectIndex
from ..probe.events import ProbeEvent
from ._facts import first_line
from .base import Code, Explanation

DOC = """\
## What it is
An error (or a SQLAlchemy warning) raised while SQLAlchemy configured the mappers that ormfix has no
specific code for yet. ormfix shows SQLAlchemy's own message at the best location it can find: the
relationship, class or column being configured when it was raised.

## Why it breaks
`configure_mappers()` runs before the first query. One failing mapper makes every later query raise
"One or more mappers failed to initialize", on every model, not only the broken one. A warning
(`SAWarning`) does not stop the application, but usually means a relationship does not do what its
author meant (for example two relationships writing the same foreign key column).

## Example
```python
class Node(Base):
    __tablename__ = "nodes"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("nodes.id"))
    parent = relationship("Node", remote_side="Node.nope")  # names a column that does not exist
```

## Fixes
- `comment-out` (unsafe: disables the relationship) where the error belongs to a relationship.
Read SQLAlchemy's message in the diagnosis; the construct at the reported line is where to start.
"""


def _matches(event: ProbeEvent) -> bool:
    return True


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    what = (
        f"{event.get('class')}.{event.get('attribute')}"
        if event.get("attribute")
        else event.get("class") or "the models"
    )
    kind = "warning" if event.get("severity") == "warning" else "error"
    return Explanation(
        message=f"SQLAlchemy {kind} while configuring {what}: {event.get('type')}: {first_line(event.get('message', ''))}",
        why="A mapper that fails to configure stops configure_mappers(), and with it every query on every model."
        if kind == "error"
        else "SQLAlchemy warns when a mapping is probably not what was meant.",
        target=event.get("target"),
    )


CODE = Code(
    code="ORM000",
    name="sqlalchemy-error",
    severity="error",
    summary="A mapper-configuration error or warning without a specific code",
    doc=DOC,
    remedies=("comment-out",),
    matches=_matches,
    explain=_explain,
)
