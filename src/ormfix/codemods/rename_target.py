"""Point a relationship at another class: rename its target, as written.

Before::

    class Organization(Base):
        schools = relationship("Scool", back_populates="organization")

After ``apply(src, class_name="Organization", attribute="schools", old="Scool", new="School")``::

    class Organization(Base):
        schools = relationship("School", back_populates="organization")

The target is renamed where it is written: the first positional argument of ``relationship()``
(a string, or a bare class name), or the class named inside the ``Mapped[...]`` annotation
(``Mapped[list["Scool"]]``) when ``relationship()`` has no positional target. Quotes are kept.
With ``quote``, an unquoted class name becomes a string (``relationship(Adress)`` ->
``relationship("Address")``), resolved when the mappers are configured instead of at import.

CLI::

    python -m libcst.tool codemod --no-format rename_target.RenameTargetCommand models.py \\
        --class-name Organization --attribute schools --old Scool --new School [--quote]
"""

from __future__ import annotations

import re

import libcst as cst

from ._command import Command, source_function
from ._cst import RELATIONSHIP_KINDS, find_class, preferred_quote, quoted, replace_found, require_call, string_value
from ._errors import NotApplicable


class _Renamer(cst.CSTTransformer):
    """Renames the string or name ``old`` (the whole value, or the last part of a dotted string;
    with ``whole``, a matching string becomes ``new`` entirely: a module-qualified path)."""

    def __init__(self, old: str, new: str, whole: bool = False) -> None:
        self.old, self.new, self.whole, self.count = old, new, whole, 0

    def leave_SimpleString(self, original: cst.SimpleString, updated: cst.SimpleString) -> cst.SimpleString:
        value = string_value(original)
        if value is None:
            return updated
        word = re.compile(rf"(?<![\w.]){re.escape(self.old)}(?!\w)")
        if value.rsplit(".", 1)[-1] == self.old:
            renamed = self.new if self.whole else value[: len(value) - len(self.old)] + self.new
        elif not self.whole and re.search(r"[|\[]", value) and len(word.findall(value)) == 1:
            renamed = word.sub(self.new, value)  # an annotation string: "Vendor | None", "list[Vendor]"
        else:
            return updated
        self.count += 1
        prefix_end = len(original.value) - len(original.value.lstrip("rbuRBU"))
        quote = original.value[
            prefix_end : prefix_end + (3 if original.value[prefix_end : prefix_end + 3] in ('"""', "'''") else 1)
        ]
        return updated.with_changes(value=f"{original.value[:prefix_end]}{quote}{renamed}{quote}")

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        if original.value != self.old:
            return updated
        self.count += 1
        return updated.with_changes(value=self.new)


def rename_target(
    module: cst.Module, class_name: str, attribute: str, old: str, new: str, whole: bool = False, quote: bool = False
) -> cst.Module:
    """Rename the target of ``class_name.attribute`` from ``old`` to ``new`` (``whole``: replace the
    whole string, e.g. with a module-qualified path; ``quote``: an unquoted class name becomes a string)."""
    class_index, classdef = find_class(module, class_name)
    found, call = require_call(classdef, attribute, RELATIONSHIP_KINDS, "relationship()", module)
    positional = [arg for arg in call.args if arg.keyword is None]
    renamer = _Renamer(old, new, whole)
    if positional:
        node: cst.CSTNode = positional[0].value
    elif found.annotation is not None:
        node = found.annotation
    else:
        raise NotApplicable(f"{class_name}.{attribute} names no target to rename")
    renamed = node.visit(renamer)
    if not isinstance(renamed, cst.CSTNode):  # (the renamer changes names and strings, it removes nothing)
        raise TypeError(f"renaming {old!r} removed the target")
    if quote and isinstance(node, cst.Name) and renamer.count:
        renamed = cst.SimpleString(quoted(new, preferred_quote(module)))
    if renamer.count == 0:
        if _names(node, new):
            return module  # already renamed: idempotent
        raise NotApplicable(f"{class_name}.{attribute} does not name {old!r}")
    return replace_found(module, found, found.statement.deep_replace(node, renamed))


def _names(node: cst.CSTNode, name: str) -> bool:
    checker = _Renamer(name, name)
    node.visit(checker)
    return checker.count > 0


apply = source_function(rename_target)


COMMAND = Command(
    "RenameTargetCommand",
    rename_target,
    description="Rename the class a relationship() points at.",
    options={
        "class_name": "Mapped class holding the relationship.",
        "attribute": "The relationship attribute.",
        "old": "The target as written now, e.g. Scool.",
        "new": "The class to point at, e.g. School.",
        "whole": "Replace the whole string (a qualified path).",
        "quote": "Write an unquoted class name as a string.",
    },
)
__getattr__, __dir__ = COMMAND.exports(globals())  # the libcst.tool command, made when asked for
