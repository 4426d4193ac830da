"""ORM023 circular-dependency-post-update: two rows point at each other and neither relationship uses post_update."""

from __future__ import annotations

from ..index import ProjectIndex
from ..probe.events import ProbeEvent
from ._facts import owner_and_relationship, rel_label
from .base import Code, Explanation

DOC = """\
## What it is
Two tables hold foreign keys to each other (`widget.favorite_entry_id -> entry`, `entry.widget_id ->
widget`) and relationships use both keys. When one flush writes a widget and an entry that point at
each other, neither row can be inserted first: each needs the other's primary key. The unit of work
gives up with `CircularDependencyError: Circular dependency detected.` (SQLAlchemy's docs: "Rows that
point to themselves / Mutually Dependent Rows"). ormfix finds it by flushing two such rows on SQLite.

## Why it breaks
The mappers configure and the app starts, so nothing fails until the first request that saves such a
pair: then the flush, and the whole transaction, fails. Queries are unaffected. Many apps never save
such a pair in one flush, so this is a warning (`check` exits 0 unless `--fail-level=warning`), and
`apply --strategy=auto` does not add `post_update=True`: name `--strategy=post-update` to apply it.

## Example
```python
class Widget(Base):
    __tablename__ = "widget"
    widget_id = Column(Integer, primary_key=True)
    favorite_entry_id = Column(Integer, ForeignKey("entry.entry_id"))
    entries = relationship("Entry", primaryjoin="Widget.widget_id == Entry.widget_id")
    favorite_entry = relationship("Entry", primaryjoin="Entry.entry_id == Widget.favorite_entry_id")  # ORM023

class Entry(Base):
    __tablename__ = "entry"
    entry_id = Column(Integer, primary_key=True)
    widget_id = Column(Integer, ForeignKey("widget.widget_id"))
```

## Fixes
- `post-update` (safe, what SQLAlchemy's docs do): add `post_update=True` to the many-to-one side of
  the extra link (`favorite_entry`): both rows are inserted first, then an UPDATE sets
  `favorite_entry_id`. Its foreign key must be nullable (it is NULL between the INSERT and the
  UPDATE); when it is NOT NULL the fix is not offered.
"""


def _matches(event: ProbeEvent) -> bool:
    return event.get("type") == "CircularDependencyError" and event.get("phase") == "flush"


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    owner, rel = owner_and_relationship(event, index)
    where = f" ({owner.file}:{rel.line})" if owner is not None and rel is not None else ""
    other = f"{event.get('cycle_class')}.{event.get('cycle_attribute')}"
    target = event.get("target_class") or event.get("target")
    tables = f"{event.get('parent_table')!r} and {event.get('target_table')!r}"
    fix = (
        "add post_update=True to it, so the key is set by an UPDATE after both INSERTs"
        if event.get("nullable", True)
        else "its foreign key is NOT NULL, so make it nullable and add post_update=True"
    )
    return Explanation(
        message=(
            f"{rel_label(event)} = relationship({target!r}){where} and {other} make rows of {tables} "
            f"point at each other: a flush saving two such rows fails with CircularDependencyError; {fix}."
        ),
        why=(
            "Each row needs the other's primary key before it can be inserted, so the unit of work finds no "
            "order; the mappers configure, and the failure waits for the first flush of such a pair."
        ),
        target=target,
        context={"nullable": event.get("nullable", True), "cycle": other},
    )


CODE = Code(
    code="ORM023",
    name="circular-dependency-post-update",
    severity="warning",  # a latent hazard (the mappers configure; only such a flush fails), not a broken mapping
    summary="two rows point at each other (FKs both ways) and no relationship has post_update=True",
    doc=DOC,
    remedies=("post-update",),
    matches=_matches,
    explain=_explain,
    # a relationship-pair error: its matcher refines the general ORM001-003
    supersedes=("ORM001", "ORM002", "ORM003"),
)


# Run as tests (tests/test_code_examples.py): each source is a whole models.py; the DOC's example appears in it.
_INVALID = """\
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Widget(Base):
    __tablename__ = "widget"
    widget_id = Column(Integer, primary_key=True)
    favorite_entry_id = Column(Integer, ForeignKey("entry.entry_id"))
    entries = relationship("Entry", primaryjoin="Widget.widget_id == Entry.widget_id")
    favorite_entry = relationship("Entry", primaryjoin="Entry.entry_id == Widget.favorite_entry_id")  # ORM023

class Entry(Base):
    __tablename__ = "entry"
    entry_id = Column(Integer, primary_key=True)
    widget_id = Column(Integer, ForeignKey("widget.widget_id"))
"""
_FIXED = _INVALID.replace(
    '    favorite_entry = relationship("Entry", primaryjoin="Entry.entry_id == Widget.favorite_entry_id")  # ORM023\n',
    '    favorite_entry = relationship("Entry", primaryjoin="Entry.entry_id == Widget.favorite_entry_id", post_update=True)  # ORM023\n',
)
EXAMPLES = {
    "invalid": [
        {
            "source": _INVALID,
            "code": "ORM023",
            "fixed": {
                "post-update": _FIXED,
            },
        }
    ],
    "valid": [{"source": _FIXED}],  # the code as its first fix leaves it
}
