"""ORM035 duplicate-class-name: a relationship names a class that two mapped classes share."""

from __future__ import annotations

import re
from typing import Any

from ..index import ClassInfo, ProjectIndex
from ..probe.events import ProbeEvent
from ._facts import fks_to, owner_and_relationship, rel_label, table_of
from .base import Code, Explanation

DOC = """\
## What it is
Two mapped classes on one declarative base have the same name (`Invoice` in `models/billing.py` and
in `models/legacy.py`). A relationship that names its target as a string (`relationship("Invoice")`,
`Mapped[list["Invoice"]]`) cannot tell them apart, and `configure_mappers()` raises
`InvalidRequestError: Multiple classes found for path "Invoice" in the registry of this declarative
base. Please use a fully module-qualified path.`

## Why it breaks
The string is looked up by class name in the base's registry; both classes registered under that
name, so the lookup fails and every mapper stays unconfigured: the first query fails.

## Example
```python
# models/billing.py: class Invoice(Base): __tablename__ = "invoices"; user_id -> users.id
# models/legacy.py:  class Invoice(Base): __tablename__ = "legacy_invoices"
class User(Base):
    invoices = relationship("Invoice")  # ORM035: which Invoice?
```

## Fixes
- `qualify-class-path` (safe when the foreign keys decide, unsafe otherwise): write the target as
  the module-qualified path of the class the relationship's foreign keys join
  (`relationship("models.billing.Invoice")`): the one whose table has a ForeignKey to the owner's
  table, or whose table the owner's ForeignKey references. Not offered when the foreign keys do not
  single out one class (no blind guess): qualify the path by hand, or rename one of the classes.
"""

_MULTIPLE = re.compile(r'Multiple classes found for path "(?P<path>[^"]+)"')


def _matches(event: ProbeEvent) -> bool:
    return event.get("module", "").startswith("sqlalchemy") and bool(_MULTIPLE.search(event.get("message", "")))


def _joined_by_fks(owner: ClassInfo | None, candidate: ClassInfo, event: ProbeEvent) -> bool:
    """Whether the candidate's table and the owner's are joined by a ForeignKey (either direction)."""
    if owner is None:
        return False
    return bool(fks_to(candidate, table_of(owner, event, "parent_table")) or fks_to(owner, candidate.tablename))


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    match = _MULTIPLE.search(event.get("message", ""))
    path = match["path"] if match else (event.get("target") or "")
    name = path.rsplit(".", 1)[-1]
    owner, _ = owner_and_relationship(event, index)
    same = [c for c in index.mapped_classes() if c.name == name]
    listed = " and ".join(f"{c.module}.{c.name} ({c.file}:{c.line})" for c in same) or "several classes"
    joined = [c for c in same if _joined_by_fks(owner, c, event)]
    context: dict[str, Any] = {"path": path, "classes": [f"{c.module}.{c.name}" for c in same]}
    if len(joined) == 1 and joined[0].module:
        context["qualified"] = f"{joined[0].module}.{joined[0].name}"
        hint = f"; its foreign keys join {context['qualified']}"
    else:
        hint = ""
    return Explanation(
        message=(
            f"relationship {rel_label(event)} names {path!r}, which is ambiguous: two mapped classes are "
            f"called {name}: {listed}{hint}."
        ),
        why=(
            "A string target is looked up by class name in the declarative base's registry; two classes with "
            "that name make the lookup fail, and every mapper stays unconfigured."
        ),
        target=path,
        context=context,
    )


CODE = Code(
    code="ORM035",
    name="duplicate-class-name",
    severity="error",
    summary="relationship target names a class that two mapped classes share",
    doc=DOC,
    remedies=("qualify-class-path", "comment-out"),
    matches=_matches,
    explain=_explain,
)
