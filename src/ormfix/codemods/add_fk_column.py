"""Add a foreign-key column to a mapped class, in the class's own column style.

Before::

    class Post(db.Model):
        id = db.Column(db.Integer, primary_key=True)
        campaign = db.relationship('Campaign')

After ``apply(src, class_name="Post", column_name="campaign_id", target="campaigns.id")``::

    class Post(db.Model):
        id = db.Column(db.Integer, primary_key=True)
        campaign_id = db.Column(db.Integer, db.ForeignKey('campaigns.id'), nullable=True)
        campaign = db.relationship('Campaign')

Other styles: ``sa.Column(sa.Integer, sa.ForeignKey(...))``; classic
``Column(Integer, ForeignKey(...))`` (imports added); 2.0
``campaign_id: Mapped[Optional[int]] = mapped_column(ForeignKey("campaigns.id"), nullable=True)``.
The column goes right after the class's last column (or after the docstring /
``__tablename__`` / ``__table_args__`` if it has none). If the column already exists
with that ForeignKey, nothing changes; without it, NotApplicable.

CLI::

    python -m libcst.tool codemod add_fk_column.AddFkColumnCommand models.py \\
        --class-name Post --column-name campaign_id --target campaigns.id \\
        [--type-name UUID --type-args as_uuid=True \\
         --type-module sqlalchemy.dialects.postgresql --python-type uuid.UUID] [--not-nullable]
"""

from __future__ import annotations

import libcst as cst

from ._command import Command, source_function
from ._cst import (
    call_kind,
    class_body,
    column_attributes,
    find_attribute,
    find_class,
    foreign_key_calls,
    has_foreign_key_to,
    iter_attributes,
    preferred_quote,
    quoted,
    replace_statement,
    split_name,
    string_value,
)
from ._errors import NotApplicable
from ._imports import bound_names, has_future_annotations
from ._style import Speller, detect_style, uses_pipe_optional

# Class-body statements that stay above the first column.
PREAMBLE_NAMES = {"__tablename__", "__table_args__", "__abstract__", "__bind_key__"}

PLAIN_PYTHON_TYPES = {"int": "Integer", "str": "String"}  # what the annotation alone maps to


def _column_code(
    module: cst.Module,
    speller: Speller,
    column_name: str,
    target: str,
    type_name: str,
    type_args: str,
    type_module: str,
    python_type: str,
    nullable: bool,
    primary_key: bool = False,
    reference: str | None = None,
    dataclass: bool = False,
    type_implied: bool = False,
    ondelete: str | None = None,
    index: bool = False,
) -> str:
    """Source of the new column statement, e.g. `x_id = Column(Integer, ...)` (`primary_key=True`
    in place of `nullable=` when `primary_key`); ``reference`` ("User.id"): written as
    ``ForeignKey(User.id)``, the file's own spelling; ``ondelete``/``index``: as the class's other
    foreign keys have them."""
    style = speller.style

    def foreign_key() -> str:
        written = reference or quoted(target, preferred_quote(module))
        if ondelete:
            written += f", ondelete={quoted(ondelete, preferred_quote(module))}"
        return f"{speller.sqlalchemy('ForeignKey')}({written})"

    def type_expr() -> str:
        spelled = speller.type_name(type_module, type_name)
        return f"{spelled}({type_args})" if type_args else spelled

    if style.mapped is None:  # an import alias the file spells Column with (`import Column as _Column`) stays
        column = style.column if split_name(style.column)[1] not in ("Column", "") else speller.sqlalchemy("Column")
        tail = "primary_key=True" if primary_key else f"nullable={nullable}" + (", index=True" if index else "")
        return f"{column_name} = {column}({type_expr()}, {foreign_key()}, {tail})"

    speller.python_module(python_type)
    annotation = python_type
    if nullable:
        if has_future_annotations(module) or uses_pipe_optional(module):
            annotation = f"{python_type} | None"
        else:
            annotation = f"{speller.typing('Optional')}[{python_type}]"
    mapped = speller.orm(style.mapped)
    mapped_column = speller.orm(style.column)
    # Mapped[int] / Mapped[str] spell Integer / String already; a BigInteger key needs its type written
    # (type_implied: the key's own type comes from its annotation, e.g. via type_annotation_map: so does this one's)
    plain = PLAIN_PYTHON_TYPES.get(python_type) == type_name or type_implied
    args = [] if plain else [type_expr()]
    args.append(foreign_key())
    if primary_key:
        args.append("primary_key=True")
    elif nullable:
        args.append("nullable=True")
    if index and not primary_key:
        args.append("index=True")
    if dataclass and not primary_key:  # MappedAsDataclass: not an __init__ argument, so its place is free
        args.extend(["init=False", "default=None"])
    return f"{column_name}: {mapped}[{annotation}] = {mapped_column}({', '.join(args)})"


def is_sqlmodel_table(classdef: cst.ClassDef) -> bool:
    """``class Hero(SQLModel, table=True)``."""
    return any(
        k.keyword is not None
        and k.keyword.value == "table"
        and isinstance(k.value, cst.Name)
        and k.value.value == "True"
        for k in classdef.keywords
    )


def _sqlmodel_column_code(
    module: cst.Module, speller: Speller, column_name: str, target: str, python_type: str, nullable: bool
) -> str:
    """``team_id: Optional[int] = Field(default=None, foreign_key="team.id")``: SQLModel's spelling."""
    speller.python_module(python_type)
    field_name = speller._bare("sqlmodel", "Field")
    key = f"foreign_key={quoted(target, preferred_quote(module))}"
    if not nullable:
        return f"{column_name}: {python_type} = {field_name}({key})"
    if has_future_annotations(module) or uses_pipe_optional(module):
        annotation = f"{python_type} | None"
    else:
        annotation = f"{speller.typing('Optional')}[{python_type}]"
    return f"{column_name}: {annotation} = {field_name}(default=None, {key})"


def _object_reference(module: cst.Module, class_index: int, reference: str | None) -> str | None:
    """``reference`` ("User.id") when the file writes its ForeignKeys as objects (``ForeignKey(User.id)``)
    and ``User`` is defined above the class or imported, else None (a "table.column" string)."""
    if not reference:
        return None
    objects = [
        call for call in foreign_key_calls(module) if call.args and isinstance(call.args[0].value, cst.Attribute)
    ]
    strings = [call for call in foreign_key_calls(module) if call.args and string_value(call.args[0].value)]
    if not objects or len(strings) > len(objects):
        return None
    name = reference.split(".")[0]
    above = any(isinstance(s, cst.ClassDef) and s.name.value == name for s in module.body[:class_index])
    return reference if above or name in bound_names(module) else None


def _is_preamble(statement: cst.BaseStatement) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    small = statement.body[0]
    if isinstance(small, cst.Expr):
        return isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString))
    targets: list[cst.BaseExpression] = []
    if isinstance(small, cst.Assign):
        targets = [t.target for t in small.targets]
    elif isinstance(small, cst.AnnAssign):
        targets = [small.target]
    return any(isinstance(t, cst.Name) and t.value in PREAMBLE_NAMES for t in targets)


def preamble_end(classdef: cst.ClassDef) -> int:
    """Index of the first class-body statement after the docstring / ``__tablename__`` / ``__table_args__``."""
    index = 0
    for statement in class_body(classdef).body:
        if not _is_preamble(statement):
            break
        index += 1
    return index


def _insertion_index(classdef: cst.ClassDef) -> int:
    columns = column_attributes(classdef)
    if is_sqlmodel_table(classdef):  # SQLModel: its fields are the annotated statements but Relationship()
        columns = [
            found
            for found in iter_attributes(classdef)
            if isinstance(found.assignment, cst.AnnAssign) and call_kind(found.value) != "Relationship"
        ]
    if columns:
        return columns[-1].index + 1
    return preamble_end(classdef)


def _restored(module: cst.Module, restore: str, column_name: str, target: str) -> cst.BaseStatement:
    """The statement ``restore`` (class-body text), continuation lines kept byte for byte."""
    try:
        holder = cst.parse_module("class _Restored:\n" + restore.rstrip("\n") + "\n")
    except cst.ParserSyntaxError as error:
        raise NotApplicable(f"the line to restore does not parse: {error.message}") from error
    restored = cst.ensure_type(holder.body[0], cst.ClassDef)  # the class statement parsed above
    (statement,) = class_body(restored).body
    if find_attribute(restored, column_name) is None or not has_foreign_key_to(statement, target):
        raise NotApplicable(f"the line to restore is not {column_name} = ...ForeignKey({target!r})...")
    return statement.with_changes(leading_lines=[])


def add_fk_column(
    module: cst.Module,
    class_name: str,
    column_name: str,
    target: str,
    type_name: str = "Integer",
    type_args: str = "",
    type_module: str = "sqlalchemy",
    python_type: str = "int",
    nullable: bool = True,
    restore: str = "",
    reference: str | None = None,
    dataclass: bool = False,
    type_implied: bool = False,
    ondelete: str | None = None,
    index: bool = False,
) -> cst.Module:
    """The module with a `column_name` foreign-key column to `target` added to the class (``restore``:
    the statement as it was, indented as in the class body, written back as it is; ``reference``: the
    referenced class attribute, "User.id", written so when the file spells ForeignKeys that way;
    ``ondelete``/``index``: written as the class's other foreign keys have them)."""
    class_index, classdef = find_class(module, class_name)
    existing = find_attribute(classdef, column_name)
    if existing is not None:
        if has_foreign_key_to(existing.statement, target):
            return module
        raise NotApplicable(
            f"{class_name}.{column_name} already exists without a ForeignKey to {target}; use the foreign-keys remedy"
        )
    speller = Speller(module, detect_style(module, classdef))
    if restore:
        statement = _restored(module, restore, column_name, target)
    else:
        if is_sqlmodel_table(classdef):
            code = _sqlmodel_column_code(module, speller, column_name, target, python_type, nullable)
        else:
            code = _column_code(
                module,
                speller,
                column_name,
                target,
                type_name,
                type_args,
                type_module,
                python_type,
                nullable,
                reference=_object_reference(module, class_index, reference),
                dataclass=dataclass,
                type_implied=type_implied,
                ondelete=ondelete,
                index=index,
            )
        statement = cst.parse_statement(code + "\n", config=module.config_for_parsing)
    body = list(class_body(classdef).body)
    body.insert(_insertion_index(classdef), statement)
    module = replace_statement(module, class_index, classdef, body)
    return speller.add_imports(module)


apply = source_function(add_fk_column)


COMMAND = Command(
    "AddFkColumnCommand",
    add_fk_column,
    description="Add a foreign-key column to a mapped class, in the class's column style.",
    options={
        "class_name": "Mapped class name.",
        "column_name": "New column, e.g. campaign_id.",
        "target": "Referenced column, e.g. campaigns.id.",
        "type_name": "SQLAlchemy type name.",
        "type_args": "Type arguments, e.g. 36.",
        "type_module": "Module of the type.",
        "python_type": "Python type for Mapped[].",
        "nullable": "NOT NULL column.",
        "ondelete": "ForeignKey ondelete=, e.g. CASCADE.",
        "index": "index=True on the new column.",
    },
)
__getattr__, __dir__ = COMMAND.exports(globals())  # the libcst.tool command, made when asked for
