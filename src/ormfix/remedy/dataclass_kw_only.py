"""dataclass-kw-only: ``class Note(Base, kw_only=True)``: keyword-only fields, so their order no longer matters."""

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
    if not name or not file:
        return not_applicable(STRATEGY, "cannot find the class statement in the project's files")
    summary = (
        f"Make {name}'s dataclass fields keyword-only (class {name}(..., kw_only=True)): their order no "
        "longer matters; constructor calls that pass fields by position break (Python 3.10+)"
    )
    return build_fix(
        project,
        STRATEGY,
        summary,
        "unsafe",
        [(file, partial(class_options.apply, class_name=name, keyword="kw_only", value="True"))],
    )
