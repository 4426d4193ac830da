"""Link a joined-table inheritance subclass to its parent: a ForeignKey on the subclass's primary key.

Before::

    class Manager(Employee):
        __tablename__ = "managers"
        id = Column(Integer, primary_key=True)

After ``apply(src, class_name="Manager", target="employees.id")``::

    class Manager(Employee):
        __tablename__ = "managers"
        id = Column(Integer, ForeignKey("employees.id"), primary_key=True)

When the subclass has no ``column_name`` (default ``id``), the key column is added first, typed like the
parent's key: ``id = Column(Integer, ForeignKey("employees.id"), primary_key=True)``,
``id = db.Column(db.Integer, db.ForeignKey('employees.id'), primary_key=True)`` or
``id: Mapped[int] = mapped_column(ForeignKey("employees.id"), primary_key=True)``. An existing
column that already has a ForeignKey is left as it is.

CLI::

    python -m libcst.tool codemod add_parent_fk.AddParentFkCommand models.py \\
        --class-name Manager --target employees.id [--column-name id] \\
        [--type-name String --type-args 36 --python-type str]
"""

from __future__ import annotations

import libcst as cst

from ._command import Command, source_function
from ._cst import class_body, find_attribute, find_class, replace_statement
from ._style import Speller, detect_style
from .add_fk_column import _column_code, preamble_end
from .foreign_keys import add_foreign_key


def add_parent_fk(
    module: cst.Module,
    class_name: str,
    target: str,
    column_name: str = "id",
    type_name: str = "Integer",
    type_args: str = "",
    type_module: str = "sqlalchemy",
    python_type: str = "int",
) -> cst.Module:
    """The module with class_name's key column `column_name` referencing `target` (added if missing)."""
    class_index, classdef = find_class(module, class_name)
    if find_attribute(classdef, column_name) is not None:
        return add_foreign_key(module, class_name, column_name, target)
    speller = Speller(module, detect_style(module, classdef))
    code = _column_code(
        module,
        speller,
        column_name,
        target,
        type_name,
        type_args,
        type_module,
        python_type,
        nullable=False,
        primary_key=True,
    )
    body = list(class_body(classdef).body)
    body.insert(preamble_end(classdef), cst.parse_statement(code + "\n", config=module.config_for_parsing))
    module = replace_statement(module, class_index, classdef, body)
    return speller.add_imports(module)


apply = source_function(add_parent_fk)


COMMAND = Command(
    "AddParentFkCommand",
    add_parent_fk,
    description="Add ForeignKey(parent key) to a joined-inheritance subclass's primary key (adding the column if needed).",
    options={
        "class_name": "The subclass.",
        "target": "The parent's key column, e.g. employees.id.",
        "column_name": "The subclass's key attribute.",
        "type_name": "SQLAlchemy type of a new key column.",
        "type_args": "Type arguments, e.g. 36.",
        "type_module": "Module of the type.",
        "python_type": "Python type for Mapped[].",
    },
)
__getattr__, __dir__ = COMMAND.exports(globals())  # the libcst.tool command, made when asked for
