"""Make a mixin's plain ``relationship()`` a ``@declared_attr`` method returning it.

Before::

    class HasAddresses:
        addresses = relationship("Address")

After ``apply(src, class_name="HasAddresses", attribute="addresses")``::

    from sqlalchemy.orm import declared_attr

    class HasAddresses:
        @declared_attr
        def addresses(cls):
            return relationship("Address")

A ``Mapped[...]`` annotation becomes the method's return annotation
(``def tags(cls) -> Mapped[list["Tag"]]:``); ``returns`` gives one for an unannotated attribute. The
call itself (arguments, comments, continuation lines) is kept as written, one level deeper. Running
it again changes nothing.

With ``existing_in="Staff"`` (single-table inheritance: a subclass column the shared table may already
have, ORM045), the method returns the table's column when there is one, as SQLAlchemy's docs advise::

    class Guard(Staff):
        @declared_attr
        def badge(cls):
            return Staff.__table__.c.get("badge", db.Column(db.String(20)))

CLI::

    python -m libcst.tool codemod --no-format wrap_in_declared_attr.WrapInDeclaredAttrCommand models/mixins.py \\
        --class-name HasAddresses --attribute addresses [--returns 'Mapped[list["Address"]]'] \\
        [--existing-in Staff --column badge]
"""

from __future__ import annotations

import libcst as cst

from ._command import Command, source_function
from ._cst import class_body, find_class, leading_lines, preferred_quote, quoted, replace_statement
from ._errors import NotApplicable
from ._imports import add_from_import, bound_names, is_bound

_DECLARED_ATTR = {"sqlalchemy.orm.declared_attr", "sqlalchemy.ext.declarative.declared_attr"}


def _is_method(statement: cst.BaseStatement, attribute: str) -> bool:
    return isinstance(statement, cst.FunctionDef) and statement.name.value == attribute


def _decorator(module: cst.Module) -> tuple[cst.Module, str]:
    """The spelling of declared_attr in this module, importing it when needed."""
    bound = bound_names(module)
    if bound.get("declared_attr") in _DECLARED_ATTR:
        return module, "declared_attr"
    if is_bound(module, "declared_attr"):
        raise NotApplicable("the module binds declared_attr to something else")
    return add_from_import(module, "sqlalchemy.orm", "declared_attr"), "declared_attr"


def _method(
    statement: cst.SimpleStatementLine,
    assignment: cst.Assign | cst.AnnAssign,
    attribute: str,
    decorator: str,
    returns: str | None,
    existing: tuple[str, str] | None = None,
) -> cst.FunctionDef:
    value = assignment.value
    if (
        existing is not None and value is not None
    ):  # (table holder, the column name quoted): the table's column if it has one
        getter = cst.parse_expression(f"{existing[0]}.__table__.c.get")
        value = cst.Call(
            func=getter,
            args=[
                cst.Arg(cst.SimpleString(existing[1]), comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                cst.Arg(value),
            ],
        )
    annotation = assignment.annotation if isinstance(assignment, cst.AnnAssign) else None
    if annotation is None and returns:
        annotation = cst.Annotation(cst.parse_expression(returns))
    body_line = cst.SimpleStatementLine(
        body=[cst.Return(value=value)], trailing_whitespace=statement.trailing_whitespace
    )
    return cst.FunctionDef(
        name=cst.Name(attribute),
        params=cst.Parameters(params=[cst.Param(cst.Name("cls"))]),
        body=cst.IndentedBlock(body=[body_line]),
        decorators=[cst.Decorator(decorator=cst.Name(decorator))],
        returns=annotation.with_changes(whitespace_before_indicator=cst.SimpleWhitespace(" "))
        if annotation is not None
        else None,
        leading_lines=statement.leading_lines,
    )


def wrap_in_declared_attr(
    module: cst.Module,
    class_name: str,
    attribute: str,
    returns: str | None = None,
    existing_in: str | None = None,
    column: str | None = None,
) -> cst.Module:
    """Rewrite ``class_name.attribute = relationship(...)`` as a ``@declared_attr`` method returning it
    (``returns``: the return annotation's source when the statement has none; ``existing_in``: return
    ``<existing_in>.__table__.c.get("<column>", <the value>)`` instead)."""
    _, classdef = find_class(module, class_name)
    body = list(class_body(classdef).body)
    if any(_is_method(statement, attribute) for statement in body):
        return module  # already a method: idempotent
    position = None
    for index, statement in enumerate(body):
        if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
            small = statement.body[0]
            target = (
                small.target
                if isinstance(small, cst.AnnAssign)
                else (small.targets[0].target if isinstance(small, cst.Assign) and len(small.targets) == 1 else None)
            )
            if (
                isinstance(target, cst.Name)
                and target.value == attribute
                and isinstance(small, (cst.Assign, cst.AnnAssign))
                and small.value is not None
            ):
                position = index
    if position is None:
        raise NotApplicable(f"{class_name}.{attribute} is not a single assignment in the class body")
    module, decorator = _decorator(module)
    class_index, classdef = find_class(module, class_name)
    body = list(class_body(classdef).body)
    statement = body[position]
    assignment = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
    assert isinstance(statement, cst.SimpleStatementLine) and isinstance(assignment, (cst.Assign, cst.AnnAssign))
    existing = (existing_in, quoted(column or attribute, preferred_quote(module))) if existing_in else None
    method = _method(statement, assignment, attribute, decorator, returns, existing)
    if position > 0 and not method.leading_lines:  # a method is set off by blank lines
        method = method.with_changes(leading_lines=[cst.EmptyLine(indent=False)])
    body[position] = method
    following = body[position + 1] if position + 1 < len(body) else None
    if following is not None and not leading_lines(following):
        body[position + 1] = following.with_changes(leading_lines=[cst.EmptyLine(indent=False)])
    return replace_statement(module, class_index, classdef, body)


apply = source_function(wrap_in_declared_attr)


COMMAND = Command(
    "WrapInDeclaredAttrCommand",
    wrap_in_declared_attr,
    description="Make a mixin's plain relationship() a @declared_attr method.",
    options={
        "class_name": "The mixin class.",
        "attribute": "The attribute assigned relationship().",
        "returns": 'Return annotation when the statement has none: Mapped[list["Address"]].',
        "existing_in": "Single-table inheritance: return <this>.__table__.c.get(...).",
        "column": "The column name for --existing-in (default: the attribute).",
    },
)
__getattr__, __dir__ = COMMAND.exports(globals())  # the libcst.tool command, made when asked for
