"""`CommandTest`: LibCST's `CodemodTest` driven by command-line arguments.

`python -m libcst.tool codemod <module>.<Command> FILE --class-name ...` parses the arguments with the
Command's own `add_args` and builds the Command from every parsed option; `options` does the same, and
`assertCommand` runs LibCST's `assertCodemod` with them on a before/after pair. A transform's
NotApplicable reaches the tool as LibCST's `SkipFile` (the file is left as it is): `assertSkip` runs
`assertCodemod(..., expected_skip=True)` and pins the reason.
"""

from __future__ import annotations

import argparse
from typing import Any

import libcst as cst
from libcst.codemod import CodemodCommand, CodemodContext, CodemodTest, SkipFile


class CommandTest(CodemodTest):
    TRANSFORM: type[CodemodCommand]

    def options(self, *argv: str) -> dict[str, Any]:
        """The keyword arguments libcst.tool gives the Command for `argv`."""
        parser = argparse.ArgumentParser(prog=self.TRANSFORM.__name__, exit_on_error=False)
        self.TRANSFORM.add_args(parser)
        return vars(parser.parse_args(argv))

    def assertCommand(self, before: str, after: str, *argv: str) -> None:
        self.assertCodemod(before, after, **self.options(*argv))

    def assertSkip(self, before: str, reason: str, *argv: str) -> None:
        """The Command skips `before` (NotApplicable), saying `reason`."""
        self.assertCodemod(before, before, expected_skip=True, **self.options(*argv))
        command = self.TRANSFORM(CodemodContext(), **self.options(*argv))
        with self.assertRaises(SkipFile) as raised:
            command.transform_module(cst.parse_module(self.make_fixture_data(before)))
        self.assertIn(reason, str(raised.exception))
