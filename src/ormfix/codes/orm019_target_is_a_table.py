"""ORM019 target-is-a-table: ``relationship("posts")`` names a table instead of its mapped class."""

from __future__ import annotations

from ..index import ProjectIndex
from ..probe.events import ProbeEvent
from ._facts import rel_label
from .base import Code, Explanation

DOC = """\
## What it is
`relationship()` takes a mapped class (or its name), not a table. `relationship("posts")` resolves
the string against the classes *and* the tables of the registry; `posts` is the `__tablename__` of
class `Post`, so SQLAlchemy gets the `Table` and raises `ArgumentError: relationship 'posts' expects
a class or a mapper argument (received: <class 'sqlalchemy.sql.schema.Table'>)`. It comes from
thinking in tables (`ForeignKey("posts.id")` does take the table name).

## Why it breaks
The string is resolved in `configure_mappers()`, before the first query; the mapper is marked broken
and every later query on every model raises "One or more mappers failed to initialize".

## Example
```python
class Order(Base):
    __tablename__ = "orders"
    customer_id = Column(ForeignKey("customers.id"))
    customer = relationship("customers")  # ORM019: the class is Customer
```

## Fixes
- `target-to-class` (safe: the class mapped to that table is the one meant): name the class,
  `relationship("Post")`.
- `comment-out` (unsafe: disables the relationship).
"""


def _matches(event: ProbeEvent) -> bool:
    message = event.get("message", "")
    return "expects a class or a mapper argument" in message and "Table" in message


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    table = event.get("target") or "?"
    cls = index.class_for_table(table)
    context = {"table": table, "class_for_table": cls.name if cls else None}
    instead = f"; the class mapped to it is {cls.name}" if cls else ""
    return Explanation(
        message=f"{rel_label(event)} = relationship({table!r}) names the table {table!r}, not a class{instead}.",
        why=(
            "relationship() needs a mapped class; given a table it fails when the mappers are configured, so "
            "configure_mappers() fails, and with it every query on every model."
        ),
        target=table,
        context=context,
    )


CODE = Code(
    code="ORM019",
    name="target-is-a-table",
    severity="error",
    summary="relationship() names a table instead of its mapped class",
    doc=DOC,
    remedies=("target-to-class", "comment-out"),
    matches=_matches,
    explain=_explain,
    # a relationship-pair error: its matcher refines the general ORM001-003
    supersedes=("ORM001", "ORM002", "ORM003"),
)
