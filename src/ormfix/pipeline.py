"""The pipeline, top to bottom: discover -> index -> probe -> diagnose -> remedy -> verify -> write."""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import early, journal, migrations, warmup
from .config import Settings, read_settings
from .diagnose import diagnose
from .diffs import unified_diff
from .discover import Project, discover
from .errors import UsageError
from .findings import Diagnosis, Fix
from .probe.runner import ProbeResult, Running, run_probe
from .probe.warm import WARM
from .remedies import ALWAYS_UNSAFE, AUTO, NAMES, NEVER_AUTOMATIC
from .remedy import plan_fixes
from .report import Report
from .suppress import Filters, filter_diagnoses, inline_suppressions, unused_suppressions
from .verify import (
    CompositionError,
    Together,
    compose,
    identity,
    new_problems,
    probe_with,
    resolvable_by_post_update,
    verify_all,
    verify_first,
)
from .write import write_files

STRATEGY_NAMES = [AUTO, *NAMES]


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


@dataclass(frozen=True)
class Options:
    """What the caller asked for (CLI flags or API arguments); [tool.ormfix] settings fill what it leaves None."""

    models: list[str] = field(default_factory=list)
    python: str | None = None
    timeout: float | None = None
    strategy: str | None = None  # None: every remedy (suggest) / auto (apply)
    verify: bool = True
    unsafe_fixes: bool = False
    verify_unsafe: bool = True  # False: unsafe fixes are shown but not verified (apply --strategy=auto)
    select: list[str] | None = None  # None: [tool.ormfix] select / ignore
    ignore: list[str] | None = None
    jobs: int = 1  # verification probes at once (the CLI's default: default_jobs())
    progress: Callable[[str], None] = lambda step: None  # told each step of a long run
    env: list[str] = field(default_factory=list)  # NAME or NAME=VALUE for the probe, after [tool.ormfix] env


Decide = Callable[[list[tuple[Diagnosis, Fix]]], list[tuple[Diagnosis, Fix]]]


def with_settings(options: Options, settings: Settings) -> Options:
    """The options a run chooses fixes with: [tool.ormfix] strategy where the caller named none."""
    return options if options.strategy is not None else replace(options, strategy=settings.strategy)


Probe = Callable[[Project], ProbeResult]


def check(path: Path, options: Options, settings: Settings | None = None, probe: Probe = run_probe) -> Report:
    """Discover, probe and diagnose; ``probe`` is the real probe but in tests that replay a recorded result."""
    started = time.perf_counter()
    settings = read_settings(path) if settings is None else settings
    options.progress("discovering the project")
    asked = early.Asked.of(path, settings, options.models, options.python, options.timeout, options.env)
    project = early.take(asked) or discover(
        path, settings, models=options.models, python=options.python, timeout=options.timeout, env=options.env
    )
    recovered = journal.recover(project.base)  # a leftover journal: an apply that was killed mid-write
    if recovered:
        print(f"ormfix: {recovered}", file=sys.stderr)
    options.progress(f"importing the models ({', '.join(project.modules) or 'every file'})")
    filters = Filters.from_settings(settings, options.select, options.ignore)
    comments = inline_suppressions(project)  # before the probe: an unknown code in one is a usage error
    result = probe(project)
    diagnoses, suppressed = filter_diagnoses(project, diagnose(project, result), filters, comments)
    if result.status == "ok" and not result.import_errors:  # every model was seen: an unused comment is stale
        diagnoses += unused_suppressions(project, comments, filters)
    diagnoses.sort(key=lambda d: d.sort_key)
    suppressed.sort(key=lambda d: d.sort_key)
    return Report(
        project=project,
        diagnoses=diagnoses,
        probe=result,
        seconds=time.perf_counter() - started,
        settings=settings,
        filters=filters,
        suppressed=suppressed,
        comments=comments,
    )


def plan(
    path: Path,
    options: Options,
    skip: frozenset[str] = frozenset(),
    settings: Settings | None = None,
    probe: Probe | None = None,
) -> Report:
    """check, then every remedy of every diagnosis planned (not verified yet), but those in ``skip``."""
    ahead = min(options.jobs, 2) if options.verify else 0  # the verification probes that may start at once
    report = check(path, options, settings, probe or functools.partial(_planning_probe, ahead=ahead))
    started = time.perf_counter()
    strategy = options.strategy
    if strategy and strategy not in STRATEGY_NAMES:
        raise UsageError(f"unknown strategy {strategy!r}; choose one of: {', '.join(STRATEGY_NAMES)}")
    options.progress(f"planning fixes for {len(report.diagnoses)} diagnosis(es)")
    for diagnosis in report.diagnoses:
        diagnosis.fixes = plan_fixes(diagnosis, report.project, strategy, skip)
        migrations.describe(report.project, diagnosis.fixes)
    report.seconds += time.perf_counter() - started
    return report


def suggest(path: Path, options: Options, settings: Settings | None = None) -> Report:
    try:
        return _suggest(path, options, settings)
    finally:
        WARM.clear()  # a probe process started ahead and not needed after all ends with the run


def _suggest(path: Path, options: Options, settings: Settings | None) -> Report:
    report = plan(path, options, settings=settings)
    started = time.perf_counter()
    if options.verify and report.diagnoses:
        options.progress("verifying the fixes in scratch copies")
        include = None
        if not options.verify_unsafe:  # apply --interactive without --unsafe-fixes never writes them
            include = lambda fix: fix.applicability != "unsafe"  # noqa: E731
        report.probes += verify_all(
            report.project, report.diagnoses, include, jobs=options.jobs, known=report.suppressed
        )
    report.seconds += time.perf_counter() - started
    return report


def candidates(diagnosis: Diagnosis, options: Options) -> list[Fix]:
    """The fixes ``apply`` may write for a diagnosis, best first (``choose`` takes the first verified)."""
    usable = [f for f in diagnosis.fixes if f.applies]
    if options.strategy and options.strategy != "auto":
        return [f for f in usable if f.strategy == options.strategy]
    usable = [f for f in usable if f.strategy not in NEVER_AUTOMATIC]
    ordered = [f for f in usable if f.applicability == "safe"]
    if options.unsafe_fixes:  # a fix that keeps the relationship working before one that removes it
        unsafe = [f for f in usable if f.applicability == "unsafe"]
        ordered += sorted(unsafe, key=lambda f: f.strategy in ALWAYS_UNSAFE)
    return ordered


def choose(diagnosis: Diagnosis, options: Options) -> Fix | None:
    """The fix ``apply`` writes for a diagnosis, or None."""
    return next((f for f in candidates(diagnosis, options) if f.verified or not options.verify), None)


def apply(path: Path, options: Options, dry_run: bool = False, decide: Decide | None = None) -> Report:
    """Write the chosen fixes; ``decide`` (apply --interactive) keeps the ones a person accepts."""
    try:
        return _apply(path, options, dry_run, decide)
    finally:
        WARM.clear()  # a probe process started ahead and not needed after all ends with the run


def _apply(path: Path, options: Options, dry_run: bool, decide: Decide | None) -> Report:
    settings = read_settings(path)
    configured = options.strategy or settings.strategy  # the CLI flag wins over [tool.ormfix] strategy
    if configured in (None, "auto") and not options.unsafe_fixes and decide is None:
        options = replace(options, verify_unsafe=False)
    if decide is not None or not options.verify:  # a person picks among every verified fix
        report = _suggest(path, options, settings)
        together = None
    else:
        automatic = configured in (None, "auto") and not options.unsafe_fixes
        skip = ALWAYS_UNSAFE if automatic else frozenset()
        report = plan(path, options, skip=skip, settings=settings, probe=_applying_probe)
        together = _verify_candidates(report, options)
    options = with_settings(options, settings)
    chosen = [(d, fix) for d in report.diagnoses if (fix := choose(d, options)) is not None]
    if decide is not None:
        accepted = decide(chosen)
        report.declined = [(d, fix) for d, fix in chosen if all(fix is not kept for _, kept in accepted)]
        chosen = accepted
    report.applied = chosen
    if not chosen:
        report.remaining = list(report.diagnoses)
        report.suppressed_left = report.suppressed_errors
        return report
    fixes = [fix for _, fix in chosen]
    project = report.project
    migrated = None  # the probe that autogenerated the revision of exactly these fixes, if one did
    if options.verify and together is not None and [id(f) for f in together.fixes] == [id(f) for f in fixes]:
        texts, fixed_project, result, after = together.texts, together.fixed, together.result, together.after
        migrated = result  # that batch was exactly these fixes: its probe is their verification
    else:
        try:
            texts = compose(project, fixes)
        except CompositionError as exc:
            report.refused = f"the chosen fixes conflict ({exc}); apply them one strategy at a time"
            report.remaining = list(report.diagnoses)
            return report
        if options.verify:
            options.progress("verifying the chosen fixes together")
            fixed_project, result, after, _ = probe_with(project, fixes)
            report.probes += 1
    if options.verify:
        known = {identity(d) for d in [*report.diagnoses, *report.suppressed]}
        # a flush cycle the fixes uncover is a latent hazard (a warning), never a reason to refuse them; post_update
        # is written for it only when asked for (--strategy=post-update): nobody asked for those hunks otherwise
        uncovered = [d for d in after if resolvable_by_post_update(d) and identity(d) not in known]
        cycles = _post_updates(fixed_project, uncovered) if options.strategy == "post-update" else []
        if cycles:  # flush cycles the chosen fixes bring about: post_update resolves them in this run
            options.progress("resolving the flush cycles the fixes bring about")
            try:
                texts = compose(project, fixes + [fix for _, fix in cycles])
            except CompositionError as exc:
                report.refused = f"the chosen fixes conflict ({exc}); apply them one strategy at a time"
                report.remaining = list(report.diagnoses)
                return report
            fixes += [fix for _, fix in cycles]
            chosen += cycles
            migrated = None
            report.applied = chosen
            _, result, after, _ = probe_with(project, fixes)
            report.probes += 1
        fixed_ids = {identity(d) for d, _ in chosen}
        still = [d for d in after if identity(d) in fixed_ids]
        still += new_problems(after, known)  # what they break, errors and warnings alike
        if still or result.status != "ok":
            report.refused = "the fixes together do not verify" + (
                f": {still[0].code} {still[0].message}" if still else f" (probe: {result.status})"
            )
            report.remaining = list(report.diagnoses)
            return report
        report.remaining = report.keep(after)
        report.suppressed_left = [
            d for d in after if d.severity == "error" and all(d is not k for k in report.remaining)
        ]
    else:
        applied_ids = {identity(d) for d, _ in chosen}
        report.remaining = [d for d in report.diagnoses if identity(d) not in applied_ids]
        report.suppressed_left = report.suppressed_errors
    originals = {edit.path: edit.before for fix in fixes for edit in fix.edits}
    report.diff = "".join(
        unified_diff(path, originals[path], texts[path]) for path in sorted(texts) if texts[path] != originals[path]
    )
    report.migration = _migration(project, fixes, texts, options, report.probe.schema, migrated)
    if not dry_run:  # the model files and the Alembic revision: one all-or-nothing write
        revision = report.migration if report.migration and report.migration["kind"] == "alembic" else None
        new_files = {Path(revision["absolute_path"]): (revision["path"], revision["text"])} if revision else {}
        report.written = write_files(project, texts, originals, new_files)
    return report


def _migration(
    project: Project,
    fixes: list[Fix],
    texts: dict[str, str],
    options: Options,
    schema: dict[str, Any] | None,
    migrated: ProbeResult | None,
) -> dict[str, Any] | None:
    """What the database needs for the schema the fixes change: an Alembic revision autogenerated from the
    fixed models (where the project uses Alembic), else the ALTER TABLE SQL of the columns they add.
    ``schema``: the tables before the fixes (read by the check probe); ``migrated``: the verification probe
    that autogenerated the revision of exactly these fixes (then no probe runs here)."""
    if not any(fix.schema_change for fix in fixes):
        return None
    if migrations.find_alembic(project) is not None:
        if migrated is not None and migrated.migration is not None:
            return migrations.from_probe(project, migrated.status, migrated.detail, migrated.migration)
        options.progress("autogenerating the Alembic revision")
        return migrations.revision(project, texts, schema=schema)
    columns = [fix.column for fix in fixes if fix.column]
    return migrations.plan(project, columns) if columns else None


def _post_updates(fixed_project: Project, cycles: list[Diagnosis]) -> list[tuple[Diagnosis, Fix]]:
    """post-update for each flush cycle the chosen fixes bring about, planned on the fixed files."""
    planned = []
    for diagnosis in cycles:
        fix = next((f for f in plan_fixes(diagnosis, fixed_project, "post-update") if f.applies), None)
        if fix is not None:  # planned on the files as on disk; compose() replays it over the other fixes
            planned.append((diagnosis, fix))
    return planned


def _planning_probe(
    project: Project, extra: dict[str, Any] | None = None, alembic: bool = False, ahead: int = 1
) -> ProbeResult:
    """The check probe of suggest and apply: while it runs, LibCST and the codemods load and the processes
    of the first ``ahead`` verification probes start (``alembic``: preloading Alembic for the revision)."""

    def meanwhile(running: Running) -> None:
        WARM.prepare(project, alembic, ahead)  # niced: they import on whatever CPU this probe leaves free
        warmup.load_while(running.busy, sql=migrations.find_alembic(project) is None)

    return run_probe(project, extra=extra, meanwhile=meanwhile)


def _applying_probe(project: Project) -> ProbeResult:
    """apply's check probe: it also reads the tables as they are, which the fixes' Alembic revision starts from;
    apply verifies one batch at a time."""
    alembic = migrations.find_alembic(project) is not None
    return _planning_probe(project, {"schema": True} if alembic else None, alembic, ahead=1)


def _verify_candidates(report: Report, options: Options) -> Together | None:
    """Verify, for each diagnosis, its candidates in order until one verifies (not every fix); a batch with
    a schema change also autogenerates its Alembic revision (apply then needs no probe of its own for it)."""
    options = with_settings(options, report.settings)  # [tool.ormfix] strategy decides the candidates too
    started = time.perf_counter()
    options.progress("verifying the fixes in scratch copies")
    schema = report.probe.schema
    _, together, probes = verify_first(
        report.project,
        [(d, candidates(d, options)) for d in report.diagnoses],
        known=report.suppressed,
        migration=migrations.request(report.project, schema) if schema is not None else None,
    )
    report.probes += probes
    report.seconds += time.perf_counter() - started
    return together
