"""Every output format, one module each; ``render`` is the one place a report becomes machine output.

text (people, formats/text.py, printed with colors by the CLI), concise, json, json-lines, sarif,
github (workflow annotations), gitlab (Code Quality), junit. No machine format carries a timing.
"""

from __future__ import annotations

from ..report import Report
from .concise import to_concise
from .github import to_github
from .gitlab import to_gitlab
from .json_report import dumps, to_json, to_json_lines
from .junit import to_junit
from .sarif import to_sarif

NAMES = ("text", "concise", "json", "json-lines", "sarif", "github", "gitlab", "junit")


def shown(report: Report, command: str) -> list:
    """The diagnoses a per-diagnosis format lists: what is left after apply, else every diagnosis."""
    return report.remaining if command == "apply" else report.diagnoses


def render(report: Report, fmt: str, command: str, *, with_fixes: bool = True) -> str:
    """The report in a machine format (not ``text``, which formats/text.py prints)."""
    if fmt == "json":
        return dumps(to_json(report, with_fixes=with_fixes, command=command))
    if fmt == "sarif":
        return dumps(to_sarif(report))
    if fmt == "json-lines":
        return to_json_lines(shown(report, command))
    if fmt == "concise":
        return to_concise(shown(report, command))
    if fmt == "github":
        return to_github(shown(report, command), report.project.base)
    if fmt == "gitlab":
        return dumps(to_gitlab(shown(report, command), report))
    if fmt == "junit":
        return to_junit(report, shown(report, command), command)
    raise ValueError(f"not a machine format: {fmt}")


__all__ = ["NAMES", "render", "to_github", "to_json", "to_sarif"]
