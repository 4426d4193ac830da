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

import libcst as cst

from ._command import Command, source_function
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


add_foreign_keys_arg = source_function(add_foreign_keys)
add_foreign_key_to_column = source_function(add_foreign_key)


def _transform(
    module: cst.Module,
    class_name: str,
    attribute: str | None = None,
    foreign_keys: str | None = None,
    column_name: str | None = None,
    target: str | None = None,
) -> cst.Module:
    """Dispatch: (class_name, attribute, foreign_keys) or (class_name, column_name, target)."""
    if class_name and attribute and foreign_keys is not None:
        return add_foreign_keys(module, class_name, attribute, foreign_keys)
    if class_name and column_name and target:
        return add_foreign_key(module, class_name, column_name, target)
    raise NotApplicable("give class_name with attribute + foreign_keys or column_name + target")


apply = source_function(_transform)


COMMAND = Command(
    "ForeignKeysCommand",
    _transform,
    description="Add foreign_keys= to a relationship(), or a ForeignKey() to a column.",
    options={
        "class_name": "Mapped class name.",
        "attribute": "relationship() attribute to fix.",
        "foreign_keys": 'Python source of the value, e.g. "[Book.author_id]".',
        "column_name": "Column that should get a ForeignKey.",
        "target": "Referenced column, e.g. authors.id.",
    },
)
__getattr__, __dir__ = COMMAND.exports(globals())  # the libcst.tool command, made when asked for
