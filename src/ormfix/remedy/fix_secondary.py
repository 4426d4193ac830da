"""fix-secondary: secondary= names a missing table or a mapped class; name the association table instead."""

from __future__ import annotations

import ast
import difflib

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..index import read_source
from ..remedies import strategy_of
from ._keyword_fix import keyword_fix
from .base import not_applicable

STRATEGY = strategy_of(__name__)


def table_names(project: Project) -> list[str]:
    """Names of the ``Table("name", ...)`` objects the project's files build (association tables)."""
    names = []
    for path, _module in project.files.values():
        try:
            tree = ast.parse(read_source(path))
        except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) == "Table"
            ):
                names.append(node.args[0].value)
    return names


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    written = diagnosis.context.get("secondary")
    label = f"{diagnosis.class_name}.{diagnosis.attribute}"
    if diagnosis.context.get("cause") == "mapped-class":
        table = diagnosis.context.get("class_table")
        if not table:
            return not_applicable(STRATEGY, f"cannot tell the table of the mapped class {written!r}")
        summary = f"Set secondary={table!r} on {label}: the table of the mapped class {written}, not the class"
        return keyword_fix(project, diagnosis, STRATEGY, summary, "secondary", text=table)
    close = difflib.get_close_matches(written or "", table_names(project), n=1, cutoff=0.6)
    if not close:
        return not_applicable(STRATEGY, f"no Table in the project is named like {written!r}")
    summary = f"Set secondary={close[0]!r} on {label}: the association table closest to {written!r} (a guess: check it)"
    return keyword_fix(project, diagnosis, STRATEGY, summary, "secondary", applicability="unsafe", text=close[0])
