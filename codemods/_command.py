"""Shared plumbing between a codemod's plain function and its libcst.tool command."""

from __future__ import annotations

from typing import Any, Callable

import libcst as cst
from libcst.codemod import CodemodCommand, CodemodContext, SkipFile

from ._errors import NotApplicable

Transform = Callable[..., cst.Module]


def apply_transform(transform: Transform, source: str, **params: Any) -> str:
    """Parse `source`, run `transform(module, **params)`, return the new source."""
    module = cst.parse_module(source)
    return transform(module, **params).code


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
