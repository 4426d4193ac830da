"""Which interpreter imports the project's models: the project's own, found in one documented order.

1. ``--python``; 2. ``[tool.ormfix] python``; 3. a virtualenv in the project folder or a parent up to the
repository root (``.venv``, ``venv``, ``env``); 4. the active ``VIRTUAL_ENV``, unless it is ormfix's own
environment (a pre-commit hook's or pipx's venv); 5. ``CONDA_PREFIX``; 6. Poetry's environment for the
project; 7. ``python3`` on PATH when it can import SQLAlchemy (plain CI runners, Docker images);
8. ormfix's own interpreter.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .config import Settings
from .errors import UsageError

VENV_NAMES = (".venv", "venv", "env")
OLDEST_PYTHON = (3, 8)  # what the probe child runs on
# Python 2 and 3 alike print their version with this; anything else prints nothing like it.
_ASK_VERSION = "import sys; sys.stdout.write('ormfix-python %d.%d' % sys.version_info[:2])"


@dataclass(frozen=True)
class Interpreter:
    path: str
    reason: str  # why this one: shown by -v and in messages about it


def check_interpreter(python: Path, where: str = "--python") -> None:
    """A named interpreter must be a Python the probe runs on: say which one and what it lacks."""
    if python.is_dir():
        raise UsageError(f"{where} {python}: is a folder, not an interpreter")
    if _same_file(python, sys.executable):  # ormfix's own Python binary (another venv of it): new enough
        return
    try:
        answer = subprocess.run(
            [str(python), "-S", "-c", _ASK_VERSION],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=30,
            env={"PATH": os.environ.get("PATH", "")},
        )
    except OSError as exc:
        raise UsageError(f"{where} {python}: cannot run it ({exc.strerror})") from None
    except subprocess.TimeoutExpired:
        raise UsageError(f"{where} {python}: did not answer within 30 s when asked its version") from None
    found = re.fullmatch(rb"ormfix-python (\d+)\.(\d+)", answer.stdout.strip())
    if answer.returncode != 0 or not found:
        raise UsageError(
            f"{where} {python}: not a Python interpreter (it cannot run `python -c`; exit code {answer.returncode})"
        )
    version = (int(found[1]), int(found[2]))
    if version < OLDEST_PYTHON:
        raise UsageError(
            f"{where} {python}: is Python {version[0]}.{version[1]}; the probe needs Python "
            f"{OLDEST_PYTHON[0]}.{OLDEST_PYTHON[1]} or newer"
        )


def _same_file(python: Path, other: str) -> bool:
    try:
        return os.path.samefile(os.path.realpath(python), os.path.realpath(other))
    except OSError:
        return False


def _venv_python(folder: Path) -> Path | None:
    """The interpreter of a virtualenv (or conda environment) folder, if it has one."""
    for candidate in (folder / "bin" / "python", folder / "Scripts" / "python.exe"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _same_prefix(folder: str | Path, prefix: str) -> bool:
    try:
        return Path(folder).resolve() == Path(prefix).resolve()
    except OSError:
        return False


def _project_venv(path: Path) -> tuple[Path, Path] | None:
    """(venv folder, interpreter) of the nearest virtualenv at or above ``path``, up to the repository root."""
    for folder in [path, *path.parents]:
        for name in VENV_NAMES:
            venv = folder / name
            python = _venv_python(venv) if (venv / "pyvenv.cfg").is_file() else None
            if python is not None:
                return venv, python
        if (folder / ".git").exists():
            break
    return None


def _poetry_env(path: Path) -> Path | None:
    """Poetry's environment for a Poetry project (``poetry env info --path``), when poetry is installed."""
    poetry = shutil.which("poetry")
    if poetry is None:
        return None
    for folder in [path, *path.parents]:
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
                return None
            if "poetry" not in data.get("tool", {}):
                return None
            try:
                run = subprocess.run(
                    [poetry, "env", "info", "--path"],
                    cwd=folder,
                    capture_output=True,
                    text=True,
                    timeout=20,
                    stdin=subprocess.DEVNULL,
                )
            except (OSError, subprocess.TimeoutExpired):
                return None
            found = Path(run.stdout.strip()) if run.returncode == 0 and run.stdout.strip() else None
            return _venv_python(found) if found else None
    return None


def _imports_sqlalchemy(python: str) -> bool:
    try:
        run = subprocess.run(
            [python, "-c", "import sqlalchemy"], capture_output=True, timeout=30, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return run.returncode == 0


def find_python(path: Path, settings: Settings, explicit: str | None) -> Interpreter:
    """The interpreter that imports the models at ``path``, and why it was chosen."""
    if explicit or settings.python:
        chosen = Path(explicit or settings.python or "").expanduser()
        where = "--python" if explicit else f"[tool.ormfix] python (in {settings.source}):"
        if not chosen.exists():
            raise UsageError(f"{where} {chosen}: no such interpreter")
        check_interpreter(chosen, where)
        return Interpreter(str(chosen), where)
    found = _project_venv(path)
    if found is not None:
        venv, python = found
        return Interpreter(str(python), f"the project's virtualenv {venv}")
    active = os.environ.get("VIRTUAL_ENV")
    if active and not _same_prefix(active, sys.prefix) and (found_python := _venv_python(Path(active))) is not None:
        return Interpreter(str(found_python), f"the active virtualenv (VIRTUAL_ENV={active})")
    conda = os.environ.get("CONDA_PREFIX")
    if conda and not _same_prefix(conda, sys.prefix) and (found_python := _venv_python(Path(conda))) is not None:
        return Interpreter(str(found_python), f"the active conda environment (CONDA_PREFIX={conda})")
    poetry = _poetry_env(path)
    if poetry is not None:
        return Interpreter(str(poetry), "Poetry's environment for the project")
    python3 = shutil.which("python3")
    if python3 and not _same_prefix(Path(python3).parent.parent, sys.prefix) and _imports_sqlalchemy(python3):
        return Interpreter(python3, "python3 on PATH (it imports SQLAlchemy)")
    return Interpreter(sys.executable, "ormfix's own interpreter (no project virtualenv found)")
