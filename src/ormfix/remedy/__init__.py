"""Remedies: each strategy plans a Fix (edits made by a LibCST codemod from codemods/) for a diagnosis."""

from __future__ import annotations

from typing import Callable

from .. import codes
from ..discover import Project
from ..findings import Diagnosis, Fix
from . import add_fk_column, comment_out, foreign_keys, rename_target
from . import add_primary_key, fix_fk_target

Planner = Callable[[Diagnosis, Project], Fix]

STRATEGIES: dict[str, Planner] = {
    "add-fk-column": add_fk_column.plan,
    "foreign-keys": foreign_keys.plan,
    "comment-out": comment_out.plan,
    "rename-target": rename_target.plan,
    "fix-fk-target": fix_fk_target.plan,
    "add-primary-key": add_primary_key.plan,
}


def strategies_for(diagnosis: Diagnosis) -> list[str]:
    code = codes.BY_CODE.get(diagnosis.code)
    if code is None:
        return []
    return [name for name in code.remedies if name in STRATEGIES]


def plan_fixes(diagnosis: Diagnosis, project: Project, only: str | None = None) -> list[Fix]:
    """Every remedy this diagnosis's code lists (or just ``only``), applicable or not."""
    names = strategies_for(diagnosis)
    if only and only != "auto":
        names = [name for name in names if name == only]
    return [STRATEGIES[name](diagnosis, project) for name in names]
