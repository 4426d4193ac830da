"""Verify fixes: apply them to a scratch copy, re-run the probe, round-trip objects on SQLite.

Fixes are verified in batches, one scratch copy holding one fix of every diagnosis, rather than one
import per fix. A fix fails when it adds any diagnosis, error or warning, that was absent before (a flush cycle that
post-update resolves in the same run aside). A new diagnosis in a batch that points at a fix's own relationship or into the lines it
changed is that fix's fault: the fix fails and the rest of the batch runs again; a batch that fails
in a way no single fix explains is split in halves to find the fix at fault.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ormfix.codemods import NotApplicable

from .diagnose import diagnose
from .diffs import changed_lines
from .discover import Project
from .findings import Diagnosis, Fix
from .probe.runner import ProbeResult, run_probe
from .probe.warm import WARM
from .remedies import KEEPS_RELATIONSHIP


class CompositionError(Exception):
    """Two fixes cannot both be applied to the same file."""


def compose(project: Project, fixes: list[Fix]) -> dict[str, str]:
    """The new text of every file the fixes touch, applying each fix's codemods in turn.

    A file only one of the fixes touches is that fix's text as planned (no codemod runs again).
    """
    touching = Counter(edit.path for fix in fixes for edit in fix.edits)
    texts: dict[str, str] = {}
    for fix in fixes:
        for edit in fix.edits:
            if touching[edit.path] == 1:
                texts[edit.path] = edit.after
                continue
            text = texts.get(edit.path)
            if text is None:
                text = project.original_text(edit.path)
            try:
                text = edit.replay(text)
            except NotApplicable as exc:
                raise CompositionError(f"{fix.strategy} on {edit.path}: {exc}") from None
            texts[edit.path] = text
    return texts


# what makes a diagnosis the same before and after a fix: (code, class, attribute) or (code, file, message)
Identity = tuple[str, str | None, str | None]


def identity(diagnosis: Diagnosis) -> Identity:
    """What makes a diagnosis the same before and after a fix (its line, and a message naming it, may move)."""
    if diagnosis.attribute or diagnosis.class_name:
        return (diagnosis.code, diagnosis.class_name, diagnosis.attribute)
    return (diagnosis.code, diagnosis.file, diagnosis.message)


# a flush cycle a fix brings about is resolved in the same run by post-update (pipeline.apply), so it
# is no failure of that fix while post_update can apply (the foreign key is nullable)
FLUSH_CYCLE = "ORM023"


def resolvable_by_post_update(diagnosis: Diagnosis) -> bool:
    return diagnosis.code == FLUSH_CYCLE and diagnosis.context.get("nullable", True)


def new_problems(after: list[Diagnosis], baseline: set[Identity]) -> list[Diagnosis]:
    """What a fix adds: every diagnosis, of any severity, absent before (but a flush cycle post-update resolves)."""
    return [d for d in after if identity(d) not in baseline and not resolvable_by_post_update(d)]


def _roundtrip_requests(items: list[tuple[Diagnosis, Fix]]) -> list[dict]:
    requests = []
    for diagnosis, fix in items:
        if fix.strategy in KEEPS_RELATIONSHIP and diagnosis.attribute:
            module = diagnosis.event.get("class_module")
            requests.append({"module": module, "class": diagnosis.class_name, "attribute": diagnosis.attribute})
    return requests


def probe_with(
    project: Project,
    fixes: list[Fix],
    roundtrip: list[dict] | None = None,
    migration: dict | None = None,
    ahead: bool = False,
) -> tuple[Project, ProbeResult, list[Diagnosis], dict[str, str]]:
    """Probe the project with ``fixes`` applied (returns the fixed project, the probe's result, its diagnoses and
    the fixed files' texts); ``migration``: also autogenerate their Alembic revision
    (migrations.request) when one of them changes the schema; ``ahead``: another probe follows (its
    process starts while this one runs)."""
    overrides = compose(project, fixes)
    wanted = migration is not None and any(fix.schema_change for fix in fixes)
    meanwhile = (lambda running: WARM.prepare(project)) if ahead else None
    result = run_probe(project, overrides, roundtrip, {"migration": migration} if wanted else None, meanwhile)
    fixed_project = project.with_overrides(overrides)
    return fixed_project, result, diagnose(fixed_project, result), overrides


def verify_all(
    project: Project,
    diagnoses: list[Diagnosis],
    include: Callable[[Fix], bool] | None = None,
    jobs: int = 1,
    known: Sequence[Diagnosis] = (),
) -> int:
    """Verify every applicable fix of every diagnosis. Returns the number of probes run.

    Batch i holds the i-th applicable fix of every diagnosis (at most one fix per diagnosis, so each
    batch says for each of its fixes whether that diagnosis is gone): as many probes as the most
    fixes any diagnosis has, not one per fix, nor one per strategy. A batch that fails as a whole
    is split in halves to find the fix at fault. ``known``: diagnoses not being fixed (filtered out by
    --select / --ignore / noqa), which are no new problem when a batch still reports them.
    """
    baseline = {identity(d) for d in [*diagnoses, *known]}
    batches: list[list[tuple[Diagnosis, Fix]]] = []
    for diagnosis in diagnoses:
        for position, fix in enumerate(f for f in diagnosis.fixes if f.applies and (include is None or include(f))):
            if position == len(batches):
                batches.append([])
            batches[position].append((diagnosis, fix))
    jobs = max(1, min(jobs, len(batches)))
    # while a batch runs, the process of the batch that follows it starts (one not yet running)
    runs = [(items, position + jobs < len(batches)) for position, items in enumerate(batches)]
    if jobs == 1:
        return sum(_verify_batch(project, items, baseline, ahead=ahead) for items, ahead in runs)
    with ThreadPoolExecutor(max_workers=jobs) as pool:  # each probe is a subprocess
        return sum(pool.map(lambda run: _verify_batch(project, run[0], baseline, ahead=run[1]), runs))


@dataclass
class Together:
    """The probe of one batch that ran whole: which fixes it held, and what it saw."""

    fixes: list[Fix]
    result: ProbeResult
    after: list[Diagnosis]
    fixed: Project  # the project with them applied
    texts: dict[str, str]  # the files they change, as changed


def verify_first(
    project: Project,
    candidates: list[tuple[Diagnosis, list[Fix]]],
    known: Sequence[Diagnosis] = (),
    migration: dict | None = None,
) -> tuple[dict[int, Fix], Together | None, int]:
    """The first candidate of each diagnosis that verifies (``apply``): round i tries the i-th candidate
    of the diagnoses whose earlier ones failed, so a project whose first choices all verify costs one
    probe. Returns {id(diagnosis): fix}, the probe of the chosen fixes together when one batch was
    exactly them (``apply`` then needs no final probe, nor one for their ``migration``), and the number
    of probes run."""
    baseline = {identity(d) for d in [*(d for d, _ in candidates), *known]}
    chosen: dict[int, Fix] = {}
    wholes: list[Together] = []
    probes = 0
    for position in range(max((len(fixes) for _, fixes in candidates), default=0)):
        items = [(d, fixes[position]) for d, fixes in candidates if id(d) not in chosen and position < len(fixes)]
        if not items:
            break
        probes += _verify_batch(project, items, baseline, wholes, migration)
        for diagnosis, fix in items:
            if fix.verified:
                chosen[id(diagnosis)] = fix
    picked = {id(fix) for fix in chosen.values()}
    together = next((w for w in wholes if {id(f) for f in w.fixes} == picked), None)
    return chosen, together, probes


def _verify_batch(
    project: Project,
    items: list[tuple[Diagnosis, Fix]],
    baseline: set[Identity],
    wholes: list[Together] | None = None,
    migration: dict | None = None,
    ahead: bool = False,
) -> int:
    try:
        fixed, result, after, texts = probe_with(
            project, [fix for _, fix in items], _roundtrip_requests(items), migration, ahead
        )
    except CompositionError as exc:
        if len(items) == 1:
            _fail(items[0][1], str(exc))
            return 0
        return _split(project, items, baseline, wholes, migration)
    new = new_problems(after, baseline)
    if len(items) > 1 and (new or result.status != "ok"):
        culprits = _blame(items, new) if result.status == "ok" else None
        if not culprits:
            return 1 + _split(project, items, baseline, wholes, migration)
        for position, problem in culprits.items():
            _fail(items[position][1], f"the fix causes a new problem: {problem.code} {problem.message}")
        rest = [item for position, item in enumerate(items) if position not in culprits]
        return 1 + (_verify_batch(project, rest, baseline, wholes, migration) if rest else 0)
    remaining = {identity(d) for d in after}
    for diagnosis, fix in items:
        _judge(diagnosis, fix, result, after, remaining, new)
    if wholes is not None and all(fix.verified for _, fix in items):
        wholes.append(Together([fix for _, fix in items], result, after, fixed, texts))
    return 1


def _blame(items: list[tuple[Diagnosis, Fix]], new: list[Diagnosis]) -> dict[int, Diagnosis] | None:
    """{position of the fix at fault: the new error} when each new error is on exactly one fix's own
    relationship (or class, for a class-level diagnosis) or inside the lines it changed; None when one
    of them is not (then bisect)."""
    culprits: dict[int, Diagnosis] = {}
    for problem in new:
        owners = [position for position, (diagnosis, fix) in enumerate(items) if _owns(diagnosis, fix, problem)]
        if len(owners) != 1:
            return None
        culprits.setdefault(owners[0], problem)
    return culprits


def _owns(diagnosis: Diagnosis, fix: Fix, problem: Diagnosis) -> bool:
    if problem.class_name and (problem.class_name, problem.attribute) == (diagnosis.class_name, diagnosis.attribute):
        return True  # the same relationship, or the same class statement for class-level diagnoses
    return _in_changed_lines(fix, problem)


def _in_changed_lines(fix: Fix, problem: Diagnosis) -> bool:
    return any(
        problem.file == edit.path and problem.line in changed_lines(edit.before, edit.after) for edit in fix.edits
    )


def _split(
    project: Project,
    items: list[tuple[Diagnosis, Fix]],
    baseline: set[Identity],
    wholes: list[Together] | None = None,
    migration: dict | None = None,
) -> int:
    middle = len(items) // 2
    return _verify_batch(project, items[:middle], baseline, wholes, migration) + _verify_batch(
        project, items[middle:], baseline, wholes, migration
    )


def _fail(fix: Fix, reason: str) -> None:
    fix.verified = False
    fix.verification = reason
    if fix.applicability == "safe":
        fix.applicability = "display-only"


def _judge(
    diagnosis: Diagnosis, fix: Fix, result: ProbeResult, after: list[Diagnosis], remaining: set, new: list[Diagnosis]
) -> None:
    if identity(diagnosis) in remaining:
        _fail(
            fix,
            f"after the fix SQLAlchemy still reports {diagnosis.code} on {diagnosis.class_name}.{diagnosis.attribute}",
        )
        return
    if new:
        _fail(fix, f"the fix causes a new problem: {new[0].code} {new[0].message}")
        return
    # lines in a batch may shift a little; a diagnosis inside this fix's hunk is the fix's fault
    inside = next(
        (
            other
            for other in after
            if other.severity == "error" and _in_changed_lines(fix, other) and not resolvable_by_post_update(other)
        ),
        None,
    )
    if inside is not None:
        _fail(fix, f"a diagnosis points into the lines this fix changed: {inside.code} {inside.message}")
        return
    fix.verified = True
    fix.verification = "configure_mappers() passes for this relationship after the fix, with no new diagnosis"
    for outcome in result.roundtrips:
        if (
            outcome.get("class") == diagnosis.class_name
            and outcome.get("attribute") == diagnosis.attribute
            and fix.strategy in KEEPS_RELATIONSHIP
        ):
            fix.roundtrip = f"{outcome['status']}: {outcome.get('detail', '')}"
            if outcome["status"] == "failed":
                _fail(fix, f"round-trip on SQLite failed: {outcome.get('detail', '')}")
