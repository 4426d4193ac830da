"""Every fixture case end to end: the right code at the right line, every remedy as the manifest says,
and each verified fix, written to a copy, leaves models that really configure (checked independently
of ormfix, in a plain subprocess)."""

from __future__ import annotations

import shutil

import pytest
from conftest import case_names, configure_in_subprocess, manifest, tree_digest

from ormfix.pipeline import Options, check, suggest

IMPORT_CASES = case_names("orm004")
MAPPING_CASES = [n for n in case_names("orm") if n not in IMPORT_CASES]
CLEAN_CASES = case_names("clean")
# The fast tier keeps one mapping case per family of codes (and every import failure that needs no time limit);
# test_snapshots.py checks every fixture's diagnosis, plan and diff in-process, so the rest run with -m slow.
FAST = {
    "orm001_classic_missing_column",
    "orm014_mapped_replies",
    "orm023_classic_favorite_entry",  # verified by a flush
    "orm035_flask_two_invoices",
    "orm045_mapped_sibling_level",
    *(name for name in IMPORT_CASES if name != "orm004_hang"),
    *CLEAN_CASES,
}


def tiered(names: list[str]) -> list:
    return [name if name in FAST else pytest.param(name, marks=pytest.mark.slow) for name in names]


@pytest.mark.parametrize("name", tiered(MAPPING_CASES))
def test_mapping_case(name, project_copy, tmp_path):
    case = manifest(name)
    root = project_copy(name)
    before = tree_digest(root)
    report = suggest(root, Options())
    assert tree_digest(root) == before, "suggest must not write under PATH"
    expected = [(case["code"], case["file"], case["line"], case["class"], case["attribute"])]
    found = [
        (d.code, d.file, d.line, d.class_name, d.attribute)
        for d in report.diagnoses
        if d.code not in case.get("also", [])
    ]
    assert found == expected, [d.message for d in report.diagnoses]
    diagnosis = next(d for d in report.diagnoses if d.code == case["code"])
    # the range of the construct that is wrong (case.json "column"; 1-based, in characters)
    assert (diagnosis.column, diagnosis.end_line >= diagnosis.line) == (case["column"], True)
    if case.get("sqlalchemy_error"):
        assert case["sqlalchemy_error"] in diagnosis.sqlalchemy_error
    fixes = {fix.strategy: fix for fix in diagnosis.fixes}
    for strategy, expected_to_work in case["remedies"].items():
        fix = fixes.get(strategy)
        works = bool(fix and fix.applies and fix.verified)
        assert works == expected_to_work, f"{strategy}: {fix and (fix.not_applicable or fix.verification)}"
        if not works:
            continue
        assert fix.diff.startswith("--- a/") and "+++ b/" in fix.diff
        assert not fix.roundtrip.startswith("failed"), fix.roundtrip
        if strategy == "comment-out":
            assert fix.applicability == "unsafe"
        # write the fix to a fresh copy and check, without ormfix, that the models configure
        fixed = tmp_path / f"fixed-{strategy}"
        shutil.copytree(root, fixed)
        for edit in fix.edits:
            (fixed / edit.path).write_text(edit.after, encoding="utf-8", newline="")
        strict = (
            diagnosis.severity == "warning"
        )  # reported as a warning (on this SQLAlchemy): the warning is the failure
        strict_fixed = strict or case.get("strict_fixed", False)  # the fix must leave no SAWarning either
        flush = case.get("flush")  # codes that fail only at the first flush: the case's objects are flushed
        use = case.get("fails_at") == "use"  # configures, fails on the first assignment
        assert (
            "CONFIGURED"
            not in configure_in_subprocess(root, "models", strict=strict, flush=flush, use_pairs=use).stdout
        )
        result = configure_in_subprocess(fixed, "models", strict=strict_fixed, flush=flush, use_pairs=use)
        assert "CONFIGURED" in result.stdout, f"{strategy}: {result.stderr[-800:]}"


@pytest.mark.parametrize("name", tiered(IMPORT_CASES))
def test_import_failures_located(name, project_copy):
    case = manifest(name)
    root = project_copy(name)
    before = tree_digest(root)
    report = check(root, Options(timeout=3))
    assert tree_digest(root) == before
    assert [(d.code, d.file, d.line) for d in report.diagnoses] == [(case["code"], case["file"], case["line"])], [
        d.message for d in report.diagnoses
    ]
    assert "Traceback" not in report.diagnoses[0].message
    assert report.diagnoses[0].column == case.get("column"), report.diagnoses[0]


@pytest.mark.parametrize("name", tiered(CLEAN_CASES))
def test_clean_projects_have_no_diagnosis(name, project_copy):
    report = check(project_copy(name), Options())
    assert report.diagnoses == []
