"""Import the models once, and keep going past a class statement that raises.

Part of the probe child (see child.py): runs in the project's interpreter, so it uses only the
standard library and SQLAlchemy, and is imported as a top-level module (``ormfix_probe_*``).
"""

from __future__ import annotations
import __future__

import ast
import importlib
import os
import sys
import traceback
import types
from typing import Any, Callable, Dict, NoReturn

# the JSON records this writes (the parent reads them as ormfix.probe.events.ProbeEvent)
Record = Dict[str, Any]


class ProbeExit(BaseException):
    """Raised in place of os._exit() so an exit at import gets a location."""


_PROBE_PID = os.getpid()
_REAL_OS_EXIT = os._exit


def _fake_os_exit(code: int = 0) -> NoReturn:
    if os.getpid() != _PROBE_PID:  # a process the models forked (a daemon's double fork) really exits
        _REAL_OS_EXIT(code)
    raise ProbeExit("os._exit(%r) called" % (code,))


def frames_of(exc: BaseException) -> list[Record]:
    frames = []
    for frame in traceback.extract_tb(exc.__traceback__):
        frames.append({"file": frame.filename, "line": frame.lineno, "function": frame.name})
    if isinstance(exc, SyntaxError) and exc.filename and exc.lineno:
        frames.append({"file": exc.filename, "line": exc.lineno, "function": "<module>"})
    return frames


def describe(exc: BaseException) -> Record:
    message = str(exc)
    if isinstance(exc, SyntaxError):
        message = exc.msg or message
    return {
        "type": type(exc).__name__,
        "module": type(exc).__module__,
        "message": message,
        "frames": frames_of(exc),
    }


MAX_RECOVERIES = 200


def import_models(modules: list[str], result: Record, roots: list[str]) -> None:
    """Import each module; when a class statement raises, skip that class and run the rest of its module."""
    for name in modules:
        for _ in range(MAX_RECOVERIES):
            try:
                importlib.import_module(name)
                break
            except BaseException as exc:  # noqa: B036 - SystemExit, ProbeExit and KeyboardInterrupt included
                record_import_error(exc, name, result)
                if not continue_past_class(exc, name, result, roots):
                    break


def record_import_error(exc: BaseException, name: str, result: Record) -> None:
    error = describe(exc)
    error["import"] = name
    result["import_errors"].append(error)


def in_roots(filename: str, roots: list[str]) -> bool:
    """Whether ``filename`` is a file of the project (under one of the absolute ``roots``)."""
    path = os.path.abspath(filename)
    return any(path.startswith(root + os.sep) for root in roots)


def _innermost(exc: BaseException, matches: Callable[[types.FrameType], bool]) -> tuple[types.FrameType, int] | None:
    """(frame, line) of the innermost entry of exc's traceback whose frame ``matches``, else None."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        if matches(tb.tb_frame):
            found = (tb.tb_frame, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _module_frame(exc: BaseException, roots: list[str]) -> tuple[types.FrameType, int] | None:
    """The innermost module-level frame of a project file in exc's traceback, with its line."""
    return _innermost(
        exc, lambda frame: frame.f_code.co_name == "<module>" and in_roots(frame.f_code.co_filename, roots)
    )


def _class_at(tree: ast.Module, line: int) -> ast.ClassDef | None:
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            if first <= line <= (node.end_lineno or node.lineno):
                return node
    return None


def _import_at(tree: ast.Module, line: int, exc: BaseException) -> ast.ImportFrom | None:
    """``from m import A, B`` at line, when it failed because a name is missing (A's class statement
    raised and was skipped, so m has no A): the package's __init__ must go on to its other imports."""
    if not isinstance(exc, ImportError) or "cannot import name" not in str(exc):
        return None
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.lineno <= line <= (node.end_lineno or node.lineno):
            return node
    return None


def _each_name_or_nothing(node: ast.ImportFrom) -> list[ast.stmt]:
    """``try: from m import X as Y`` / ``except ImportError: pass`` for each name of ``node``."""
    statements: list[ast.stmt] = []
    for alias in node.names:
        single = ast.ImportFrom(module=node.module, names=[alias], level=node.level)
        handler = ast.ExceptHandler(type=ast.Name(id="ImportError", ctx=ast.Load()), name=None, body=[ast.Pass()])
        statement = ast.Try(body=[single], handlers=[handler], orelse=[], finalbody=[])
        statements.append(ast.copy_location(statement, node))
    return [ast.fix_missing_locations(s) for s in statements]


def continue_past_class(exc: BaseException, name: str, result: Record, roots: list[str]) -> bool:
    """A class statement raised: run the rest of its module without it, so later classes are checked too."""
    found = _module_frame(exc, roots)
    if found is None or isinstance(exc, SyntaxError):
        return False
    frame, line = found
    namespace = frame.f_globals
    filename = frame.f_code.co_filename
    try:
        with open(filename, "rb") as handle:
            tree = ast.parse(handle.read(), filename)
    except (OSError, SyntaxError, ValueError):
        return False
    flags = 0
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
            for alias in stmt.names:
                flags |= getattr(__future__, alias.name).compiler_flag
    module = _register(namespace)  # what the rest imports may import this module again (a package)
    namespace = module.__dict__
    pending = (line, exc, True)  # where to go on: (line, its error, skip the statement at line?)
    dropped: dict[int, set[int]] = {}  # class line -> lines of the relationship statements left out of it
    for _ in range(MAX_RECOVERIES):
        line, exc, skip = pending
        if skip:
            node = _class_at(tree, line) or _import_at(tree, line, exc)
            if node is None:
                return False
            rest = [stmt for stmt in tree.body if stmt.lineno > (node.end_lineno or node.lineno)]
            if isinstance(node, ast.ImportFrom):  # `from m import A, B`: bind the names that exist, then go on
                rest = _each_name_or_nothing(node) + rest
            else:
                statement = _raising_relationship(exc, filename, node)
                if statement is not None:  # build the class without it: what points at the class is checked too
                    dropped.setdefault(node.lineno, set()).add(statement.lineno)
                    result["import_errors"][-1]["recovered"] = "without-statement"
                    rest = [_class_without(node, dropped[node.lineno])] + rest
        else:  # run the statement at line again (what it imports has been recovered meanwhile)
            rest = [stmt for stmt in tree.body if (stmt.end_lineno or stmt.lineno) >= line]
        try:
            exec(
                compile(ast.Module(body=rest, type_ignores=[]), filename, "exec", flags=flags, dont_inherit=True),
                namespace,
            )
            return True
        except BaseException as again:  # noqa: B036
            record_import_error(again, name, result)
            inner = _module_frame(again, roots)
            if inner is None:
                return False
            if inner[0].f_globals is namespace:
                pending = (inner[1], again, True)
                continue
            # a module this one imports stopped at one of its own class statements: go on past that
            # one there, then run this module's importing statement again
            here = _line_in(again, namespace)
            if here is None or not continue_past_class(again, name, result, roots):
                return False
            pending = (here, again, False)
    return False


def _raising_relationship(exc: BaseException, filename: str, node: ast.ClassDef) -> ast.stmt | None:
    """The relationship() statement of class ``node`` whose evaluation raised exc (``relationship(Missing)``:
    NameError), or None (then the class is skipped whole)."""
    if not isinstance(exc, (NameError, AttributeError)):
        return None
    found = _innermost(exc, lambda frame: frame.f_code.co_filename == filename and frame.f_code.co_name == node.name)
    if found is None:
        return None
    line = found[1]
    for statement in node.body:
        if statement.lineno <= line <= (statement.end_lineno or statement.lineno):
            value = getattr(statement, "value", None)
            if (
                isinstance(statement, (ast.Assign, ast.AnnAssign))
                and isinstance(value, ast.Call)
                and _call_name(value.func).endswith("relationship")
            ):
                return statement
            return None
    return None


def _call_name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _class_without(node: ast.ClassDef, lines: set[int]) -> ast.ClassDef:
    """A copy of class ``node`` without the body statements starting at ``lines``."""
    body = [statement for statement in node.body if statement.lineno not in lines]
    copy = ast.ClassDef(
        name=node.name,
        bases=node.bases,
        keywords=node.keywords,
        body=body or [ast.copy_location(ast.Pass(), node)],
        decorator_list=node.decorator_list,
    )
    if hasattr(node, "type_params"):  # Python 3.12+ (mypy checks this file as 3.11)
        copy.type_params = node.type_params  # type: ignore[attr-defined]
    return ast.copy_location(copy, node)


def _line_in(exc: BaseException, namespace: dict[str, Any]) -> int | None:
    """The line this module's code was running when exc was raised below it."""
    found = _innermost(exc, lambda frame: frame.f_globals is namespace)
    return found[1] if found else None


def _register(namespace: dict[str, Any]) -> types.ModuleType:
    """The module whose statement raised, back in sys.modules (the import system took it out)."""
    import gc

    module_name: str = namespace["__name__"]  # a module's namespace always has it
    module = next(
        (o for o in gc.get_referrers(namespace) if isinstance(o, types.ModuleType) and o.__dict__ is namespace), None
    )
    if module is None:
        module = types.ModuleType(module_name)
        module.__dict__.update(namespace)
    sys.modules[module_name] = module
    parent, _, leaf = module_name.rpartition(".")
    if parent and parent in sys.modules:
        setattr(sys.modules[parent], leaf, module)
    return module
