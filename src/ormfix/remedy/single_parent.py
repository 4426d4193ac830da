"""single-parent: delete-orphan on the many side needs single_parent=True (what SQLAlchemy asks for)."""

from __future__ import annotations

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from ._keyword_fix import keyword_fix

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    summary = (
        f"Add single_parent=True to {diagnosis.class_name}.{diagnosis.attribute}: keeps the delete-orphan "
        f"cascade, and a {diagnosis.target} may then belong to only one {diagnosis.class_name} at a time"
    )
    return keyword_fix(project, diagnosis, STRATEGY, summary, "single_parent", value="True")
