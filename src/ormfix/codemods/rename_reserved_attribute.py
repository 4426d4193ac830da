"""Rename a declarative attribute that uses a reserved name, keeping its database column name.

Before::

    class Document(Base):
        metadata = Column(JSON)

After ``apply(src, class_name="Document", attribute="metadata")``::

    class Document(Base):
        metadata_ = Column("metadata", JSON)

The attribute becomes ``<name>_`` (or ``new``) and the column keeps its name in the database: the old
name is passed as the first argument of ``Column()`` / ``mapped_column()`` unless one is given already.
NotApplicable when the value is not a column, or the new name is taken.

CLI::

    python -m libcst.tool codemod rename_reserved_attribute.RenameReservedAttributeCommand models.py \\
        --class-name Document --attribute metadata
"""

from __future__ import annotations

import libcst as cst

from ._command import Command, source_function
from ._cst import (
    find_attribute,
    find_class,
    is_string,
    preferred_quote,
    quoted,
    replace_in_attribute,
    require_call,
)
from ._errors import NotApplicable


def rename_reserved_attribute(
    module: cst.Module, class_name: str, attribute: str, new: str | None = None
) -> cst.Module:
    """Rename ``class_name.attribute`` to ``new`` (default ``<attribute>_``), keeping the column name."""
    new = new or f"{attribute}_"
    class_index, classdef = find_class(module, class_name)
    found, call = require_call(classdef, attribute, ("Column", "mapped_column"), "Column()/mapped_column()")
    if find_attribute(classdef, new) is not None:
        raise NotApplicable(f"{class_name}.{new} already exists: choose another attribute name by hand")
    args = list(call.args)
    if not (args and args[0].keyword is None and is_string(args[0].value)):
        name = cst.SimpleString(quoted(attribute, preferred_quote(module)))
        comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")) if args else cst.MaybeSentinel.DEFAULT
        args.insert(0, cst.Arg(value=name, comma=comma))
    assignment = found.assignment
    target = cst.Name(new)
    renamed: cst.CSTNode
    if isinstance(assignment, cst.AnnAssign):
        renamed = assignment.with_changes(target=target, value=call.with_changes(args=args))
    elif isinstance(assignment, cst.Return):  # a @declared_attr method: its name is the attribute's
        raise NotApplicable(f"{class_name}.{attribute} is a @declared_attr method: rename the method by hand")
    else:
        renamed = assignment.with_changes(
            targets=[assignment.targets[0].with_changes(target=target)], value=call.with_changes(args=args)
        )
    return replace_in_attribute(module, class_index, classdef, found, assignment, renamed)


apply = source_function(rename_reserved_attribute)


COMMAND = Command(
    "RenameReservedAttributeCommand",
    rename_reserved_attribute,
    description="Rename a column attribute with a reserved name (metadata, registry), keeping the column name.",
    options={
        "class_name": "Mapped class holding the attribute.",
        "attribute": "The reserved attribute, e.g. metadata.",
        "new": "The new attribute name (default: metadata_).",
    },
)
__getattr__, __dir__ = COMMAND.exports(globals())  # the libcst.tool command, made when asked for
