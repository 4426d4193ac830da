"""ORM017 foreign-keys-unknown-column: ``foreign_keys=`` names a column the class does not have."""

from __future__ import annotations

import difflib
import re

from ..index import ProjectIndex, RelationshipInfo
from ..probe.events import ProbeEvent
from ._facts import owner_and_relationship, rel_label
from .base import Code, Explanation

DOC = """\
## What it is
`foreign_keys="Post.autor_id"` (or `"[Post.autor_id]"`) tells SQLAlchemy which column of the join
holds the foreign key, by name. The string is evaluated when the mappers are configured, and `Post`
has no column `autor_id`, so it raises `AttributeError: Class <class 'models.post.Post'> does not
have a mapped column named 'autor_id'`. Usually a typo, or a column renamed without its relationship.

Written with class attributes instead of a string (`foreign_keys=[Post.autor_id]`,
`primaryjoin=Post.autor_id == id`), the same typo fails earlier: Python raises `AttributeError: type
object 'Post' has no attribute 'autor_id'` while the class statement runs, at import. ormfix reports it
here too, at the relationship's line.

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
  a ForeignKey (to the other side's table, when it has one) whose name is closest to the one written,
  in the argument that names it (`foreign_keys=`, or `primaryjoin=` for a class attribute).
  Only a close match is offered; otherwise it does not apply.
- `comment-out` (unsafe: disables the relationship).
"""

_MESSAGE = re.compile(
    r"Class <class '(?P<module>[\w.]+)\.(?P<cls>\w+)'> does not have a mapped column named '(?P<col>[^']+)'"
)
# at import, from a class attribute in a relationship() argument: ``foreign_keys=[Post.autor_id]``
_AT_IMPORT = re.compile(r"type object '(?P<cls>\w+)' has no attribute '(?P<col>\w+)'")


def parse(event: ProbeEvent) -> tuple[str, str, str] | None:
    """(module, class name, missing column) from the AttributeError, else None (module "" at import)."""
    match = _MESSAGE.search(event.get("message", ""))
    if match:
        return match["module"], match["cls"], match["col"]
    match = _AT_IMPORT.search(event.get("message", "")) if event.get("attribute") else None
    return ("", match["cls"], match["col"]) if match else None


def naming_keyword(rel: RelationshipInfo | None, cls_name: str, column: str) -> str | None:
    """The relationship() keyword whose source spells ``Class.column`` (foreign_keys=, primaryjoin=, ...)."""
    spelled = re.compile(rf"\b{re.escape(cls_name)}\.{re.escape(column)}\b")
    return next((key for key, text in rel.kwargs.items() if spelled.search(text)), None) if rel else None


def _matches(event: ProbeEvent) -> bool:
    return event.get("type") == "AttributeError" and parse(event) is not None


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    module, cls_name, column = parse(event) or ("", "?", "?")
    _, rel = owner_and_relationship(event, index)
    keyword = naming_keyword(rel, cls_name, column) or "foreign_keys"
    written = rel.kwargs.get(keyword) if rel else None
    named = index.find_class(cls_name, module or None)
    columns = sorted(named.columns) if named else []
    close = difflib.get_close_matches(column, columns, n=1, cutoff=0.6)
    hint = f" (did you mean {cls_name}.{close[0]}?)" if close else ""
    why = (
        "foreign_keys= is evaluated when the mappers are configured; the column does not exist, so "
        "configure_mappers() fails, and with it every query on every model."
    )
    if not module:
        why = (
            f"{cls_name}.{column} is evaluated while the class statement runs; the AttributeError aborts the "
            "module's import, so the application cannot start."
        )
    return Explanation(
        message=(
            f"{rel_label(event)} = relationship({event.get('target')!r}, {keyword}={written or '...'}) "
            f"names {cls_name}.{column}, but {cls_name} has no column {column!r}{hint}."
        ),
        why=why,
        target=event.get("target"),
        context={
            "fk_class": cls_name,
            "fk_module": module or (named.module if named else None),
            "missing_column": column,
            "keyword": keyword,
        },
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
    # a relationship-pair error: its matcher refines the general ORM001-003
    supersedes=("ORM001", "ORM002", "ORM003"),
)


# Run as tests (tests/test_code_examples.py): each source is a whole models.py; the DOC's example appears in it.
_INVALID = """\
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    posts = relationship("Post", foreign_keys="Post.autor_id")  # ORM017: the column is author_id


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    author_id = Column(Integer, ForeignKey("users.id"))
"""
_FIXED = _INVALID.replace(
    '    posts = relationship("Post", foreign_keys="Post.autor_id")  # ORM017: the column is author_id\n',
    '    posts = relationship("Post", foreign_keys="Post.author_id")  # ORM017: the column is author_id\n',
)
EXAMPLES = {
    "invalid": [
        {
            "source": _INVALID,
            "code": "ORM017",
            "fixed": {
                "fix-foreign-keys-arg": _FIXED,
                "comment-out": _INVALID.replace(
                    '    posts = relationship("Post", foreign_keys="Post.autor_id")  # ORM017: the column is author_id\n',
                    '    # TODO(ormfix): User.posts fails to configure: foreign_keys= names a column that does not exist (ORM017 foreign-keys-unknown-column); disabled so the mappers configure. Restore it once fixed.\n    # posts = relationship("Post", foreign_keys="Post.autor_id")  # ORM017: the column is author_id\n',
                ),
            },
        }
    ],
    "valid": [{"source": _FIXED}],  # the code as its first fix leaves it
}
