"""wrap-in-declared-attr: make each plain relationship() of a mixin a @declared_attr method returning it."""

from __future__ import annotations

from functools import partial

from ormfix.codemods import wrap_in_declared_attr as codemod

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from .base import build_fix, not_applicable

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    plain = diagnosis.context.get("plain") or []
    if not plain:
        return not_applicable(STRATEGY, "ormfix could not find the mixin attribute SQLAlchemy refused")
    steps = [(file, partial(codemod.apply, class_name=mixin, attribute=attribute)) for mixin, file, attribute in plain]
    listed = ", ".join(f"{mixin}.{attribute}" for mixin, _, attribute in plain)
    summary = (
        f"Make {listed} a @declared_attr method returning the same relationship(), so every class using "
        "the mixin gets its own"
    )
    return build_fix(project, STRATEGY, summary, "safe", steps)
