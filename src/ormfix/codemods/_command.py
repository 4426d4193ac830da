"""Shared plumbing between a codemod's plain function and its libcst.tool command."""

from __future__ import annotations

import argparse
import ast
import collections
import functools
import inspect
import os
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Concatenate, ParamSpec

import libcst as cst
from libcst.codemod import CodemodCommand, CodemodContext, SkipFile

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


class OrmfixCommand(CodemodCommand):
    """A codemod command running a module-level transform; NotApplicable -> SkipFile.

    A subclass names its transform as a class keyword and its command-line options in ``OPTIONS``
    (transform parameter -> help text, in the order ``--help`` lists them); everything else about an
    option comes from the transform's signature: ``--class-name`` for ``class_name``, required when the
    parameter has no default, the parameter's default, ``store_true`` for a ``False`` default and
    ``--not-<name>`` for a ``True`` one. Parameters not in ``OPTIONS`` are for ``apply()`` only.
    """

    # Transform parameter -> help text of its command-line option.
    OPTIONS: ClassVar[Mapping[str, str]] = {}
    # The argparse dests the transform takes: OPTIONS' keys.
    PARAMS: ClassVar[tuple[str, ...]] = ()
    _transform: ClassVar[Transform]
    _signature: ClassVar[inspect.Signature]

    def __init_subclass__(cls, transform: Transform | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if transform is None:
            return
        cls._transform = staticmethod(transform)
        cls._signature = inspect.signature(transform)
        unknown = set(cls.OPTIONS) - set(list(cls._signature.parameters)[1:])
        if unknown:
            raise TypeError(f"{cls.__name__}: {transform.__name__}() takes no {', '.join(sorted(unknown))}")
        cls.PARAMS = tuple(cls.OPTIONS)

    def __init__(self, context: CodemodContext, **kwargs: Any) -> None:
        super().__init__(context)
        self.params = {name: kwargs[name] for name in self.PARAMS if kwargs.get(name) is not None}

    @classmethod
    def add_args(cls, arg_parser: argparse.ArgumentParser) -> None:
        for name, help_text in cls.OPTIONS.items():
            default = cls._signature.parameters[name].default
            flag = "--" + name.replace("_", "-")
            if default is inspect.Parameter.empty:
                arg_parser.add_argument(flag, required=True, help=help_text)
            elif default is False:
                arg_parser.add_argument(flag, action="store_true", help=help_text)
            elif default is True:
                arg_parser.add_argument("--not-" + flag[2:], dest=name, action="store_false", help=help_text)
            else:
                arg_parser.add_argument(flag, default=default, help=help_text)

    def transform(self, tree: cst.Module, **params: Any) -> cst.Module:
        return self._transform(tree, **params)

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        try:
            return self.transform(tree, **self.params)
        except NotApplicable as error:
            raise SkipFile(error.reason) from error
