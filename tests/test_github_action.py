"""The composite GitHub Action (action.yml): its steps' commands, run as a runner runs them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from conftest import REPO, SAMPLES, copy_project, run_ormfix
from test_interpreter_order import make_venv

pytestmark = pytest.mark.slow

ACTION = yaml.safe_load((REPO / "action.yml").read_text())
EXPRESSION = re.compile(r"\$\{\{\s*inputs\.(\w+)\s*\}\}")


def run_step(step: dict, inputs: dict[str, str], runner: dict[str, str]) -> subprocess.CompletedProcess:
    """One `run:` step: its env with ${{ inputs.* }} filled in, in bash -e (the runner's default shell)."""
    values = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()} | inputs
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")} | runner
    for name, value in step.get("env", {}).items():
        env[name] = EXPRESSION.sub(lambda m: values[m.group(1)], str(value))
    assert EXPRESSION.search(step["run"]) is None, "inputs go through env:, never into the script text"
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture(scope="module")
def runner(tmp_path_factory) -> dict[str, str]:
    """RUNNER_TEMP and GITHUB_ACTION_PATH (a checkout of this tree), with the install step already run."""
    temp = tmp_path_factory.mktemp("runner-temp")
    checkout = tmp_path_factory.mktemp("action") / "ormfix"
    shutil.copytree(
        REPO,
        checkout,
        ignore=shutil.ignore_patterns(
            ".git", ".venv*", "__pycache__", "*.egg-info", "build", "dist", "tests", "bench", "sample_projects"
        ),
    )
    env = {"RUNNER_TEMP": str(temp), "GITHUB_ACTION_PATH": str(checkout)}
    install, _ = ACTION["runs"]["steps"]
    result = run_step(install, {}, env)
    assert result.returncode == 0, result.stdout + result.stderr
    return env


def test_the_action_is_composite_with_documented_inputs():
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["inputs"]) >= {"path", "python", "format"}
    assert ACTION["inputs"]["format"]["default"] == "github"


def test_broken_sample_fails_with_an_error_annotation(runner, tmp_path):
    project = copy_project(SAMPLES / "kuwait_social", tmp_path)
    _, check = ACTION["runs"]["steps"]
    workspace = runner | {"GITHUB_WORKSPACE": str(project)}  # the checkout: annotation paths are relative to it
    result = run_step(check, {"path": str(project), "python": sys.executable}, workspace)
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"^::error file=backend/models/campaign\.py,line=21[^:]*::", result.stdout, re.M), result.stdout


def test_fixed_sample_passes_with_the_project_venv(runner, tmp_path):
    project = copy_project(SAMPLES / "kuwait_social", tmp_path)
    (project / ".git").mkdir()
    make_venv(project / ".venv")  # no python input: the action's ormfix finds the project's venv
    assert run_ormfix("apply", str(project)).returncode == 0
    _, check = ACTION["runs"]["steps"]
    result = run_step(check, {"path": str(project)}, runner | {"GITHUB_WORKSPACE": str(project)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "::error" not in result.stdout
