"""fix-back-populates: point back_populates= at the relationship of the other class that points back."""

from __future__ import annotations

from functools import partial

from ormfix.codemods import relationship_arg

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from .base import NO_STATEMENT, build_fix, not_applicable, statement_of

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    facts = diagnosis.context
    back = facts.get("pointing_back") or []
    if len(back) != 1:
        found = f" ({', '.join(back)} all do)" if back else ""
        return not_applicable(
            STRATEGY,
            f"no single relationship of {facts.get('other', 'the other class')} "
            f"points back at {diagnosis.class_name}{found}",
        )
    statement = statement_of(project, diagnosis)
    if statement is None:
        return not_applicable(STRATEGY, NO_STATEMENT)
    rel_file, rel_class, attribute = statement
    step = partial(
        relationship_arg.apply,
        class_name=rel_class,
        attribute=attribute,
        keyword="back_populates",
        text=back[0],
    )
    summary = (
        f"Set back_populates={back[0]!r} on {diagnosis.class_name}.{diagnosis.attribute}: "
        f"{facts['other']}.{back[0]} is the relationship that points back (not {facts.get('missing')!r})"
    )
    return build_fix(project, STRATEGY, summary, "safe", [(rel_file, step)])
