"""Fixes within the project's line length: a one-line call a fix made too long is wrapped, one argument per line.

Only when the project says its line length (``[tool.ruff] line-length`` or ``[tool.black] line-length``);
lines the project already had are never touched.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Callable
from functools import partial
from pathlib import Path


def project_line_length(base: Path) -> int | None:
    """``line-length`` of [tool.ruff] (or [tool.black]) in the pyproject.toml at or above ``base``."""
    for folder in [base, *base.parents]:
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                tool = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {})
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                return None
            for name in ("ruff", "black"):
                value = tool.get(name, {}).get("line-length")
                if isinstance(value, int) and value > 0:
                    return value
            return None
        if (folder / ".git").exists():
            return None
    return None


def wrap_step(original: str, limit: int) -> Callable[[str], str]:
    """A transform wrapping the lines that a fix made longer than ``limit`` (none of ``original``'s own)."""
    return partial(_wrap_text, kept=frozenset(original.splitlines()), limit=limit)


def _wrap_text(text: str, kept: frozenset[str], limit: int) -> str:
    out = []
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        if len(body) > limit and body not in kept:
            wrapped = _exploded(body, ending or "\n", limit)
            if wrapped is not None:
                out.append(wrapped if ending else wrapped.rstrip("\r\n"))
                continue
        out.append(line)
    return "".join(out)


def _exploded(body: str, ending: str, limit: int) -> str | None:
    """``x = call(a, b=c)`` as ``x = call(`` / the arguments on one line, or one per line with a trailing
    comma when they do not fit / ``)``: black's layout."""
    indent = body[: len(body) - len(body.lstrip())]
    code = body.strip()
    try:
        statement = ast.parse(code).body[0]
    except (SyntaxError, IndexError):
        return None
    call = getattr(statement, "value", None)
    if not isinstance(call, ast.Call) or call.end_col_offset != len(code.encode()) or not (call.args or call.keywords):
        return None
    raw = code.encode()
    opening = raw.index(b"(", call.func.end_col_offset)
    items: list[ast.expr | ast.keyword] = sorted(
        [*call.args, *call.keywords], key=lambda node: (node.lineno, node.col_offset)
    )
    parts = []
    for node in items:
        start = node.col_offset
        if isinstance(node, ast.keyword) and node.arg is None:
            start = raw.rindex(b"**", 0, node.value.col_offset)
        elif isinstance(node, ast.Starred):
            start = node.col_offset
        parts.append(raw[start : node.end_col_offset].decode())
    inner, head = indent + "    ", raw[: opening + 1].decode()
    hugged = inner + ", ".join(parts)
    if len(hugged) <= limit:  # as black does: the arguments on one line of their own when they fit
        wrapped = head + ending + hugged + ending + f"{indent})"
    else:
        wrapped = head + ending + "".join(f"{inner}{part},{ending}" for part in parts) + f"{indent})"
    try:
        ast.parse(wrapped)  # inside the brackets, continuation lines may sit at any column
    except SyntaxError:
        return None
    return indent + wrapped + ending
