"""diagnose -> explain -> plan -> diff in-process on every fixture and sample project: the recorded probe result
(tests/snapshots/probe/) replayed through the real pipeline must give the stored snapshot (tests/snapshots/plans/)
of messages, ranges, related locations and planned diffs. Refresh both with `python tests/snapshots/refresh.py`;
test_probe_recordings.py (slow) proves the recordings are what the real probe says today."""

from __future__ import annotations

import difflib
import functools

import pytest
import replay
from conftest import manifest, tree_digest

NAMES = sorted(replay.projects())
replayed = functools.cache(replay.replay)  # one plan per project for both tests below (nothing mutates it)


def test_every_project_has_a_recording_and_a_snapshot():
    missing = [n for n in NAMES if not replay.recording_path(n).exists() or not replay.snapshot_path(n).exists()]
    assert not missing, f"run `python tests/snapshots/refresh.py {' '.join(missing)}`"
    stored = {p.stem for folder in (replay.RECORDINGS, replay.PLANS) for p in folder.iterdir()}
    assert stored <= set(NAMES), f"recordings of projects that no longer exist: {sorted(stored - set(NAMES))}"


@pytest.mark.parametrize("name", NAMES)
def test_plan_matches_snapshot(name):
    root = replay.projects()[name]
    before = tree_digest(root)
    rendered = replay.render(replayed(name))
    assert tree_digest(root) == before, "planning must not write under the project"
    expected = replay.snapshot_path(name).read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), rendered.splitlines(True), "snapshot", "now"))
    assert rendered == expected, f"{name} differs (refresh with tests/snapshots/refresh.py --plans-only):\n{diff}"


@pytest.mark.parametrize("name", [n for n in NAMES if n.startswith("fixture-")])
def test_case_manifest_in_process(name):
    """What case.json says of the diagnosis and of which remedies apply, from the recording; whether each fix
    verifies needs the probe (test_fixture_cases.py)."""
    case = manifest(name.removeprefix("fixture-"))
    report = replayed(name)
    if case["code"] is None:
        assert report.diagnoses == []
        return
    found = [
        (d.code, d.file, d.line, d.column, d.class_name, d.attribute)
        for d in report.diagnoses
        if d.code not in case.get("also", [])
    ]
    assert found == [(case["code"], case["file"], case["line"], case.get("column"), case["class"], case["attribute"])]
    diagnosis = next(d for d in report.diagnoses if d.code == case["code"])
    assert (case.get("sqlalchemy_error") or "") in diagnosis.sqlalchemy_error
    fixes = {fix.strategy: fix for fix in diagnosis.fixes}
    for strategy in [s for s, works in case["remedies"].items() if works]:
        assert fixes[strategy].applies, f"{strategy}: {fixes[strategy].not_applicable}"
