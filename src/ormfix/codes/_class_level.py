"""Helpers for codes raised by a class statement itself (at import): match the message, name the class."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..index import ClassInfo, ProjectIndex
from ..probe.events import ProbeEvent


def message_matches(pattern: str) -> Callable[[ProbeEvent], bool]:
    """A matcher for SQLAlchemy errors whose message matches ``pattern`` (a regex)."""
    compiled = re.compile(pattern)
    return lambda event: (
        event.get("module", "").startswith("sqlalchemy") and bool(compiled.search(event.get("message", "")))
    )


def event_class(event: ProbeEvent, index: ProjectIndex) -> ClassInfo | None:
    """The class whose statement raised (by its line when a module defines the name twice)."""
    name = event.get("class")
    if not name:
        return None
    found = index.find_class(name, event.get("class_module"))
    if found is not None and event.get("class_line") not in (None, found.line):
        found = next(
            (
                c
                for c in index.classes()
                if c.name == found.name and c.file == found.file and c.line == event["class_line"]
            ),
            found,
        )
    return found


def where(cls: ClassInfo | None, event: ProbeEvent) -> str:
    """``class Tag (models/tag.py:5)`` for a message."""
    if cls is None:
        return f"class {event.get('class') or '?'}"
    return f"class {cls.name} ({cls.file}:{cls.line})"


def class_context(cls: ClassInfo | None) -> dict[str, Any]:
    return {"class": cls.name, "class_module": cls.module, "class_file": cls.file} if cls else {}


def class_assigning(index: ProjectIndex, attribute: str) -> ClassInfo | None:
    """The one mapped class whose body binds ``attribute`` (None when none or several do)."""
    found = [c for c in index.mapped_classes() if attribute in c.attributes]
    return found[0] if len(found) == 1 else None
