"""polymorphic-identity: give a subclass the discriminator value its rows store."""

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
    identity = diagnosis.context.get("identity")
    if not name or not file or not identity:
        return not_applicable(STRATEGY, "cannot find the class statement in the project's files")
    summary = (
        f'Give {name} "polymorphic_identity": {identity!r} in __mapper_args__: the value its rows store in '
        "the discriminator column; check it clashes with no value already in the database"
    )
    return build_fix(
        project,
        STRATEGY,
        summary,
        "unsafe",
        [
            (
                file,
                partial(
                    class_options.apply,
                    class_name=name,
                    keyword="polymorphic_identity",
                    value=repr(identity),
                    mapper_arg=True,
                ),
            )
        ],
    )
