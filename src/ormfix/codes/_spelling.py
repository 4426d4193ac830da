"""Constructs named in messages the way the class itself spells them: SQLAlchemy's ``relationship('B')`` /
``ForeignKey('t.id')``, or SQLModel's ``Relationship()`` (the target in the annotation) / ``Field(foreign_key='t.id')``."""

from __future__ import annotations

from ..index import ProjectIndex
from ..probe.events import ProbeEvent


def is_sqlmodel(index: ProjectIndex, class_name: str | None, module: str | None = None) -> bool:
    cls = index.find_class(class_name or "", module) if class_name else None
    return bool(cls and cls.sqlmodel_table)


def relationship_construct(event: ProbeEvent, index: ProjectIndex, target: str, *arguments: str) -> str:
    """``Owner.attr = relationship('Target', arguments)``; for a SQLModel class ``Owner.attr: <its annotation,
    else 'Target'> = Relationship(arguments)``. ``target`` is written as given (repr() quotes a string)."""
    label = f"{event.get('class')}.{event.get('attribute')}"
    owner = index.find_class(event.get("class") or "", event.get("class_module"))
    if owner is not None and owner.sqlmodel_table:
        rel = owner.relationships.get(event.get("attribute") or "")
        return f"{label}: {rel.annotation if rel and rel.annotation else target} = Relationship({', '.join(arguments)})"
    return f"{label} = relationship({', '.join([target, *arguments])})"


def foreign_key_call(sqlmodel: bool, target: str) -> str:
    """``ForeignKey('t.id')``, or SQLModel's ``Field(foreign_key='t.id')``; ``target`` as written."""
    return f"Field(foreign_key={target})" if sqlmodel else f"ForeignKey({target})"


def foreign_key_column(sqlmodel: bool) -> str:
    return "Field(foreign_key=...) column" if sqlmodel else "ForeignKey column"
