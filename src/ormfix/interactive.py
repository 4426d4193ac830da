"""``apply --interactive``: show each fix and let a person accept or skip it (y/n/a/q), like ``git add -p``.

The questions go to stderr and the answers come from stdin (a terminal or a pipe); the end of input
counts as ``q``. What is accepted is then verified together and written by ``pipeline.apply``.
"""

from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console
from rich.text import Text

from .findings import Diagnosis, Fix

PROMPT = "Apply this fix? [y]es, [n]o, [a]ll remaining, [q]uit: "
HELP = "  y: apply this fix   n: skip it   a: apply it and every remaining fix   q: skip it and every remaining fix"


def _show(console: Console, number: int, total: int, diagnosis: Diagnosis, fix: Fix) -> None:
    from .formats.text import diff_text as _diff_text  # as suggest renders
    from .formats.text import fix_label as _fix_label
    from .formats.text import where

    head = Text(f"[{number}/{total}] {where(diagnosis)}: {diagnosis.code} {diagnosis.name}", style="bold")
    console.print(head)
    console.print(Text("  " + diagnosis.message))
    console.print(Text(f"  fix {fix.strategy} ({_fix_label(fix)}): {fix.summary}"))
    console.print(_diff_text(fix.diff))


def _answer(stdin: TextIO, prompts: TextIO) -> str:
    while True:
        prompts.write(PROMPT)
        prompts.flush()
        line = stdin.readline()
        if not line:  # end of input
            prompts.write("\n")
            return "q"
        if not stdin.isatty():  # answers from a pipe: show them, as a terminal would have
            prompts.write(line if line.endswith("\n") else line + "\n")
        answer = line.strip().lower()[:1]
        if answer in ("y", "n", "a", "q"):
            return answer
        prompts.write(HELP + "\n")


def ask(
    chosen: list[tuple[Diagnosis, Fix]], console: Console, stdin: TextIO | None = None, prompts: TextIO | None = None
) -> list[tuple[Diagnosis, Fix]]:
    """The (diagnosis, fix) pairs the person accepts, in order."""
    stdin = stdin or sys.stdin
    prompts = prompts or sys.stderr
    accepted: list[tuple[Diagnosis, Fix]] = []
    for number, (diagnosis, fix) in enumerate(chosen, start=1):
        _show(console, number, len(chosen), diagnosis, fix)
        answer = _answer(stdin, prompts)
        if answer == "q":
            break
        if answer == "a":
            accepted.extend(chosen[number - 1 :])
            break
        if answer == "y":
            accepted.append((diagnosis, fix))
    prompts.write(f"ormfix: {len(accepted)} of {len(chosen)} fix(es) accepted\n")
    return accepted
