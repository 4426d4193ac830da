"""Add an integer primary key column ``id`` to a mapped class, in the class's own column style.

Before::

    class Tag(Base):
        __tablename__ = "tags"
        name = Column(String(50), unique=True)

After ``apply(src, class_name="Tag")``::

    class Tag(Base):
        __tablename__ = "tags"
        id = Column(Integer, primary_key=True)
        name = Column(String(50), unique=True)

Other styles: ``id = db.Column(db.Integer, primary_key=True)``;
``id: Mapped[int] = mapped_column(primary_key=True)``. The column goes first, after the
docstring / ``__tablename__`` / ``__table_args__``. NotApplicable when the class already binds
``id`` (then the key column is for a person to choose).

CLI::

    python -m libcst.tool codemod add_primary_key.AddPrimaryKeyCommand models.py --class-name Tag
"""

from __future__ import annotations

import libcst as cst

from ._command import Command, source_function
from ._cst import class_body, find_attribute, find_class, replace_statement
from ._errors import NotApplicable
from ._style import Speller, detect_style
from .add_fk_column import preamble_end

COLUMN = "id"


def add_primary_key(module: cst.Module, class_name: str) -> cst.Module:
    """The module with `id` added to class_name as its integer primary key."""
    class_index, classdef = find_class(module, class_name)
    if find_attribute(classdef, COLUMN) is not None:
        raise NotApplicable(f"{class_name}.{COLUMN} already exists: mark the key column primary_key=True by hand")
    speller = Speller(module, detect_style(module, classdef))
    style = speller.style
    if style.mapped is None:
        code = f"{COLUMN} = {speller.sqlalchemy('Column')}({speller.sqlalchemy('Integer')}, primary_key=True)"
    else:
        code = f"{COLUMN}: {speller.orm(style.mapped)}[int] = {speller.orm(style.column)}(primary_key=True)"
    statement = cst.parse_statement(code + "\n", config=module.config_for_parsing)
    body = list(class_body(classdef).body)
    body.insert(preamble_end(classdef), statement)
    module = replace_statement(module, class_index, classdef, body)
    return speller.add_imports(module)


apply = source_function(add_primary_key)


COMMAND = Command(
    "AddPrimaryKeyCommand",
    add_primary_key,
    description="Add an integer primary key column `id` to a mapped class, in its column style.",
    options={
        "class_name": "Mapped class name.",
    },
)
__getattr__, __dir__ = COMMAND.exports(globals())  # the libcst.tool command, made when asked for
