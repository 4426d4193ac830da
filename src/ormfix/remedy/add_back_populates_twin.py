"""add-back-populates-twin: write the relationship that back_populates names on the other class.

For ORM015 (backref= and back_populates= together) it also drops the backref, and only drops it when
the twin already exists.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from ormfix.codemods import add_relationship, relationship_arg

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from .base import NO_STATEMENT, Transform, build_fix, not_applicable, owner_class, owner_file

STRATEGY = strategy_of(__name__)


def _twin_step(owner: str, attribute: str, facts: dict[str, Any]) -> tuple[tuple[str, Transform] | None, str]:
    if facts.get("pointing_back"):
        existing = ", ".join(f"{facts['other']}.{name}" for name in facts["pointing_back"])
        return None, (
            f"{existing} already points back at {owner}; a second relationship would "
            "overlap it (use --strategy=fix-back-populates)"
        )
    if facts.get("twin_collection") is None:
        return None, (
            f"cannot tell from the foreign keys whether {facts['other']}.{facts['missing']} holds one object or a list"
        )
    return (
        facts["other_file"],
        partial(
            add_relationship.apply,
            class_name=facts["other"],
            attribute=facts["missing"],
            target=owner,
            back_populates=attribute,
            collection=facts["twin_collection"],
            secondary=facts.get("secondary"),
        ),
    ), ""


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    facts = diagnosis.context
    twin = facts.get("missing")
    attribute = diagnosis.attribute or facts.get("attribute")  # ORM015 is reported at the class statement
    owner = diagnosis.class_name
    if not facts.get("other_file") or not twin or not attribute or owner is None:
        return not_applicable(STRATEGY, "cannot find the other class in the project's files")
    label = f"{diagnosis.class_name}.{attribute}"
    if facts.get("missing_kind") and not facts.get("pointing_back"):  # ORM020: the name is taken
        return not_applicable(
            STRATEGY,
            f"{facts['other']}.{twin} is {facts['missing_kind']}: a twin called {twin!r} "
            "would replace it; write the twin under a new name and name that in back_populates",
        )
    steps: list[tuple[str, Transform]] = []
    parts: list[str] = []
    if facts.get("drop_backref"):
        rel_file = owner_file(project, diagnosis)
        if rel_file is None:
            return not_applicable(STRATEGY, NO_STATEMENT)
        steps.append(
            (
                rel_file,
                partial(
                    relationship_arg.apply,
                    class_name=owner_class(project, diagnosis) or owner,
                    attribute=attribute,
                    keyword="backref",
                    remove=True,
                ),
            )
        )
        parts.append(f"Drop backref= from {label}")
    if not facts.get("twin_exists"):
        step, reason = _twin_step(owner, attribute, facts)
        if step is None:
            return not_applicable(STRATEGY, reason)
        steps.append(step)
        kind = "a list" if facts["twin_collection"] else "one object"
        parts.append(
            f"add {facts['other']}.{twin} = relationship({diagnosis.class_name!r}, "
            f"back_populates={attribute!r}) ({kind}), the twin {label} names"
        )
    summary = "; ".join(parts)
    return build_fix(project, STRATEGY, summary[0].upper() + summary[1:], "safe", steps)
