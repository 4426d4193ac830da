"""The .pre-commit-hooks.yaml at the repository's top: `ormfix check` on the whole project."""

from __future__ import annotations

import shlex
import subprocess
import sys

from conftest import REPO, SAMPLES


def _hooks() -> list[dict[str, str]]:
    """A reader for this file's flat YAML (a list of mappings of scalars); fails on anything else."""
    hooks: list[dict[str, str]] = []
    for raw in (REPO / ".pre-commit-hooks.yaml").read_text().splitlines():
        line = raw.split(" #")[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        if line.startswith("- "):
            hooks.append({})
            line = line[2:]
        else:
            assert line.startswith("  "), raw
        key, _, value = line.strip().partition(": ")
        hooks[-1][key] = value
    return hooks


def test_hook_runs_ormfix_check_on_the_whole_project():
    (hook,) = _hooks()
    assert hook["id"] == "ormfix-check"
    assert hook["entry"] == "ormfix check" and hook["language"] == "python"
    assert hook["pass_filenames"] == "false"
    assert hook["files"] == r"\.py$"


def test_hook_entry_is_a_working_gate():
    """What pre-commit runs (the entry, plus the args a user gives: the PATH) exits 1 on a broken project."""
    (hook,) = _hooks()
    command, *args = shlex.split(hook["entry"])
    assert command == "ormfix"
    result = subprocess.run([sys.executable, "-m", "ormfix", *args, str(SAMPLES / "kuwait_social"), "-q"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1 and "ORM001" in result.stdout
