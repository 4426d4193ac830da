"""Shared plumbing between a codemod's plain function and its libcst.tool command."""

from __future__ import annotations

import ast
import collections
import functools
import os
from collections.abc import Callable
from typing import Any

import libcst as cst
from libcst.codemod import CodemodCommand, CodemodContext, SkipFile

from . import _file_facts
from ._elide import Elided
from ._errors import NotApplicable

Transform = Callable[..., cst.Module]

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


class OrmfixCommand(CodemodCommand):
    """A codemod command running a module-level transform; NotApplicable -> SkipFile."""

    # Names of the command-line parameters the transform takes (argparse dests).
    PARAMS: tuple[str, ...] = ()

    def __init__(self, context: CodemodContext, **kwargs: Any) -> None:
        super().__init__(context)
        self.params = {name: kwargs[name] for name in self.PARAMS if kwargs.get(name) is not None}

    def transform(self, tree: cst.Module, **params: Any) -> cst.Module:
        raise NotImplementedError

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        try:
            return self.transform(tree, **self.params)
        except NotApplicable as error:
            raise SkipFile(error.reason) from error
