"""link-back-populates: link two relationships that overlap into one pair, with back_populates on both sides."""

from __future__ import annotations

from functools import partial

from ormfix.codemods import relationship_arg

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from .base import NO_STATEMENT, build_fix, not_applicable, statement_of

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    link = diagnosis.context.get("link")
    if not link:
        listed = ", ".join(diagnosis.context.get("conflicts") or []) or "the other relationship"
        return not_applicable(
            STRATEGY,
            f"{diagnosis.class_name}.{diagnosis.attribute} and {listed} are not the "
            "two sides of one link (use --strategy=overlaps)",
        )
    statement = statement_of(project, diagnosis)
    if statement is None:
        return not_applicable(STRATEGY, NO_STATEMENT)
    rel_file, rel_class, attribute = statement
    steps = [
        (
            rel_file,
            partial(
                relationship_arg.apply,
                class_name=rel_class,
                attribute=attribute,
                keyword="back_populates",
                text=link["attribute"],
            ),
        ),
        (
            link["file"],
            partial(
                relationship_arg.apply,
                class_name=link["class"],
                attribute=link["attribute"],
                keyword="back_populates",
                text=attribute,
            ),
        ),
    ]
    summary = (
        f"Link {diagnosis.class_name}.{diagnosis.attribute} and {link['class']}.{link['attribute']} with "
        "back_populates on both sides, so they stay in sync"
    )
    return build_fix(project, STRATEGY, summary, "safe", steps)
