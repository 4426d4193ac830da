"""Bad options are one-line usage errors (exit 2) that name what is wrong, never diagnoses of the models."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import FIXTURES, copy_project
from safety import assert_one_line_error, run_in_process, run_untouched, snapshot

PYTHON2 = Path("/root/.pyenv/versions/2.7.18/bin/python")


@pytest.fixture
def project(tmp_path, monkeypatch):
    project = copy_project(FIXTURES / "orm001_classic_missing_column", tmp_path)
    monkeypatch.chdir(project)
    before = snapshot(project)
    yield project
    assert snapshot(project) == before


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e300", "86401"])
def test_a_timeout_that_is_no_number_of_seconds(capsys, project, value):
    assert_one_line_error(run_in_process(capsys, "check", "--timeout", value), "--timeout must be a positive number")


@pytest.mark.parametrize("value", ["nan", "inf", "1e300"])
def test_a_configured_timeout_that_is_no_number_of_seconds(capsys, project, value):
    (project / "pyproject.toml").write_text(f"[tool.ormfix]\ntimeout = {value}\n")
    try:
        assert_one_line_error(run_in_process(capsys, "check"), "timeout must be a positive number")
    finally:
        (project / "pyproject.toml").unlink()


def test_interpreters_that_are_not_a_python_the_probe_runs_on(capsys, project, tmp_path):
    script = tmp_path / "fake-python"
    script.write_text("#!/bin/sh\necho 'Python 3.12.0'\n")
    script.chmod(0o755)
    not_executable = tmp_path / "plain"
    not_executable.write_text("")
    cases = [
        ("/bin/false", "not a Python interpreter"),
        (str(script), "not a Python interpreter"),
        (str(not_executable), "cannot run it (Permission denied)"),
        (str(tmp_path), "is a folder"),
    ]
    if os.geteuid() == 0:
        not_executable.chmod(0o644)  # root may read it, not run it
    if PYTHON2.exists():
        cases.append((str(PYTHON2), "is Python 2.7; the probe needs Python 3.8 or newer"))
    for python, fragment in cases:
        result = run_in_process(capsys, "check", "--python", python)
        assert_one_line_error(result, f"--python {python}", fragment)


def test_a_patch_dir_that_is_a_file_or_cannot_be_created(capsys, project, tmp_path):
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    for patch_dir, fragment in [
        (a_file, "is a file, not a folder"),
        (a_file / "below", "is a file, not a folder"),
        (locked / "patches", "cannot create it"),
    ]:
        result = run_in_process(capsys, "suggest", "--no-verify", "--patch-dir", str(patch_dir))
        assert_one_line_error(result, f"--patch-dir {patch_dir}", fragment)
    assert not (locked / "patches").exists()


def test_the_installed_command_says_the_same(project):
    result = run_untouched(project, "check", str(project), "--timeout", "nan")
    assert_one_line_error(result, "--timeout must be a positive number")
