"""use-existing-column: ``level = mapped_column(Integer)`` in a single-table subclass -> ``..., use_existing_column=True)``."""

from __future__ import annotations

from functools import partial

from ormfix_codemods import use_existing_column as codemod

from ..discover import Project
from ..findings import Diagnosis, Fix
from .base import build_fix, class_attribute, not_applicable

STRATEGY = "use-existing-column"


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    name, file, attribute = class_attribute(diagnosis)
    if not name or not file or not attribute:
        return not_applicable(STRATEGY, "cannot find the subclass statement in the project's files")
    same = diagnosis.context.get("same_type")
    table = diagnosis.context.get("table")
    summary = (f"Let {name}.{attribute} map the existing column {table}.{attribute} (use_existing_column=True)"
               + ("." if same else ": the declarations differ in type, and the first one's definition wins: check it."))
    return build_fix(project, STRATEGY, summary, "safe" if same else "unsafe",
                     [(file, partial(codemod.apply, class_name=name, attribute=attribute))])
