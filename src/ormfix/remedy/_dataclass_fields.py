"""The fields of a mapped dataclass that break its __init__: no default, after a field with a default."""

from __future__ import annotations

import ast

from ..discover import Project

DEFAULTS = {"default", "default_factory"}


def _keyword(call: ast.Call, name: str) -> ast.AST | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def _is_true(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _is_false(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


def out_of_order(project: Project, file: str, class_name: str) -> list[str]:
    """The class's own init fields without a default that follow one with a default, in order."""
    try:
        tree = ast.parse(project.original_text(file))
    except (SyntaxError, ValueError, OSError, KeyError):
        return []
    classdef = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name), None)
    if classdef is None or any(kw.arg == "kw_only" and _is_true(kw.value) for kw in classdef.keywords):
        return []
    found, defaulted = [], False
    for stmt in classdef.body:
        if not isinstance(stmt, ast.AnnAssign) or not isinstance(stmt.target, ast.Name):
            continue
        if "ClassVar" in ast.unparse(stmt.annotation) or stmt.target.id.startswith("__"):
            continue
        value = stmt.value
        if isinstance(value, ast.Call):
            if _is_false(_keyword(value, "init")) or _is_true(_keyword(value, "kw_only")):
                continue
            has_default = any(_keyword(value, name) is not None for name in DEFAULTS)
        else:
            has_default = value is not None
        if has_default:
            defaulted = True
        elif defaulted:
            found.append(stmt.target.id)
    return found
