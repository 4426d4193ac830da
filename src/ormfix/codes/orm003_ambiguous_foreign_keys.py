"""ORM003 ambiguous-foreign-keys: several ForeignKeys could join the two tables."""

from __future__ import annotations

import re
from typing import Any

from ..index import ClassInfo, ProjectIndex, RelationshipInfo
from ..probe.events import ProbeEvent
from ._facts import fks_to, owner_and_relationship, table_of, target_class
from ._spelling import relationship_construct
from .base import Code, Explanation

DOC = """\
## What it is
Two or more ForeignKey columns link the two tables (for example `books.author_id` and
`books.editor_id`, both to `users.id`) and the relationship does not say which one it uses, so
SQLAlchemy raises `AmbiguousForeignKeysError`.

## Why it breaks
Raised by `configure_mappers()` before the first query; from then on every query on every model
raises "One or more mappers failed to initialize".

## Example
```python
class Book(Base):
    __tablename__ = "books"
    id = Column(Integer, primary_key=True)
    author_id = Column(Integer, ForeignKey("users.id"))
    editor_id = Column(Integer, ForeignKey("users.id"))
    author = relationship("User", back_populates="books")  # ORM003: author_id or editor_id?
```

## Fixes
- `foreign-keys` (safe when the column's name matches the relationship, e.g. `author` ->
  `author_id`; unsafe when ormfix has to pick among columns): add `foreign_keys="Book.author_id"`.
  For a collection (`User.books`) whose child already has an unlinked many-to-one back over one of
  the columns (`Book.author`, `foreign_keys=[author_id]`), that column is named and the two are
  linked with `back_populates` on both sides, as SQLAlchemy's docs advise (otherwise they overlap:
  ORM016).
- `comment-out` (unsafe: disables the relationship).
"""


def _matches(event: ProbeEvent) -> bool:
    return event.get("type") == "AmbiguousForeignKeysError"


def candidates(event: ProbeEvent, index: ProjectIndex) -> dict[str, Any]:
    """The FK columns that could join: on the target (one-to-many) or the owner (many-to-one)."""
    owner, rel = owner_and_relationship(event, index)
    target = target_class(event, index)
    if owner is None or target is None:
        return {}
    owner_table = table_of(owner, event, "parent_table")
    target_table = table_of(target, event, "target_table")
    on_owner = fks_to(owner, target_table)
    on_target = fks_to(target, owner_table) if owner.name != target.name else []
    holder, columns = (owner, on_owner) if len(on_owner) >= 2 or not on_target else (target, on_target)
    attribute = event.get("attribute") or ""
    twin = (rel.kwarg_str("back_populates") or rel.kwarg_str("backref")) if rel else None
    wanted = [f"{attribute}_id"] + ([f"{twin}_id"] if twin and holder is target else [])
    pair = _unlinked_many_to_one(holder, owner, rel, [c.attribute for c in columns]) if holder is target else None
    paired = [pair["column"]] if pair else []
    ranked = sorted(columns, key=lambda col: (col.attribute not in wanted, col.attribute not in paired, col.line))
    facts = {
        "holder": holder.name,
        "columns": [col.attribute for col in ranked],
        "name_match": bool(ranked) and ranked[0].attribute in wanted,
    }
    if pair and ranked and ranked[0].attribute == pair["column"]:
        facts["pair"] = pair  # the collection's other side: foreign-keys links the two with back_populates
    return facts


def _unlinked_many_to_one(
    holder: ClassInfo, owner: ClassInfo, rel: RelationshipInfo | None, columns: list[str]
) -> dict[str, Any] | None:
    """The one relationship of ``holder`` back to ``owner`` that names one of ``columns`` in foreign_keys=
    (or is called like one, ``author`` -> ``author_id``) and is not linked to anything yet: the
    many-to-one side of the ambiguous collection, which would overlap it once the collection names
    the same column."""
    if rel is None or "back_populates" in rel.kwargs or "backref" in rel.kwargs:
        return None
    found = []
    for other in holder.relationships.values():
        if short_name(other.target) != owner.name or "back_populates" in other.kwargs or "backref" in other.kwargs:
            continue
        named = re.findall(r"\w+", other.kwargs.get("foreign_keys", ""))
        used = [c for c in columns if c in named] or [c for c in columns if c == f"{other.attribute}_id"]
        if len(used) == 1:
            found.append({"class": holder.name, "attribute": other.attribute, "file": holder.file, "column": used[0]})
    return found[0] if len(found) == 1 else None


def short_name(target: str | None) -> str:
    return (target or "").rsplit(".", 1)[-1]


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    facts = candidates(event, index)
    target = event.get("target_class") or event.get("target")
    cols = ", ".join(f"{facts['holder']}.{c}" for c in facts.get("columns", [])) or "several columns"
    return Explanation(
        message=f"{relationship_construct(event, index, repr(target))} is ambiguous: {cols} all reference the other table.",
        why=(
            "SQLAlchemy cannot choose the join column, so configure_mappers() fails, and with it every "
            "query on every model."
        ),
        target=target,
        context=facts,
    )


CODE = Code(
    code="ORM003",
    name="ambiguous-foreign-keys",
    severity="error",
    summary="relationship() with several possible ForeignKey paths and no foreign_keys=",
    doc=DOC,
    remedies=("foreign-keys", "comment-out"),
    matches=_matches,
    explain=_explain,
)


# Run as tests (tests/test_code_examples.py): each source is a whole models.py; the DOC's example appears in it.
_INVALID = """\
from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    books = relationship("Book", back_populates="author", foreign_keys="Book.author_id")


class Book(Base):
    __tablename__ = "books"
    id = Column(Integer, primary_key=True)
    author_id = Column(Integer, ForeignKey("users.id"))
    editor_id = Column(Integer, ForeignKey("users.id"))
    author = relationship("User", back_populates="books")  # ORM003: author_id or editor_id?
"""
_AUTHOR = 'relationship("User", back_populates="books")'
_BOOKS = '    books = relationship("Book", back_populates="author", foreign_keys="Book.author_id")\n'
EXAMPLES = {
    "invalid": [
        {
            "source": _INVALID,
            "code": "ORM003",
            "fixed": {
                "foreign-keys": _INVALID.replace(_AUTHOR, _AUTHOR[:-1] + ', foreign_keys="Book.author_id")'),
                "comment-out": _INVALID.replace(
                    _BOOKS,
                    "    # TODO(ormfix): User.books is the back_populates twin of Book.author, which ormfix commented "
                    "out (ORM003). Restore both together.\n    # " + _BOOKS[4:],
                ).replace(
                    "    author = " + _AUTHOR,
                    "    # TODO(ormfix): Book.author is ambiguous: several ForeignKeys could join it to User (ORM003 "
                    "ambiguous-foreign-keys); disabled so the mappers configure. Restore it once fixed.\n"
                    "    # author = " + _AUTHOR,
                ),
            },
        }
    ],
    "valid": [{"source": _INVALID.replace(_AUTHOR, _AUTHOR[:-1] + ", foreign_keys=[author_id])")}],
}
