"""backref-to-back-populates: a backref that collides with the hand-written twin becomes back_populates."""

from __future__ import annotations

import ast
from functools import partial

from ormfix.codemods import relationship_arg

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from .base import NO_STATEMENT, build_fix, not_applicable, statement_of

STRATEGY = strategy_of(__name__)


def plain_backref(source: str | None) -> bool:
    """``"x"`` or ``backref("x")`` with no options (options would have to move to the other side)."""
    try:
        node = ast.parse(source or "", mode="eval").body
    except SyntaxError:
        return False
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    return isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    facts = diagnosis.context
    name, other = facts.get("backref"), facts.get("other")
    if facts.get("existing") != "relationship" or not facts.get("other_file") or name is None or other is None:
        return not_applicable(STRATEGY, f"{other}.{name} is not a relationship back to {diagnosis.class_name}")
    if facts.get("existing_back_populates") not in (None, diagnosis.attribute):
        return not_applicable(STRATEGY, f"{other}.{name} already back_populates {facts['existing_back_populates']!r}")
    if not plain_backref(facts.get("backref_source")):
        return not_applicable(
            STRATEGY,
            f"backref={facts.get('backref_source')} carries options that would "
            f"have to move to {other}.{name}; not rewritten automatically",
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
                text=name,
                replace="backref",
            ),
        ),
        (
            facts["other_file"],
            partial(
                relationship_arg.apply,
                class_name=other,
                attribute=name,
                keyword="back_populates",
                text=attribute,
            ),
        ),
    ]
    summary = (
        f"Replace backref={name!r} with back_populates={name!r} on {diagnosis.class_name}."
        f"{diagnosis.attribute} and link {other}.{name} back with back_populates={diagnosis.attribute!r}"
    )
    return build_fix(project, STRATEGY, summary, "safe", steps)
