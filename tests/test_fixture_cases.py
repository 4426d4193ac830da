"""Every fixture case end to end: the right code at the right line, every remedy as the manifest says,
and each applicable strategy written by `apply` leaves models that really configure."""

from __future__ import annotations

import pytest

from ormfix.pipeline import Options, apply, check, suggest

from conftest import case_names, configure_in_subprocess, manifest, tree_digest

MAPPING_CASES = [n for n in case_names("orm00") if not n.startswith("orm004")]
IMPORT_CASES = case_names("orm004")
CLEAN_CASES = case_names("clean")


@pytest.mark.parametrize("name", MAPPING_CASES)
def test_diagnosis_and_remedies(name, project_copy):
    case = manifest(name)
    root = project_copy(name)
    before = tree_digest(root)
    report = suggest(root, Options())
    assert tree_digest(root) == before, "suggest must not write under PATH"
    errors = [d for d in report.diagnoses if d.severity == "error"]
    assert [(d.code, d.file, d.line, d.class_name, d.attribute) for d in errors] == [
        (case["code"], case["file"], case["line"], case["class"], case["attribute"])]
    diagnosis = errors[0]
    assert case["sqlalchemy_error"] in diagnosis.sqlalchemy_error
    fixes = {fix.strategy: fix for fix in diagnosis.fixes}
    for strategy, expected in case["remedies"].items():
        fix = fixes.get(strategy)
        works = bool(fix and fix.applies and fix.verified)
        assert works == expected, f"{strategy}: {fix and (fix.not_applicable or fix.verification)}"
        if works:
            assert fix.diff.startswith("--- a/") and "+++ b/" in fix.diff
            if strategy != "comment-out":
                assert fix.applicability in ("safe", "unsafe")
                assert not fix.roundtrip.startswith("failed"), fix.roundtrip
            else:
                assert fix.applicability == "unsafe"


@pytest.mark.parametrize("name", MAPPING_CASES)
def test_apply_each_strategy_configures(name, project_copy, tmp_path):
    case = manifest(name)
    for strategy, expected in case["remedies"].items():
        if not expected:
            continue
        root = project_copy(name) if not (tmp_path / name).exists() else None
        if root is None:
            import shutil
            shutil.rmtree(tmp_path / name)
            root = project_copy(name)
        assert "CONFIGURED" not in configure_in_subprocess(root, "models").stdout
        report = apply(root, Options(strategy=strategy))
        assert not report.refused, report.refused
        assert report.written, f"{strategy} wrote nothing"
        result = configure_in_subprocess(root, "models")
        assert "CONFIGURED" in result.stdout, f"{strategy}: {result.stderr[-800:]}"
        # idempotent: a second apply finds nothing and changes nothing
        again_before = tree_digest(root)
        again = apply(root, Options(strategy=strategy))
        assert not again.diagnoses and tree_digest(root) == again_before


@pytest.mark.parametrize("name", IMPORT_CASES)
def test_import_failures_located(name, project_copy):
    case = manifest(name)
    root = project_copy(name)
    before = tree_digest(root)
    report = check(root, Options(timeout=3))
    assert tree_digest(root) == before
    assert [(d.code, d.file, d.line) for d in report.diagnoses] == [(case["code"], case["file"], case["line"])], \
        [d.message for d in report.diagnoses]
    assert "Traceback" not in report.diagnoses[0].message


@pytest.mark.parametrize("name", CLEAN_CASES)
def test_clean_projects_have_no_diagnosis(name, project_copy):
    report = check(project_copy(name), Options())
    assert report.diagnoses == []
