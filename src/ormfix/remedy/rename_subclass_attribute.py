"""rename-subclass-attribute: ``name = Column(...)`` in a subclass -> ``manager_name = Column("name", ...)``."""

from __future__ import annotations

from functools import partial

from ormfix.codemods import rename_reserved_attribute as codemod

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from .base import build_fix, class_attribute, not_applicable

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    (name, file, attribute), new = class_attribute(diagnosis), diagnosis.context.get("new_attribute")
    if not name or not file or not attribute or not new:
        return not_applicable(STRATEGY, "cannot find the subclass statement in the project's files")
    summary = (
        f"Rename {name}.{attribute} to {new}, keeping its column name {attribute!r}: {name}.{attribute} is "
        f"then the parent's column only, and code reading the subclass's column must use {new}."
    )
    return build_fix(
        project,
        STRATEGY,
        summary,
        "unsafe",
        [(file, partial(codemod.apply, class_name=name, attribute=attribute, new=new))],
    )
