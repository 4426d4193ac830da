"""rename-reserved-attribute: ``metadata = Column(...)`` -> ``metadata_ = Column("metadata", ...)``."""

from __future__ import annotations

from functools import partial

from ormfix.codemods import rename_reserved_attribute as codemod

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from .base import build_fix, class_attribute, not_applicable

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    name, file, attribute = class_attribute(diagnosis)
    if not name or not file or not attribute:
        return not_applicable(STRATEGY, "cannot find the class statement in the project's files")
    summary = (
        f"Rename {name}.{attribute} to {attribute}_, keeping the column name {attribute!r} in the database; "
        f"code reading {name}.{attribute} / obj.{attribute} must use {attribute}_."
    )
    return build_fix(
        project, STRATEGY, summary, "unsafe", [(file, partial(codemod.apply, class_name=name, attribute=attribute))]
    )
