"""Each code's EXAMPLES (tests/code_examples.py says their shape) run through the real probe, as Fixit runs its
rules' VALID and INVALID examples: an invalid source gets exactly its code, and each strategy it names writes
exactly the fixed source and verifies; a valid source gets no diagnosis. The DOC's example is checked in-process."""

from __future__ import annotations

import pytest
from code_examples import cases, doc_example, with_examples, write_project

from ormfix.pipeline import Options, check, suggest

INVALID = cases("invalid")
VALID = cases("valid")


def _id(case: tuple[str, int, dict]) -> str:
    return f"{case[0]}-{case[1]}"


def test_the_first_codes_have_examples():
    assert {"ORM001", "ORM002", "ORM003"} <= {module.CODE.code for module in with_examples()}


@pytest.mark.parametrize("module", with_examples(), ids=lambda m: m.CODE.code)
def test_doc_example_is_the_invalid_source(module):
    assert set(module.EXAMPLES) <= {"invalid", "valid"}
    first = module.EXAMPLES["invalid"][0]
    assert first["code"] == module.CODE.code
    assert doc_example(module) in first["source"], "the DOC's ## Example must appear word for word in it"
    for example in module.EXAMPLES["invalid"]:
        remedies = {getattr(remedy, "name", remedy) for remedy in module.CODE.remedies}  # names or Remedy objects
        assert set(example["fixed"]) <= remedies, "a fix names a strategy the code does not list"
        assert all(fixed != example["source"] for fixed in example["fixed"].values())


@pytest.mark.slow
@pytest.mark.parametrize("case", INVALID, ids=_id)
def test_invalid_example(case, tmp_path):
    code, _, example = case
    report = suggest(write_project(tmp_path / "example", example["source"]), Options())
    assert [d.code for d in report.diagnoses] == [code], [d.message for d in report.diagnoses]
    fixes = {fix.strategy: fix for fix in report.diagnoses[0].fixes}
    for strategy, fixed in example["fixed"].items():
        fix = fixes[strategy]
        assert fix.applies and fix.verified, f"{strategy}: {fix.not_applicable or fix.verification}"
        assert [edit.path for edit in fix.edits] == ["models.py"]
        assert fix.edits[0].after == fixed, strategy
    for strategy in set(fixes) - set(example["fixed"]):  # the fixes an example leaves out do not verify
        assert not (fixes[strategy].applies and fixes[strategy].verified), f"{strategy} verifies: add it to fixed"


@pytest.mark.slow
@pytest.mark.parametrize("case", VALID, ids=_id)
def test_valid_example(case, tmp_path):
    report = check(write_project(tmp_path / "example", case[2]["source"]), Options())
    assert report.probe.clean and report.diagnoses == [], [d.message for d in report.diagnoses]
