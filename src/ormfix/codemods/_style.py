"""How a file spells its SQLAlchemy columns, and spelling new names in that style."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from . import _file_facts
from ._cst import ORM_MODULE_PREFIXES, column_attributes, dotted_name, find_all, spelled_as, split_name
from ._imports import add_from_import, add_import, bound_names, module_alias

SQLALCHEMY = "sqlalchemy"


@dataclass(frozen=True)
class ColumnStyle:
    """`column` is the callee spelling ("db.Column", "Column", "so.mapped_column").

    `mapped` is the Mapped[] spelling when the style is 2.0 declarative, else None.
    """

    column: str
    mapped: str | None = None

    @property
    def prefix(self) -> str:
        return split_name(self.column)[0]

    @property
    def namespace(self) -> str | None:
        """Prefix under which sqlalchemy names live (`db`, `sa`), if the call has one."""
        prefix = self.prefix
        return prefix if prefix and prefix not in ORM_MODULE_PREFIXES else None


def _mapped_spelling(assignment: cst.CSTNode) -> str | None:
    if not isinstance(assignment, cst.AnnAssign):
        return None
    annotation = assignment.annotation.annotation
    if isinstance(annotation, cst.Subscript):
        name = dotted_name(annotation.value)
        if split_name(name)[1] == "Mapped":
            return name
    return None


def _style_of(assignments: list) -> ColumnStyle | None:
    for found in assignments:
        column = spelled_as(dotted_name(found.value.func)) or "Column"
        if split_name(column)[1] == "mapped_column":
            mapped = next(
                (s for s in map(_mapped_spelling, (f.assignment for f in assignments)) if s),
                "Mapped",
            )
            return ColumnStyle(column, mapped)
    if assignments:
        return ColumnStyle(spelled_as(dotted_name(assignments[0].value.func)) or "Column")
    return None


def detect_style(module: cst.Module, classdef: cst.ClassDef) -> ColumnStyle:
    """The column style of the class, else of the file's other classes, else a default."""
    style = _style_of(column_attributes(classdef))
    if style:
        return style
    for statement in module.body:
        if isinstance(statement, cst.ClassDef):
            style = _style_of(column_attributes(statement))
            if style:
                return style
    if bound_names(module).get("mapped_column") == "sqlalchemy.orm.mapped_column":
        return ColumnStyle("mapped_column", "Mapped")
    return ColumnStyle("Column")


def uses_pipe_optional(module: cst.Module) -> bool:
    """Whether the file writes `X | None` somewhere."""
    whole = _file_facts.current()
    if whole is not None and _file_facts.uses_pipe_optional(whole) is not None:
        return bool(_file_facts.uses_pipe_optional(whole))
    for node in find_all(module, cst.BinaryOperation):
        if isinstance(node.operator, cst.BitOr) and any(
            isinstance(side, cst.Name) and side.value == "None" for side in (node.left, node.right)
        ):
            return True
    return False


@dataclass
class Speller:
    """Spells names in the file's style and collects the imports they need."""

    module: cst.Module
    style: ColumnStyle
    needed: list[tuple[str, str]] = field(default_factory=list)
    modules: list[str] = field(default_factory=list)

    def _bare(self, from_module: str, name: str) -> str:
        if bound_names(self.module).get(name) != f"{from_module}.{name}":
            self.needed.append((from_module, name))
        return name

    def sqlalchemy(self, name: str) -> str:
        """A top-level sqlalchemy name: `db.X`/`sa.X` in prefixed styles, else bare."""
        if self.style.namespace:
            return f"{self.style.namespace}.{name}"
        bound = bound_names(self.module).get(name, "")
        if bound.startswith(SQLALCHEMY + "."):
            return name
        alias = module_alias(self.module, SQLALCHEMY)
        if self.style.mapped and alias:
            return f"{alias}.{name}"
        return self._bare(SQLALCHEMY, name)

    def type_name(self, module_name: str, name: str) -> str:
        if module_name == SQLALCHEMY:
            return self.sqlalchemy(name)
        if name in bound_names(self.module):
            return name
        return self._bare(module_name, name)

    def orm(self, spelled: str) -> str:
        """`Mapped` / `mapped_column` as spelled by the style; imports when bare."""
        prefix, name = split_name(spelled)
        return spelled if prefix else self._bare("sqlalchemy.orm", name)

    def typing(self, name: str) -> str:
        return self._bare("typing", name)

    def python_module(self, dotted: str) -> None:
        if "." in dotted:
            self.modules.append(dotted.rsplit(".", 1)[0])

    def add_imports(self, module: cst.Module) -> cst.Module:
        for from_module, name in dict.fromkeys(self.needed):
            module = add_from_import(module, from_module, name)
        for module_name in dict.fromkeys(self.modules):
            module = add_import(module, module_name)
        return module
