"""The CLI through Typer's runner (in-process): codes, explain, exit codes, one-line usage errors."""

from __future__ import annotations

import json

from conftest import FIXTURES, SAMPLES
from typer.testing import CliRunner

from ormfix import codes
from ormfix.cli import app

runner = CliRunner()


def test_codes_lists_every_code_and_its_remedies():
    result = runner.invoke(app, ["codes"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for code in codes.ALL:
        assert code.code in result.stdout and code.name in result.stdout


def test_explain_by_code_and_by_name():
    for query in ("ORM001", "orm1", "no-foreign-keys"):
        result = runner.invoke(app, ["explain", query])
        assert result.exit_code == 0
        assert "ORM001 no-foreign-keys" in result.stdout
        for heading in ("What it is", "Why it breaks", "Example", "Fixes"):
            assert heading in result.stdout


def test_every_code_has_a_complete_doc():
    for code in codes.ALL:
        for heading in ("## What it is", "## Why it breaks", "## Example", "## Fixes"):
            assert heading in code.doc, (code.code, heading)


def test_explain_unknown_code_is_exit_2():
    result = runner.invoke(app, ["explain", "ORM999"])
    assert result.exit_code == 2
    assert "unknown code" in result.stderr


def test_check_exit_codes_and_json_without_fixes():
    broken = runner.invoke(app, ["check", str(SAMPLES / "library"), "--format", "json"])
    assert broken.exit_code == 1
    data = json.loads(broken.stdout)
    assert [d["code"] for d in data["diagnoses"]] == ["ORM003", "ORM003"]
    assert all(d["fixes"] == [] for d in data["diagnoses"])
    clean = runner.invoke(app, ["check", str(FIXTURES / "clean_flask")])
    assert clean.exit_code == 0
    assert "No problems found" in clean.stdout


def test_usage_errors_are_one_line_exit_2(tmp_path):
    missing = runner.invoke(app, ["suggest", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "no such file or directory" in missing.stderr
    (tmp_path / "empty.py").write_text("x = 1\n")
    nothing = runner.invoke(app, ["check", str(tmp_path)])
    assert nothing.exit_code == 2 and "no SQLAlchemy mapped classes" in nothing.stderr
    strategy = runner.invoke(app, ["apply", str(SAMPLES / "library"), "--strategy", "bogus"])
    assert strategy.exit_code == 2 and "unknown strategy" in strategy.stderr
    for result in (missing, nothing, strategy):
        assert result.stderr.count("\n") == 1, result.stderr


def test_sarif_has_rules_results_and_locations():
    result = runner.invoke(app, ["suggest", str(SAMPLES / "kuwait_social"), "--format", "sarif"])
    assert result.exit_code == 1
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {c.code for c in codes.ALL}
    [finding] = run["results"]
    assert finding["ruleId"] == "ORM001"
    region = finding["locations"][0]["physicalLocation"]
    # inside this repository, paths are relative to its top folder (where code scanning resolves them)
    assert region["artifactLocation"]["uri"].endswith("kuwait_social/backend/models/campaign.py")
    assert region["region"]["startLine"] == 21
    assert finding["fixes"], "verified fixes are attached as SARIF fixes"


def test_version():
    from ormfix import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"ormfix {__version__}"
