"""polymorphic-abstract: an intermediate class without an identity is marked ``polymorphic_abstract=True``."""

from __future__ import annotations

from functools import partial

from ormfix.codemods import class_options

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from .base import build_fix, class_attribute, not_applicable

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    name, file, _ = class_attribute(diagnosis)
    subclasses = diagnosis.context.get("subclasses") or []
    if not name or not file:
        return not_applicable(STRATEGY, "cannot find the class statement in the project's files")
    if not subclasses:
        return not_applicable(
            STRATEGY,
            f"{name} has no mapped subclasses: an abstract class of its own could never "
            "be stored; give it a polymorphic_identity",
        )
    summary = (
        f"Mark {name} polymorphic_abstract=True in __mapper_args__: a base for {', '.join(subclasses)}, never "
        "instantiated itself (SQLAlchemy 2.0+; no schema change)"
    )
    return build_fix(
        project,
        STRATEGY,
        summary,
        "safe",
        [
            (
                file,
                partial(
                    class_options.apply, class_name=name, keyword="polymorphic_abstract", value="True", mapper_arg=True
                ),
            )
        ],
    )
