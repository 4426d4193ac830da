"""Set an option of a mapped class: a class keyword, a column keyword, or a ``__mapper_args__`` entry.

``set_class_keyword(src, "Note", "kw_only", "True")``::

    class Note(Base):            ->    class Note(Base, kw_only=True):

``set_column_keyword(src, "Note", "body", "init", "False")``::

    body: Mapped[str] = mapped_column(String(1000))  ->  mapped_column(String(1000), init=False)

``set_mapper_arg(src, "Engineer", "polymorphic_abstract", "True")`` adds the entry to the class's
``__mapper_args__ = {...}`` dict, or writes ``__mapper_args__ = {"polymorphic_abstract": True}`` as the
first statement of the body (after the docstring). Values are Python source. Running any of them
again on its output changes nothing; a different value already there is NotApplicable.

CLI::

    python -m libcst.tool codemod class_options.ClassOptionCommand models.py \\
        --class-name Note --keyword kw_only --value True [--attribute body | --mapper-arg]
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from ._command import Command, source_function
from ._cst import (
    class_body,
    find_attribute,
    find_class,
    is_column_call,
    leading_lines,
    preferred_quote,
    quoted,
    replace_in_attribute,
    replace_statement,
    require_attribute,
)
from ._errors import NotApplicable
from ._sequence import append_arg

MAPPER_ARGS = "__mapper_args__"
_TIGHT = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))


def _value(text: str) -> cst.BaseExpression:
    try:
        return cst.parse_expression(text)
    except cst.ParserSyntaxError as error:
        raise NotApplicable(f"{text!r} is not a Python expression") from error


def _existing(args: Sequence[cst.Arg], keyword: str) -> cst.Arg | None:
    return next((arg for arg in args if arg.keyword is not None and arg.keyword.value == keyword), None)


def _same_or_conflict(existing: cst.Arg, value: cst.BaseExpression, where: str) -> None:
    if not existing.value.deep_equals(value):
        keyword = existing.keyword.value if existing.keyword is not None else "?"  # (_existing found it by keyword)
        raise NotApplicable(f"{where} already has {keyword}= with another value")


def set_class_keyword(module: cst.Module, class_name: str, keyword: str, value: str) -> cst.Module:
    """``class X(Base, keyword=value):``."""
    class_index, classdef = find_class(module, class_name)
    new_value = _value(value)
    existing = _existing(classdef.keywords, keyword)
    if existing is not None:
        _same_or_conflict(existing, new_value, f"class {class_name}")
        return module
    arg = cst.Arg(keyword=cst.Name(keyword), value=new_value, equal=_TIGHT)
    args = list(classdef.bases) + list(classdef.keywords)
    if args:
        last = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        bases = list(classdef.bases)
        keywords = list(classdef.keywords)
        if keywords:
            keywords[-1] = last
        else:
            bases[-1] = last
        new_class = classdef.with_changes(bases=bases, keywords=[*keywords, arg])
    else:
        new_class = classdef.with_changes(keywords=[arg], lpar=cst.LeftParen(), rpar=cst.RightParen())
    statements = list(module.body)
    statements[class_index] = new_class
    return module.with_changes(body=statements)


def set_column_keyword(module: cst.Module, class_name: str, attribute: str, keyword: str, value: str) -> cst.Module:
    """``keyword=value`` on ``class_name.attribute``'s Column()/mapped_column() call."""
    class_index, classdef = find_class(module, class_name)
    found = require_attribute(classdef, attribute)
    call = found.value
    if not is_column_call(call):
        raise NotApplicable(f"{class_name}.{attribute} is not a Column()/mapped_column() call")
    new_value = _value(value)
    existing = _existing(call.args, keyword)
    if existing is not None:
        _same_or_conflict(existing, new_value, f"{class_name}.{attribute}")
        return module
    new_call = append_arg(call, cst.Arg(keyword=cst.Name(keyword), value=new_value, equal=_TIGHT))
    return replace_in_attribute(module, class_index, classdef, found, call, new_call)


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def set_mapper_arg(module: cst.Module, class_name: str, key: str, value: str) -> cst.Module:
    """``"key": value`` in ``class_name.__mapper_args__`` (written when the class has none)."""
    class_index, classdef = find_class(module, class_name)
    new_value = _value(value)
    quote = preferred_quote(module)
    if isinstance(new_value, cst.SimpleString) and isinstance(new_value.evaluated_value, str):
        value = quoted(new_value.evaluated_value, quote)  # a string is quoted like the file's
        new_value = _value(value)
    found = find_attribute(classdef, MAPPER_ARGS)
    if found is None:
        statement = cst.parse_statement(
            f"{MAPPER_ARGS} = {{{quoted(key, quote)}: {value}}}\n", config=module.config_for_parsing
        )
        body = list(class_body(classdef).body)
        index = 1 if body and _is_docstring(body[0]) else 0
        if index < len(body):  # a comment or blank line that opened the body stays above the new line
            statement = statement.with_changes(leading_lines=leading_lines(body[index]))
            body[index] = body[index].with_changes(leading_lines=[])
        body.insert(index, statement)
        return replace_statement(module, class_index, classdef, body)
    mapping = found.value
    if not isinstance(mapping, cst.Dict):
        raise NotApplicable(f"{class_name}.{MAPPER_ARGS} is not a dict literal")
    written = mapping
    for element in mapping.elements:
        if (
            isinstance(element, cst.DictElement)
            and isinstance(element.key, cst.SimpleString)
            and element.key.evaluated_value == key
        ):
            if not element.value.deep_equals(new_value):
                raise NotApplicable(f"{class_name}.{MAPPER_ARGS} already has {key!r} with another value")
            return module
    elements = list(mapping.elements)
    entry = cst.DictElement(key=cst.SimpleString(quoted(key, quote)), value=new_value)
    if elements:
        last = elements[-1]
        opening, closing = mapping.lbrace.whitespace_after, mapping.rbrace.whitespace_before
        if (
            isinstance(last.comma, cst.Comma)
            and isinstance(opening, cst.ParenthesizedWhitespace)
            and isinstance(closing, cst.ParenthesizedWhitespace)
        ):  # one entry a line, trailing comma
            elements[-1] = last.with_changes(
                comma=last.comma.with_changes(whitespace_after=closing.with_changes(last_line=opening.last_line))
            )  # its comment stays
            entry = entry.with_changes(comma=cst.Comma())
            mapping = mapping.with_changes(
                rbrace=mapping.rbrace.with_changes(
                    whitespace_before=closing.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
                )
            )
        else:
            elements[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    elements.append(entry)
    new_mapping = mapping.with_changes(elements=elements)
    return replace_in_attribute(module, class_index, classdef, found, written, new_mapping)


def _transform(
    module: cst.Module,
    class_name: str,
    keyword: str,
    value: str,
    attribute: str | None = None,
    mapper_arg: bool = False,
) -> cst.Module:
    """Set ``keyword=value`` on the class statement, on ``attribute``'s column call, or (``mapper_arg``)
    in ``__mapper_args__``."""
    if mapper_arg:
        return set_mapper_arg(module, class_name, keyword, value)
    if attribute:
        return set_column_keyword(module, class_name, attribute, keyword, value)
    return set_class_keyword(module, class_name, keyword, value)


apply = source_function(_transform)


COMMAND = Command(
    "ClassOptionCommand",
    _transform,
    description="Set a class keyword, a column keyword, or a __mapper_args__ entry of a mapped class.",
    options={
        "class_name": "The mapped class.",
        "keyword": "The keyword (or __mapper_args__ key).",
        "value": "Python source of the value, e.g. True.",
        "attribute": "A column attribute: set the keyword on its call.",
        "mapper_arg": "Set it in __mapper_args__.",
    },
)
__getattr__, __dir__ = COMMAND.exports(globals())  # the libcst.tool command, made when asked for
