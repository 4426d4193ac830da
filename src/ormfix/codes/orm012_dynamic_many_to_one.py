"""ORM012 dynamic-many-to-one: ``lazy="dynamic"`` on a relationship that holds one object."""

from __future__ import annotations

from ..index import ProjectIndex
from ..probe.events import ProbeEvent
from ._facts import rel_label
from .base import Code, Explanation

DOC = """\
## What it is
`lazy="dynamic"` makes a relationship return a query to filter instead of a list, so it only works
on collections. On a many-to-one (the foreign key is on this class's table) or a `uselist=False`
one-to-one it has nothing to return a query for, and SQLAlchemy raises `InvalidRequestError: On
relationship Comment.post, 'dynamic' loaders cannot be used with many-to-one/one-to-one
relationships and/or uselist=False.` It usually arrives by copying the one-to-many side.

## Why it breaks
Raised by `configure_mappers()` before the first query; from then on every query on every model
raises "One or more mappers failed to initialize".

## Example
```python
class Comment(Base):
    __tablename__ = "comments"
    id = Column(Integer, primary_key=True)
    post_id = Column(Integer, ForeignKey("posts.id"))
    post = relationship("Post", lazy="dynamic")  # ORM012: a comment has one post
```

## Fixes
- `lazy-select` (safe): write `lazy="select"`, the default: the object loads on first access.
  Code that called `.first()` on the attribute gets the object itself.
- `comment-out` (unsafe: disables the relationship).
"""


def _matches(event: ProbeEvent) -> bool:
    return "'dynamic' loaders cannot be used with many-to-one" in event.get("message", "")


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    return Explanation(
        message=(
            f'{rel_label(event)} = relationship({event.get("target")!r}, lazy="dynamic") holds one '
            f"{event.get('target_class') or event.get('target')} (many-to-one or uselist=False), but "
            f'lazy="dynamic" is only for collections.'
        ),
        why=(
            "A dynamic loader returns a query over a collection; a single object has none, so "
            "configure_mappers() fails, and with it every query on every model."
        ),
        target=event.get("target"),
    )


CODE = Code(
    code="ORM012",
    name="dynamic-many-to-one",
    severity="error",
    summary='lazy="dynamic" on a many-to-one or uselist=False relationship',
    doc=DOC,
    remedies=("lazy-select", "comment-out"),
    matches=_matches,
    explain=_explain,
    # a relationship-pair error: its matcher refines the general ORM001-003
    supersedes=("ORM001", "ORM002", "ORM003"),
)


# Run as tests (tests/test_code_examples.py): each source is a whole models.py; the DOC's example appears in it.
_INVALID = """\
from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)


class Comment(Base):
    __tablename__ = "comments"
    id = Column(Integer, primary_key=True)
    post_id = Column(Integer, ForeignKey("posts.id"))
    post = relationship("Post", lazy="dynamic")  # ORM012: a comment has one post
"""
_POST = '    post = relationship("Post", lazy="dynamic")  # ORM012: a comment has one post\n'
EXAMPLES = {
    "invalid": [
        {
            "source": _INVALID,
            "code": "ORM012",
            "fixed": {
                "lazy-select": _INVALID.replace('lazy="dynamic"', 'lazy="select"'),
                "comment-out": _INVALID.replace(
                    _POST,
                    '    # TODO(ormfix): Comment.post fails to configure: lazy="dynamic" on a many-to-one or '
                    "uselist=False relationship (ORM012 dynamic-many-to-one); disabled so the mappers configure. "
                    "Restore it once fixed.\n    # " + _POST[4:],
                ),
            },
        }
    ],
    "valid": [{"source": _INVALID.replace('relationship("Post", lazy="dynamic")', 'relationship("Post")')}],
}
