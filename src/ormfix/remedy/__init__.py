"""Remedies: each strategy plans a Fix (edits made by a LibCST codemod from codemods/) for a diagnosis."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from .. import codes
from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import BY_NAME

Planner = Callable[[Diagnosis, Project], Fix]


def planner(strategy: str) -> Planner:
    """The ``plan`` of the module the catalog (ormfix.remedies) names for ``strategy``. Imported on first use: the
    remedy modules load LibCST (about 0.7 s), which `ormfix check` never needs."""
    return importlib.import_module(f"{__name__}.{BY_NAME[strategy].module}").plan


def strategies_for(diagnosis: Diagnosis) -> list[str]:
    code = codes.BY_CODE.get(diagnosis.code)
    if code is None:
        return []
    return [name for name in code.remedies if name in BY_NAME]


def plan_fixes(
    diagnosis: Diagnosis, project: Project, only: str | None = None, skip: frozenset[str] = frozenset()
) -> list[Fix]:
    """Every remedy this diagnosis's code lists (or just ``only``; never those in ``skip``), applicable or not."""
    names = [name for name in strategies_for(diagnosis) if name not in skip]
    if only and only != "auto":
        names = [name for name in names if name == only]
    return [planner(name)(diagnosis, project) for name in names]
