"""Wrap the referencing column of a relationship's ``primaryjoin=`` in ``foreign()``.

Before::

    class Post(Base):
        comments = relationship("Comment", primaryjoin="and_(Post.id == Comment.post_id, Comment.kind == 'post')")

After ``apply(src, class_name="Post", attribute="comments", column="Comment.post_id")``::

    class Post(Base):
        comments = relationship("Comment", primaryjoin="and_(Post.id == foreign(Comment.post_id), Comment.kind == 'post')")

A string ``primaryjoin`` is rewritten inside the string (SQLAlchemy evaluates ``foreign`` there
without an import). A lambda or expression gets ``foreign(...)`` around the column and, when the
module does not bind ``foreign`` yet, ``from sqlalchemy.orm import foreign``. The column is matched as
written, ``Comment.post_id``, or as a bare ``post_id`` inside the class ``Comment`` itself. It must
occur exactly once, not already annotated; running it again changes nothing.

CLI::

    python -m libcst.tool codemod annotate_foreign.AnnotateForeignCommand models/post.py \\
        --class-name Post --attribute comments --column Comment.post_id
"""

from __future__ import annotations

import libcst as cst

from ._command import Command, source_function
from ._cst import call_kind, dotted_name, find_class, require_call, string_value
from ._errors import NotApplicable
from ._imports import add_from_import, is_bound
from .foreign_keys import _keyword_arg, _replace_call

KEYWORD = "primaryjoin"


def _is_column(node: cst.CSTNode, names: tuple[str, ...]) -> bool:
    return isinstance(node, (cst.Name, cst.Attribute)) and dotted_name(node) in names


class _Wrap(cst.CSTTransformer):
    """Wraps each matching column reference that is not already inside foreign()/remote()."""

    def __init__(self, names: tuple[str, ...], function: str) -> None:
        super().__init__()
        self.names, self.function = names, function
        self.wrapped = self.annotated = 0
        self._not_columns: set[int] = set()  # `x` in `obj.x` and in `f(x=...)` is never a bare column

    def visit_Arg(self, node: cst.Arg) -> bool | None:
        if node.keyword is not None:
            self._not_columns.add(id(node.keyword))
        return True

    def visit_Call(self, node: cst.Call) -> bool | None:
        if call_kind(node) in ("foreign", "remote"):
            self.annotated += any(_is_column(arg.value, self.names) for arg in node.args)
            return False
        return True

    def visit_Attribute(self, node: cst.Attribute) -> bool | None:
        self._not_columns.add(id(node.attr))
        return not _is_column(node, self.names)  # do not descend into `Comment` of `Comment.post_id`

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        return self._wrap(original, updated)

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        return self._wrap(original, updated)

    def _wrap(self, original: cst.BaseExpression, updated: cst.BaseExpression) -> cst.BaseExpression:
        if id(original) in self._not_columns or not _is_column(original, self.names):
            return updated
        self.wrapped += 1
        return cst.Call(func=cst.parse_expression(self.function), args=[cst.Arg(value=updated)])


def _names(class_name: str, column: str) -> tuple[str, ...]:
    """How an expression in class_name's body can spell the column: Holder.attr, or attr in Holder itself."""
    holder, _, attribute = column.rpartition(".")
    return (column, attribute) if holder == class_name else (column,)


def _wrapped(expression: cst.BaseExpression, names: tuple[str, ...], function: str, where: str) -> cst.BaseExpression:
    wrap = _Wrap(names, function)
    new = expression.visit(wrap)
    if wrap.wrapped == 0 and wrap.annotated:
        return expression  # already foreign(...): nothing to do
    if wrap.wrapped != 1:
        found = "does not mention" if wrap.wrapped == 0 else f"mentions {wrap.wrapped} times"
        raise NotApplicable(f"the primaryjoin {where} {found} {names[0]}")
    assert isinstance(new, cst.BaseExpression)
    return new


def annotate_foreign(module: cst.Module, class_name: str, attribute: str, column: str) -> cst.Module:
    """Wrap ``column`` ("Holder.attribute") in foreign() in class_name.attribute's primaryjoin=."""
    _, classdef = find_class(module, class_name)
    found, call = require_call(classdef, attribute, ("relationship",), "relationship()", module)
    arg = _keyword_arg(call, KEYWORD)
    if arg is None:
        raise NotApplicable(f"{class_name}.{attribute} has no primaryjoin=")
    value = arg.value
    if isinstance(value, cst.SimpleString):
        text = string_value(value)
        if text is None or value.prefix.lower() not in ("", "u"):
            raise NotApplicable("the primaryjoin string has a prefix ormfix does not rewrite")
        try:
            inner = cst.parse_expression(text)
        except cst.ParserSyntaxError as exc:
            raise NotApplicable(f"the primaryjoin string is not a Python expression ({exc.message})") from exc
        new_inner = _wrapped(inner, (column,), "foreign", "string")
        if new_inner is inner:
            return module
        new_text = cst.Module(body=[]).code_for_node(new_inner)
        if value.quote in new_text or "\\" in new_text:
            raise NotApplicable("the rewritten primaryjoin string would need escaping")
        new_value: cst.BaseExpression = value.with_changes(value=value.prefix + value.quote + new_text + value.quote)
        needs_import = False
    elif isinstance(value, (cst.ConcatenatedString, cst.FormattedString)):
        raise NotApplicable("the primaryjoin is a concatenated or formatted string")
    else:
        needs_import = not is_bound(module, "foreign")
        new_value = _wrapped(value, _names(class_name, column), "foreign", "expression")
        if new_value is value:
            return module
    new_call = cst.ensure_type(call.deep_replace(arg, arg.with_changes(value=new_value)), cst.Call)
    module = _replace_call(module, class_name, found, call, new_call)
    return add_from_import(module, "sqlalchemy.orm", "foreign") if needs_import else module


apply = source_function(annotate_foreign)


COMMAND = Command(
    "AnnotateForeignCommand",
    annotate_foreign,
    description="Wrap the referencing column of a relationship's primaryjoin= in foreign().",
    options={
        "class_name": "Mapped class holding the relationship.",
        "attribute": "The relationship attribute.",
        "column": "The referencing column, e.g. Comment.post_id.",
    },
)
__getattr__, __dir__ = COMMAND.exports(globals())  # the libcst.tool command, made when asked for
