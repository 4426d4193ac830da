"""What the code was: a class attribute's statement as the repository's HEAD has it (``git show``)."""

from __future__ import annotations

import ast
import functools
import subprocess
from pathlib import Path


@functools.lru_cache(maxsize=64)
def _head_text(path: Path) -> str | None:
    """The file's text at HEAD, or None (not a git repository, not committed, git missing)."""
    try:
        top = subprocess.run(
            ["git", "-C", str(path.parent), "rev-parse", "--show-toplevel"], capture_output=True, text=True, timeout=10
        )
        if top.returncode != 0:
            return None
        rel = path.resolve().relative_to(Path(top.stdout.strip()).resolve()).as_posix()
        shown = subprocess.run(
            ["git", "-C", top.stdout.strip(), "show", f"HEAD:{rel}"], capture_output=True, timeout=10
        )
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None
    if shown.returncode != 0:
        return None
    try:
        return shown.stdout.decode("utf-8")
    except UnicodeDecodeError:
        return None


def statement_in_head(path: Path, class_name: str, attribute: str) -> str | None:
    """The lines of ``class_name.attribute = ...`` in the HEAD version of ``path``, byte for byte."""
    text = _head_text(path)
    if text is None:
        return None
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    lines = text.splitlines(keepends=True)
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            for stmt in node.body:
                targets = (
                    stmt.targets
                    if isinstance(stmt, ast.Assign)
                    else [stmt.target]
                    if isinstance(stmt, ast.AnnAssign)
                    else []
                )
                if any(isinstance(t, ast.Name) and t.id == attribute for t in targets):
                    return "".join(lines[stmt.lineno - 1 : stmt.end_lineno])
    return None
