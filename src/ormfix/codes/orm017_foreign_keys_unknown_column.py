"""ORM017 foreign-keys-unknown-column: ``foreign_keys=`` names a column the class does not have."""

from __future__ import annotations

import difflib
import re

from ..index import ProjectIndex
from .base import Code, Explanation
from ._facts import owner_and_relationship, rel_label

DOC = """\
## What it is
`foreign_keys="Post.autor_id"` (or `"[Post.autor_id]"`) tells SQLAlchemy which column of the join
holds the foreign key, by name. The string is evaluated when the mappers are configured, and `Post`
has no column `autor_id`, so it raises `AttributeError: Class <class 'models.post.Post'> does not
have a mapped column named 'autor_id'`. Usually a typo, or a column renamed without its relationship.

## Why it breaks
Raised by `configure_mappers()` before the first query; from then on every query on every model
raises "One or more mappers failed to initialize".

## Example
```python
class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    posts = relationship("Post", foreign_keys="Post.autor_id")  # ORM017: the column is author_id
```

## Fixes
- `fix-foreign-keys-arg` (unsafe: a did-you-mean guess): name the existing column of that class with
  a ForeignKey (to the other side's table, when it has one) whose name is closest to the one written.
  Only a close match is offered; otherwise it does not apply.
- `comment-out` (unsafe: disables the relationship).
"""

_MESSAGE = re.compile(r"Class <class '(?P<module>[\w.]+)\.(?P<cls>\w+)'> does not have a mapped column named '(?P<col>[^']+)'")


def parse(event: dict) -> tuple[str, str, str] | None:
    """(module, class name, missing column) from the AttributeError, else None."""
    match = _MESSAGE.search(event.get("message", ""))
    return (match["module"], match["cls"], match["col"]) if match else None


def _matches(event: dict) -> bool:
    return event.get("type") == "AttributeError" and parse(event) is not None


def _explain(event: dict, index: ProjectIndex) -> Explanation:
    module, cls_name, column = parse(event) or ("", "?", "?")
    _, rel = owner_and_relationship(event, index)
    written = rel.kwargs.get("foreign_keys") if rel else None
    named = index.find_class(cls_name, module)
    columns = sorted(named.columns) if named else []
    close = difflib.get_close_matches(column, columns, n=1, cutoff=0.6)
    hint = f" (did you mean {cls_name}.{close[0]}?)" if close else ""
    return Explanation(
        message=(f"{rel_label(event)} = relationship({event.get('target')!r}, foreign_keys={written or '...'}) "
                 f"names {cls_name}.{column}, but {cls_name} has no column {column!r}{hint}."),
        why=("foreign_keys= is evaluated when the mappers are configured; the column does not exist, so "
             "configure_mappers() fails, and with it every query on every model."),
        target=event.get("target"),
        context={"fk_class": cls_name, "fk_module": module, "missing_column": column},
    )


CODE = Code(
    code="ORM017",
    name="foreign-keys-unknown-column",
    severity="error",
    summary="foreign_keys= names a column that does not exist",
    doc=DOC,
    remedies=("fix-foreign-keys-arg", "comment-out"),
    matches=_matches,
    explain=_explain,
)
