"""ORM036 mapped-annotation: a 2.0 declarative annotation SQLAlchemy cannot map (raised at import)."""

from __future__ import annotations

import re

from ..index import ProjectIndex
from ..probe.events import ProbeEvent
from ._class_level import class_context, event_class, message_matches, where
from .base import Code, Explanation

DOC = """\
## What it is
On a 2.0 `DeclarativeBase`, SQLAlchemy reads every annotation in the class body. Two mistakes make the
`class` statement raise `MappedAnnotationError`:
- an annotation not wrapped in `Mapped[]` (`children: list["Child"] = relationship()`,
  `name: str = mapped_column()`): "Type annotation for "Parent.children" can't be correctly
  interpreted for Annotated Declarative Table form";
- a `Mapped[X]` whose Python type `X` has no SQLAlchemy column type (`Mapped[dict]`, a custom class):
  "Could not locate SQLAlchemy Core type when resolving for Python type indicated by ...".

## Why it breaks
The error is raised when the module is imported: the class does not exist, the module stops there,
and everything that imports it (the models package, the app) fails to start.

## Example
```python
class Parent(Base):
    __tablename__ = "parents"
    id: Mapped[int] = mapped_column(primary_key=True)
    children: list["Child"] = relationship(back_populates="parent")  # ORM036: not Mapped[...]
    settings: Mapped[dict] = mapped_column()  # ORM036: no column type for dict
```

## Fixes
- `wrap-in-mapped` (safe): wrap the annotation in `Mapped[...]` (`children: Mapped[list["Child"]]`),
  importing `Mapped` from `sqlalchemy.orm` if needed. Only for the "not wrapped in Mapped[]" form.
- `add-column-type` (unsafe: a choice of database type): for a dict, list or Any annotation, pass
  `JSON` to the column (`settings: Mapped[dict] = mapped_column(JSON)`; a bare annotation gets
  `= mapped_column(JSON)`), importing it. Check the type (JSONB on PostgreSQL?) and that an existing
  column holds JSON. For other Python types it does not apply: give the column its type by hand, or
  map the Python type once for the whole base with `type_annotation_map = {Money: Numeric(12, 2)}`
  on the `DeclarativeBase` subclass.
"""

_NOT_MAPPED = re.compile(r'Type annotation for "(?:\w+\.)*(?P<cls>\w+)\.(?P<attr>\w+)" can\'t be correctly interpreted')
_NO_TYPE = re.compile(
    r"Could not locate SQLAlchemy Core type .*?Python type indicated by '(?P<type>.+?)' "
    r"inside the Mapped\[\] annotation for the '(?P<attr>\w+)' attribute"
)
_matches = message_matches(
    r"can't be correctly interpreted for Annotated Declarative Table form"
    r"|Could not locate SQLAlchemy Core type"
)


def _python_type(text: str) -> str:
    """``<class 'dict'>`` -> ``dict``."""
    found = re.fullmatch(r"<class '(?:builtins\.)?(?P<name>[\w.]+)'>", text)
    return found["name"] if found else text


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    cls = event_class(event, index)
    message = event.get("message", "")
    context = class_context(cls)
    not_mapped, no_type = _NOT_MAPPED.search(message), _NO_TYPE.search(message)
    if not_mapped:
        attr = not_mapped["attr"]
        context.update(form="not-mapped", attribute=attr)
        text = (
            f"{where(cls, event)}: the annotation of {attr!r} is not wrapped in Mapped[...], so the 2.0 "
            f"declarative mapping cannot tell what it maps; write `{attr}: Mapped[...]`."
        )
    else:
        attr = no_type["attr"] if no_type else None
        python_type = _python_type(no_type["type"]) if no_type else "?"
        context.update(form="no-column-type", attribute=attr, python_type=python_type)
        text = (
            f"{where(cls, event)}: {attr or 'an attribute'} is annotated Mapped[{python_type}], and "
            f"SQLAlchemy has no column type for the Python type {python_type}; pass the type "
            f"(`mapped_column(JSON)` or another), or add {python_type} to the base's type_annotation_map."
        )
    return Explanation(
        message=text,
        why=(
            "A 2.0 declarative class derives each column from its annotation; one it cannot interpret makes the "
            "class statement raise at import, so the module (and the app importing it) never loads."
        ),
        context=context,
    )


CODE = Code(
    code="ORM036",
    name="mapped-annotation",
    severity="error",
    summary="2.0 annotation not wrapped in Mapped[] or with no column type",
    doc=DOC,
    remedies=("wrap-in-mapped", "add-column-type"),
    matches=_matches,
    explain=_explain,
)
