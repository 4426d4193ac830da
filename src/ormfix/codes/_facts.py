"""Facts about a failing relationship, read from the static index (shared by the relationship codes)."""

from __future__ import annotations

from typing import Literal

from ..index import ClassInfo, ColumnInfo, ProjectIndex, RelationshipInfo
from ..probe.events import ProbeEvent


def owner_and_relationship(event: ProbeEvent, index: ProjectIndex) -> tuple[ClassInfo | None, RelationshipInfo | None]:
    owner = index.find_class(event.get("class") or "", event.get("class_module"))
    if owner is None:
        return None, None
    return owner, owner.relationships.get(event.get("attribute") or "")


def target_class(event: ProbeEvent, index: ProjectIndex) -> ClassInfo | None:
    name = event.get("target_class") or event.get("target")
    if not name:
        return None
    return index.find_class(name, event.get("target_module"))


def table_of(cls: ClassInfo | None, event: ProbeEvent, key: Literal["parent_table", "target_table"]) -> str | None:
    return event.get(key) or (cls.tablename if cls else None)


def fks_to(cls: ClassInfo, table: str | None) -> list[ColumnInfo]:
    """Columns of ``cls`` with a ForeignKey into ``table``."""
    if not table:
        return []
    return [
        col
        for col in cls.columns.values()
        if any(fk.split(".")[0] == table or fk.rsplit(".", 1)[0].endswith("." + table) for fk in col.foreign_keys)
    ]


def rel_label(event: ProbeEvent) -> str:
    return f"{event.get('class')}.{event.get('attribute')}"


def first_line(text: str) -> str:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""
