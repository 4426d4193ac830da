"""Locating mapped classes, their attribute statements and SQLAlchemy calls in a CST."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard, TypeVar

import libcst as cst
from libcst.helpers import get_full_name_for_node

from . import _file_facts
from ._errors import NotApplicable

N = TypeVar("N", bound=cst.CSTNode)

# Prefixes under which `X.mapped_column` / `X.relationship` name the sqlalchemy.orm
# module (which has no ForeignKey/Integer...), as opposed to a Flask-SQLAlchemy `db`.
ORM_MODULE_PREFIXES = {"orm", "so", "sa.orm", "sqlalchemy.orm"}

# Column() positional arguments that are not the column type.
NON_TYPE_COLUMN_ARGS = {
    "ForeignKey",
    "Sequence",
    "Identity",
    "Computed",
    "CheckConstraint",
    "FetchedValue",
    "DefaultClause",
}


@dataclass(frozen=True)
class Attribute:
    """A statement `name = value` / `name: Ann = value` directly in a class body; or a `@declared_attr`
    method of the class body returning the value (``statement`` is the method, ``assignment`` its
    return); or, with ``in_module``, `Cls.name = value` below the class (``index`` into module.body)."""

    index: int
    statement: cst.SimpleStatementLine | cst.FunctionDef
    assignment: cst.Assign | cst.AnnAssign | cst.Return
    in_module: bool = False

    @property
    def value(self) -> cst.BaseExpression | None:
        return self.assignment.value

    @property
    def annotation(self) -> cst.Annotation | None:
        """``Mapped[...]`` as written: the assignment's annotation, or the declared_attr method's return type."""
        if isinstance(self.assignment, cst.AnnAssign):
            return self.assignment.annotation
        if isinstance(self.statement, cst.FunctionDef):
            return self.statement.returns
        return None


def dotted_name(node: cst.CSTNode) -> str | None:
    """`sa.orm.relationship` for that Name/Attribute (or a call of it), else None."""
    return get_full_name_for_node(node)


def split_name(name: str | None) -> tuple[str, str]:
    """("sa.orm", "relationship") for "sa.orm.relationship"; ("", "Column") for "Column"."""
    if not name:
        return "", ""
    prefix, _, last = name.rpartition(".")
    return prefix, last


def call_kind(node: cst.CSTNode | None) -> str | None:
    """The last name of the callee ("relationship", "Column", ...) if node is a call; a name the file
    binds to one of those (``_Column = functools.partial(Column, ...)``, a helper returning a Column)
    counts as what it stands for."""
    if not isinstance(node, cst.Call):
        return None
    name = split_name(dotted_name(node.func))[1] or None
    whole = _file_facts.current()
    if name and whole is not None:
        return _file_facts.call_aliases(whole).get(name, name)
    return name


def spelled_as(name: str | None) -> str | None:
    """The callee ``name`` with a file alias resolved to the spelling it stands for (``_Column`` ->
    ``sa.Column`` for ``_Column = partial(sa.Column, ...)``), for styling what a codemod adds."""
    whole = _file_facts.current()
    if not name or whole is None:
        return name
    return _file_facts.alias_spelling(whole).get(name, name)


# relationship() and SQLModel's Relationship(), whose keywords go in sa_relationship_kwargs={...}
RELATIONSHIP_KINDS = ("relationship", "Relationship")


def is_relationship_call(node: cst.CSTNode | None) -> bool:
    return call_kind(node) == "relationship"


def is_column_call(node: cst.CSTNode | None) -> TypeGuard[cst.Call]:
    return call_kind(node) in ("Column", "mapped_column")


def is_string(node: cst.CSTNode) -> bool:
    return isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString))


def _conditional_classes(statement: cst.CSTNode) -> Iterator[cst.ClassDef]:
    """Classes defined under an ``if`` / ``try`` at module level (version or import fallbacks)."""
    if isinstance(statement, (cst.If, cst.Try, cst.Else, cst.ExceptHandler, cst.Finally)):
        blocks = [statement.body]
        for extra in ("orelse", "handlers", "finalbody"):
            value = getattr(statement, extra, None)
            blocks.extend(value if isinstance(value, (list, tuple)) else [value] if value is not None else [])
        for block in blocks:
            if isinstance(block, cst.IndentedBlock):
                for inner in block.body:
                    if isinstance(inner, cst.ClassDef):
                        yield inner
                    else:
                        yield from _conditional_classes(inner)
            elif block is not None and not isinstance(block, cst.SimpleStatementSuite):
                yield from _conditional_classes(block)


def find_class(module: cst.Module, class_name: str) -> tuple[int, cst.ClassDef]:
    """The `class class_name(...)` and the index in module.body of the statement holding it (itself at top
    level, else the ``if`` / ``try`` it is defined under)."""
    for index, statement in enumerate(module.body):
        candidates = [statement] if isinstance(statement, cst.ClassDef) else list(_conditional_classes(statement))
        for found in candidates:
            if found.name.value == class_name:
                if not isinstance(found.body, cst.IndentedBlock):
                    raise NotApplicable(f"class {class_name} has a one-line body")
                return index, found
    raise NotApplicable(f"class {class_name} not found in this file")


def leading_lines(statement: cst.BaseStatement) -> Sequence[cst.EmptyLine]:
    """The comments and blank lines above a statement (every kind of statement has them)."""
    assert isinstance(statement, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
    return statement.leading_lines


def class_body(classdef: cst.ClassDef) -> cst.IndentedBlock:
    body = classdef.body
    assert isinstance(body, cst.IndentedBlock)
    return body


def _assigned_name(small: cst.BaseSmallStatement) -> str | None:
    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
        return small.target.value
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
        if isinstance(target, cst.Name):
            return target.value
    return None


def iter_attributes(classdef: cst.ClassDef) -> Iterator[Attribute]:
    """Every single-target assignment statement of the class body, in order."""
    for index, statement in enumerate(class_body(classdef).body):
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if _assigned_name(small) is not None:
                assert isinstance(small, (cst.Assign, cst.AnnAssign))
                yield Attribute(index, statement, small)


def _is_declared_attr(function: cst.FunctionDef) -> bool:
    return any(
        split_name(dotted_name(d.decorator))[1] in ("declared_attr", "directive", "cascading")
        and "declared_attr" in (dotted_name(d.decorator) or "")
        for d in function.decorators
    )


def _declared_attr_return(function: cst.FunctionDef) -> cst.Return | None:
    """The single ``return <call>`` of a @declared_attr method (what declarative maps), else None."""
    if not _is_declared_attr(function) or not isinstance(function.body, cst.IndentedBlock):
        return None
    returns = [
        small
        for statement in function.body.body
        if isinstance(statement, cst.SimpleStatementLine)
        for small in statement.body
        if isinstance(small, cst.Return)
    ]
    return returns[0] if len(returns) == 1 and isinstance(returns[0].value, cst.Call) else None


def find_attribute(classdef: cst.ClassDef, attribute: str, module: cst.Module | None = None) -> Attribute | None:
    """The statement assigning `attribute` directly in the class body; else its @declared_attr method;
    else (given the module) `ClassName.attribute = ...` at module level; else None."""
    for found in iter_attributes(classdef):
        if _assigned_name(found.assignment) == attribute:
            return found
    for index, statement in enumerate(class_body(classdef).body):
        if isinstance(statement, cst.FunctionDef) and statement.name.value == attribute:
            returned = _declared_attr_return(statement)
            if returned is not None:
                return Attribute(index, statement, returned)
    if module is not None:
        for index, statement in enumerate(module.body):
            if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
                continue
            small = statement.body[0]
            if not isinstance(small, (cst.Assign, cst.AnnAssign)):
                continue
            targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
            if len(targets) == 1 and dotted_name(targets[0]) == f"{classdef.name.value}.{attribute}":
                return Attribute(index, statement, small, in_module=True)
    return None


def require_attribute(classdef: cst.ClassDef, attribute: str, module: cst.Module | None = None) -> Attribute:
    found = find_attribute(classdef, attribute, module)
    if found is None:
        raise NotApplicable(f"{classdef.name.value}.{attribute} not found in the class body")
    return found


def replace_found(module: cst.Module, found: Attribute, new_statement: cst.CSTNode) -> cst.Module:
    """The module with the attribute's statement (in the class body, its method, or below) replaced."""
    return cst.ensure_type(module.deep_replace(found.statement, new_statement), cst.Module)


def require_call(
    classdef: cst.ClassDef,
    attribute: str,
    kinds: Sequence[str],
    label: str,
    module: cst.Module | None = None,
) -> tuple[Attribute, cst.Call]:
    """The attribute statement and its call, which must be one of `kinds`."""
    found = require_attribute(classdef, attribute, module)
    value = found.value
    if not isinstance(value, cst.Call) or call_kind(value) not in kinds:
        raise NotApplicable(f"{classdef.name.value}.{attribute} is not a {label} call")
    return found, value


def replace_statement(
    module: cst.Module,
    class_index: int,
    classdef: cst.ClassDef,
    body: Sequence[cst.BaseStatement],
    footer: Sequence[cst.EmptyLine] | None = None,
) -> cst.Module:
    """The module with the class body statements (and optionally footer) replaced."""
    block = class_body(classdef)
    changes: dict[str, Any] = {"body": list(body)}
    if footer is not None:
        changes["footer"] = list(footer)
    new_class = classdef.with_changes(body=block.with_changes(**changes))
    if module.body[class_index] is not classdef:  # a class defined under an if / try
        return cst.ensure_type(module.deep_replace(classdef, new_class), cst.Module)
    statements = list(module.body)
    statements[class_index] = new_class
    return module.with_changes(body=statements)


def replace_in_attribute(
    module: cst.Module, class_index: int, classdef: cst.ClassDef, found: Attribute, old: cst.CSTNode, new: cst.CSTNode
) -> cst.Module:
    """The module with ``old`` replaced by ``new`` in the statement of ``found`` (in the class body)."""
    body = list(class_body(classdef).body)
    replaced = found.statement.deep_replace(old, new)
    if not isinstance(replaced, cst.BaseStatement):  # (old is inside the statement, which stays one)
        raise TypeError(f"replacing {type(old).__name__} left a {type(replaced).__name__}, not a statement")
    body[found.index] = replaced
    return replace_statement(module, class_index, classdef, body)


def column_attributes(classdef: cst.ClassDef) -> list[Attribute]:
    return [found for found in iter_attributes(classdef) if is_column_call(found.value)]


class _Collect(cst.CSTVisitor):
    def __init__(self, kind: type[cst.CSTNode]) -> None:
        super().__init__()
        self.kind = kind
        self.found: list[Any] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, self.kind):
            self.found.append(node)
        return True


def find_all(node: cst.CSTNode, kind: type[N]) -> list[N]:
    """Every node of type ``kind`` in ``node`` (itself included), in source order: ``libcst.matchers.findall``
    for a plain type, without the matchers' per-node cost."""
    collect = _Collect(kind)
    node.visit(collect)
    return collect.found


def foreign_key_calls(node: cst.CSTNode) -> list[cst.Call]:
    return [call for call in find_all(node, cst.Call) if call_kind(call) == "ForeignKey"]


def string_value(node: cst.CSTNode) -> str | None:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def has_foreign_key_to(node: cst.CSTNode, target: str) -> bool:
    """A ``ForeignKey("<target>")`` in ``node``, or SQLModel's ``Field(foreign_key="<target>")``."""
    for call in foreign_key_calls(node):
        if call.args and string_value(call.args[0].value) == target:
            return True
    for found in find_all(node, cst.Call):
        if any(
            arg.keyword is not None and arg.keyword.value == "foreign_key" and string_value(arg.value) == target
            for arg in found.args
        ):
            return True
    return False


def _quote_of(node: cst.SimpleString) -> str | None:
    quote = node.quote
    return quote if quote in ("'", '"') else None


def preferred_quote(module: cst.Module) -> str:
    """The quote character the file uses: that of ForeignKey('...') first, else majority."""
    whole = _file_facts.current()
    if whole is not None and (quote := _file_facts.preferred_quote(whole)):
        return quote
    for call in foreign_key_calls(module):
        if call.args and isinstance(call.args[0].value, cst.SimpleString):
            quote = _quote_of(call.args[0].value)
            if quote:
                return quote
    counts: Counter[str] = Counter()
    for node in find_all(module, cst.SimpleString):
        quote = _quote_of(node)
        if quote:
            counts[quote] += 1
    if counts and counts["'"] > counts['"']:
        return "'"
    return '"'


def quoted(text: str, quote: str) -> str:
    return quote + text.replace("\\", "\\\\").replace(quote, "\\" + quote) + quote


def requoted(node: cst.BaseExpression, text: str) -> cst.SimpleString:
    """A string literal holding `text`, quoted like `node` (double quotes if node is not a plain string)."""
    quote = _quote_of(node) if isinstance(node, cst.SimpleString) else None
    return cst.SimpleString(quoted(text, quote or '"'))
