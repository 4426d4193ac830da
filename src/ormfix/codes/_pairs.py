"""Facts about the two sides of a relationship pair, read from the static index (for ORM010-ORM029)."""

from __future__ import annotations

import re
from typing import Any

from ..index import ClassInfo, ProjectIndex, RelationshipInfo
from ..probe.events import ProbeEvent
from ._facts import fks_to, owner_and_relationship, table_of, target_class

_MISSING_PROPERTY = re.compile(r"has no property '(?P<name>[^']+)'")


def short(name: str | None) -> str:
    return (name or "").rsplit(".", 1)[-1]


def points_at(rel: RelationshipInfo, class_name: str) -> bool:
    return short(rel.target) == class_name


def pointing_back(other: ClassInfo, owner: str, exclude: str | None = None) -> list[RelationshipInfo]:
    """The relationships of ``other`` whose target is the class ``owner`` (``exclude``: an attribute)."""
    return [rel for rel in other.relationships.values() if points_at(rel, owner) and rel.attribute != exclude]


def missing_property(event: ProbeEvent) -> str | None:
    found = _MISSING_PROPERTY.search(event.get("message", ""))
    return found["name"] if found else None


def many_to_one(event: ProbeEvent, index: ProjectIndex) -> bool | None:
    """Whether the owner's table holds the foreign key of the pair (None when the index cannot tell)."""
    owner, rel = owner_and_relationship(event, index)
    target = target_class(event, index)
    if rel is None or owner is None:
        return None
    if event.get("secondary") or "secondary" in rel.kwargs:
        return False
    if target is not None and target.name != owner.name:
        if fks_to(owner, table_of(target, event, "target_table")):
            return True
        if fks_to(target, table_of(owner, event, "parent_table")):
            return False
    return None if rel.collection is None else not rel.collection


def pair_facts(event: ProbeEvent, index: ProjectIndex) -> dict[str, Any]:
    """The other class, its relationships pointing back at the owner, and the shape a twin would take."""
    owner, rel = owner_and_relationship(event, index)
    other = target_class(event, index)
    if owner is None or other is None:
        return {}
    scalar = many_to_one(event, index)
    return {
        "owner": owner.name,
        "other": other.name,
        "other_module": other.module,
        "other_file": other.file,
        "pointing_back": [each.attribute for each in pointing_back(other, owner.name, exclude=event.get("attribute"))],
        "twin_collection": True if event.get("secondary") else scalar,
        "secondary": event.get("secondary") if isinstance(event.get("secondary"), str) else None,
    }


def _paired_elsewhere(rel: RelationshipInfo, owner: ClassInfo, attribute: str) -> bool:
    """``rel`` (on the other class) and a relationship of ``owner`` other than ``attribute`` name each other."""
    name = rel.kwarg_str("back_populates")
    twin = owner.relationships.get(name or "") if name != attribute else None
    return twin is not None and twin.kwarg_str("back_populates") == rel.attribute


def partner_candidates(event: ProbeEvent, index: ProjectIndex) -> list[str]:
    """The relationships of the other class that ``back_populates`` should name: those that name this one back,
    else those pointing back at the owner that are not already paired with another of its relationships."""
    owner, rel = owner_and_relationship(event, index)
    other = target_class(event, index)
    attribute = event.get("attribute") or ""
    if owner is None or other is None:
        return []
    back = [
        each for each in pointing_back(other, owner.name) if (other.name, each.attribute) != (owner.name, attribute)
    ]
    claims = [each.attribute for each in back if each.kwarg_str("back_populates") == attribute]
    if claims:
        return claims
    named = event.get("back_populates")
    return [
        each.attribute for each in back if each.attribute != named and not _paired_elsewhere(each, owner, attribute)
    ]


def partner_facts(event: ProbeEvent, index: ProjectIndex, named: str) -> dict[str, Any]:
    """pair_facts with ``pointing_back`` narrowed to the partner candidates (what fix-back-populates uses)."""
    return dict(pair_facts(event, index), pointing_back=partner_candidates(event, index), missing=named)


def twin_hint(facts: dict[str, Any], other: str | None, owner: str | None) -> str:
    """What back_populates should name, from ``partner_facts``: the one candidate, several, or none."""
    back = facts.get("pointing_back") or []
    if len(back) == 1:
        return f"its twin is {other}.{back[0]} (did you mean back_populates={back[0]!r}?)"
    if back:
        return f"{', '.join(f'{other}.{b}' for b in back)} could be its twin: name the one that pairs with it"
    return f"no free relationship of {other} points back at {owner}: write the twin and name it in back_populates"
