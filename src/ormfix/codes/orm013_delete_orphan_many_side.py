"""ORM013 delete-orphan-many-side: delete-orphan cascade on a many-to-one / many-to-many relationship."""

from __future__ import annotations

import re

from ..index import ProjectIndex
from ..probe.events import ProbeEvent
from ._facts import rel_label
from .base import Code, Explanation

DOC = """\
## What it is
`cascade="all, delete-orphan"` deletes a child when it loses its parent; it belongs on the "one"
side of a one-to-many (`Post.comments`). On the "many" side of a many-to-one (`Comment.post`) or on
a many-to-many, an object may have several parents, so SQLAlchemy refuses it with `ArgumentError:
For many-to-one relationship Comment.post, delete-orphan cascade is normally configured only on the
"one" side of a one-to-many relationship ... set the single_parent=True flag.`

## Why it breaks
Raised by `configure_mappers()` before the first query; from then on every query on every model
raises "One or more mappers failed to initialize".

## Example
```python
class Comment(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    post_id = db.Column(db.Integer, db.ForeignKey("posts.id"))
    post = db.relationship("Post", cascade="all, delete-orphan")  # ORM013
```

## Fixes
- `single-parent` (safe): add `single_parent=True`, as SQLAlchemy advises: the cascade stays, and
  an object may be referenced by only one parent at a time through this relationship (assigning it
  to a second one raises). Often the cascade was meant for the other side: moving it there is a
  design decision ormfix leaves to you.
- `comment-out` (unsafe: disables the relationship).
"""

_DIRECTION = re.compile(r"For (?P<direction>many-to-one|many-to-many) relationship")


def _matches(event: ProbeEvent) -> bool:
    message = event.get("message", "")
    return "delete-orphan cascade is normally configured only" in message


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    found = _DIRECTION.search(event.get("message", ""))
    direction = found["direction"] if found else "many-to-one"
    return Explanation(
        message=(
            f'{rel_label(event)} = relationship({event.get("target")!r}, cascade="...delete-orphan") is '
            f"{direction}: a {event.get('target_class') or event.get('target')} can have several "
            f"{event.get('class')} parents, so it is never an orphan of one (delete-orphan needs "
            f"single_parent=True here, or belongs on the other side)."
        ),
        why=(
            "delete-orphan deletes an object when its only parent lets go; on the many side there is no "
            "only parent, so configure_mappers() fails, and with it every query on every model."
        ),
        target=event.get("target"),
        context={"direction": direction},
    )


CODE = Code(
    code="ORM013",
    name="delete-orphan-many-side",
    severity="error",
    summary="delete-orphan cascade on a many-to-one or many-to-many without single_parent=True",
    doc=DOC,
    remedies=("single-parent", "comment-out"),
    matches=_matches,
    explain=_explain,
    # a relationship-pair error: its matcher refines the general ORM001-003
    supersedes=("ORM001", "ORM002", "ORM003"),
)

# Run as tests (tests/test_code_examples.py): each source is a whole models.py; the DOC's example appears in it.
_INVALID = """\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Post(db.Model):
    __tablename__ = "posts"
    id = db.Column(db.Integer, primary_key=True)


class Comment(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    post_id = db.Column(db.Integer, db.ForeignKey("posts.id"))
    post = db.relationship("Post", cascade="all, delete-orphan")  # ORM013
"""
_FIXED = _INVALID.replace('delete-orphan")', 'delete-orphan", single_parent=True)')
EXAMPLES = {
    "invalid": [
        {
            "source": _INVALID,
            "code": "ORM013",
            "fixed": {
                "single-parent": _FIXED,
                "comment-out": _INVALID.replace(
                    '    post = db.relationship("Post", cascade="all, delete-orphan")  # ORM013\n',
                    '    # TODO(ormfix): Comment.post fails to configure: delete-orphan cascade on a many-to-one or many-to-many without single_parent=True (ORM013 delete-orphan-many-side); disabled so the mappers configure. Restore it once fixed.\n    # post = db.relationship("Post", cascade="all, delete-orphan")  # ORM013\n',
                ),
            },
        }
    ],
    "valid": [{"source": _FIXED}],  # the code as its safe fix leaves it
}
