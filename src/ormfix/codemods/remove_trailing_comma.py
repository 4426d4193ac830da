"""Remove the trailing comma that turns a column (or relationship) assignment into a 1-tuple.

Before::

    class Tag(Base):
        name = Column(String(50)),  # shown in the UI

After ``apply(src, class_name="Tag", attribute="name")``::

    class Tag(Base):
        name = Column(String(50))  # shown in the UI

Only the comma goes (and the parentheses of ``(Column(...),)``); every other byte, the comment
and a multi-line call's layout included, stays. NotApplicable when the value is not a 1-tuple
holding a call.

CLI::

    python -m libcst.tool codemod remove_trailing_comma.RemoveTrailingCommaCommand models.py \\
        --class-name Tag --attribute name
"""

from __future__ import annotations

import libcst as cst

from ._command import Command, source_function
from ._cst import find_class, replace_in_attribute, require_attribute
from ._errors import NotApplicable


def remove_trailing_comma(module: cst.Module, class_name: str, attribute: str) -> cst.Module:
    """The module with ``class_name.attribute = X(...),`` turned into ``... = X(...)``."""
    class_index, classdef = find_class(module, class_name)
    found = require_attribute(classdef, attribute)
    value = found.value
    if not (
        isinstance(value, cst.Tuple) and len(value.elements) == 1 and isinstance(value.elements[0].value, cst.Call)
    ):
        raise NotApplicable(f"{class_name}.{attribute} is not a one-element tuple holding a call")
    return replace_in_attribute(module, class_index, classdef, found, value, value.elements[0].value)


apply = source_function(remove_trailing_comma)


COMMAND = Command(
    "RemoveTrailingCommaCommand",
    remove_trailing_comma,
    description="Remove the trailing comma that makes a column assignment a tuple declarative ignores.",
    options={
        "class_name": "Mapped class holding the attribute.",
        "attribute": "The attribute assigned a 1-tuple.",
    },
)
__getattr__, __dir__ = COMMAND.exports(globals())  # the libcst.tool command, made when asked for
