"""Progress on long runs: a spinner on stderr when a terminal is attached, nothing otherwise."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.text import Text


def no_color() -> bool | None:
    """True when NO_COLOR is set (https://no-color.org); None lets rich decide (no colours when piped)."""
    return True if os.environ.get("NO_COLOR") else None


@contextmanager
def progress(quiet: bool = False) -> Iterator[Callable[[str], None]]:
    """Yields a ``step(text)`` callback; shows the current step while the run lasts."""
    if quiet or not sys.stderr.isatty():
        yield lambda step: None
        return
    console = Console(stderr=True, no_color=no_color())
    with console.status("ormfix: starting", spinner="dots") as status:
        yield lambda step: status.update(Text(f"ormfix: {step}"))  # text, never markup
