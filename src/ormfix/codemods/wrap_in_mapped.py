"""Wrap a 2.0 declarative attribute's annotation in ``Mapped[...]``.

Before::

    class Parent(Base):
        children: list["Child"] = relationship(back_populates="parent")

After ``apply(src, class_name="Parent", attribute="children")``::

    class Parent(Base):
        children: Mapped[list["Child"]] = relationship(back_populates="parent")

``Mapped`` is imported from ``sqlalchemy.orm`` unless the file already has it (as ``Mapped``
or through a module alias such as ``so.Mapped``). NotApplicable when the annotation is already
``Mapped[...]`` or the attribute has no annotation.

CLI::

    python -m libcst.tool codemod wrap_in_mapped.WrapInMappedCommand models.py \\
        --class-name Parent --attribute children
"""

from __future__ import annotations

import libcst as cst

from ._command import Command, source_function
from ._cst import dotted_name, find_class, replace_in_attribute, require_attribute, split_name
from ._errors import NotApplicable
from ._imports import add_from_import, spelling

ORM = "sqlalchemy.orm"


def wrap_in_mapped(module: cst.Module, class_name: str, attribute: str) -> cst.Module:
    """Wrap the annotation of ``class_name.attribute`` in ``Mapped[...]``."""
    class_index, classdef = find_class(module, class_name)
    found = require_attribute(classdef, attribute)
    if not isinstance(found.assignment, cst.AnnAssign):
        raise NotApplicable(f"{class_name}.{attribute} has no annotation to wrap")
    annotation = found.assignment.annotation.annotation
    inner = annotation.value if isinstance(annotation, cst.Subscript) else annotation
    if split_name(dotted_name(inner))[1] == "Mapped":
        raise NotApplicable(f"{class_name}.{attribute} is already annotated Mapped[...]")
    mapped, needs_import = spelling(module, "Mapped", ORM)
    wrapped = cst.Subscript(
        value=cst.parse_expression(mapped), slice=[cst.SubscriptElement(slice=cst.Index(value=annotation))]
    )
    module = replace_in_attribute(module, class_index, classdef, found, annotation, wrapped)
    return add_from_import(module, ORM, "Mapped") if needs_import else module


apply = source_function(wrap_in_mapped)


COMMAND = Command(
    "WrapInMappedCommand",
    wrap_in_mapped,
    description="Wrap a declarative attribute's annotation in Mapped[...].",
    options={
        "class_name": "Mapped class holding the attribute.",
        "attribute": "The attribute whose annotation to wrap.",
    },
)
__getattr__, __dir__ = COMMAND.exports(globals())  # the libcst.tool command, made when asked for
