"""``[tool.ormfix]`` in the nearest pyproject.toml at or above PATH; CLI flags override it."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UsageError
from .remedies import AUTO, NAMES

LIMIT_KEYS = {
    "max-memory-mb": "memory",
    "max-cpu-seconds": "cpu",
    "max-processes": "processes",
    "max-file-mb": "file_size",
}  # [tool.ormfix] key -> the probe's resource limit
KNOWN_KEYS = {
    "models",
    "root",
    "python",
    "timeout",
    "strategy",
    "select",
    "ignore",
    "fail-level",
    "per-file-ignores",
    "env",
    "max-copy-mb",
    *LIMIT_KEYS,
}


@dataclass
class Settings:
    models: list[str] = field(default_factory=list)
    root: Path | None = None
    python: str | None = None
    timeout: float = 60.0
    strategy: str | None = None
    env: list[str] = field(default_factory=list)
    select: list[str] = field(default_factory=list)  # codes (or prefixes: "ORM00") to report; empty: all
    ignore: list[str] = field(default_factory=list)  # codes (or prefixes) never reported
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)  # glob -> codes
    fail_level: str | None = None  # "error" | "warning": what makes `check` exit 1
    source: Path | None = None  # the pyproject.toml the settings came from
    max_copy_mb: float = 500.0  # the most file bytes a scratch copy of the project may hold
    limits: dict[str, float] = field(default_factory=dict)  # the probe's resource limits set here


MAX_TIMEOUT = 86400.0  # a day: more is a typo (and overflows the child's hang timer)


def valid_timeout(value: object) -> bool:
    """A finite number of seconds, above zero and at most MAX_TIMEOUT (nan, inf and 1e300 are not)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= MAX_TIMEOUT


def find_pyproject(start: Path) -> tuple[Path, dict[str, Any]] | None:
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
                raise UsageError(f"{candidate}: cannot read [tool.ormfix]: {exc}") from None
            table = data.get("tool", {}).get("ormfix")
            if table is not None:
                return candidate, table
    return None


def read_settings(path: Path) -> Settings:
    """[tool.ormfix] of the project at ``path``, read once per run."""
    return load_settings(path.expanduser().resolve() if path.exists() else path)


def load_settings(path: Path) -> Settings:
    settings = Settings()
    found = find_pyproject(path)
    if not found:
        return settings
    pyproject, table = found
    settings.source = pyproject
    if not isinstance(table, dict):
        raise UsageError(f"{pyproject}: [tool.ormfix] must be a table")
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        raise UsageError(f"{pyproject}: unknown key(s) in [tool.ormfix]: {', '.join(unknown)}")
    models = table.get("models", [])
    if isinstance(models, str):
        models = [models]
    if not isinstance(models, list) or not all(isinstance(m, str) for m in models):
        raise UsageError(f"{pyproject}: [tool.ormfix] models must be a module name or a list of them")
    settings.models = models
    if "root" in table:
        if not isinstance(table["root"], str):
            raise UsageError(f"{pyproject}: [tool.ormfix] root must be a path string")
        settings.root = (pyproject.parent / table["root"]).resolve()
    if "python" in table:
        if not isinstance(table["python"], str):
            raise UsageError(f"{pyproject}: [tool.ormfix] python must be a path string")
        settings.python = str((pyproject.parent / table["python"]).expanduser())
    if "timeout" in table:
        if not valid_timeout(table["timeout"]):
            raise UsageError(
                f"{pyproject}: [tool.ormfix] timeout must be a positive number of seconds (at most {MAX_TIMEOUT:g})"
            )
        settings.timeout = float(table["timeout"])
    if "max-copy-mb" in table:
        value = table["max-copy-mb"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1e7:
            raise UsageError(f"{pyproject}: [tool.ormfix] max-copy-mb must be a positive number of megabytes")
        settings.max_copy_mb = float(value)
    for key, name in LIMIT_KEYS.items():
        if key in table:
            value = table[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1e9:
                raise UsageError(f"{pyproject}: [tool.ormfix] {key} must be a positive number")
            settings.limits[name] = float(value)
    if "strategy" in table:
        if table["strategy"] not in (AUTO, *NAMES):
            raise UsageError(
                f"{pyproject}: [tool.ormfix] strategy {table['strategy']!r} is not one of: {AUTO}, {', '.join(NAMES)}"
            )
        settings.strategy = str(table["strategy"])
    env = table.get("env", [])
    if not isinstance(env, list):
        raise UsageError(f"{pyproject}: [tool.ormfix] env must be a list of NAME or NAME=VALUE")
    settings.env = [str(item) for item in env]
    _read_filters(settings, table, pyproject)
    return settings


def _code_list(value: object, what: str, pyproject: Path) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{pyproject}: [tool.ormfix] {what} must be a code or a list of codes")
    from .codes import check_patterns  # here: the codes import the index, which discover imports after this

    return check_patterns([v.strip().upper() for v in value], f"{pyproject}: [tool.ormfix] {what}")


def _read_filters(settings: Settings, table: dict[str, Any], pyproject: Path) -> None:
    """select / ignore / per-file-ignores / fail-level."""
    settings.select = _code_list(table.get("select", []), "select", pyproject)
    settings.ignore = _code_list(table.get("ignore", []), "ignore", pyproject)
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise UsageError(f"{pyproject}: [tool.ormfix] per-file-ignores must be a table of glob = [codes]")
    settings.per_file_ignores = {
        str(glob): _code_list(codes, f"per-file-ignores {glob!r}", pyproject) for glob, codes in per_file.items()
    }
    if "fail-level" in table:
        if table["fail-level"] not in ("error", "warning"):
            raise UsageError(f"{pyproject}: [tool.ormfix] fail-level must be 'error' or 'warning'")
        settings.fail_level = table["fail-level"]
