"""ORM011 backref-collision: ``backref="x"`` would create an attribute the other class already has."""

from __future__ import annotations

import re
from typing import Any

from ..index import ProjectIndex
from ..probe.events import ProbeEvent
from ._facts import owner_and_relationship, rel_label, target_class
from ._pairs import points_at
from .base import Code, Explanation

DOC = """\
## What it is
`backref="x"` creates the attribute `x` on the other class at configuration time. The other class
already declares `x` (typically the same relationship, written out by hand on both sides), so
SQLAlchemy raises `ArgumentError: Error creating backref 'x' on relationship 'User.posts': property
of that name exists on mapper 'Mapper[Post(posts)]'`.

## Why it breaks
Raised by `configure_mappers()` before the first query; from then on every query on every model
raises "One or more mappers failed to initialize".

## Example
```python
class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    posts = db.relationship("Post", backref="author")  # ORM011: Post.author already exists

class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    author = db.relationship("User")
```

## Fixes
- `backref-to-back-populates` (safe): when the existing attribute is a relationship pointing back at
  this class, replace `backref="author"` with `back_populates="author"` here and add
  `back_populates="posts"` to `Post.author`: the same pair, declared explicitly on both sides.
  Not offered when the backref carries options (`backref("author", lazy=...)`), nor when the existing
  attribute is a column or points elsewhere (then one of the two names must change).
- `comment-out` (unsafe: disables the relationship).
"""

_COLLISION = re.compile(r"Error creating backref '(?P<name>[^']+)' on relationship")


def _matches(event: ProbeEvent) -> bool:
    return bool(_COLLISION.search(event.get("message", ""))) and "property of that name exists" in event.get(
        "message", ""
    )


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    found = _COLLISION.search(event.get("message", ""))
    name = found["name"] if found else event.get("backref") or "?"
    owner, rel = owner_and_relationship(event, index)
    other = target_class(event, index)
    other_name = other.name if other else event.get("target_class") or event.get("target")
    context: dict[str, Any] = {
        "backref": name,
        "other": other_name,
        "other_module": other.module if other else None,
        "other_file": other.file if other else None,
        "backref_source": rel.kwargs.get("backref") if rel else None,
    }
    existing = other.relationships.get(name) if other else None
    label = f"{rel_label(event)} = relationship({event.get('target')!r}, backref={name!r})"
    if existing is not None and other is not None and owner is not None and points_at(existing, owner.name):
        context.update(existing="relationship", existing_back_populates=existing.kwarg_str("back_populates"))
        message = (
            f"{label}: {other_name}.{name} is already declared as a relationship back to {owner.name} "
            f"({other.file}:{existing.line}); the pair is written twice, once by hand and once as a backref."
        )
    elif other is not None and name in other.columns:
        context["existing"] = "column"
        message = f"{label}: {other_name}.{name} is already a column; the backref needs another name."
    else:
        context["existing"] = "other"
        message = f"{label}: {other_name} already has an attribute {name!r}; the backref needs another name."
    return Explanation(
        message=message,
        why=(
            "A backref creates its attribute on the other class; that name is taken, so configure_mappers() "
            "fails, and with it every query on every model."
        ),
        target=event.get("target"),
        context=context,
    )


CODE = Code(
    code="ORM011",
    name="backref-collision",
    severity="error",
    summary="backref= names an attribute the other class already has",
    doc=DOC,
    remedies=("backref-to-back-populates", "comment-out"),
    matches=_matches,
    explain=_explain,
    # a relationship-pair error: its matcher refines the general ORM001-003
    supersedes=("ORM001", "ORM002", "ORM003"),
)


# Run as tests (tests/test_code_examples.py): each source is a whole models.py; the DOC's example appears in it.
_INVALID = """\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    posts = db.relationship("Post", backref="author")  # ORM011: Post.author already exists

class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    author = db.relationship("User")
"""
_POSTS = '    posts = db.relationship("Post", backref="author")  # ORM011: Post.author already exists\n'
_LINKED = _INVALID.replace('backref="author"', 'back_populates="author"').replace(
    'db.relationship("User")', 'db.relationship("User", back_populates="posts")'
)
EXAMPLES = {
    "invalid": [
        {
            "source": _INVALID,
            "code": "ORM011",
            "fixed": {
                "backref-to-back-populates": _LINKED,
                "comment-out": _INVALID.replace(
                    _POSTS,
                    "    # TODO(ormfix): User.posts fails to configure: backref= names an attribute the other class "
                    "already has (ORM011 backref-collision); disabled so the mappers configure. Restore it once "
                    "fixed.\n    # " + _POSTS[4:],
                ),
            },
        }
    ],
    "valid": [{"source": _LINKED}],
}
