"""Inserting an element into a comma-separated CST sequence, matching its layout.

Works for call arguments (cst.Arg) and import names (cst.ImportAlias): both carry
their trailing comma. One-per-line sequences get a new line with the same
indentation; one-line sequences get `, new`. Comments stay on their lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import libcst as cst

Element = TypeVar("Element", cst.Arg, cst.ImportAlias)
Whitespace = cst.BaseParenthesizableWhitespace


def _has_comma(element: cst.Arg | cst.ImportAlias) -> bool:
    return isinstance(element.comma, cst.Comma)


def _fresh_line(whitespace: cst.ParenthesizedWhitespace) -> cst.ParenthesizedWhitespace:
    """The same line break and indentation, without comments or blank lines."""
    return whitespace.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])


def separator(
    elements: Sequence[cst.Arg] | Sequence[cst.ImportAlias], opening: Whitespace
) -> cst.BaseParenthesizableWhitespace:
    """The whitespace used between two elements (a line break when one per line)."""
    between = opening
    if len(elements) >= 2:
        comma = elements[-2].comma
        if isinstance(comma, cst.Comma):
            between = comma.whitespace_after
    if isinstance(between, cst.ParenthesizedWhitespace):
        return between
    return cst.SimpleWhitespace(" ")


def append(
    elements: Sequence[Element],
    new: Element,
    opening: Whitespace,
    closing: Whitespace,
) -> tuple[list[Element], Whitespace]:
    """Append `new`; returns the elements and the new whitespace before the closer.

    `opening` is the whitespace after the opening bracket, `closing` the whitespace
    before the closing bracket when the last element has no trailing comma.
    """
    if not elements:
        return [new.with_changes(comma=cst.MaybeSentinel.DEFAULT)], closing
    last = elements[-1]
    comma = last.comma
    trailing_comma = isinstance(comma, cst.Comma)
    tail = comma.whitespace_after if isinstance(comma, cst.Comma) else closing
    between = separator(elements, opening)
    if isinstance(between, cst.ParenthesizedWhitespace) and isinstance(tail, cst.ParenthesizedWhitespace):
        # Keep the old tail's comments on the old last line; new line for `new`.
        link: Whitespace = between.with_changes(first_line=tail.first_line, empty_lines=tail.empty_lines)
        new_tail: Whitespace = _fresh_line(tail)
    else:
        link = _fresh_line(between) if isinstance(between, cst.ParenthesizedWhitespace) else between
        new_tail = tail
    old_comma = comma if isinstance(comma, cst.Comma) else cst.Comma()
    last = last.with_changes(comma=old_comma.with_changes(whitespace_after=link))
    if trailing_comma:
        new = new.with_changes(comma=cst.Comma(whitespace_after=new_tail))
        return list(elements[:-1]) + [last, new], closing
    new = new.with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return list(elements[:-1]) + [last, new], new_tail


def insert_before(elements: Sequence[Element], index: int, new: Element, opening: Whitespace) -> list[Element]:
    """Insert `new` before elements[index] (index < len(elements))."""
    between = separator(elements, opening)
    if isinstance(between, cst.ParenthesizedWhitespace):
        between = _fresh_line(between)
    new = new.with_changes(comma=cst.Comma(whitespace_after=between))
    return list(elements[:index]) + [new] + list(elements[index:])


def append_arg(call: cst.Call, arg: cst.Arg) -> cst.Call:
    """The call with `arg` added as its last argument, in the call's layout."""
    args = list(call.args)
    if args and not _has_comma(args[-1]):
        closing = args[-1].whitespace_after_arg
        args[-1] = args[-1].with_changes(whitespace_after_arg=cst.SimpleWhitespace(""))
    else:
        closing = cst.SimpleWhitespace("")
    new_args, new_closing = append(args, arg, call.whitespace_before_args, closing)
    if not _has_comma(new_args[-1]):
        new_args[-1] = new_args[-1].with_changes(whitespace_after_arg=new_closing)
    return call.with_changes(args=new_args)


def insert_arg(call: cst.Call, index: int, arg: cst.Arg) -> cst.Call:
    """The call with `arg` inserted at position `index` of its arguments."""
    if index >= len(call.args):
        return append_arg(call, arg)
    return call.with_changes(args=insert_before(call.args, index, arg, call.whitespace_before_args))
