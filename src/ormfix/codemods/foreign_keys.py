"""Disambiguate a join: add ``foreign_keys=`` to a relationship, or ``ForeignKey`` to a column.

``add_foreign_keys_arg`` before::

    class Book(Base):
        author = relationship(
            "Author",
            back_populates="books",
        )

after ``add_foreign_keys_arg(src, "Book", "author", "[Book.author_id]")``::

    class Book(Base):
        author = relationship(
            "Author",
            back_populates="books",
            foreign_keys=[Book.author_id],
        )

``add_foreign_key_to_column`` turns ``author_id = db.Column(db.Integer)`` into
``author_id = db.Column(db.Integer, db.ForeignKey('authors.id'))`` (``sa.ForeignKey`` for
``sa.Column``, bare ``ForeignKey`` plus import for ``Column``/``mapped_column``).

CLI::

    python -m libcst.tool codemod foreign_keys.ForeignKeysCommand models.py \\
        --class-name Book --attribute author --foreign-keys "[Book.author_id]"
    python -m libcst.tool codemod foreign_keys.ForeignKeysCommand models.py \\
        --class-name Book --column-name author_id --target authors.id
"""

from __future__ import annotations

import argparse
from typing import Any

import libcst as cst

from ._command import OrmfixCommand, apply_transform
from ._cst import (
    NON_TYPE_COLUMN_ARGS,
    RELATIONSHIP_KINDS,
    Attribute,
    call_kind,
    dotted_name,
    find_class,
    foreign_key_calls,
    is_string,
    preferred_quote,
    quoted,
    replace_found,
    require_call,
    spelled_as,
    split_name,
    string_value,
)
from ._errors import NotApplicable
from ._sequence import append_arg, insert_arg
from ._style import ColumnStyle, Speller

KEYWORD = "foreign_keys"


def _replace_call(module: cst.Module, class_name: str, found: Attribute, old: cst.Call, new: cst.Call) -> cst.Module:
    """The module with the call of the attribute's statement (class body, method or below) replaced."""
    return replace_found(module, found, found.statement.deep_replace(old, new))


def _same_expression(a: cst.BaseExpression, b: cst.BaseExpression) -> bool:
    if string_value(a) is not None and string_value(a) == string_value(b):
        return True
    return a.deep_equals(b)


def _parse_expression(text: str) -> cst.BaseExpression:
    try:
        return cst.parse_expression(text.strip())
    except cst.ParserSyntaxError as error:
        raise NotApplicable(f"foreign_keys value {text!r} is not a Python expression") from error


def _keyword_arg(call: cst.Call, keyword: str) -> cst.Arg | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg
    return None


def _equal_style(call: cst.Call) -> cst.AssignEqual:
    """The `=` spacing of the call's existing keyword arguments."""
    for arg in call.args:
        if arg.keyword is not None and isinstance(arg.equal, cst.AssignEqual):
            return arg.equal
    return cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))


def add_foreign_keys(module: cst.Module, class_name: str, attribute: str, foreign_keys: str) -> cst.Module:
    """The module with `foreign_keys=<foreign_keys>` set on class_name.attribute's relationship."""
    _, classdef = find_class(module, class_name)
    found, call = require_call(classdef, attribute, RELATIONSHIP_KINDS, "relationship()", module)
    value = _parse_expression(foreign_keys)
    new_call = set_keyword(call, KEYWORD, value)
    if new_call is call:
        return module
    return _replace_call(module, class_name, found, call, new_call)


# the keywords SQLModel's Relationship() takes itself; any other goes in its sa_relationship_kwargs={...}
SQLMODEL_OWN_KEYWORDS = {
    "back_populates",
    "link_model",
    "cascade_delete",
    "passive_deletes",
    "sa_relationship",
    "sa_relationship_args",
    "sa_relationship_kwargs",
}


def set_keyword(call: cst.Call, keyword: str, value: cst.BaseExpression) -> cst.Call:
    """The call with ``keyword=value`` set (the same call when it already says so). On SQLModel's
    ``Relationship()`` a relationship() keyword goes in ``sa_relationship_kwargs={"keyword": value}``."""
    if call_kind(call) == "Relationship" and keyword not in SQLMODEL_OWN_KEYWORDS:
        return _set_in_sa_kwargs(call, keyword, value)
    existing = _keyword_arg(call, keyword)
    if existing is not None:
        if _same_expression(existing.value, value):
            return call
        return cst.ensure_type(call.deep_replace(existing, existing.with_changes(value=value)), cst.Call)
    return append_arg(call, cst.Arg(value=value, keyword=cst.Name(keyword), equal=_equal_style(call)))


def _set_in_sa_kwargs(call: cst.Call, keyword: str, value: cst.BaseExpression) -> cst.Call:
    holder = _keyword_arg(call, "sa_relationship_kwargs")
    quote = '"'
    if holder is None:
        entry = cst.parse_expression("{" + quote + keyword + quote + ": None}")
        assert isinstance(entry, cst.Dict)
        element = entry.elements[0]
        assert isinstance(element, cst.DictElement)
        new_dict = entry.with_changes(elements=[element.with_changes(value=value)])
        return append_arg(
            call, cst.Arg(value=new_dict, keyword=cst.Name("sa_relationship_kwargs"), equal=_equal_style(call))
        )
    if not isinstance(holder.value, cst.Dict):
        raise NotApplicable("sa_relationship_kwargs= is not a {...} literal ormfix can edit")
    elements = list(holder.value.elements)
    for index, element in enumerate(elements):
        if isinstance(element, cst.DictElement) and string_value(element.key) == keyword:
            if _same_expression(element.value, value):
                return call
            elements[index] = element.with_changes(value=value)
            break
    else:
        if elements and isinstance(elements[0], cst.DictElement) and isinstance(elements[0].key, cst.SimpleString):
            quote = elements[0].key.quote
        key = cst.SimpleString(quote + keyword + quote)
        last = elements[-1] if elements else None
        if last is not None and last.comma is cst.MaybeSentinel.DEFAULT:
            elements[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        elements.append(cst.DictElement(key=key, value=value))
    return cst.ensure_type(
        call.deep_replace(holder, holder.with_changes(value=holder.value.with_changes(elements=elements))), cst.Call
    )


def _is_type_arg(arg: cst.Arg) -> bool:
    if arg.keyword is not None or arg.star:
        return False
    node = arg.value.func if isinstance(arg.value, cst.Call) else arg.value
    if not isinstance(node, (cst.Name, cst.Attribute)):
        return False
    return split_name(dotted_name(node))[1] not in NON_TYPE_COLUMN_ARGS


def _foreign_key_position(call: cst.Call) -> int:
    """Index at which ForeignKey() goes: after the type (and the name, if any)."""
    positional = [a for a in call.args if a.keyword is None and not a.star]
    index = 0
    if positional and is_string(positional[0].value):
        index = 1
    if len(positional) > index and _is_type_arg(positional[index]):
        index += 1
    return index


def add_foreign_key(module: cst.Module, class_name: str, column_name: str, target: str) -> cst.Module:
    """The module with `ForeignKey(target)` added to class_name.column_name's column call."""
    _, classdef = find_class(module, class_name)
    found, call = require_call(classdef, column_name, ("Column", "mapped_column"), "Column()/mapped_column()", module)
    if foreign_key_calls(call):
        return module
    speller = Speller(module, ColumnStyle(spelled_as(dotted_name(call.func)) or "Column"))
    spelled = speller.sqlalchemy("ForeignKey")
    foreign_key = cst.parse_expression(f"{spelled}({quoted(target, preferred_quote(module))})")
    new_call = insert_arg(call, _foreign_key_position(call), cst.Arg(value=foreign_key))
    module = _replace_call(module, class_name, found, call, new_call)
    return speller.add_imports(module)


def add_foreign_keys_arg(source: str, class_name: str, attribute: str, foreign_keys: str) -> str:
    """Add (or correct) `foreign_keys=<foreign_keys source>` on a relationship() call."""
    return apply_transform(
        add_foreign_keys,
        source,
        class_name=class_name,
        attribute=attribute,
        foreign_keys=foreign_keys,
    )


def add_foreign_key_to_column(source: str, class_name: str, column_name: str, target: str) -> str:
    """Add a positional `ForeignKey('<target>')` to a Column()/mapped_column() call."""
    return apply_transform(add_foreign_key, source, class_name=class_name, column_name=column_name, target=target)


def _transform(module: cst.Module, **params: Any) -> cst.Module:
    class_name = params.get("class_name")
    if class_name and params.get("attribute") and params.get("foreign_keys") is not None:
        return add_foreign_keys(module, class_name, params["attribute"], params["foreign_keys"])
    if class_name and params.get("column_name") and params.get("target"):
        return add_foreign_key(module, class_name, params["column_name"], params["target"])
    raise NotApplicable("give class_name with attribute + foreign_keys or column_name + target")


def apply(source: str, **params: Any) -> str:
    """Dispatch: (class_name, attribute, foreign_keys) or (class_name, column_name, target)."""
    return apply_transform(_transform, source, **params)


class ForeignKeysCommand(OrmfixCommand):
    DESCRIPTION = "Add foreign_keys= to a relationship(), or a ForeignKey() to a column."
    PARAMS = ("class_name", "attribute", "foreign_keys", "column_name", "target")

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        arg_parser.add_argument("--class-name", required=True, help="Mapped class name.")
        arg_parser.add_argument("--attribute", help="relationship() attribute to fix.")
        arg_parser.add_argument("--foreign-keys", help='Python source of the value, e.g. "[Book.author_id]".')
        arg_parser.add_argument("--column-name", help="Column that should get a ForeignKey.")
        arg_parser.add_argument("--target", help="Referenced column, e.g. authors.id.")

    def transform(self, tree: cst.Module, **params: Any) -> cst.Module:
        return _transform(tree, **params)
