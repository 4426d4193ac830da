"""ORM002 unresolved-target: a relationship() names a class SQLAlchemy cannot find."""

from __future__ import annotations

import difflib
import re
from typing import Any

from ..index import ProjectIndex
from ..probe.events import ProbeEvent
from ._spelling import is_sqlmodel, relationship_construct
from .base import Code, Explanation

DOC = """\
## What it is
`relationship("School")` names its target by string, and SQLAlchemy resolves the string against the
classes mapped in the same declarative registry when the mappers are configured. No class called
`School` was mapped, so it raises `InvalidRequestError: ... expression 'School' failed to locate a
name ('School')`.

## Why it breaks
The lookup happens in `configure_mappers()`, before the first query. The failure marks that mapper as
broken and every later query on *any* model raises "One or more mappers failed to initialize": a
work-in-progress relationship on a model nobody queries still stops every worker.

"failed to locate a name" has several causes, and ormfix names the one it finds:
- the class does not exist (an unfinished feature);
- the name is misspelled (ormfix suggests the mapped class it is closest to);
- the class exists, but its module is never imported by the models package;
- the class is mapped on a different declarative base (registry).
A `secondary=` table that does not exist fails the same way; ormfix reports it as ORM018.

A class *object* that does not exist (`relationship(Adress)`, unquoted) fails earlier: Python raises
`NameError` while the class statement runs, at import, so the class (and everything importing it) is
missing. ormfix reports it here too, at the relationship's line, not as an import failure.

## Example
```python
class Organization(Base):
    __tablename__ = "organizations"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    schools = relationship("School", back_populates="organization", lazy="dynamic")  # ORM002
```

## Fixes
- `comment-out` (unsafe: disables the relationship): comment it out under a `# TODO(ormfix)` line
  saying why; what the team in the incident did by hand, with the reason kept in the code.
- `rename-target` (unsafe: a guess at intent): point the relationship at the mapped class the evidence
  names, and complete the pair. Every mapped class is ranked by its evidence, strongest first: a
  relationship named like this one's `back_populates`/`backref` that points back at this class and is
  nobody's twin yet (`Class.organization = relationship("Organization")` for
  `schools = relationship("School", back_populates="organization")`); the foreign keys (for a
  collection, a class whose table has a ForeignKey to this class's table; for a scalar, the table this
  class's own ForeignKey names; a class already related either way is no candidate); the shape of the
  annotation; the name's similarity ("did you mean ...?"). The summary shows the evidence. It applies
  only when the evidence is strong (a back_populates/backref match, the foreign keys leaving exactly
  one class, or one name clearly closest) and no other class ranks as high: a tie gives no rename. The other
  side gets `back_populates="schools"`, so the pair is linked and no overlap warning follows.
  An unquoted class name is written as the class name when the module binds it before the class
  statement (imported or defined above), else quoted (`relationship("Address")`, resolved when the
  mappers are configured); a mapped class the module never imports is just quoted.
When the class exists but is not imported, the diagnosis names the file that defines it.
"""

_NAME = re.compile(r"failed to locate a name \('(?P<name>[^']+)'\)|expression '(?P<expr>[^']+)' failed to locate")


_UNBOUND = re.compile(r"name '(?P<name>\w+)' is not defined")


def failed_to_locate(event: ProbeEvent) -> bool:
    """SQLAlchemy could not resolve a string name when configuring the mappers."""
    return "failed to locate a name" in event.get("message", "") or (
        event.get("type") == "InvalidRequestError" and "failed to locate" in event.get("message", "")
    )


def unbound_class_name(event: ProbeEvent) -> bool:
    """``relationship(Missing)``: the NameError is about the relationship's own target."""
    match = _UNBOUND.search(event.get("message", "")) if event.get("type") == "NameError" else None
    return match is not None and event.get("attribute") is not None and match["name"] == event.get("target")


def _matches(event: ProbeEvent) -> bool:
    return failed_to_locate(event) or unbound_class_name(event)


def missing_name(event: ProbeEvent) -> str | None:
    match = _NAME.search(event.get("message", ""))
    if not match:
        return event.get("target")
    return match["name"] or match["expr"]


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    name = missing_name(event) or "?"
    mapped = sorted({cls.name for cls in index.mapped_classes()})
    context: dict[str, Any] = {"missing": name}
    defined = [cls for cls in index.classes() if cls.name == name.rsplit(".", 1)[-1]]
    unquoted = unbound_class_name(event)
    sqlmodel = is_sqlmodel(index, event.get("class"), event.get("class_module"))
    if unquoted:
        context["unquoted"] = True
    if defined and unquoted:
        where = defined[0]
        context.update({"cause": "unbound", "defined_in": where.file, "defined_line": where.line})
        quoted = repr(name) if sqlmodel else f"relationship({name!r})"
        message = (
            f"{relationship_construct(event, index, name)}: the class object {name} ({where.file}:{where.line}) is not "
            f"bound where the class statement runs (not imported, or defined below it), so the class "
            f"statement raises NameError at import; quote it "
            f"({quoted}) to resolve it when the mappers are configured."
        )
    elif defined:
        where = defined[0]
        context.update({"cause": "not-imported", "defined_in": where.file, "defined_line": where.line})
        message = (
            f"{relationship_construct(event, index, repr(name))}: class {name} is defined in {where.file}:{where.line}, "
            f"but SQLAlchemy never saw it mapped (its module is not imported by the models package, "
            f"or it is mapped on another declarative base)."
        )
    else:
        close = difflib.get_close_matches(name, mapped, n=3, cutoff=0.6)
        context.update({"cause": "typo" if close else "missing", "candidates": close})
        construct = relationship_construct(event, index, name if unquoted else repr(name))
        if close:
            message = f"{construct} names a class that does not exist (did you mean {close[0]!r}?)."
        else:
            message = f"{construct} names a class {name!r} that does not exist anywhere in the project."
        if unquoted:
            message = message[:-1] + (
                "; as an unquoted name it raises NameError while the class statement runs, "
                f"so {event.get('class')} is never mapped."
            )
    why = (
        "SQLAlchemy resolves the name when the mappers are configured; it fails, so "
        "configure_mappers() fails, and with it every query on every model."
    )
    if unquoted:
        why = (
            "Python evaluates the name when the class statement runs; the NameError aborts the module's import, "
            "so the application cannot start."
        )
    return Explanation(
        message=message,
        why=why,
        target=name,
        context=context,
    )


CODE = Code(
    code="ORM002",
    name="unresolved-target",
    severity="error",
    summary="relationship() names a class (or secondary table) that SQLAlchemy cannot find",
    doc=DOC,
    remedies=("comment-out", "rename-target"),
    matches=_matches,
    explain=_explain,
)


# Run as tests (tests/test_code_examples.py): each source is a whole models.py; the DOC's example appears in it.
_INVALID = """\
import uuid

from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Organization(Base):
    __tablename__ = "organizations"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    schools = relationship("School", back_populates="organization", lazy="dynamic")  # ORM002
"""
_SCHOOLS = '    schools = relationship("School", back_populates="organization", lazy="dynamic")  # ORM002\n'
_SCHOOL = """

class School(Base):
    __tablename__ = "schools"
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"))
    organization = relationship("Organization", back_populates="schools")
"""
EXAMPLES = {
    "invalid": [
        {
            "source": _INVALID,
            "code": "ORM002",
            "fixed": {
                "comment-out": _INVALID.replace(
                    _SCHOOLS,
                    "    # TODO(ormfix): Organization.schools names class 'School', which SQLAlchemy cannot find "
                    "(ORM002 unresolved-target); disabled so the mappers configure. Restore it once fixed.\n"
                    "    # " + _SCHOOLS[4:],
                ),
            },
        }
    ],
    "valid": [{"source": "from sqlalchemy import ForeignKey\n" + _INVALID + _SCHOOL}],
}
