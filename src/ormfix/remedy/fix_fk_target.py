"""fix-fk-target: point a misspelled ForeignKey('table.col') at the existing table/column it is closest to."""

from __future__ import annotations

from functools import partial

from ormfix.codemods import fix_fk_target as codemod

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from .base import build_fix, not_applicable

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    facts = diagnosis.context
    holder = project.index.find_class(facts.get("holder") or "", facts.get("holder_module"))
    if holder is None or not facts.get("column"):
        return not_applicable(STRATEGY, "cannot find the column holding the ForeignKey in the project's files")
    label = f"{holder.name}.{facts['column']}"
    if not facts.get("suggestion"):
        return not_applicable(
            STRATEGY,
            f"no existing table.column is close to {facts['bad_target']!r}: correct {label}'s ForeignKey by hand",
        )
    step = partial(
        codemod.apply,
        class_name=holder.name,
        column_name=facts["column"],
        old_target=facts["bad_target"],
        new_target=facts["suggestion"],
    )
    summary = (
        f"Point {label}'s ForeignKey at {facts['suggestion']!r} instead of the missing "
        f"{facts['bad_target']!r} (a did-you-mean guess: check it; the database's constraint needs the same fix)."
    )
    return build_fix(project, STRATEGY, summary, "unsafe", [(holder.file, step)], schema_change=True)
