"""The pipeline, top to bottom: discover -> index -> probe -> diagnose -> remedy -> verify -> write."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .config import load_settings
from .diagnose import diagnose
from .discover import Project, discover
from .errors import UsageError
from .findings import Diagnosis, Fix
from .probe.runner import ProbeResult, run_probe
from .remedy import STRATEGIES, plan_fixes
from .verify import CompositionError, compose, identity, probe_with, verify_all
from .write import write_files

STRATEGY_NAMES = ["auto", *STRATEGIES]


@dataclass
class Options:
    models: list[str] = field(default_factory=list)
    python: str | None = None
    timeout: float | None = None
    strategy: str | None = None  # None: every remedy (suggest) / auto (apply)
    verify: bool = True
    unsafe_fixes: bool = False


@dataclass
class Report:
    project: Project
    diagnoses: list[Diagnosis]
    probe: ProbeResult
    probes: int = 1
    seconds: float = 0.0
    applied: list[tuple[Diagnosis, Fix]] = field(default_factory=list)
    remaining: list[Diagnosis] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    refused: str = ""


def check(path: Path, options: Options) -> Report:
    started = time.perf_counter()
    settings = load_settings(path.expanduser().resolve() if path.exists() else path)
    project = discover(path, settings, models=options.models, python=options.python, timeout=options.timeout)
    result = run_probe(project)
    diagnoses = diagnose(project, result)
    return Report(project=project, diagnoses=diagnoses, probe=result, seconds=time.perf_counter() - started)


def suggest(path: Path, options: Options) -> Report:
    report = check(path, options)
    started = time.perf_counter()
    strategy = options.strategy
    if strategy and strategy not in STRATEGY_NAMES:
        raise UsageError(f"unknown strategy {strategy!r}; choose one of: {', '.join(STRATEGY_NAMES)}")
    for diagnosis in report.diagnoses:
        diagnosis.fixes = plan_fixes(diagnosis, report.project, strategy)
    if options.verify:
        report.probes += verify_all(report.project, report.diagnoses)
    report.seconds += time.perf_counter() - started
    return report


def choose(diagnosis: Diagnosis, options: Options) -> Fix | None:
    """The fix ``apply`` writes for a diagnosis, or None."""
    usable = [f for f in diagnosis.fixes if f.applies and (f.verified or not options.verify)]
    if options.strategy and options.strategy != "auto":
        usable = [f for f in usable if f.strategy == options.strategy]
        return usable[0] if usable else None
    safe = [f for f in usable if f.applicability == "safe"]
    if safe:
        return safe[0]
    if options.unsafe_fixes:
        unsafe = [f for f in usable if f.applicability == "unsafe"]
        return unsafe[0] if unsafe else None
    return None


def apply(path: Path, options: Options, dry_run: bool = False) -> Report:
    report = suggest(path, options)
    chosen = [(d, fix) for d in report.diagnoses if (fix := choose(d, options)) is not None]
    report.applied = chosen
    if not chosen:
        report.remaining = list(report.diagnoses)
        return report
    fixes = [fix for _, fix in chosen]
    project = report.project
    try:
        texts = compose(project, fixes)
    except CompositionError as exc:
        report.refused = f"the chosen fixes conflict ({exc}); apply them one strategy at a time"
        report.remaining = list(report.diagnoses)
        return report
    if options.verify:
        _, result, after = probe_with(project, fixes)
        report.probes += 1
        fixed_ids = {identity(d) for d, _ in chosen}
        still = [d for d in after if identity(d) in fixed_ids]
        if still or result.status != "ok":
            report.refused = ("the fixes together do not verify" +
                              (f": {still[0].code} {still[0].message}" if still else f" (probe: {result.status})"))
            report.remaining = list(report.diagnoses)
            return report
        report.remaining = after
    else:
        applied_ids = {identity(d) for d, _ in chosen}
        report.remaining = [d for d in report.diagnoses if identity(d) not in applied_ids]
    if not dry_run:
        originals = {edit.path: edit.before for fix in fixes for edit in fix.edits}
        report.written = write_files(project, texts, originals)
    return report
