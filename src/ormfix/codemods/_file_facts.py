"""Facts about the whole file a codemod rewrites, read from its text with the stdlib tokenizer.

`apply_transform` may hand a codemod the file with unrelated classes elided (see `_elide`); the
spelling choices that depend on the rest of the file (which quote it uses, whether it writes
`X | None`) are read here from the whole text, so they are the same whichever the codemod sees.
"""

from __future__ import annotations

import functools
import io
import tokenize
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator, Optional

_WHOLE: ContextVar[Optional[str]] = ContextVar("ormfix_whole_source", default=None)
_SKIP = {tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT}


@contextmanager
def whole_source(source: str) -> Iterator[None]:
    token = _WHOLE.set(source)
    try:
        yield
    finally:
        _WHOLE.reset(token)


def current() -> Optional[str]:
    """The whole text of the file being transformed, when `apply_transform` runs the codemod."""
    return _WHOLE.get()


@functools.lru_cache(maxsize=64)
def _tokens(source: str) -> Optional[tuple[tokenize.TokenInfo, ...]]:
    try:
        return tuple(t for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type not in _SKIP)
    except (tokenize.TokenError, SyntaxError):
        return None


def _simple_quote(token: tokenize.TokenInfo) -> Optional[str]:
    """The quote of a plain (not f-, not triple-quoted) string literal token."""
    if token.type != tokenize.STRING:
        return None
    text = token.string
    prefix = text[:len(text) - len(text.lstrip("rRbBuUfF"))]
    body = text[len(prefix):]
    if "f" in prefix.lower() or body[:3] in ('"""', "'''") or body[:1] not in ("'", '"'):
        return None
    return body[0]


@functools.lru_cache(maxsize=64)
def preferred_quote(source: str) -> Optional[str]:
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
def uses_pipe_optional(source: str) -> Optional[bool]:
    """Whether the file writes `X | None` (or `None | X`); None: untokenizable."""
    tokens = _tokens(source)
    if tokens is None:
        return None
    for before, after in zip(tokens, tokens[1:]):
        if (before.string == "|" and after.string == "None") or (before.string == "None" and after.string == "|"):
            return True
    return False
