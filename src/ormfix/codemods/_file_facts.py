"""Facts about the whole file a codemod rewrites, read from its text with the stdlib tokenizer.

`apply_transform` may hand a codemod the file with unrelated classes elided (see `_elide`); the
spelling choices that depend on the rest of the file (which quote it uses, whether it writes
`X | None`) are read here from the whole text, so they are the same whichever the codemod sees.
"""

from __future__ import annotations

import ast
import functools
import io
import tokenize
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_WHOLE: ContextVar[str | None] = ContextVar("ormfix_whole_source", default=None)
_SKIP = {tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT}


@contextmanager
def whole_source(source: str) -> Iterator[None]:
    token = _WHOLE.set(source)
    try:
        yield
    finally:
        _WHOLE.reset(token)


def current() -> str | None:
    """The whole text of the file being transformed, when `apply_transform` runs the codemod."""
    return _WHOLE.get()


@functools.lru_cache(maxsize=64)
def _tokens(source: str) -> tuple[tokenize.TokenInfo, ...] | None:
    try:
        return tuple(t for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type not in _SKIP)
    except (tokenize.TokenError, SyntaxError):
        return None


def _simple_quote(token: tokenize.TokenInfo) -> str | None:
    """The quote of a plain (not f-, not triple-quoted) string literal token."""
    if token.type != tokenize.STRING:
        return None
    text = token.string
    prefix = text[: len(text) - len(text.lstrip("rRbBuUfF"))]
    body = text[len(prefix) :]
    if "f" in prefix.lower() or body[:3] in ('"""', "'''") or body[:1] not in ("'", '"'):
        return None
    return body[0]


@functools.lru_cache(maxsize=64)
def preferred_quote(source: str) -> str | None:
    """That of the first ForeignKey('...'), else the majority quote (ties: double); None: untokenizable."""
    tokens = _tokens(source)
    if tokens is None:
        return None
    for index, token in enumerate(tokens[:-2]):
        if token.type == tokenize.NAME and token.string == "ForeignKey" and tokens[index + 1].string == "(":
            quote = _simple_quote(tokens[index + 2])
            if quote:
                return quote
    quotes = [q for q in map(_simple_quote, tokens) if q]
    return "'" if quotes.count("'") > quotes.count('"') else '"'


@functools.lru_cache(maxsize=64)
def uses_pipe_optional(source: str) -> bool | None:
    """Whether the file writes `X | None` (or `None | X`); None: untokenizable."""
    tokens = _tokens(source)
    if tokens is None:
        return None
    for before, after in zip(tokens, tokens[1:]):
        if (before.string == "|" and after.string == "None") or (before.string == "None" and after.string == "|"):
            return True
    return False


# the SQLAlchemy calls a project may spell another way
SPELLED_CALLS = {"Column", "mapped_column", "column_property", "relationship", "relation", "ForeignKey"}


def _dotted(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ""
    return ".".join([node.id, *reversed(parts)])


def _stands_for(value: ast.AST | None, aliases: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    """(the SQLAlchemy call ``value`` stands for, its spelling) for a name of one, ``partial(Column,
    ...)``, a call of one (what a helper returns), a lambda returning one."""
    if isinstance(value, ast.Lambda):
        value = value.body
    if isinstance(value, ast.Call):
        if _dotted(value.func).rsplit(".", 1)[-1] == "partial" and value.args:
            return _stands_for(value.args[0], aliases)
        value = value.func
    spelled = _dotted(value) if value is not None else ""
    if not spelled:
        return None
    last = spelled.rsplit(".", 1)[-1]
    if last in aliases:
        return aliases[last]
    return (last, spelled) if last in SPELLED_CALLS else None


def _module_level(body: list) -> Iterator[ast.stmt]:
    """The module's statements, those inside ``if``/``try`` blocks (import fallbacks) included."""
    for node in body:
        if isinstance(node, (ast.If, ast.Try)):
            handlers = [stmt for handler in getattr(node, "handlers", []) for stmt in handler.body]
            yield from _module_level(node.body + node.orelse + handlers + getattr(node, "finalbody", []))
        else:
            yield node


@functools.lru_cache(maxsize=64)
def _aliases(source: str) -> dict[str, tuple[str, str]]:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return {}
    aliases: dict[str, tuple[str, str]] = {}
    for node in _module_level(tree.body):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.asname and alias.name in SPELLED_CALLS:
                    aliases[alias.asname] = (alias.name, alias.asname)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            value = node.value
            if isinstance(value, ast.Call) and _dotted(value.func).rsplit(".", 1)[-1] != "partial":
                continue  # a Column object made at module level, not a way to make one
            stands = _stands_for(value, aliases)
            if stands and stands[0] != name:
                aliases[name] = stands
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            returned = [r.value for r in ast.walk(node) if isinstance(r, ast.Return) and r.value is not None]
            if len(returned) == 1 and isinstance(returned[0], ast.Call):
                stands = _stands_for(returned[0], aliases)
                if stands:
                    aliases[node.name] = stands
    return aliases


def call_aliases(source: str) -> dict[str, str]:
    """Module-level names the file binds to Column / mapped_column / relationship / ForeignKey under
    another name -> that call: ``from sqlalchemy import Column as C``, ``_Column =
    functools.partial(Column, nullable=False)``, ``IdColumn = lambda: Column(...)``,
    ``def fk_column(...): return Column(...)``."""
    return {name: kind for name, (kind, _) in _aliases(source).items()}


def alias_spelling(source: str) -> dict[str, str]:
    """Those names -> how the file spells the call behind them (``sa.Column``)."""
    return {name: spelled for name, (_, spelled) in _aliases(source).items()}
