"""The check probe's process, started before ormfix's command line loads.

Loading the command line (Typer, Rich, the report formats) takes about a tenth of a second, and the probe
child takes longer than that to import SQLAlchemy before it can import the models. For ``check``,
``suggest`` and ``apply`` with plain arguments, ``start`` finds the project and has its probe process
started (warm.py) first, so the two overlap; the pipeline then takes the project found here (``take``)
when it asks for the same one. Anything unusual (an unknown option, two paths, ``--help``, a bad value, an
error) starts nothing: the command runs as it would without this, and reports its own errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import Settings, read_settings, valid_timeout
from .discover import Project, discover
from .probe.warm import WARM

COMMANDS = ("check", "suggest", "apply")
# The options of those commands that take a value (test_early_start.py checks this against the CLI's own).
VALUED = frozenset(
    {"--models", "--python", "--timeout", "--format", "--fail-level", "--select", "--ignore", "--output-file", "-o"}
    | {"--strategy", "--patch-dir", "--jobs", "-j"}
)
FLAGS = frozenset(
    {"--statistics", "--exit-zero", "--quiet", "-q", "--verbose", "-v", "--no-verify", "--unsafe-fixes"}
    | {"--dry-run", "--diff", "--interactive", "-i"}
)


@dataclass(frozen=True)
class Asked:
    """What a run asks ``discover`` for."""

    path: Path
    settings: Settings
    models: tuple[str, ...]
    python: str | None
    timeout: float | None
    env: tuple[str, ...]

    @classmethod
    def of(
        cls,
        path: Path,
        settings: Settings,
        models: list[str] | None,
        python: str | None,
        timeout: float | None,
        env: list[str] | None,
    ) -> Asked:
        return cls(path, settings, tuple(models or ()), python, timeout, tuple(env or ()))


_found: tuple[Asked, Project] | None = None


def parse(argv: list[str]) -> tuple[Path, list[str], str | None, float | None] | None:
    """(path, --models, --python, --timeout) of a ``check``/``suggest``/``apply`` command line, or None."""
    if not argv or argv[0] not in COMMANDS:
        return None
    paths: list[str] = []
    values: dict[str, list[str]] = {}
    words = iter(argv[1:])
    for word in words:
        name, equals, value = word.partition("=")
        if word == "--":  # what follows is positional, whatever it looks like: left to the CLI
            return None
        if not word.startswith("-") or word == "-":
            paths.append(word)
        elif name in VALUED and name.startswith("--") and equals:
            values.setdefault(name, []).append(value)
        elif word in VALUED:
            following = next(words, None)
            if following is None:
                return None
            values.setdefault(word, []).append(following)
        elif word not in FLAGS:  # --help, an unknown or combined option: the CLI says what it makes of it
            return None
    if len(paths) > 1 or any(len(values.get(key, [])) > 1 for key in ("--python", "--timeout")):
        return None
    timeout = None
    if "--timeout" in values:
        try:
            timeout = float(values["--timeout"][0])
        except ValueError:
            return None
        if not valid_timeout(timeout):
            return None
    python = values.get("--python", [None])[0]
    return Path(paths[0] if paths else "."), values.get("--models", []), python, timeout


def start(argv: list[str]) -> None:
    """Find the project of this command line and start its probe process, if the command probes one."""
    global _found
    parsed = parse(argv)
    if parsed is None:
        return
    path, models, python, timeout = parsed
    try:
        settings = read_settings(path)
        project = discover(path, settings, models=models or None, python=python, timeout=timeout)
        WARM.prepare(project, nice=0)  # the probe waited for first: not niced
    except Exception:  # noqa: BLE001 - the command itself finds and reports the same problem
        return
    _found = (Asked.of(path, settings, models, python, timeout, None), project)


def take(asked: Asked) -> Project | None:
    """The project ``start`` found, once, if it was asked for the same one."""
    global _found
    found, _found = _found, None
    return found[1] if found is not None and found[0] == asked else None
