"""Shared plumbing between a codemod's plain function and its libcst.tool command.

ormfix calls a codemod's ``apply(source, ...)``; ``python -m libcst.tool codemod <module>.<Command>`` runs its
command class (_tool.py), which each module makes only when asked for it: LibCST's codemod framework takes
longer to import (0.2 s) than all of LibCST's nodes and parser, and planning fixes never needs it.
"""

from __future__ import annotations

import ast
import collections
import functools
import inspect
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Concatenate, ParamSpec

import libcst as cst

from . import _file_facts
from ._elide import Elided
from ._errors import NotApplicable

Transform = Callable[..., cst.Module]
P = ParamSpec("P")

# ORMFIX_CODEMOD_SELFCHECK=1: always run a transform on the elided module *and* on the whole file and
# fail loudly when the two differ (the test suite runs once this way to prove eliding changes nothing).
SELFCHECK = os.environ.get("ORMFIX_CODEMOD_SELFCHECK") == "1"


@functools.lru_cache(maxsize=64)
def parse(source: str) -> cst.Module:
    """LibCST trees are immutable: several remedies planned on one file share one parse."""
    return cst.parse_module(source)


def _run(transform: Transform, source: str, params: dict[str, Any], whole: str) -> str:
    with _file_facts.whole_source(whole):
        return transform(parse(source), **params).code


# results whose elided text parsed (so the whole text does: the elided classes are the original's
# top-level statements, put back unchanged): callers need not parse the whole file again
_PARSES: collections.OrderedDict[int, str] = collections.OrderedDict()


def _remember_parses(elided_result: str, result: str) -> None:
    try:
        compile(elided_result, "<elided>", "exec", ast.PyCF_ONLY_AST)
    except (SyntaxError, ValueError):
        return
    _PARSES[hash(result)] = result
    while len(_PARSES) > 256:
        _PARSES.popitem(last=False)


def known_to_parse(text: str) -> bool:
    """Whether ``text`` is a result this process already knows Python parses."""
    return _PARSES.get(hash(text)) == text


def apply_transform(transform: Transform, source: str, **params: Any) -> str:
    """Run `transform(module, **params)` on `source` and return the new source.

    LibCST costs time in proportion to the code it parses and prints, so the transform runs on the
    file with the top-level classes and functions it cannot touch (none of the names it is given)
    elided to a marker comment each, and those are put back afterwards byte for byte. When the
    elided run does not come back intact, the whole file is transformed instead.
    """
    elided = Elided.of(source, params, always=SELFCHECK)
    if elided is None:
        return _run(transform, source, params, source)
    try:
        transformed = _run(transform, elided.text, params, source)
    except NotApplicable:
        if SELFCHECK:
            _run(transform, source, params, source)  # must raise NotApplicable too
            raise AssertionError(f"{transform.__name__}: NotApplicable only on the elided module")  # noqa: B904
        raise
    result = elided.restore(transformed)
    if result is None:
        return _run(transform, source, params, source)
    _remember_parses(transformed, result)
    if SELFCHECK:
        whole = _run(transform, source, params, source)
        if whole != result:
            raise AssertionError(f"{transform.__name__}{params}: the elided transform differs from the whole-file one")
    return result


def source_function(transform: Callable[Concatenate[cst.Module, P], cst.Module]) -> Callable[Concatenate[str, P], str]:
    """The codemod's ``apply(source, ...) -> str``: `transform`'s own parameters, run by `apply_transform`.

    The parameters are bound with their defaults filled in, so the elision step sees a default such as
    ``type_name="Integer"`` as it sees a value given (it keeps the classes that parameter values name).
    """
    signature = inspect.signature(transform)
    module_parameter, *parameters = signature.parameters.values()

    def apply(source: str, /, *args: P.args, **kwargs: P.kwargs) -> str:
        bound = signature.bind(None, *args, **kwargs)
        bound.apply_defaults()
        params = dict(bound.arguments)
        del params[module_parameter.name]
        return apply_transform(transform, source, **params)

    source = inspect.Parameter("source", inspect.Parameter.POSITIONAL_ONLY, annotation=str)
    apply.__signature__ = signature.replace(parameters=[source, *parameters], return_annotation=str)  # type: ignore[attr-defined]
    apply.__doc__ = transform.__doc__
    apply.__module__ = transform.__module__
    return apply


@dataclass(frozen=True)
class Command:
    """A codemod's libcst.tool command: ``name`` runs ``transform`` with ``options`` (transform parameter ->
    help text, _tool.OrmfixCommand says how each becomes an option)."""

    name: str
    transform: Transform
    description: str = ""
    options: Mapping[str, str] = field(default_factory=dict)

    def exports(self, namespace: dict[str, Any]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
        """The module's ``__getattr__`` and ``__dir__`` (PEP 562): ``<module>.<name>`` is the command class,
        made on first use, and ``libcst.tool list`` sees it."""
        module = namespace["__name__"]

        def attribute(name: str) -> Any:
            if name != self.name:
                raise AttributeError(f"module {module!r} has no attribute {name!r}")
            if name not in _MADE:
                from ._tool import make_command

                _MADE[name] = make_command(self.name, self.transform, self.description, self.options, module)
            return _MADE[name]

        return attribute, lambda: sorted([*namespace, self.name])


_MADE: dict[str, type] = {}
