"""ormfix's Python API: the CLI's three jobs as functions that return a ``Report``.

    import ormfix
    report = ormfix.check("backend", models=["app.models"])
    for diagnosis in report.diagnoses:
        print(diagnosis.file, diagnosis.line, diagnosis.code, diagnosis.message)

Usage errors raise ``ormfix.UsageError``; nothing is printed. ``suggest`` never writes; ``apply`` writes the
chosen verified fixes (all or none) unless ``dry_run``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from .errors import UsageError
from .pipeline import STRATEGY_NAMES, Options, default_jobs
from .pipeline import apply as _apply
from .pipeline import check as _check
from .pipeline import suggest as _suggest
from .report import Report

__all__ = ["Report", "UsageError", "apply", "check", "suggest"]


def _options(
    models: Iterable[str] | str | None,
    python: str | os.PathLike[str] | None,
    timeout: float | None,
    select: Iterable[str] | None,
    ignore: Iterable[str] | None,
    env: Mapping[str, str] | Iterable[str] | None,
    **more: object,
) -> Options:
    strategy = more.get("strategy")
    if strategy is not None and strategy not in STRATEGY_NAMES:
        raise UsageError(f"unknown strategy {strategy!r}; choose one of: {', '.join(STRATEGY_NAMES)}")
    if isinstance(models, str):
        models = [models]
    variables = [f"{k}={v}" for k, v in env.items()] if isinstance(env, Mapping) else list(env or [])
    return Options(
        models=list(models or []),
        python=os.fspath(python) if python else None,
        timeout=timeout,
        select=list(select) if select else None,
        ignore=list(ignore) if ignore else None,
        env=variables,
        jobs=default_jobs(),
        **more,  # type: ignore[arg-type]  # strategy / verify / unsafe_fixes, typed by the public functions
    )


def check(
    path: str | os.PathLike[str] = ".",
    *,
    models: Iterable[str] | str | None = None,
    python: str | os.PathLike[str] | None = None,
    timeout: float | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    env: Mapping[str, str] | Iterable[str] | None = None,
) -> Report:
    """Diagnose the models under ``path`` (no fixes): ``report.diagnoses``."""
    return _check(Path(path), _options(models, python, timeout, select, ignore, env))


def suggest(
    path: str | os.PathLike[str] = ".",
    *,
    strategy: str | None = None,
    verify: bool = True,
    models: Iterable[str] | str | None = None,
    python: str | os.PathLike[str] | None = None,
    timeout: float | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    env: Mapping[str, str] | Iterable[str] | None = None,
) -> Report:
    """Diagnose, and plan every remedy (``diagnosis.fixes``, each with its diff), verified unless ``verify=False``."""
    return _suggest(
        Path(path), _options(models, python, timeout, select, ignore, env, strategy=strategy, verify=verify)
    )


def apply(
    path: str | os.PathLike[str] = ".",
    *,
    strategy: str | None = None,
    unsafe_fixes: bool = False,
    dry_run: bool = False,
    models: Iterable[str] | str | None = None,
    python: str | os.PathLike[str] | None = None,
    timeout: float | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    env: Mapping[str, str] | Iterable[str] | None = None,
) -> Report:
    """Write the chosen verified fixes: ``report.applied``, ``report.written``, ``report.remaining``."""
    options = _options(models, python, timeout, select, ignore, env, strategy=strategy, unsafe_fixes=unsafe_fixes)
    return _apply(Path(path), options, dry_run=dry_run)
