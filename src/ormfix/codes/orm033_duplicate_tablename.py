"""ORM033 duplicate-tablename: two classes map the same ``__tablename__`` on one MetaData."""

from __future__ import annotations

import re

from ..index import ProjectIndex
from ..probe.events import ProbeEvent
from ._class_level import class_context, event_class, message_matches, where
from .base import Code, Explanation
from .orm032_no_tablename import plural_table_name

DOC = """\
## What it is
Two mapped classes on the same declarative base (one `MetaData`) say `__tablename__ = "posts"`. The
second `class` statement raises `InvalidRequestError: Table 'posts' is already defined for this
MetaData instance. Specify 'extend_existing=True' ...`. Usually a class copied from another one
whose `__tablename__` was not changed; sometimes the same module imported under two names
(`models.post` and `app.models.post`), which defines the class twice.

## Why it breaks
The error is raised when the module is imported: the second class does not exist, its module stops
there, and everything that imports it (the models package, the app) fails to start.
`extend_existing=True`, which the message suggests, would silently merge the two classes' columns
into one table: almost never what was meant.

## Example
```python
class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)

class Comment(Base):
    __tablename__ = "posts"  # ORM033: copied from Post
    id = Column(Integer, primary_key=True)
```

## Fixes
- `rename-tablename` (unsafe, schema: a guessed table name): give the later class the snake_case
  plural of its own name (`Comment` -> `"comments"`). Not offered when that name is the duplicated
  one or is taken, nor when the same class is defined twice (then import its module under one name).
"""

_matches = message_matches(r"Table '[^']+' is already defined for this MetaData instance")
_TABLE = re.compile(r"Table '(?P<table>[^']+)' is already defined")


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    cls = event_class(event, index)
    match = _TABLE.search(event.get("message", ""))
    table = match["table"].rsplit(".", 1)[-1] if match else None
    others = [c for c in index.mapped_classes() if c.tablename == table and c is not cls]
    first = next(
        (c for c in others if cls is None or (c.file, c.line) < (cls.file, cls.line) or c.file != cls.file), None
    )
    context = dict(class_context(cls), table=table)
    if first is not None:
        context.update({"first_class": first.name, "first_file": first.file, "first_line": first.line})
    if cls is not None and first is not None and first.name == cls.name:
        context["same_class"] = True
        detail = (
            f"class {cls.name} is defined twice ({first.file}:{first.line} and {cls.file}:{cls.line}); "
            "import its module under one name only"
        )
    elif first is not None:
        detail = f"{first.name} ({first.file}:{first.line}) already maps {table!r}"
    else:
        context["same_class"] = True
        detail = "the table is already defined (is the module imported twice, under two names?)"
    new_name = plural_table_name(cls.name) if cls else None
    if new_name and new_name != table and index.class_for_table(new_name) is None:
        context["tablename"] = new_name
    return Explanation(
        message=f"{where(cls, event)} maps __tablename__ = {table!r}, but {detail}.",
        why=(
            "Each table may be defined once per MetaData; the second class statement raises at import, so "
            "its module (and the app importing it) never loads."
        ),
        context=context,
    )


CODE = Code(
    code="ORM033",
    name="duplicate-tablename",
    severity="error",
    summary="two classes map the same __tablename__",
    doc=DOC,
    remedies=("rename-tablename",),
    matches=_matches,
    explain=_explain,
)

# Run as tests (tests/test_code_examples.py): each source is a whole models.py; the DOC's example appears in it.
_INVALID = """\
from sqlalchemy import JSON, Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)

class Comment(Base):
    __tablename__ = "posts"  # ORM033: copied from Post
    id = Column(Integer, primary_key=True)
"""
_FIXED = _INVALID.replace('"posts"  # ORM033', '"comments"  # ORM033')
EXAMPLES = {
    "invalid": [
        {
            "source": _INVALID,
            "code": "ORM033",
            "fixed": {
                "rename-tablename": _FIXED,
            },
        }
    ],
    "valid": [{"source": _FIXED}],  # the code as its safe fix leaves it
}
