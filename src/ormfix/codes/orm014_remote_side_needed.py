"""ORM014 remote-side-needed: a self-referential pair with no remote_side (both sides look one-to-many)."""

from __future__ import annotations

import re
from typing import Any

from ..index import ClassInfo, ProjectIndex
from ..probe.events import ProbeEvent
from ._facts import owner_and_relationship, rel_label
from .base import Code, Explanation

DOC = """\
## What it is
In a self-referential relationship (`Category.parent_id -> categories.id`) both ends of the foreign
key are in the same table, so SQLAlchemy cannot tell the parent row from the child row and treats
every relationship as one-to-many. A `parent`/`children` pair linked with `back_populates` then has
two one-to-many sides, and SQLAlchemy raises `ArgumentError: Category.parent and back-reference
Category.children are both of the same direction ... Did you mean to set remote_side on the
many-to-one side ?`

## Why it breaks
Raised by `configure_mappers()` before the first query; from then on every query on every model
raises "One or more mappers failed to initialize".

## Example
```python
class Category(Base):
    __tablename__ = "categories"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("categories.id"))
    parent = relationship("Category", back_populates="children")  # ORM014: needs remote_side=[id]
    children = relationship("Category", back_populates="parent")
```

## Fixes
- `remote-side` (safe): add `remote_side=[id]` (or `remote_side="Category.id"` when the primary key
  is declared after the relationship) to the many-to-one side: the one named after the foreign key
  column (`parent` for `parent_id`) or annotated with a single object (`Mapped[Optional["Category"]]`).
  Not offered when neither side can be told apart.
- `comment-out` (unsafe: disables the relationship and its twin).
"""

_PAIR = re.compile(r"(?P<cls>\w+)\.(?P<a>\w+) and back-reference \w+\.(?P<b>\w+) are both of the same direction")


def _matches(event: ProbeEvent) -> bool:
    message = event.get("message", "")
    return "are both of the same direction" in message and "remote_side" in message


def many_to_one_side(cls: ClassInfo, sides: list[str]) -> str | None:
    """The side that holds one object: a scalar annotation, or named after a foreign key column to its own table."""

    def scalar(attr: str) -> bool | None:
        rel = cls.relationships.get(attr)
        if rel is None:
            return None
        column = cls.columns.get(f"{attr}_id")
        if column is not None and any(fk.rsplit(".", 1)[0] == cls.tablename for fk in column.foreign_keys):
            return True
        return None if rel.collection is None else not rel.collection

    verdicts = {side: scalar(side) for side in sides}
    chosen = [side for side, verdict in verdicts.items() if verdict]
    if len(chosen) == 1:
        return chosen[0]
    unknown = [side for side, verdict in verdicts.items() if verdict is None]
    if not chosen and len(unknown) == 1 and len(sides) == 2:
        return unknown[0]  # the other side is a collection
    return None


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    owner, _ = owner_and_relationship(event, index)
    found = _PAIR.search(event.get("message", ""))
    sides = [found["a"], found["b"]] if found else [event.get("attribute") or ""]
    context: dict[str, Any] = {"pair": sides}
    side = many_to_one_side(owner, sides) if owner else None
    pks = owner.primary_keys if owner else []
    if side and owner and len(pks) == 1:
        context.update(many_to_one_side=side, primary_key=pks[0].attribute)
        cause = f"{owner.name}.{side} is the many-to-one side and needs remote_side=[{pks[0].attribute}]"
    else:
        context["undecided"] = (
            "cannot tell which side holds one object (no scalar annotation, no "
            "<name>_id column) or the primary key is not a single column"
        )
        cause = "the many-to-one side needs remote_side= naming the primary key"
    label = " and ".join(f"{event.get('class')}.{s}" for s in sides)
    return Explanation(
        message=(
            f"{rel_label(event)} = relationship({event.get('target')!r}) is self-referential: {label} both "
            f"look one-to-many because nothing says which end is the parent; {cause}."
        ),
        why=(
            "In a self-referential foreign key both ends are in the same table; without remote_side "
            "SQLAlchemy cannot orient the pair, so configure_mappers() fails, and with it every query on "
            "every model."
        ),
        target=event.get("target"),
        context=context,
    )


CODE = Code(
    code="ORM014",
    name="remote-side-needed",
    severity="error",
    summary="self-referential relationship pair without remote_side on the many-to-one side",
    doc=DOC,
    remedies=("remote-side", "comment-out"),
    matches=_matches,
    explain=_explain,
    # a relationship-pair error: its matcher refines the general ORM001-003
    supersedes=("ORM001", "ORM002", "ORM003"),
)

# Run as tests (tests/test_code_examples.py): each source is a whole models.py; the DOC's example appears in it.
_INVALID = """\
from sqlalchemy import JSON, Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Category(Base):
    __tablename__ = "categories"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("categories.id"))
    parent = relationship("Category", back_populates="children")  # ORM014: needs remote_side=[id]
    children = relationship("Category", back_populates="parent")
"""
_FIXED = _INVALID.replace('back_populates="children")', 'back_populates="children", remote_side=[id])')
EXAMPLES = {
    "invalid": [
        {
            "source": _INVALID,
            "code": "ORM014",
            "fixed": {
                "remote-side": _FIXED,
                "comment-out": _INVALID.replace(
                    '    parent = relationship("Category", back_populates="children")  # ORM014: needs remote_side=[id]\n    children = relationship("Category", back_populates="parent")\n',
                    '    # TODO(ormfix): Category.parent is the back_populates twin of Category.children, which ormfix commented out (ORM014). Restore both together.\n    # parent = relationship("Category", back_populates="children")  # ORM014: needs remote_side=[id]\n    # TODO(ormfix): Category.children fails to configure: self-referential relationship pair without remote_side on the many-to-one side (ORM014 remote-side-needed); disabled so the mappers configure. Restore it once fixed.\n    # children = relationship("Category", back_populates="parent")\n',
                ),
            },
        }
    ],
    "valid": [{"source": _FIXED}],  # the code as its safe fix leaves it
}
