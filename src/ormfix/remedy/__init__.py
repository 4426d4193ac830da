"""Remedies: each strategy plans a Fix (edits made by a LibCST codemod from codemods/) for a diagnosis."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from .. import codes
from ..discover import Project
from ..findings import Diagnosis, Fix

Planner = Callable[[Diagnosis, Project], Fix]

# strategy name -> the module of this package that plans it. The modules are imported on first use:
# they load LibCST (about 0.7 s), which `ormfix check` never needs.
STRATEGIES: dict[str, str] = {
    "add-fk-column": "add_fk_column",
    "foreign-keys": "foreign_keys",
    "comment-out": "comment_out",
    "fix-back-populates": "fix_back_populates",
    "add-back-populates-twin": "add_back_populates_twin",
    "backref-to-back-populates": "backref_to_back_populates",
    "lazy-select": "lazy_select",
    "single-parent": "single_parent",
    "remote-side": "remote_side",
    "link-back-populates": "link_back_populates",
    "overlaps": "overlaps",
    "rename-target": "rename_target",
    "fix-fk-target": "fix_fk_target",
    "add-primary-key": "add_primary_key",
    "import-model-module": "import_model_module",
    "rename-tablename": "rename_tablename",
    "add-tablename": "add_tablename",
    "qualify-class-path": "qualify_class_path",
    "wrap-in-mapped": "wrap_in_mapped",
    "rename-reserved-attribute": "rename_reserved_attribute",
    "fix-foreign-keys-arg": "fix_foreign_keys_arg",
    "fix-secondary": "fix_secondary",
    "target-to-class": "target_to_class",
    "post-update": "post_update",
    "add-parent-fk": "add_parent_fk",
    "rename-subclass-attribute": "rename_subclass_attribute",
    "remove-trailing-comma": "remove_trailing_comma",
    "annotate-foreign": "annotate_foreign",
    "use-shared-base": "use_shared_base",
    "wrap-in-declared-attr": "wrap_in_declared_attr",
    "use-existing-column": "use_existing_column",
    "add-column-type": "add_column_type",
    "dataclass-kw-only": "dataclass_kw_only",
    "dataclass-init-false": "dataclass_init_false",
    "dataclass-default": "dataclass_default",
    "polymorphic-abstract": "polymorphic_abstract",
    "polymorphic-identity": "polymorphic_identity",
}


def planner(strategy: str) -> Planner:
    return importlib.import_module(f"{__name__}.{STRATEGIES[strategy]}").plan


def strategies_for(diagnosis: Diagnosis) -> list[str]:
    code = codes.BY_CODE.get(diagnosis.code)
    if code is None:
        return []
    return [name for name in code.remedies if name in STRATEGIES]


# strategies whose fixes are unsafe whatever the code looks like: `apply --strategy=auto` without
# --unsafe-fixes never writes them, so it does not plan them
ALWAYS_UNSAFE = frozenset({"comment-out"})
# strategies `apply --strategy=auto` never writes: they answer a hazard nobody asked about (ORM023's
# post_update=True); name them with --strategy to apply them
NEVER_AUTOMATIC = frozenset({"post-update"})


def plan_fixes(
    diagnosis: Diagnosis, project: Project, only: str | None = None, skip: frozenset[str] = frozenset()
) -> list[Fix]:
    """Every remedy this diagnosis's code lists (or just ``only``; never those in ``skip``), applicable or not."""
    names = [name for name in strategies_for(diagnosis) if name not in skip]
    if only and only != "auto":
        names = [name for name in names if name == only]
    return [planner(name)(diagnosis, project) for name in names]
