"""Let a single-table-inheritance subclass reuse the parent table's column: ``use_existing_column=True``.

Before::

    class Manager(Employee):
        name: Mapped[str] = mapped_column(String(50))

After ``apply(src, class_name="Manager", attribute="name")``::

    class Manager(Employee):
        name: Mapped[str] = mapped_column(String(50), use_existing_column=True)

Only ``mapped_column()`` takes the keyword (SQLAlchemy 2.0.0b4+): NotApplicable for ``Column`` /
``db.Column``, and when the keyword is already there. The call's layout (one line or one argument a
line) and every other byte stay.

CLI::

    python -m libcst.tool codemod use_existing_column.UseExistingColumnCommand models.py \\
        --class-name Manager --attribute name
"""

from __future__ import annotations

import libcst as cst

from ._command import Command, source_function
from ._cst import dotted_name, find_class, replace_in_attribute, require_attribute
from ._errors import NotApplicable
from ._sequence import append_arg


def use_existing_column(module: cst.Module, class_name: str, attribute: str) -> cst.Module:
    """The module with ``use_existing_column=True`` added to ``class_name.attribute``'s mapped_column()."""
    class_index, classdef = find_class(module, class_name)
    found = require_attribute(classdef, attribute)
    call = found.value
    name = dotted_name(call.func) if isinstance(call, cst.Call) else None
    if not isinstance(call, cst.Call) or name is None or name.rsplit(".", 1)[-1] != "mapped_column":
        raise NotApplicable(
            f"{class_name}.{attribute} is not a mapped_column() call (only mapped_column() takes use_existing_column=)"
        )
    if any(arg.keyword is not None and arg.keyword.value == "use_existing_column" for arg in call.args):
        raise NotApplicable(f"{class_name}.{attribute} already has use_existing_column=")
    keyword = cst.Arg(
        keyword=cst.Name("use_existing_column"),
        value=cst.Name("True"),
        equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
    )
    return replace_in_attribute(module, class_index, classdef, found, call, append_arg(call, keyword))


apply = source_function(use_existing_column)


COMMAND = Command(
    "UseExistingColumnCommand",
    use_existing_column,
    description="Let a single-table-inheritance subclass column reuse the parent table's column.",
    options={
        "class_name": "The subclass holding the column.",
        "attribute": "The column attribute that conflicts.",
    },
)
__getattr__, __dir__ = COMMAND.exports(globals())  # the libcst.tool command, made when asked for
