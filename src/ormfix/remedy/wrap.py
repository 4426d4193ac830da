"""Fixes within the project's line length: a one-line call a fix made too long is wrapped, one argument per line.

The limit is the project's line length (``[tool.ruff] line-length`` or ``[tool.black] line-length``), else
the file's own longest line, never below 88: the line length black and ruff format to when a project
configures none (a file of short lines does not get every added argument on a line of its own); with
that fallback only the lines a fix inserted or gave another argument are wrapped. Lines the project
already had are never touched.
"""

from __future__ import annotations

import ast
import difflib
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


FORMATTERS_DEFAULT_LINE_LENGTH = 88  # black's and ruff's


def file_line_length(text: str) -> int:
    """The line length a file keeps to when its project configures none: its longest line, at least 88."""
    return max([FORMATTERS_DEFAULT_LINE_LENGTH, *(len(line) for line in text.splitlines())])


def wrap_step(original: str, limit: int | None) -> Callable[[str], str]:
    """A transform wrapping the lines that a fix made longer than ``limit`` (the project's line length), none of
    ``original``'s own. ``limit`` None: the file's line length (``file_line_length``), and only the lines a fix
    added or gave an argument more (a renamed target that makes the longest line a letter longer stays)."""
    kept = frozenset(original.splitlines())
    if limit:
        return partial(_wrap_text, kept=kept, limit=limit)
    return partial(_wrap_text, kept=kept, limit=file_line_length(original), original=original.splitlines())


def _wrap_text(text: str, kept: frozenset[str], limit: int, original: list[str] | None = None) -> str:
    lines = text.splitlines(keepends=True)
    grown = None if original is None else _added_or_grown(original, [line.rstrip("\r\n") for line in lines])
    out = []
    for number, line in enumerate(lines):
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        if len(body) > limit and body not in kept and (grown is None or number in grown):
            wrapped = _exploded(body, ending or "\n", limit)
            if wrapped is not None:
                out.append(wrapped if ending else wrapped.rstrip("\r\n"))
                continue
        out.append(line)
    return "".join(out)


def _added_or_grown(before: list[str], after: list[str]) -> set[int]:
    """Indexes of ``after``'s lines that a fix inserted, or that replace a line with fewer call arguments."""
    found: set[int] = set()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        for j in range(j1, j2) if tag in ("insert", "replace") else ():
            old = i1 + (j - j1)
            if tag == "insert" or old >= i2 or _arguments(after[j]) > _arguments(before[old]):
                found.add(j)
    return found


def _arguments(line: str) -> int:
    """How many arguments the call a one-line statement ends with has (0 when it is no such statement)."""
    try:
        statement = ast.parse(line.strip()).body[0]
    except (SyntaxError, IndexError):
        return 0
    call = getattr(statement, "value", None)
    return len(call.args) + len(call.keywords) if isinstance(call, ast.Call) else 0


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
