"""Remedies: each strategy plans a Fix (edits made by a LibCST codemod from codemods/) for a diagnosis."""

from __future__ import annotations

from typing import Callable

from .. import codes
from ..discover import Project
from ..findings import Diagnosis, Fix
from . import add_fk_column, comment_out, foreign_keys, rename_target
from . import add_primary_key, fix_fk_target, add_tablename, rename_tablename, import_model_module
from . import add_back_populates_twin, backref_to_back_populates, fix_back_populates
from . import lazy_select, link_back_populates, overlaps, remote_side, single_parent

Planner = Callable[[Diagnosis, Project], Fix]

STRATEGIES: dict[str, Planner] = {
    "add-fk-column": add_fk_column.plan,
    "foreign-keys": foreign_keys.plan,
    "comment-out": comment_out.plan,
    "fix-back-populates": fix_back_populates.plan,
    "add-back-populates-twin": add_back_populates_twin.plan,
    "backref-to-back-populates": backref_to_back_populates.plan,
    "lazy-select": lazy_select.plan,
    "single-parent": single_parent.plan,
    "remote-side": remote_side.plan,
    "link-back-populates": link_back_populates.plan,
    "overlaps": overlaps.plan,
    "rename-target": rename_target.plan,
    "fix-fk-target": fix_fk_target.plan,
    "add-primary-key": add_primary_key.plan,
    "import-model-module": import_model_module.plan,
    "rename-tablename": rename_tablename.plan,
    "add-tablename": add_tablename.plan,
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
