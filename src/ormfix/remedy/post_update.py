"""post-update: break a flush cycle between two rows with post_update=True on the many-to-one side."""

from __future__ import annotations

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from ._keyword_fix import keyword_fix
from .base import not_applicable

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    label = f"{diagnosis.class_name}.{diagnosis.attribute}"
    if not diagnosis.context.get("nullable", True):
        return not_applicable(
            STRATEGY,
            f"the foreign key of {label} is NOT NULL, and post_update inserts NULL "
            "first: make the column nullable (a migration), then add post_update=True",
        )
    summary = (
        f"Add post_update=True to {label}: both rows are inserted first, then an UPDATE sets the key "
        f"(one more statement per flush; no schema change)"
    )
    return keyword_fix(project, diagnosis, STRATEGY, summary, "post_update", value="True")
