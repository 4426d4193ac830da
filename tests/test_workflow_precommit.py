"""The real pre-commit runs ormfix's hooks from a clone of this repository on a broken project.

The project's `.venv` holds its dependencies (Flask-SQLAlchemy); the hook's own virtualenv, which
pre-commit builds and activates, does not: the hooks must import the models with the project's venv.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, SAMPLES, run_ormfix
from test_interpreter_order import make_venv

pytestmark = pytest.mark.slow

CACHE = Path(os.environ.get("ORMFIX_TEST_CACHE", Path.home() / ".cache" / "ormfix-tests"))
GIT_ENV = {
    "GIT_AUTHOR_NAME": "ormfix tests",
    "GIT_AUTHOR_EMAIL": "tests@ormfix.invalid",
    "GIT_COMMITTER_NAME": "ormfix tests",
    "GIT_COMMITTER_EMAIL": "tests@ormfix.invalid",
    # fixed dates: the same tree gives the same commit, so pre-commit reuses the hook environment it built
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00+00:00",
}


def git(*args: str, cwd: Path) -> str:
    env = dict(os.environ, **GIT_ENV)
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def ormfix_clone(tmp_path_factory) -> tuple[Path, str]:
    """This working tree (tracked and new files) committed into a repository pre-commit can clone."""
    clone = tmp_path_factory.mktemp("ormfix-clone")
    listed = git("ls-files", "-co", "--exclude-standard", "-z", cwd=REPO).split("\0")
    for rel in filter(None, listed):
        source = REPO / rel
        if source.is_file() and not rel.startswith(("sample_projects/", "tests/", "bench/")):
            (clone / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / rel)
    git("init", "-q", "-b", "main", cwd=clone)
    git("add", "-A", cwd=clone)
    git("commit", "-q", "-m", "ormfix", cwd=clone)
    return clone, git("rev-parse", "HEAD", cwd=clone).strip()


def broken_repository(tmp_path: Path, clone: Path, rev: str, hook: str) -> Path:
    project = tmp_path / "kuwait"
    shutil.copytree(SAMPLES / "kuwait_social", project, ignore=shutil.ignore_patterns("__pycache__"))
    make_venv(project / ".venv")  # the project's venv: it has Flask-SQLAlchemy (the hook's venv has not)
    (project / ".gitignore").write_text(".venv/\n")
    config = {"repos": [{"repo": str(clone), "rev": rev, "hooks": [{"id": hook}]}]}
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    git("init", "-q", "-b", "main", cwd=project)
    git("add", "-A", cwd=project)
    git("commit", "-q", "-m", "broken models", cwd=project)
    return project


def pre_commit(project: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(CACHE / "pre-commit"), NO_COLOR="1", **GIT_ENV)
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_the_hooks_file_declares_both_hooks():
    hooks = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"ormfix-check", "ormfix-apply"}
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["pass_filenames"] is False and hook["files"] == r"\.py$"


def test_check_hook_fails_on_the_break_and_passes_after_apply(tmp_path, ormfix_clone):
    project = broken_repository(tmp_path, *ormfix_clone, hook="ormfix-check")
    failed = pre_commit(project)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "ORM001" in failed.stdout and "backend/models/campaign.py:21" in failed.stdout, failed.stdout
    assert "No module named" not in failed.stdout

    fixed = run_ormfix("apply", str(project), "-q")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    passed = pre_commit(project)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "ormfix check" in passed.stdout and "Passed" in passed.stdout


def test_apply_hook_writes_the_fix_into_the_working_tree(tmp_path, ormfix_clone):
    project = broken_repository(tmp_path, *ormfix_clone, hook="ormfix-apply")
    post = project / "backend" / "models" / "post.py"
    before = post.read_text()
    first = pre_commit(project)
    assert first.returncode == 1, first.stdout + first.stderr  # pre-commit fails a hook that changed files
    assert "files were modified by this hook" in first.stdout, first.stdout
    added = set(post.read_text().splitlines()) - set(before.splitlines())
    assert added == {"    campaign_id = db.Column(db.Integer, db.ForeignKey('campaigns.id'), nullable=True)"}
    second = pre_commit(project)
    assert second.returncode == 0, second.stdout + second.stderr
