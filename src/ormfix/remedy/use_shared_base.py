"""use-shared-base: map the stray class on the declarative base the relationship's owner uses."""

from __future__ import annotations

from functools import partial

from ormfix.codemods import use_shared_base as codemod

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from .base import build_fix, not_applicable

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    context = diagnosis.context
    stray = context.get("stray")
    if not stray or not context.get("old_base") or not context.get("new_base"):
        return not_applicable(
            STRATEGY,
            "ormfix cannot tell which base each class is mapped on (one class of that "
            "name on one other base, both bases written in the class statements)",
        )
    if not context.get("smaller"):
        return not_applicable(
            STRATEGY,
            f"{context['old_base']} maps as many classes as {context['new_base']}: "
            "which base is the shared one is a decision; move the classes by hand",
        )
    same_module = context.get("import_from") == context.get("stray_module")
    step = partial(
        codemod.apply,
        class_name=stray,
        old_base=context["old_base"],
        new_base=context["new_base"],
        import_from=None if same_module else context.get("import_from"),
        import_name=None if same_module else context.get("import_name"),
    )
    summary = (
        f"Map {stray} on {context['new_base']} (the base {diagnosis.class_name} uses) instead of "
        f"{context['old_base']}, so {diagnosis.class_name}.{diagnosis.attribute} can find it; its table moves to "
        f"{context['new_base']}'s MetaData"
    )
    return build_fix(project, STRATEGY, summary, "safe", [(context["stray_file"], step)])
