"""The sample projects (the two real incidents first) through the installed CLI, as a user runs it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from conftest import SAMPLES, configure_in_subprocess, copy_project, run_ormfix, tree_digest

SAMPLE_ROOTS = {
    "kuwait_social": ("backend", "models"),
    "vividly": ("backend", "app.models"),
    "library": (".", "models"),
    "storefront": (".", "models"),
}
# storefront: eight faults in every phase (two class statements that raise, five relationships that fail
# in configure_mappers(), a trailing comma): (code, file, line), all found by one import
STOREFRONT = {
    ("ORM045", "models/staff.py", 26),
    ("ORM036", "models/audit.py", 14),
    ("ORM010", "models/customer.py", 15),
    ("ORM001", "models/order.py", 25),
    ("ORM002", "models/order.py", 26),
    ("ORM030", "models/product.py", 21),
    ("ORM012", "models/staff.py", 37),
    ("ORM044", "models/audit.py", 21),
}


def test_kuwait_social_json_contract():
    before = tree_digest(SAMPLES / "kuwait_social")
    result = run_ormfix("suggest", str(SAMPLES / "kuwait_social"), "--format", "json")
    assert result.returncode == 1
    assert tree_digest(SAMPLES / "kuwait_social") == before
    data = json.loads(result.stdout)
    assert data["root"] == str((SAMPLES / "kuwait_social").resolve())
    [diagnosis] = data["diagnoses"]
    assert {k: diagnosis[k] for k in ("code", "name", "severity", "file", "line", "class", "attribute", "target")} == {
        "code": "ORM001",
        "name": "no-foreign-keys",
        "severity": "error",
        "file": "backend/models/campaign.py",
        "line": 21,
        "class": "Campaign",
        "attribute": "posts",
        "target": "Post",
    }
    assert diagnosis["sqlalchemy_error"].startswith("NoForeignKeysError: Could not determine join condition")
    line = (SAMPLES / "kuwait_social/backend/models/campaign.py").read_text().splitlines()[20]
    assert line.strip() == "posts = db.relationship('Post', backref='campaign', lazy='dynamic')"
    fixes = {f["strategy"]: f for f in diagnosis["fixes"]}
    add = fixes["add-fk-column"]
    assert (add["applicability"], add["schema_change"], add["verified"]) == ("safe", True, True)
    assert "+    campaign_id = db.Column(db.Integer, db.ForeignKey('campaigns.id'), nullable=True)" in add["diff"]
    assert add["roundtrip"].startswith("passed") and "Post.campaign" in add["roundtrip"]
    assert (fixes["comment-out"]["applicability"], fixes["comment-out"]["verified"]) == ("unsafe", True)
    assert fixes["foreign-keys"]["verified"] is False and "add-fk-column" in fixes["foreign-keys"]["not_applicable"]


@pytest.mark.slow  # end to end through the CLI; the snapshot tier covers its plan in-process
def test_vividly_comment_out_is_what_the_team_did_plus_the_todo(tmp_path):
    root = copy_project(SAMPLES / "vividly", tmp_path)
    result = run_ormfix("apply", str(root), "--strategy=comment-out")
    assert result.returncode == 0, result.stdout + result.stderr
    text = (root / "backend/app/models/organization.py").read_text()
    assert (
        "    # Relationships\n"
        "    # TODO(ormfix): Organization.schools names class 'School', which SQLAlchemy cannot find"
    ) in text
    assert (
        "    # schools = relationship(\n"
        '    #     "School",\n'
        '    #     back_populates="organization",\n'
        '    #     cascade="all, delete-orphan",\n'
        '    #     lazy="dynamic"\n'
        "    # )\n"
        "\n"
        "    users = relationship(\n"
    ) in text
    assert "CONFIGURED" in configure_in_subprocess(root / "backend", "app.models").stdout
    # a query on User now works (it failed before: every mapper was blocked)
    query = (
        "from app.models import User\nfrom sqlalchemy import create_engine, select\n"
        "from sqlalchemy.orm import Session\nfrom app.core.database import Base\n"
        "e = create_engine('sqlite://'); Base.metadata.create_all(e)\n"
        "print(Session(e).scalars(select(User)).all())\n"
    )
    out = subprocess.run([sys.executable, "-c", query], cwd=root / "backend", capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stderr


@pytest.mark.slow  # end to end through the CLI; the snapshot tier covers its plan in-process
def test_vividly_auto_refuses_unsafe_without_flag(tmp_path):
    root = copy_project(SAMPLES / "vividly", tmp_path)
    before = tree_digest(root)
    result = run_ormfix("apply", str(root))
    assert result.returncode == 1
    assert "--unsafe-fixes" in result.stdout
    assert tree_digest(root) == before
    result = run_ormfix("apply", str(root), "--unsafe-fixes")
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    "sample, strategy",
    [
        # the fast tier applies the first incident's sample as a user does; each strategy runs with -m slow
        pytest.param("kuwait_social", "add-fk-column", marks=pytest.mark.slow),
        pytest.param("kuwait_social", "comment-out", marks=pytest.mark.slow),
        ("kuwait_social", "auto"),
        pytest.param("library", "foreign-keys", marks=pytest.mark.slow),
        pytest.param("library", "comment-out", marks=pytest.mark.slow),
        pytest.param("library", "auto", marks=pytest.mark.slow),
    ],
)
def test_apply_leaves_a_project_that_configures(tmp_path, sample, strategy):
    root = copy_project(SAMPLES / sample, tmp_path)
    folder, module = SAMPLE_ROOTS[sample]
    assert "CONFIGURED" not in configure_in_subprocess(root / folder, module).stdout
    result = run_ormfix("apply", str(root), f"--strategy={strategy}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Nothing left" in result.stdout
    assert "CONFIGURED" in configure_in_subprocess(root / folder, module).stdout
    assert run_ormfix("check", str(root)).returncode == 0


def test_apply_with_strategy_that_does_not_apply_changes_nothing(tmp_path):
    root = copy_project(SAMPLES / "kuwait_social", tmp_path)
    before = tree_digest(root)
    result = run_ormfix("apply", str(root), "--strategy=foreign-keys")
    assert result.returncode == 1
    assert "foreign-keys" in result.stdout and "add-fk-column" in result.stdout
    assert tree_digest(root) == before


@pytest.mark.slow  # test_writes.py applies a patch file with git and patch in the fast tier
@pytest.mark.skipif(shutil.which("git") is None or shutil.which("patch") is None, reason="needs git and patch")
def test_patch_files_apply_with_git_and_patch(tmp_path):
    root = copy_project(SAMPLES / "kuwait_social", tmp_path)
    patches = tmp_path / "patches"
    result = run_ormfix("suggest", str(root), "--patch-dir", str(patches))
    assert result.returncode == 1
    files = sorted(patches.rglob("*.patch"))
    assert files
    for patch in files:
        subprocess.run(["git", "apply", "--check", str(patch)], cwd=root, check=True)
        subprocess.run(["patch", "-p1", "--dry-run", "-i", str(patch)], cwd=root, check=True, capture_output=True)
    subprocess.run(["git", "apply", str(files[0])], cwd=root, check=True)
    assert run_ormfix("check", str(root)).returncode == 0


@pytest.mark.slow  # end to end through the CLI; the snapshot tier covers its plan in-process
def test_storefront_every_fault_in_one_run_and_one_apply_fixes_them_all(tmp_path):
    result = run_ormfix("check", str(SAMPLES / "storefront"), "--format", "json")
    assert result.returncode == 1, result.stderr
    found = {(d["code"], d["file"], d["line"]) for d in json.loads(result.stdout)["diagnoses"]}
    assert found == STOREFRONT
    root = copy_project(SAMPLES / "storefront", tmp_path)
    assert "CONFIGURED" not in configure_in_subprocess(root, "models").stdout
    result = run_ormfix("apply", str(root), "--strategy=auto", "--unsafe-fixes", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    applied = {(a["code"], a["strategy"]) for a in json.loads(result.stdout)["applied"]}
    # each fault gets the fix that keeps the code working, not comment-out
    assert applied == {
        ("ORM045", "use-existing-column"),
        ("ORM036", "add-column-type"),
        ("ORM010", "fix-back-populates"),
        ("ORM001", "add-fk-column"),
        ("ORM002", "rename-target"),
        ("ORM030", "fix-fk-target"),
        ("ORM012", "lazy-select"),
        ("ORM044", "remove-trailing-comma"),
    }
    assert "CONFIGURED" in configure_in_subprocess(root, "models", strict=True).stdout
    assert run_ormfix("check", str(root)).returncode == 0


def test_select_verifies_against_the_faults_it_leaves_out():
    """--select ORM012 verifies Shift.staff's fixes in a copy where Packer (same module) still raises at
    import: that is no new problem of theirs, and a round trip loads a Staff back (discriminator set)."""
    result = run_ormfix("suggest", str(SAMPLES / "storefront"), "--select", "ORM012", "--format", "json")
    [diagnosis] = json.loads(result.stdout)["diagnoses"]
    fixes = {f["strategy"]: f for f in diagnosis["fixes"]}
    assert fixes["lazy-select"]["verified"], fixes["lazy-select"].get("verification")
    assert fixes["lazy-select"]["roundtrip"].startswith("passed"), fixes["lazy-select"]["roundtrip"]
