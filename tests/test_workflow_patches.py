"""`suggest --patch-dir`: a `git format-patch` series that `git am` turns into one commit per fix."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from typer.testing import CliRunner
from workflow_projects import alembic, columns_and_fks, git, git_repo_with, kuwait_with_alembic

from ormfix import migrations
from ormfix.cli import app

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "200"})


@pytest.mark.slow  # a series of suggest and apply runs, then git am
def test_git_am_turns_the_series_into_commits_and_the_project_checks_clean(tmp_path):
    # two broken relationships (Campaign.posts, User.campaigns), an Alembic setup, PATH below the repo top
    root = git_repo_with(kuwait_with_alembic(tmp_path / "work", second_break=True), tmp_path / "repo")
    patches = tmp_path / "patches"
    result = runner.invoke(app, ["suggest", str(root), "--patch-dir", str(patches), "-q"])
    assert result.exit_code == 1, result.output
    series = sorted(patches.glob("*.patch"))
    assert [p.name[:5] for p in series] == ["0001-", "0002-"]
    text = series[0].read_text()
    assert text.startswith("From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\nFrom: ")
    assert (
        "Subject: [PATCH 1/2] ORM001 " in text and "SQLAlchemy says:" in text and "Why this fix (add-fk-column" in text
    )
    git(root, "am", "--directory=kuwait_social", *map(str, series))
    log = git(root, "log", "--format=%s", "-3").stdout.splitlines()
    assert len(log) == 3 and log[2] == "initial"
    assert {line.split(":")[0] for line in log[:2]} == {"ORM001 Campaign.posts", "ORM001 User.campaigns"}
    assert git(root, "status", "--porcelain").stdout == ""
    assert runner.invoke(app, ["check", str(root)]).exit_code == 0
    # each commit carries its Alembic revision, the second on top of the first: one head, both columns
    assert len(migrations.heads(root / "migrations" / "versions")) == 1
    alembic(root, "upgrade", "head")
    assert "campaign_id" in columns_and_fks(root / "app.db", "posts")[0]
    assert "user_id" in columns_and_fks(root / "app.db", "campaigns")[0]
    # the alternatives (comment-out) each apply on their own to the original tree
    alternatives = sorted((patches / "alternatives").glob("*.patch"))
    assert len(alternatives) == 2 and all("comment-out" in p.name for p in alternatives)
    git(root, "checkout", "-q", "HEAD~2")
    for patch in alternatives:
        git(root, "apply", "--check", "--directory=kuwait_social", str(patch))


@pytest.mark.skipif(shutil.which("patch") is None, reason="needs patch")
def test_series_patches_also_apply_with_patch_p1_at_path(tmp_path, project_copy):
    root = project_copy("kuwait_social")
    patches = tmp_path / "patches"
    (patches / "alternatives").mkdir(parents=True)
    stale = patches / "0007-stale.patch"
    stale.write_text("not a patch")
    keep = patches / "notes.txt"
    keep.write_text("mine")
    assert runner.invoke(app, ["suggest", str(root), "--patch-dir", str(patches)]).exit_code == 1
    assert not stale.exists() and keep.read_text() == "mine"  # an old series is replaced, nothing else touched
    (patch,) = patches.glob("*.patch")
    subprocess.run(["patch", "-p1", "-i", str(patch)], cwd=root, check=True, capture_output=True)
    assert (
        "campaign_id = db.Column(db.Integer, db.ForeignKey('campaigns.id'), nullable=True)"
        in (root / "backend" / "models" / "post.py").read_text()
    )
