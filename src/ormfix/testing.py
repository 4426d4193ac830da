"""One-line tests that the mappers configure, for a project's own test suite.

    from ormfix.testing import assert_mappers_configure

    def test_models_configure():
        assert_mappers_configure("app.models")

The models are imported in a subprocess with the test session's interpreter and environment (variables a
conftest.py sets included), on a scratch copy of the project; a failure names each diagnosis's code, its
file:line and the fix ormfix proposes.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

# the probe gets its own HOME and temporary folder; the rest of the test session's environment is passed
_NOT_PASSED = {
    "HOME",
    "TMPDIR",
    "TEMP",
    "TMP",
    "PWD",
    "OLDPWD",
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONHASHSEED",
    "PYTHONIOENCODING",
    "PYTHONUTF8",
    "PYTEST_CURRENT_TEST",
    "PYTEST_XDIST_WORKER",
    "PYTEST_XDIST_WORKER_COUNT",
    "PYTEST_ADDOPTS",
    "COLUMNS",
    "LINES",
}


def session_environment() -> list[str]:
    """The test session's environment, as NAME=VALUE items for the probe."""
    return [f"{name}={value}" for name, value in sorted(os.environ.items()) if name not in _NOT_PASSED]


def mapper_failures(path: str | os.PathLike[str] = ".", models: list[str] | None = None) -> str:
    """'' when the mappers configure; else ormfix's diagnoses with their proposed fixes, as text."""
    from . import api
    from .formats.text import print_text

    options = dict(models=models or None, python=sys.executable, env=session_environment())
    report = api.check(path, **options)  # type: ignore[arg-type]
    if not any(d.severity == "error" for d in report.diagnoses):
        return ""
    report = api.suggest(path, verify=False, **options)  # type: ignore[arg-type]
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, no_color=True, highlight=False, soft_wrap=True, width=200)
    errors = [d for d in report.diagnoses if d.severity == "error"]
    console.print(
        f"The SQLAlchemy mappers do not configure ({len(errors)} error{'s' if len(errors) != 1 else ''} "
        f"under {Path(path).resolve()}; the fixes below are not verified: "
        "`ormfix suggest` verifies them, `ormfix apply` writes them):",
        markup=False,
    )
    report.diagnoses = errors
    print_text(console, report, show_fixes=True)
    return buffer.getvalue()


def assert_mappers_configure(*models: str, path: str | os.PathLike[str] = ".") -> None:
    """Fail (AssertionError with ormfix's diagnoses and fixes) unless the models' mappers configure.

    ``models``: the modules the application imports (``"app.models"``); none: ormfix discovers them.
    ``path``: the project folder (default: the current folder)."""
    failures = mapper_failures(path, list(models))
    if failures:
        raise AssertionError(failures)
