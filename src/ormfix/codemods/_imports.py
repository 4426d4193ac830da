"""Reading and minimally extending a module's top-level imports."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst
from libcst.helpers import get_full_name_for_node

from ._sequence import append, insert_before


def _import_statements(module: cst.Module) -> Iterator[tuple[int, cst.Import | cst.ImportFrom]]:
    for index, statement in enumerate(module.body):
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, (cst.Import, cst.ImportFrom)):
                    yield index, small


def _from_module(node: cst.ImportFrom) -> str | None:
    if node.relative or node.module is None:
        return None
    return get_full_name_for_node(node.module)


def bound_names(module: cst.Module) -> dict[str, str]:
    """Top-level names bound by imports -> what they refer to ("sqlalchemy.Integer")."""
    names: dict[str, str] = {}
    for _, node in _import_statements(module):
        if isinstance(node, cst.Import):
            for alias in node.names:
                full = get_full_name_for_node(alias.name) or ""
                if alias.asname is not None:
                    names[get_full_name_for_node(alias.asname.name) or ""] = full
                else:
                    names[full.split(".")[0]] = full.split(".")[0]
        elif not isinstance(node.names, cst.ImportStar):
            source = _from_module(node) or ""
            for alias in node.names:
                name = get_full_name_for_node(alias.name) or ""
                bound = get_full_name_for_node(alias.asname.name) if alias.asname else name
                names[bound or name] = f"{source}.{name}"
    return names


def is_bound(module: cst.Module, name: str) -> bool:
    """Whether `name` is imported, or defined by a top-level class/def/assignment."""
    if name in bound_names(module):
        return True
    for statement in module.body:
        if isinstance(statement, (cst.ClassDef, cst.FunctionDef)) and statement.name.value == name:
            return True
    return False


def module_alias(module: cst.Module, module_name: str) -> str | None:
    """The name under which `module_name` is imported (`sa` for `import sqlalchemy as sa`)."""
    for bound, full in bound_names(module).items():
        if full == module_name:
            return bound
    return None


def spelling(module: cst.Module, name: str, from_module: str) -> tuple[str, bool]:
    """How this file spells ``from_module.name`` (``Mapped``, ``sa.JSON``) and whether that needs a new import."""
    if bound_names(module).get(name) == f"{from_module}.{name}":
        return name, False
    alias = module_alias(module, from_module)
    return (f"{alias}.{name}", False) if alias else (name, True)


def has_future_annotations(module: cst.Module) -> bool:
    return bound_names(module).get("annotations") == "__future__.annotations"


def _insertion_index(module: cst.Module) -> int:
    """After the last top-level import that precedes the first class/def."""
    index = 0
    for position, statement in enumerate(module.body):
        if isinstance(statement, cst.SimpleStatementLine):
            if any(isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body):
                index = position + 1
            elif position == 0 and isinstance(statement.body[0], cst.Expr):
                index = max(index, 1)  # module docstring
        else:
            break
    return index


def _insert_statement(module: cst.Module, code: str) -> cst.Module:
    statement = cst.parse_statement(code, config=module.config_for_parsing)
    body = list(module.body)
    body.insert(_insertion_index(module), statement)
    return module.with_changes(body=body)


def _isort_key(name: str) -> tuple[int, str]:
    """isort's default order of imported names: CONSTANTS, then Classes, then functions."""
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return kind, name.lower()


def _sorted_position(node: cst.ImportFrom, name: str) -> int | None:
    """Where ``name`` goes among the names when they are in isort order (None: they are not; append)."""
    assert not isinstance(node.names, cst.ImportStar)
    names = [alias.name.value if isinstance(alias.name, cst.Name) else "" for alias in node.names]
    keys = [_isort_key(each) for each in names]
    if "" in names or keys != sorted(keys):
        return None
    return next((index for index, key in enumerate(keys) if key > _isort_key(name)), None)


def _add_alias(node: cst.ImportFrom, name: str) -> cst.ImportFrom:
    assert not isinstance(node.names, cst.ImportStar)
    alias = cst.ImportAlias(name=cst.Name(name))
    position = _sorted_position(node, name)
    if position is not None:  # keep an isort-ordered line in order
        opening = node.lpar.whitespace_after if node.lpar is not None else cst.SimpleWhitespace(" ")
        return node.with_changes(names=insert_before(node.names, position, alias, opening))
    if node.lpar is None or node.rpar is None:
        names, _ = append(node.names, alias, cst.SimpleWhitespace(" "), cst.SimpleWhitespace(""))
        return node.with_changes(names=names)
    names, closing = append(node.names, alias, node.lpar.whitespace_after, node.rpar.whitespace_before)
    return node.with_changes(names=names, rpar=node.rpar.with_changes(whitespace_before=closing))


def add_from_import(module: cst.Module, from_module: str, name: str) -> cst.Module:
    """Ensure `from from_module import name`, extending an existing import line if any."""
    if bound_names(module).get(name) == f"{from_module}.{name}":
        return module
    for index, node in _import_statements(module):
        if (
            isinstance(node, cst.ImportFrom)
            and _from_module(node) == from_module
            and not isinstance(node.names, cst.ImportStar)
        ):
            statement = module.body[index]
            assert isinstance(statement, cst.SimpleStatementLine)
            small = [_add_alias(s, name) if s is node else s for s in statement.body]
            body = list(module.body)
            body[index] = statement.with_changes(body=small)
            return module.with_changes(body=body)
    return _insert_statement(module, f"from {from_module} import {name}\n")


def add_import(module: cst.Module, module_name: str) -> cst.Module:
    """Ensure `import module_name`."""
    if bound_names(module).get(module_name.split(".")[0]) == module_name.split(".")[0]:
        return module
    return _insert_statement(module, f"import {module_name}\n")
