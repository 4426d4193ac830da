"""The libcst.tool command classes of the codemods (_command.Command makes each when it is asked for)."""

from __future__ import annotations

import argparse
import inspect
from abc import ABC
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import libcst as cst
from libcst.codemod import CodemodCommand, CodemodContext, SkipFile

from ._errors import NotApplicable

Transform = Callable[..., cst.Module]


class OrmfixCommand(CodemodCommand, ABC):  # ABC: `libcst.tool list` lists its subclasses, not it
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


def make_command(
    name: str, transform: Transform, description: str, options: Mapping[str, str], module: str
) -> type[OrmfixCommand]:
    namespace = {"DESCRIPTION": description, "OPTIONS": dict(options), "__module__": module}
    return type(name, (OrmfixCommand,), namespace, transform=transform)
