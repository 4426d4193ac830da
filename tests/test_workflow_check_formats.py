"""`ormfix check` as a CI gate: --fail-level, --format github (workflow annotations), --format sarif."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from conftest import FIXTURES, SAMPLES, copy_project, run_ormfix
from typer.testing import CliRunner

from ormfix import codes
from ormfix.cli import app
from ormfix.findings import Diagnosis
from ormfix.formats.github import annotation

WARNING_ONLY = """\
from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Parent(Base):
    __tablename__ = "parents"
    id = Column(Integer, primary_key=True)
    children = relationship("Child")


class Child(Base):
    __tablename__ = "children"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("parents.id"))
    parent = relationship("Parent")
"""

runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "200"})


@pytest.fixture
def warning_project(tmp_path):
    """Mappers that configure, with one SAWarning (two relationships copy the same column)."""
    (tmp_path / "proj" / "models").mkdir(parents=True)
    (tmp_path / "proj" / "models" / "__init__.py").write_text(WARNING_ONLY)
    return tmp_path / "proj"


def test_fail_level_decides_whether_a_warning_fails_the_gate(warning_project):
    default = runner.invoke(app, ["check", str(warning_project)])
    assert default.exit_code == 0, default.output
    assert "ORM016 overlapping-relationships [warning]" in default.stdout
    assert runner.invoke(app, ["check", str(warning_project), "--fail-level", "warning"]).exit_code == 1
    # [tool.ormfix] fail-level, and the flag overrides it
    (warning_project / "pyproject.toml").write_text('[tool.ormfix]\nfail-level = "warning"\n')
    assert runner.invoke(app, ["check", str(warning_project)]).exit_code == 1
    assert runner.invoke(app, ["check", str(warning_project), "--fail-level=error"]).exit_code == 0


def test_bad_fail_level_is_a_usage_error(warning_project):
    result = run_ormfix("check", str(warning_project), "--fail-level", "fatal")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "--fail-level" in result.stderr
    (warning_project / "pyproject.toml").write_text('[tool.ormfix]\nfail-level = "fatal"\n')
    result = runner.invoke(app, ["check", str(warning_project)])
    assert result.exit_code == 2 and "fail-level" in result.stderr


def test_github_annotations_point_at_the_relationship_from_the_workspace(tmp_path):
    root = copy_project(SAMPLES / "kuwait_social", tmp_path)
    result = run_ormfix("check", "kuwait_social", "--format", "github", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "::error file=kuwait_social/backend/models/campaign.py,line=21,endLine=21,col=5,endColumn=72,"
        "title=ORM001 no-foreign-keys::Campaign.posts = relationship('Post') has no join"
    )
    assert "%0A" in lines[0]  # the why, on a second line of the annotation
    # in a workflow, paths are relative to the checkout ($GITHUB_WORKSPACE), wherever ormfix runs
    inside = runner.invoke(
        app, ["check", str(root / "backend"), "--format", "github"], env={"GITHUB_WORKSPACE": str(tmp_path)}
    )
    assert inside.stdout.startswith("::error file=kuwait_social/backend/models/campaign.py,line=21,")


def test_github_annotation_escapes_what_workflow_commands_require(tmp_path):
    diagnosis = Diagnosis(
        code="ORM000",
        name="sqlalchemy-error",
        severity="warning",
        message="100% broken\nreally",
        file="a,b:c.py",
        line=3,
    )
    line = annotation(diagnosis, tmp_path, workspace=tmp_path)
    assert line == "::warning file=a%2Cb%3Ac.py,line=3,endLine=3,title=ORM000 sqlalchemy-error::100%25 broken%0Areally"


# The official SARIF 2.1.0 schema (OASIS, errata 01), shipped in tests/schemas/: no schema is fetched at test time.
SARIF_SCHEMA = json.loads((Path(__file__).resolve().parent / "schemas" / "sarif-schema-2.1.0.json").read_text())


def _apply_replacement(text: str, replacement: dict) -> str:
    """Apply one SARIF replacement (1-based lines and columns, end exclusive) to a file's text."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    region = replacement["deletedRegion"]
    begin = starts[region["startLine"] - 1] + region.get("startColumn", 1) - 1
    end = starts[region.get("endLine", region["startLine"]) - 1] + region.get("endColumn", 1) - 1
    return text[:begin] + replacement.get("insertedContent", {}).get("text", "") + text[end:]


def test_sarif_is_valid_and_its_fix_repairs_the_project(tmp_path):
    root = copy_project(SAMPLES / "kuwait_social", tmp_path)
    result = runner.invoke(app, ["suggest", str(root), "--format", "sarif", "--strategy", "add-fk-column"])
    assert result.exit_code == 1, result.output
    sarif = json.loads(result.stdout)
    jsonschema.validate(sarif, SARIF_SCHEMA)
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [c.code for c in codes.ALL]
    (found,) = run["results"]
    rule = rules[found["ruleIndex"]]
    assert found["ruleId"] == rule["id"] == "ORM001" and found["level"] == "error"
    assert rule["help"]["text"] == codes.lookup("ORM001").doc
    location = found["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "backend/models/campaign.py"
    assert location["region"]["startLine"] == 21
    (fix,) = found["fixes"]
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "backend/models/post.py"
    target = root / change["artifactLocation"]["uri"]
    text = target.read_text()
    for replacement in change["replacements"]:
        text = _apply_replacement(text, replacement)
    target.write_text(text)
    assert "    campaign_id = db.Column(db.Integer, db.ForeignKey('campaigns.id'), nullable=True)\n" in text
    assert runner.invoke(app, ["check", str(root)]).exit_code == 0


def test_sarif_paths_are_relative_to_the_repository_top(tmp_path):
    """Code scanning resolves SARIF paths from the repository's top folder, not from PATH."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    root = copy_project(SAMPLES / "kuwait_social", repo / "services")
    result = runner.invoke(app, ["check", str(root), "--format", "sarif"])
    assert result.exit_code == 1, result.output
    run = json.loads(result.stdout)["runs"][0]
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "services/kuwait_social/backend/models/campaign.py", "uriBaseId": "SRCROOT"}
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == repo.resolve().as_uri() + "/"


def test_check_sarif_without_problems_is_still_valid(tmp_path):
    root = copy_project(FIXTURES / "clean_flask", tmp_path)
    result = runner.invoke(app, ["check", str(root), "--format", "sarif"])
    assert result.exit_code == 0, result.output
    sarif = json.loads(result.stdout)
    jsonschema.validate(sarif, SARIF_SCHEMA)
    assert sarif["runs"][0]["results"] == []


def test_sarif_schema_rejects_what_it_should():
    """The schema is not vacuous: a result without a message, or a bad version, fails it."""
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"version": "2.0.0", "runs": [{"tool": {"driver": {"name": "x"}}}]}, SARIF_SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "ORM001"}]}]},
            SARIF_SCHEMA,
        )


def test_check_never_loads_libcst_in_the_parent():
    """LibCST is for rewriting (suggest/apply); `check` is one probe plus the ast index, and importing
    LibCST would cost it time and memory (it did, through the verification module's imports)."""
    code = (
        "import sys\nfrom pathlib import Path\nfrom ormfix.pipeline import Options, check\n"
        f"report = check(Path({str(SAMPLES / 'kuwait_social')!r}), Options())\n"
        "assert report.diagnoses, 'the sample has a fault'\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in ('libcst', 'ormfix.codemods')}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() in ("[]", "['ormfix.codemods']"), result.stdout
