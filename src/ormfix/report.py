"""Rendering moved to ormfix.formats (one module per format); these names stay for older imports."""

from __future__ import annotations

from typing import Any

from rich.console import Console

from .formats.json_report import dumps, to_json
from .formats.sarif import source_root as _source_root
from .formats.sarif import to_sarif
from .formats.text import diff_text as _diff_text
from .formats.text import fix_label as _fix_label
from .formats.text import print_text, summary_line, verbose_lines


def print_json(console: Console, data: Any) -> None:
    console.file.write(dumps(data))


__all__ = [
    "_diff_text",
    "_fix_label",
    "_source_root",
    "print_json",
    "print_text",
    "summary_line",
    "to_json",
    "to_sarif",
    "verbose_lines",
]
