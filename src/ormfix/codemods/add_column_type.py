"""Give a 2.0 column whose Python type has no SQLAlchemy type its column type: ``mapped_column(JSON)``.

Before::

    class Profile(Base):
        settings: Mapped[dict] = mapped_column(nullable=True)
        tags: Mapped[list[str]]

After ``apply(src, class_name="Profile", attribute="settings")`` (and ``attribute="tags"``)::

    class Profile(Base):
        settings: Mapped[dict] = mapped_column(JSON, nullable=True)
        tags: Mapped[list[str]] = mapped_column(JSON)

The type goes first among the positional arguments (after a column name string, if any). The type
(``type_name``, default ``JSON``, from ``type_module``, default ``sqlalchemy``) is imported unless the
file binds it already, or is written through the module's alias (``sa.JSON``); ``mapped_column`` is
imported for a bare annotation. NotApplicable when the attribute is not an annotated
``mapped_column()`` (or bare annotation).

CLI::

    python -m libcst.tool codemod add_column_type.AddColumnTypeCommand models.py \\
        --class-name Profile --attribute settings [--type-name JSON --type-module sqlalchemy]
"""

from __future__ import annotations

import libcst as cst

from ._command import Command, source_function
from ._cst import dotted_name, find_attribute, find_class, replace_in_attribute
from ._errors import NotApplicable
from ._imports import add_from_import, spelling
from ._sequence import insert_arg

ORM = "sqlalchemy.orm"


def add_column_type(
    module: cst.Module, class_name: str, attribute: str, type_name: str = "JSON", type_module: str = "sqlalchemy"
) -> cst.Module:
    """Pass ``type_name`` to ``class_name.attribute``'s mapped_column()."""
    class_index, classdef = find_class(module, class_name)
    found = find_attribute(classdef, attribute)
    if found is None or not isinstance(found.assignment, cst.AnnAssign):
        raise NotApplicable(f"{class_name}.{attribute} is not an annotated attribute")
    type_code, import_type = spelling(module, type_name, type_module)
    value = found.assignment.value
    old: cst.CSTNode
    new: cst.CSTNode
    if value is None:
        column_code, import_column = spelling(module, "mapped_column", ORM)
        assignment = found.assignment.with_changes(
            value=cst.parse_expression(f"{column_code}({type_code})"),
            equal=cst.AssignEqual(
                whitespace_before=cst.SimpleWhitespace(" "), whitespace_after=cst.SimpleWhitespace(" ")
            ),
        )
        old, new = found.assignment, assignment
    else:
        name = dotted_name(value.func) if isinstance(value, cst.Call) else None
        if not isinstance(value, cst.Call) or name is None or name.rsplit(".", 1)[-1] != "mapped_column":
            raise NotApplicable(f"{class_name}.{attribute} is not a mapped_column() call")
        positional = [arg for arg in value.args if arg.keyword is None and not arg.star]
        at = 1 if positional and isinstance(positional[0].value, (cst.SimpleString, cst.ConcatenatedString)) else 0
        given = positional[at].value if len(positional) > at else None
        given = given.func if isinstance(given, cst.Call) else given  # JSON(none_as_null=True)
        if given is not None and (dotted_name(given) or "").rsplit(".", 1)[-1] == type_name:
            return module  # it has the type already (a second run changes nothing)
        typed = insert_arg(value, at, cst.Arg(value=cst.parse_expression(type_code)))
        old, new = value, typed
        import_column = False
    module = replace_in_attribute(module, class_index, classdef, found, old, new)
    if import_type:
        module = add_from_import(module, type_module, type_name)
    if import_column:
        module = add_from_import(module, ORM, "mapped_column")
    return module


apply = source_function(add_column_type)


COMMAND = Command(
    "AddColumnTypeCommand",
    add_column_type,
    description="Give a Mapped[...] column whose Python type has no SQLAlchemy type an explicit column type.",
    options={
        "class_name": "Mapped class holding the column.",
        "attribute": "The column attribute.",
        "type_name": "The column type (default JSON).",
        "type_module": "Where it is imported from.",
    },
)
__getattr__, __dir__ = COMMAND.exports(globals())  # the libcst.tool command, made when asked for
