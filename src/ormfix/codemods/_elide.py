"""Elide the top-level classes and functions a codemod cannot touch, and put them back afterwards.

A model file of 300 lines costs LibCST tens of milliseconds to parse and as many to print; the
remedy changes one class (and maybe the imports). The stdlib `ast` finds the top-level statements
in a fraction of that; each class or function whose name none of the codemod's parameters mention
becomes one marker comment line, and `restore` swaps the markers back for the original lines.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MIN_ELIDED_LINES = 60  # below this, parsing the whole file is as cheap as eliding


def split_lines(source: str) -> list[str]:
    """Lines with their endings, split where Python's tokenizer splits them (not at form feeds)."""
    return _LINE.findall(source)


def _names(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield from _WORD.findall(value)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _names(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _names(item)


def _callee_name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _first_class_with_columns(tree: ast.Module) -> ast.ClassDef | None:
    """The first top-level class assigning a Column()/mapped_column() in its body (as `_style` sees it)."""
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        for statement in node.body:
            value = statement.value if isinstance(statement, (ast.Assign, ast.AnnAssign)) else None
            targets = [statement.target] if isinstance(statement, ast.AnnAssign) else getattr(statement, "targets", [])
            single = len(targets) == 1 and isinstance(targets[0], ast.Name)
            if single and isinstance(value, ast.Call) and _callee_name(value.func) in ("Column", "mapped_column"):
                return node
    return None


@functools.lru_cache(maxsize=64)
def _outline(source: str) -> tuple[tuple[str, int, int, bool], ...] | None:
    """(name, first line, last line, always kept) of each top-level class and function; None: no parse.
    Several remedies are planned on one file: it is read once."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    styled = _first_class_with_columns(tree)  # codemods copy its column style when theirs has none
    return tuple(
        (
            node.name,
            min([node.lineno] + [d.lineno for d in node.decorator_list]),
            node.end_lineno or node.lineno,
            node is styled,
        )
        for node in tree.body
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
    )


@functools.lru_cache(maxsize=64)
def _lines(source: str) -> tuple[str, ...]:
    return tuple(split_lines(source))


@dataclass
class Elided:
    text: str  # the source with each elided run replaced by its marker line
    runs: list[tuple[str, str]]  # (marker line without its ending, the original lines)

    @classmethod
    def of(cls, source: str, params: dict[str, Any], always: bool = False) -> Elided | None:
        """None when there is nothing worth eliding (or the file does not parse with `ast`)."""
        outline = _outline(source)
        if outline is None:
            return None
        mentioned = set(_names(params))
        spans = [(first, end) for name, first, end, keep in outline if not keep and name not in mentioned]
        if not spans:
            return None
        lines = _lines(source)
        if not always and sum(end - first + 1 for first, end in spans) < MIN_ELIDED_LINES:
            return None
        token = hashlib.sha1(source.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        out: list[str] = []
        runs: list[tuple[str, str]] = []
        position = 0  # 0-based index of the next line to copy
        for first, end in spans:
            original = lines[first - 1 : end]
            if not original or original[-1][-1:] not in ("\n", "\r"):
                return None  # the last statement has no line ending: leave the file whole
            out.extend(lines[position : first - 1])
            marker = f"# ormfix-elided-{len(runs)}-{token}"
            ending = original[-1][len(original[-1].rstrip("\r\n")) :]
            out.append(marker + ending)
            runs.append((marker, "".join(original)))
            position = end
        out.extend(lines[position:])
        return cls(text="".join(out), runs=runs)

    def restore(self, result: str) -> str | None:
        """The transformed text with the original lines back, or None when a marker moved or vanished."""
        lines = split_lines(result)
        where: dict[str, list[int]] = {}
        for index, line in enumerate(lines):
            if line.startswith("# ormfix-elided-"):
                where.setdefault(line.rstrip("\r\n"), []).append(index)
        indexes = []
        for marker, _ in self.runs:
            found = where.get(marker, [])
            if len(found) != 1:
                return None
            indexes.append(found[0])
        if indexes != sorted(indexes):
            return None
        for index, (_, original) in zip(indexes, self.runs):
            lines[index] = original
        return "".join(lines)
