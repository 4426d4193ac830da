"""The check probe's process, started before the command line loads (early.py): only for a command line it
reads as the CLI does, used only for the project the command asks for, the same report either way, and
nothing left behind when the command stops on a usage error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from conftest import FIXTURES, copy_project, run_ormfix

from ormfix import early, pipeline
from ormfix.cli import app
from ormfix.pipeline import Options
from ormfix.probe.warm import WARM

BROKEN = "orm002_mapped_typo"


@pytest.fixture(autouse=True)
def nothing_left():
    WARM.clear()
    early._found = None
    yield
    WARM.clear()
    early._found = None


def test_the_options_it_reads_are_the_cli_s_own():
    command = typer.main.get_command(app)
    valued: set[str] = set()
    flags: set[str] = set()
    for name in early.COMMANDS:
        for param in command.commands[name].params:  # type: ignore[attr-defined]
            if param.param_type_name == "option":
                (flags if param.is_flag else valued).update(param.opts + param.secondary_opts)
    assert (valued, flags) == (set(early.VALUED), set(early.FLAGS))


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["check"], (Path("."), [], None, None)),
        (["check", "app", "-q"], (Path("app"), [], None, None)),
        (
            ["apply", "--python=/x/python", "--models", "a.m", "--models=b.m", "--timeout", "9", "p", "-j", "2"],
            (Path("p"), ["a.m", "b.m"], "/x/python", 9.0),
        ),
        (["suggest", "p", "--select", "ORM001", "--format", "json", "-o", "out.json"], (Path("p"), [], None, None)),
        (["check", "--select", "ORM001", "--select", "ORM002"], (Path("."), [], None, None)),
    ],
)
def test_it_reads_a_plain_command_line(argv, expected):
    assert early.parse(argv) == expected


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["explain", "ORM001"],
        ["check", "--help"],
        ["check", "a", "b"],  # two paths: the CLI's usage error
        ["check", "-qv", "p"],  # combined short flags: left to the CLI
        ["check", "--timeout", "nan"],
        ["check", "--timeout", "soon"],
        ["check", "--python", "a", "--python", "b"],
        ["check", "--unknown", "p"],
        ["check", "--", "-p"],
        ["check", "--models"],  # its value is missing
    ],
)
def test_anything_unusual_starts_nothing(argv, tmp_path):
    assert early.parse(argv) is None
    early.start(argv)
    assert early._found is None and not WARM.held


def test_the_run_uses_the_process_started_early_for_the_same_project(tmp_path, monkeypatch):
    project = copy_project(FIXTURES / BROKEN, tmp_path)
    monkeypatch.chdir(project)
    early.start(["check", "--python", sys.executable])
    assert early._found is not None
    found = early._found[1]
    [(_, started)] = WARM.held
    report = pipeline.check(Path("."), Options(python=sys.executable))
    assert not WARM.held and report.project is found  # both were taken
    assert started.process.poll() is not None  # it ran the probe and ended
    assert [d.code for d in report.diagnoses] == ["ORM002"]


def test_a_run_for_another_project_leaves_it_unused(tmp_path):
    project = copy_project(FIXTURES / BROKEN, tmp_path)
    early.start(["check", str(project), "--python", sys.executable])
    report = pipeline.check(project, Options(python=sys.executable, timeout=30))  # another timeout: not the same
    assert early._found is None  # asked for once, not taken
    assert [d.code for d in report.diagnoses] == ["ORM002"]


def test_the_report_is_the_same_bytes_with_and_without_it(tmp_path):
    project = copy_project(FIXTURES / BROKEN, tmp_path)
    env = dict(os.environ, NO_COLOR="1", COLUMNS="200")
    env.pop("VIRTUAL_ENV", None)
    args = ["suggest", str(project), "--python", sys.executable, "--format", "json"]
    with_it = run_ormfix(*args)
    without = subprocess.run(  # cli.main directly: what launch.main runs after the early start
        [sys.executable, "-c", "import sys; from ormfix.cli import main; main(sys.argv[1:])", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert with_it.returncode == without.returncode == 1, (with_it.stderr, without.stderr)
    assert '"ORM002"' in with_it.stdout and with_it.stdout == without.stdout


def test_a_usage_error_after_it_leaves_no_process_and_no_scratch(tmp_path):
    project = copy_project(FIXTURES / BROKEN, tmp_path)
    scratch_parent = tmp_path / "tmp"
    scratch_parent.mkdir()
    result = run_ormfix("check", str(project), "--format", "bogus", env={"TMPDIR": str(scratch_parent)})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert list(scratch_parent.iterdir()) == []
    left = subprocess.run(["pgrep", "-f", str(scratch_parent)], capture_output=True, text=True).stdout.split()
    assert left == []
