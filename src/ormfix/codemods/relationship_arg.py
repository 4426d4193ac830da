"""Set, rename or remove one keyword argument of a ``relationship()`` call.

Before::

    class Author(Base):
        books = relationship("Book", back_populates="autor")

After ``apply(src, class_name="Author", attribute="books", keyword="back_populates", text="author")``::

    class Author(Base):
        books = relationship("Book", back_populates="author")

``text`` is a string value, quoted like the call's own strings; ``value`` is Python source
(``[id]``, ``True``). ``replace="backref"`` turns an existing ``backref=...`` argument into the new
keyword in place; ``remove=True`` drops the keyword (and its comma). Running it again on its own
output changes nothing.

CLI::

    python -m libcst.tool codemod relationship_arg.RelationshipArgCommand models.py \\
        --class-name Author --attribute books --keyword back_populates --text author
"""

from __future__ import annotations

import libcst as cst

from ._command import Command, source_function
from ._cst import RELATIONSHIP_KINDS, call_kind, find_all, find_class, preferred_quote, quoted, require_call
from ._errors import NotApplicable
from ._sequence import append_arg
from .foreign_keys import (
    SQLMODEL_OWN_KEYWORDS,
    _equal_style,
    _keyword_arg,
    _parse_expression,
    _replace_call,
    _same_expression,
    set_keyword,
)


def _call_quote(module: cst.Module, call: cst.Call) -> str:
    for node in find_all(call, cst.SimpleString):
        if node.quote in ("'", '"'):
            return node.quote
    return preferred_quote(module)


def _without(call: cst.Call, arg: cst.Arg) -> cst.Call:
    """The call without ``arg``, its neighbour taking over the layout of the removed comma."""
    args = list(call.args)
    position = args.index(arg)
    del args[position]
    if args and position == len(args):  # removed the last argument
        previous = args[-1]
        if isinstance(arg.comma, cst.Comma) and isinstance(previous.comma, cst.Comma):  # (it preceded arg)
            args[-1] = previous.with_changes(
                comma=previous.comma.with_changes(whitespace_after=arg.comma.whitespace_after)
            )
        else:
            args[-1] = previous.with_changes(
                comma=cst.MaybeSentinel.DEFAULT, whitespace_after_arg=arg.whitespace_after_arg
            )
    return call.with_changes(args=args)


def set_relationship_arg(
    module: cst.Module,
    class_name: str,
    attribute: str,
    keyword: str,
    value: str | None = None,
    text: str | None = None,
    replace: str | None = None,
    remove: bool = False,
) -> cst.Module:
    """The module with ``keyword=`` set (or removed) on ``class_name.attribute``'s relationship()."""
    _, classdef = find_class(module, class_name)
    found, call = require_call(classdef, attribute, RELATIONSHIP_KINDS, "relationship()", module)
    if call_kind(call) == "Relationship" and keyword not in SQLMODEL_OWN_KEYWORDS:
        source = value if text is None else quoted(text, _call_quote(module, call))
        if remove or replace or source is None:
            raise NotApplicable(
                f"{class_name}.{attribute} is a SQLModel Relationship(): set {keyword} in its "
                "sa_relationship_kwargs by hand"
            )
        new_value = _parse_expression(source)
        new_call = set_keyword(call, keyword, new_value)
        return module if new_call is call else _replace_call(module, class_name, found, call, new_call)
    existing = _keyword_arg(call, keyword)
    if remove:
        return module if existing is None else _replace_call(module, class_name, found, call, _without(call, existing))
    if text is not None:
        value = quoted(text, _call_quote(module, call))
    if value is None:
        raise NotApplicable("give value, text or remove")
    new_value = _parse_expression(value)
    old = _keyword_arg(call, replace) if replace else None
    if existing is not None:
        if _same_expression(existing.value, new_value):
            new_call = call
        else:
            new_call = cst.ensure_type(call.deep_replace(existing, existing.with_changes(value=new_value)), cst.Call)
        replaced = _keyword_arg(new_call, replace) if old is not None and replace else None
        if replaced is not None:  # (old is still there: only existing changed)
            new_call = _without(new_call, replaced)
    elif old is not None:
        new_call = cst.ensure_type(
            call.deep_replace(old, old.with_changes(keyword=cst.Name(keyword), value=new_value)), cst.Call
        )
    else:
        arg = cst.Arg(value=new_value, keyword=cst.Name(keyword), equal=_equal_style(call))
        new_call = append_arg(call, arg)
    if new_call is call:
        return module
    return _replace_call(module, class_name, found, call, new_call)


apply = source_function(set_relationship_arg)


COMMAND = Command(
    "RelationshipArgCommand",
    set_relationship_arg,
    description="Set, rename or remove a keyword argument of a relationship() call.",
    options={
        "class_name": "Mapped class holding the relationship.",
        "attribute": "The relationship attribute.",
        "keyword": "The keyword, e.g. back_populates.",
        "value": "Python source of the value, e.g. [id] or True.",
        "text": "A string value, quoted like the call's strings.",
        "replace": "An existing keyword to turn into this one, e.g. backref.",
        "remove": "Remove the keyword instead.",
    },
)
__getattr__, __dir__ = COMMAND.exports(globals())  # the libcst.tool command, made when asked for
