"""Import the models once, and keep going past a class statement that raises.

Part of the probe child (see child.py): runs in the project's interpreter, so it uses only the
standard library and SQLAlchemy, and is imported as a top-level module (``ormfix_probe_*``).
"""

import __future__
import ast
import importlib
import os
import sys
import traceback
import types


class ProbeExit(BaseException):
    """Raised in place of os._exit() so an exit at import gets a location."""


def _fake_os_exit(code=0):
    raise ProbeExit("os._exit(%r) called" % (code,))


def frames_of(exc):
    frames = []
    for frame in traceback.extract_tb(exc.__traceback__):
        frames.append({"file": frame.filename, "line": frame.lineno, "function": frame.name})
    if isinstance(exc, SyntaxError) and exc.filename and exc.lineno:
        frames.append({"file": exc.filename, "line": exc.lineno, "function": "<module>"})
    return frames


def describe(exc):
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


def import_models(modules, result, roots):
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


def record_import_error(exc, name, result):
    error = describe(exc)
    error["import"] = name
    result["import_errors"].append(error)


def _module_frame(exc, roots):
    """The innermost module-level frame of a project file in exc's traceback, with its line."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name == "<module>" and any(os.path.abspath(code.co_filename).startswith(r + os.sep) for r in roots):
            found = (tb.tb_frame, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _class_at(tree, line):
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            if first <= line <= (node.end_lineno or node.lineno):
                return node
    return None


def continue_past_class(exc, name, result, roots):
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
    while True:
        node = _class_at(tree, line)
        if node is None:
            return False
        rest = [stmt for stmt in tree.body if stmt.lineno > (node.end_lineno or node.lineno)]
        try:
            exec(compile(ast.Module(body=rest, type_ignores=[]), filename, "exec", flags=flags, dont_inherit=True), namespace)
            break
        except BaseException as again:  # noqa: B036
            record_import_error(again, name, result)
            inner = _module_frame(again, roots)
            if inner is None or inner[0].f_globals is not namespace:
                return False
            line = inner[1]
    module_name = namespace.get("__name__")
    module = types.ModuleType(module_name)
    module.__dict__.update(namespace)
    sys.modules[module_name] = module
    parent, _, leaf = module_name.rpartition(".")
    if parent and parent in sys.modules:
        setattr(sys.modules[parent], leaf, module)
    return True
