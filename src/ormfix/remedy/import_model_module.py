"""import-model-module: import a model module nobody imports from its package's ``__init__.py``."""

from __future__ import annotations

from functools import partial

from ormfix.codemods import import_model_module as codemod

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from .base import build_fix, not_applicable

STRATEGY = strategy_of(__name__)


def import_style(origins: list[str], module: str, name: str) -> tuple[str, str]:
    """(from_module, name) in the style the __init__ already uses for its imports."""
    package, _, leaf = module.rpartition(".")
    relative = [o for o in origins if o.startswith(".")]
    if relative and all(o.startswith("..") for o in relative):  # from . import user
        return ".", leaf
    if relative:  # from .user import User
        return f".{leaf}", name
    return module, name  # from models.user import User


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    facts = diagnosis.context
    init_file, module, name = facts.get("init_file"), facts.get("module"), facts.get("missing")
    if not init_file or not module or not name:
        return not_applicable(STRATEGY, "cannot find the models package's __init__.py for the module")
    origins = list(project.index.files[init_file].imports.values()) if init_file in project.index.files else []
    from_module, imported = import_style(origins, module, name)
    summary = f"Import {module} from {init_file} (`from {from_module} import {imported}`) so {name} is mapped."
    return build_fix(
        project,
        STRATEGY,
        summary,
        "safe",
        [(init_file, partial(codemod.apply, from_module=from_module, name=imported))],
    )
