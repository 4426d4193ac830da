"""Give a mapped class a ``__tablename__`` (or, with ``replace=True``, change the one it has).

Before::

    class OrderItem(Base):
        id = Column(Integer, primary_key=True)

After ``apply(src, class_name="OrderItem", tablename="order_items")``::

    class OrderItem(Base):
        __tablename__ = "order_items"
        id = Column(Integer, primary_key=True)

The new line goes first in the body (after the class docstring), quoted like the file's
other strings. NotApplicable when the class already assigns ``__tablename__``, unless
``replace=True``: then only that string changes.

CLI::

    python -m libcst.tool codemod add_tablename.AddTablenameCommand models.py \\
        --class-name OrderItem --tablename order_items [--replace]
"""

from __future__ import annotations

import libcst as cst

from ._command import Command, source_function
from ._cst import (
    class_body,
    find_attribute,
    find_class,
    leading_lines,
    preferred_quote,
    quoted,
    replace_statement,
    requoted,
)
from ._errors import NotApplicable

NAME = "__tablename__"


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def add_tablename(module: cst.Module, class_name: str, tablename: str, replace: bool = False) -> cst.Module:
    """The module with `__tablename__ = "<tablename>"` as class_name's first statement."""
    class_index, classdef = find_class(module, class_name)
    existing = find_attribute(classdef, NAME)
    if existing is not None:
        old = existing.value
        if not replace or not isinstance(old, cst.SimpleString):
            raise NotApplicable(f"{class_name} already assigns {NAME}")
        return cst.ensure_type(module.deep_replace(old, requoted(old, tablename)), cst.Module)
    code = f"{NAME} = {quoted(tablename, preferred_quote(module))}\n"
    statement = cst.parse_statement(code, config=module.config_for_parsing)
    body = list(class_body(classdef).body)
    index = 1 if body and _is_docstring(body[0]) else 0
    if index < len(body):  # keep a comment or blank line that opened the body above the new line
        statement = statement.with_changes(leading_lines=leading_lines(body[index]))
        body[index] = body[index].with_changes(leading_lines=[])
    body.insert(index, statement)
    return replace_statement(module, class_index, classdef, body)


apply = source_function(add_tablename)


COMMAND = Command(
    "AddTablenameCommand",
    add_tablename,
    description="Give a mapped class a __tablename__.",
    options={
        "class_name": "Mapped class name.",
        "tablename": "Table name, e.g. order_items.",
        "replace": "Change an existing __tablename__.",
    },
)
__getattr__, __dir__ = COMMAND.exports(globals())  # the libcst.tool command, made when asked for
