"""wrap-in-mapped: wrap a 2.0 declarative annotation in ``Mapped[...]``."""

from __future__ import annotations

from functools import partial

from ormfix.codemods import wrap_in_mapped as codemod

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from .base import build_fix, class_attribute, not_applicable

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    facts = diagnosis.context
    name, file, attribute = class_attribute(diagnosis)
    if facts.get("form") != "not-mapped":
        python_type = facts.get("python_type", "the Python type")
        return not_applicable(
            STRATEGY,
            f"the annotation is already Mapped[...]; {python_type} needs a column type: "
            f"pass one to mapped_column() or add it to the base's type_annotation_map",
        )
    if not name or not file or not attribute:
        return not_applicable(STRATEGY, "cannot find the annotated attribute in the project's files")
    summary = f"Wrap the annotation of {name}.{attribute} in Mapped[...] (what the 2.0 declarative mapping expects)."
    return build_fix(
        project, STRATEGY, summary, "safe", [(file, partial(codemod.apply, class_name=name, attribute=attribute))]
    )
