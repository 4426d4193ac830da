"""ORM015 backref-and-back-populates: one relationship() given both ``backref=`` and ``back_populates=``."""

from __future__ import annotations

from ..index import ProjectIndex
from ..probe.events import ProbeEvent
from ._pairs import pair_facts
from .base import Code, Explanation

DOC = """\
## What it is
`backref="x"` creates the twin relationship `x` on the other class; `back_populates="x"` links to a
twin written there by hand. They are two ways to say the same thing and cannot be combined, so
`relationship()` itself raises `ArgumentError: backref and back_populates keyword arguments are
mutually exclusive` while the `class` statement runs, at import.

## Why it breaks
The class statement raises, so the class is never mapped and the rest of its module never runs: the
app fails to import, and every relationship naming the class fails too ("failed to locate a name").

## Example
```python
class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    posts = db.relationship("Post", backref="author", back_populates="author")  # ORM015
```

## Fixes
- `add-back-populates-twin` (safe): drop `backref=` and keep `back_populates=`, adding the twin
  `author = db.relationship("User", back_populates="posts")` to the other class when it is not
  there yet (in that class's style).
- `comment-out` (unsafe: disables the relationship).
"""

MESSAGE = "backref and back_populates keyword arguments are mutually exclusive"


def _matches(event: ProbeEvent) -> bool:
    return MESSAGE in event.get("message", "")


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    owner = index.find_class(event.get("class") or "", event.get("class_module"))
    both = [
        rel
        for rel in (owner.relationships.values() if owner else [])
        if "backref" in rel.kwargs and "back_populates" in rel.kwargs
    ]
    if not both or owner is None:
        return Explanation(
            message=f"class {event.get('class')}: a relationship() is given both backref= and back_populates=.",
            why=_WHY,
        )
    rel = both[0]
    twin = rel.kwarg_str("back_populates")
    located: ProbeEvent = {**event, "attribute": rel.attribute, "target": rel.target}
    facts = dict(pair_facts(located, index), attribute=rel.attribute, missing=twin, drop_backref=True)
    other = index.find_class(facts.get("other") or "", facts.get("other_module"))
    exists = other is not None and twin in other.relationships
    facts["pointing_back"] = [name for name in facts.get("pointing_back", []) if name != twin]
    facts["twin_exists"] = exists
    where = (
        f"{facts.get('other')}.{twin} already exists, so backref= is redundant"
        if exists
        else f"the twin {facts.get('other')}.{twin} is not written yet"
    )
    message = (
        f"{owner.name}.{rel.attribute} = relationship({rel.target!r}, backref={rel.kwargs['backref']}, "
        f"back_populates={twin!r}) gives both keywords; {where}."
    )
    return Explanation(message=message, why=_WHY, target=rel.target, context=facts)


_WHY = (
    "relationship() refuses the combination while the class statement runs, so the class is never "
    "mapped: the module fails to import and every relationship to the class fails with it."
)

CODE = Code(
    code="ORM015",
    name="backref-and-back-populates",
    severity="error",
    summary="relationship() given both backref= and back_populates=",
    doc=DOC,
    remedies=("add-back-populates-twin", "comment-out"),
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
    posts = db.relationship("Post", backref="author", back_populates="author")  # ORM015


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"))
"""
_FIXED = _INVALID.replace(
    '    posts = db.relationship("Post", backref="author", back_populates="author")  # ORM015\n',
    '    posts = db.relationship("Post", back_populates="author")  # ORM015\n',
).replace(
    '    user_id = db.Column(db.Integer, db.ForeignKey("user.id"))\n',
    '    user_id = db.Column(db.Integer, db.ForeignKey("user.id"))\n    author = db.relationship("User", back_populates="posts")\n',
)
EXAMPLES = {
    "invalid": [
        {
            "source": _INVALID,
            "code": "ORM015",
            "fixed": {
                "add-back-populates-twin": _FIXED,
            },
        }
    ],
    "valid": [{"source": _FIXED}],  # the code as its safe fix leaves it
}
