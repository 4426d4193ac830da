"""ORM038 second-declarative-base: a relationship's target exists, but on another declarative base."""

from __future__ import annotations

from typing import Any

from ..index import ProjectIndex
from ..probe.events import ProbeEvent
from ._bases import declarative_base_of
from ._facts import owner_and_relationship, rel_label
from .base import Code, Explanation
from .orm002_unresolved_target import failed_to_locate, missing_name

DOC = """\
## What it is
`relationship("Invoice")` names a class that exists and is imported, but is mapped on a *different*
declarative base: a second `declarative_base()` / `DeclarativeBase` subclass (often copied in with
code from another service), or a second Flask-SQLAlchemy `db = SQLAlchemy()` instance. Each base has
its own registry and its own `MetaData`; a relationship's string target is looked up only in its own
class's registry, so `configure_mappers()` raises `InvalidRequestError: ... expression 'Invoice'
failed to locate a name ('Invoice')`, as if the class did not exist. A `ForeignKey("users.id")`
between the two bases fails too (the other base's MetaData has no table `users`).

## Why it breaks
The lookup happens in `configure_mappers()`, before the first query, so every query on every model
fails. The message says nothing about the second base; ormfix names both bases and where they are
created.

## Example
```python
# models/base.py
Base = declarative_base()
# models/legacy_base.py
LegacyBase = declarative_base()            # a second registry

class User(Base):
    invoices = relationship("Invoice")     # ORM038
class Invoice(LegacyBase):
    __tablename__ = "invoices"
    user_id = Column(ForeignKey("users.id"))
```

## Fixes
- `use-shared-base` (safe): change the stray class's base to the one the relationship's owner uses
  (`class Invoice(Base):`), importing it (`from models.base import Base`). Only when the evidence is
  unambiguous: one class of that name on one other base, that base mapping fewer classes than the
  owner's, the base written in the class statement, and no other meaning for the name in its module.
  The class's table moves to the shared MetaData (a separate database or bind is a design decision:
  then keep the bases and drop the relationship).
- `comment-out` (unsafe: disables the relationship).
"""


def _matches(event: ProbeEvent) -> bool:
    return failed_to_locate(event) and bool(event.get("mapped_elsewhere"))


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    name = (missing_name(event) or "?").rsplit(".", 1)[-1]
    elsewhere = event.get("mapped_elsewhere") or []
    owner, _ = owner_and_relationship(event, index)
    stray = index.find_class(name, elsewhere[0]["module"]) if len(elsewhere) == 1 else None
    owner_base = declarative_base_of(owner, index) if owner else None
    stray_base = declarative_base_of(stray, index) if stray else None
    pair = sorted({event.get("class") or "?", name})
    context: dict[str, Any] = {
        "missing": name,
        "split_pair": pair,
        "root_cause": f"bases:{pair[0]}/{pair[1]}",
        "primary": bool(elsewhere) and elsewhere[0]["owner_size"] >= elsewhere[0]["size"],
    }
    if stray is not None and owner is not None and owner_base is not None and stray_base is not None:
        context.update(
            {
                "stray": stray.name,
                "stray_module": stray.module,
                "stray_file": stray.file,
                "old_base": stray_base.written,
                "new_base": owner_base.written,
                "import_from": owner_base.module,
                "import_name": owner_base.name,
                "smaller": elsewhere[0]["size"] < elsewhere[0]["owner_size"],
            }
        )
        message = (
            f"{rel_label(event)} = relationship({name!r}) cannot find {name}: {name} ({stray.file}:{stray.line}) "
            f"is mapped on {stray_base.written} ({stray_base.where}), but {owner.name} is mapped on "
            f"{owner_base.written} ({owner_base.where}); two declarative bases have two registries, and a "
            f"relationship only sees classes of its own. Map {name} on {owner_base.written}."
        )
    else:
        modules = ", ".join(f"{e['module']}.{e['class']}" for e in elsewhere)
        message = (
            f"{rel_label(event)} = relationship({name!r}) cannot find {name}: {modules} is mapped on another "
            f"declarative base (registry) than {event.get('class')}; a relationship only sees classes of "
            "its own base. Map both classes on one base."
        )
    return Explanation(
        message=message,
        why=(
            "Each declarative base has its own class registry and MetaData; the name is looked up in the owner's "
            "registry only, so configure_mappers() fails, and with it every query on every model."
        ),
        target=name,
        context=context,
    )


CODE = Code(
    code="ORM038",
    name="second-declarative-base",
    severity="error",
    summary="relationship() target is mapped on another declarative base (registry, Flask-SQLAlchemy db)",
    doc=DOC,
    remedies=("use-shared-base", "comment-out"),
    matches=_matches,
    explain=_explain,
    # a class on another declarative base also "failed to locate a name"
    supersedes=("ORM002", "ORM018"),
)
