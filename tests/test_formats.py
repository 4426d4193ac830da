"""Every format validates against its schema, on every sample: JSON / json-lines against ormfix's own
report schema, SARIF against the official SARIF 2.1.0 schema, JUnit against Jenkins' JUnit XSD, GitLab
against a schema written from GitLab's Code Quality field list; plus concise, --output-file,
--statistics."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from conftest import FIXTURES, SAMPLES, copy_project
from typer.testing import CliRunner

from ormfix import codes, formats
from ormfix.cli import app
from ormfix.formats.gitlab import fingerprint
from ormfix.pipeline import Options, check, suggest

SCHEMAS = Path(__file__).resolve().parent / "schemas"
REPORT = json.loads(resources.files("ormfix").joinpath("schemas/report.schema.json").read_text())
SARIF = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text())
GITLAB = json.loads((SCHEMAS / "gitlab-codequality.schema.json").read_text())
JUNIT = xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd"))
DIAGNOSIS = {**REPORT, "$ref": "#/$defs/diagnosis", "required": [], "properties": {}, "additionalProperties": True}
runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "200"})
CONCISE = re.compile(r"^[\w./-]+\.py:\d+(:\d+)?: ORM\d{3} .+$")


def validate_all(report, command: str) -> dict[str, str]:
    out = {name: formats.render(report, name, command) for name in formats.NAMES if name != "text"}
    jsonschema.validate(json.loads(out["json"]), REPORT, cls=jsonschema.Draft202012Validator)
    for line in out["json-lines"].splitlines():
        jsonschema.validate(json.loads(line), DIAGNOSIS, cls=jsonschema.Draft202012Validator)
    jsonschema.validate(json.loads(out["sarif"]), SARIF, cls=jsonschema.Draft4Validator)
    issues = json.loads(out["gitlab"])
    jsonschema.validate(issues, GITLAB, cls=jsonschema.Draft7Validator)
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    JUNIT.validate(out["junit"])
    assert all(CONCISE.match(line) for line in out["concise"].splitlines()), out["concise"]
    return out


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.iterdir() if p.is_dir()))
def test_every_format_of_every_sample_validates(sample, tmp_path):
    report = check(copy_project(SAMPLES / sample, tmp_path), Options())
    out = validate_all(report, "check")
    data = json.loads(out["json"])
    assert data["version"] == 1 and data["summary"]["errors"] == sum(d.severity == "error" for d in report.diagnoses)
    assert len(out["json-lines"].splitlines()) == len(report.diagnoses) == len(json.loads(out["gitlab"]))


def test_a_clean_project_validates_and_junit_passes(tmp_path):
    report = check(copy_project(FIXTURES / "clean_mapped", tmp_path), Options())
    out = validate_all(report, "check")
    junit = JUNIT.to_dict(out["junit"])
    suite = junit["testsuite"][0]
    assert suite["@failures"] == "0" and int(suite["@tests"]) == len(codes.ALL) + 1
    assert "time" not in out["junit"] and json.loads(out["gitlab"]) == []


def test_suggest_and_apply_json_validate(tmp_path):
    from workflow_projects import kuwait_with_alembic

    root = kuwait_with_alembic(tmp_path)
    report = suggest(root, Options())
    out = validate_all(report, "suggest")
    (diagnosis,) = json.loads(out["json"])["diagnoses"]
    # suggest says a revision will be written; apply autogenerates it from the fixed models (Alembic's API)
    assert any(fix["migration"] and fix["migration"]["kind"] == "alembic-pending" for fix in diagnosis["fixes"])
    result = runner.invoke(app, ["apply", str(root), "--dry-run", "--format", "json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    jsonschema.validate(data, REPORT, cls=jsonschema.Draft202012Validator)
    assert data["command"] == "apply" and data["written"] == [] and data["remaining"] == []
    assert data["migration"]["kind"] == "alembic" and data["migration"]["revision"]


def test_the_schemas_reject_what_they_should(tmp_path):
    """The schemas are not vacuous."""
    good = json.loads(
        formats.render(check(copy_project(SAMPLES / "kuwait_social", tmp_path), Options()), "json", "check")
    )
    for broken in (
        {**good, "version": 2},
        {k: v for k, v in good.items() if k != "summary"},
        {**good, "diagnoses": [{**good["diagnoses"][0], "file": "/abs/path.py"}]},
        {**good, "diagnoses": [{k: v for k, v in good["diagnoses"][0].items() if k != "column"}]},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, REPORT, cls=jsonschema.Draft202012Validator)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{}]}]}, SARIF)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            [
                {
                    "description": "d",
                    "check_name": "c",
                    "fingerprint": "f",
                    "severity": "high",
                    "location": {"path": "a.py", "lines": {"begin": 1}},
                }
            ],
            GITLAB,
        )
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        JUNIT.validate('<testsuites><testsuite name="x"><testcase name="t"/></testsuite></testsuites>')


def test_junit_has_a_case_per_checked_code_and_one_for_the_mappers(tmp_path):
    root = copy_project(SAMPLES / "kuwait_social", tmp_path)
    result = runner.invoke(app, ["check", str(root), "--format", "junit", "--select", "ORM00"])
    assert result.exit_code == 1
    JUNIT.validate(result.stdout)
    cases = JUNIT.to_dict(result.stdout)["testsuite"][0]["testcase"]
    names = [case["@name"] for case in cases]
    assert names == [
        f"{c.code} {c.name}" for c in sorted(codes.ALL, key=lambda c: c.code) if c.code.startswith("ORM00")
    ] + ["mappers configure"]
    failing = {case["@name"]: case["failure"][0]["$"] for case in cases if "failure" in case}
    assert set(failing) == {"ORM001 no-foreign-keys", "mappers configure"}
    assert failing["ORM001 no-foreign-keys"].startswith("backend/models/campaign.py:21")


def test_gitlab_fingerprint_ignores_the_line(tmp_path):
    root = copy_project(SAMPLES / "kuwait_social", tmp_path)
    (first,) = check(root, Options()).diagnoses
    campaign = root / "backend/models/campaign.py"
    campaign.write_text("# moved down a line\n" + campaign.read_text())
    (moved,) = check(root, Options()).diagnoses
    assert moved.line == first.line + 1 and fingerprint(moved) == fingerprint(first)
    issue = json.loads(formats.render(check(root, Options()), "gitlab", "check"))[0]
    assert issue["severity"] == "critical" and issue["location"] == {
        "path": "backend/models/campaign.py",
        "lines": {"begin": moved.line},
    }


def test_output_file_gets_the_format_and_the_terminal_the_text(tmp_path):
    root = copy_project(SAMPLES / "kuwait_social", tmp_path)
    target = tmp_path / "report.sarif"
    result = runner.invoke(app, ["check", str(root), "--format", "sarif", "--output-file", str(target)])
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith("backend/models/campaign.py:21") and "Found 1 error" in result.stdout
    jsonschema.validate(json.loads(target.read_text()), SARIF)
    bad = runner.invoke(app, ["check", str(root), "--output-file", str(tmp_path / "missing" / "x.json")])
    assert bad.exit_code == 2 and "--output-file" in bad.stderr


def test_statistics_and_concise(tmp_path):
    root = copy_project(SAMPLES / "storefront", tmp_path)
    stats = runner.invoke(app, ["check", str(root), "--statistics"])
    assert stats.exit_code == 1
    rows = [line for line in stats.stdout.splitlines() if re.match(r"^\s+\d+  ORM\d{3} ", line)]
    assert len(rows) >= 8 and all(line.split()[0] == "1" for line in rows) and "Found " in stats.stdout
    concise = runner.invoke(app, ["check", str(root), "--format", "concise"])
    lines = concise.stdout.splitlines()
    assert len(lines) == len(rows) and all(CONCISE.match(line) for line in lines)


def test_junit_after_apply_tells_the_mappers_as_apply_leaves_them(tmp_path):
    root = copy_project(SAMPLES / "kuwait_social", tmp_path)
    result = runner.invoke(app, ["apply", str(root), "--format", "junit"])
    assert result.exit_code == 0, result.output
    JUNIT.validate(result.stdout)
    suite = JUNIT.to_dict(result.stdout)["testsuite"][0]
    assert suite["@failures"] == "0" and suite["testcase"][-1]["@name"] == "mappers configure"
