"""ORM046 dataclass-field-order: a mapped dataclass field without a default follows one with a default."""

from __future__ import annotations

import re

from ..index import ProjectIndex
from ..probe.events import ProbeEvent
from ._class_level import class_context, event_class, where
from .base import Code, Explanation

DOC = """\
## What it is
A class mapped as a dataclass (`MappedAsDataclass`, `registry.mapped_as_dataclass`) gets a generated
`__init__` whose parameters follow the fields in order. A field without a default (`body:
Mapped[str] = mapped_column(String)`) after one with a default (`title: Mapped[str] =
mapped_column(default="untitled")`) cannot be a parameter there, so the class statement raises
`InvalidRequestError: Python dataclasses error encountered when creating dataclass for 'Note':
TypeError("non-default argument 'body' follows default argument")`.

## Why it breaks
It is raised when the module is imported: the class does not exist, the module stops there, and
everything that imports it (the models package, the app) fails to start.

## Example
```python
class Note(Base):  # Base = MappedAsDataclass + DeclarativeBase
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    title: Mapped[str] = mapped_column(default="untitled")
    body: Mapped[str] = mapped_column(String(1000))  # ORM046: no default after a default
```

## Fixes
Each changes the generated constructor, so each is unsafe:
- `dataclass-kw-only` (unsafe): `class Note(Base, kw_only=True)`: every field becomes a keyword-only
  parameter, so order no longer matters (Python 3.10+); calls passing fields by position break.
- `dataclass-init-false` (unsafe): `init=False` on the fields without a default that follow one with
  a default: they leave the constructor and are set afterwards (`note.body = ...`).
- `dataclass-default` (unsafe): `default=None` on those fields: the constructor no longer requires
  them; a NOT NULL column then fails at INSERT when nobody sets it.
"""

_ORDER = re.compile(r"non-default argument '(?P<field>\w+)' follows default argument")


def _matches(event: ProbeEvent) -> bool:
    return event.get("module", "").startswith("sqlalchemy") and bool(_ORDER.search(event.get("message", "")))


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    match = _ORDER.search(event.get("message", ""))
    field = match["field"] if match else "?"
    cls = event_class(event, index)
    context = dict(class_context(cls), attribute=field, **({"class_line": cls.line} if cls else {}))
    spot = f"{cls.name}.{field}" if cls else f"field {field!r} of {where(cls, event)}"
    return Explanation(
        message=(
            f"{spot} has no default but follows a field with a default, so the dataclass __init__ cannot be "
            f"generated and {where(cls, event)} raises at import; make the fields keyword-only "
            "(kw_only=True), or give it init=False or a default."
        ),
        why=(
            "A dataclass's __init__ takes its fields in order, and a parameter without a default cannot follow "
            "one with a default: the class statement raises TypeError, so the module never finishes importing."
        ),
        context=context,
    )


CODE = Code(
    code="ORM046",
    name="dataclass-field-order",
    severity="error",
    summary="mapped dataclass field without a default after a field with a default (TypeError at import)",
    doc=DOC,
    remedies=("dataclass-kw-only", "dataclass-init-false", "dataclass-default"),
    matches=_matches,
    explain=_explain,
)


# Run as tests (tests/test_code_examples.py): each source is a whole models.py; the DOC's example appears in it.
_INVALID = """\
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, MappedAsDataclass, mapped_column


class Base(MappedAsDataclass, DeclarativeBase):
    pass


class Note(Base):  # Base = MappedAsDataclass + DeclarativeBase
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    title: Mapped[str] = mapped_column(default="untitled")
    body: Mapped[str] = mapped_column(String(1000))  # ORM046: no default after a default
"""
_FIXED = _INVALID.replace(
    "class Note(Base):  # Base = MappedAsDataclass + DeclarativeBase\n",
    "class Note(Base, kw_only=True):  # Base = MappedAsDataclass + DeclarativeBase\n",
)
EXAMPLES = {
    "invalid": [
        {
            "source": _INVALID,
            "code": "ORM046",
            "fixed": {
                "dataclass-kw-only": _FIXED,
                "dataclass-init-false": _INVALID.replace(
                    "    body: Mapped[str] = mapped_column(String(1000))  # ORM046: no default after a default\n",
                    "    body: Mapped[str] = mapped_column(String(1000), init=False)  # ORM046: no default after a default\n",
                ),
                "dataclass-default": _INVALID.replace(
                    "    body: Mapped[str] = mapped_column(String(1000))  # ORM046: no default after a default\n",
                    "    body: Mapped[str] = mapped_column(String(1000), default=None)  # ORM046: no default after a default\n",
                ),
            },
        }
    ],
    "valid": [{"source": _FIXED}],  # the code as its first fix leaves it
}
