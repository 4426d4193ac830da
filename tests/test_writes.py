"""`apply` writes: atomic, all or nothing, every byte the diff does not show kept, never on changed or read-only files."""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, configure_in_subprocess, copy_project, run_ormfix
from safety import assert_one_line_error, run_untouched, snapshot, write_tree
from write_projects import BOM, TWINS, formats_project

from ormfix import write
from ormfix.errors import WriteRefused
from ormfix.pipeline import Options, choose, suggest
from ormfix.verify import compose


def diff_lines(diff: str, path: str) -> tuple[list[str], list[str]]:
    """(removed, added) lines of one file's section in a unified diff, line endings dropped."""
    removed, added, inside = [], [], False
    for line in diff.splitlines():
        if line.startswith("+++ ") or line.startswith("--- "):
            inside = line[6:].rstrip("\r") == path if line.startswith("+++") else inside
            continue
        if inside and line[:1] == "+":
            added.append(line[1:].rstrip("\r"))
        elif inside and line[:1] == "-":
            removed.append(line[1:].rstrip("\r"))
    return removed, added


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    """(removed, added) lines, line endings dropped (a last line that gains a newline counts as changed)."""
    removed, added = [], []
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += [line.rstrip("\r\n") for line in a[i1:i2]]
            added += [line.rstrip("\r\n") for line in b[j1:j2]]
    return removed, added


def test_apply_keeps_encoding_bom_line_endings_mode_and_final_newline(tmp_path):
    project = formats_project(tmp_path / "formats")
    before = snapshot(project)
    old = {rel: (project / rel).read_bytes() for rel in ("models/book.py", "models/magazine.py")}
    result = run_ormfix("apply", str(project), "--strategy", "add-fk-column", "--format", "json")
    assert result.returncode == 0, (result.stdout, result.stderr)
    data = json.loads(result.stdout)
    assert sorted(data["written"]) == ["models/book.py", "models/magazine.py"]
    diffs = "".join(fix["diff"] for d in data["diagnoses"] for fix in d["fixes"] if fix["strategy"] == "add-fk-column")

    book = (project / "models/book.py").read_bytes()
    assert book.startswith(BOM) and not book.startswith(BOM * 2)
    assert book.count(b"\n") == book.count(b"\r\n")  # every line still CRLF, the new ones too
    magazine = (project / "models/magazine.py").read_bytes()
    assert not magazine.endswith(b"\n")  # no final newline before, none after
    assert "\tpublisher_id = Column(" in magazine.decode("latin-1") and b'"Caf\xe9"' in magazine
    assert (project / "models/magazine.py").stat().st_mode & 0o7777 == 0o751

    # every byte the diff does not show is identical; every other file too; no temp file left behind
    for rel, encoding in (("models/book.py", "utf-8-sig"), ("models/magazine.py", "latin-1")):
        shown = diff_lines(diffs, rel)
        assert shown[1], f"no diff shown for {rel}"
        assert changed_lines(old[rel].decode(encoding), (project / rel).read_bytes().decode(encoding)) == shown
    after = snapshot(project)
    assert set(after) == set(before)
    assert {k: v for k, v in after.items() if k not in old} == {k: v for k, v in before.items() if k not in old}
    assert "CONFIGURED" in configure_in_subprocess(project, "models").stdout

    again = run_untouched(project, "apply", str(project), "--strategy", "auto", "--unsafe-fixes")
    assert again.returncode == 0 and "No problems found" in again.stdout  # idempotent


def _planned(project: Path, strategy: str = "add-fk-column"):
    report = suggest(project, Options(strategy=strategy))
    fixes = [fix for d in report.diagnoses if (fix := choose(d, Options(strategy=strategy)))]
    originals = {edit.path: edit.before for fix in fixes for edit in fix.edits}
    return report.project, compose(report.project, fixes), originals


def test_a_file_changed_since_diagnosis_is_refused_and_nothing_is_written(tmp_path):
    project = formats_project(tmp_path / "formats")
    planned, texts, originals = _planned(project)
    assert sorted(texts) == ["models/book.py", "models/magazine.py"]
    with (project / "models/magazine.py").open("ab") as handle:  # the user saves in their editor meanwhile
        handle.write(b"\n# edited\n")
    expected = snapshot(project)
    with pytest.raises(WriteRefused, match=r"models/magazine.py: the file changed since it was diagnosed"):
        write.write_files(planned, texts, originals)
    assert snapshot(project) == expected  # book.py, checked first, was not written either


def test_a_failing_write_restores_the_files_already_written(tmp_path, monkeypatch):
    project = formats_project(tmp_path / "formats")
    planned, texts, originals = _planned(project)
    expected = snapshot(project)
    real_replace, calls = os.replace, []

    def second_rename_fails(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_replace(source, target)

    monkeypatch.setattr(write.os, "replace", second_rename_fails)
    with pytest.raises(WriteRefused, match="No space left on device; every file was left as it was"):
        write.write_files(planned, texts, originals)
    assert len(calls) == 3  # the first file written, the second failed, the first put back
    assert snapshot(project) == expected  # byte-identical, mode kept, no temp file left


@pytest.mark.parametrize("read_only", [pytest.param("models/book.py", marks=pytest.mark.slow), "models"])
def test_read_only_file_or_folder_suggest_works_apply_refuses(tmp_path, read_only):
    project = copy_project(FIXTURES / "orm001_classic_missing_column", tmp_path)
    target = project / read_only
    target.chmod(0o555 if target.is_dir() else 0o444)
    try:
        # --no-verify: verification is covered elsewhere; here only the write is refused (fewer probes)
        suggested = run_untouched(project, "suggest", str(project), "--strategy", "add-fk-column", "--no-verify")
        assert suggested.returncode == 1 and "+    author_id = sa.Column(" in suggested.stdout
        refused = run_untouched(project, "apply", str(project), "--strategy", "add-fk-column", "--no-verify")
        assert_one_line_error(refused, "models/book.py", "read-only", "nothing was written")
    finally:
        target.chmod(0o755 if target.is_dir() else 0o644)


def test_symlinked_model_file_is_fixed_at_its_target(tmp_path):
    project = copy_project(FIXTURES / "orm001_classic_missing_column", tmp_path)
    elsewhere = tmp_path / "shared" / "book.py"
    elsewhere.parent.mkdir()
    shutil.move(project / "models/book.py", elsewhere)
    (project / "models/book.py").symlink_to(elsewhere)
    result = run_ormfix("apply", str(project), "--strategy", "add-fk-column")
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert f"models/book.py -> {elsewhere}" in result.stdout  # says where the fix went
    assert (project / "models/book.py").is_symlink() and os.readlink(project / "models/book.py") == str(elsewhere)
    assert "author_id = sa.Column(sa.Integer, sa.ForeignKey(" in elsewhere.read_text()


PATCH_TOOLS = {"git": ["git", "apply"], "patch": ["patch", "-p1", "--binary", "-i"]}


@pytest.mark.parametrize("kind", ["plain", pytest.param("bom-crlf-latin1", marks=pytest.mark.slow)])
def test_patch_file_applies_with_git_and_patch_and_the_problem_is_gone(tmp_path, kind):
    if kind == "plain":
        project = copy_project(FIXTURES / "orm001_classic_missing_column", tmp_path)
    else:
        project = formats_project(tmp_path / "formats")
    patches = tmp_path / "patches"
    suggested = run_untouched(
        project, "suggest", str(project), "--strategy", "add-fk-column", "--patch-dir", str(patches)
    )
    assert suggested.returncode == 1
    found = sorted(patches.glob("*.patch"))
    assert found
    results = {}
    for tool, command in PATCH_TOOLS.items():
        copy = tmp_path / tool
        shutil.copytree(project, copy, symlinks=True)
        for patch in found:
            applied = subprocess.run([*command, str(patch)], cwd=copy, capture_output=True, text=True)
            assert applied.returncode == 0, (tool, applied.stdout + applied.stderr)
        # contents only: git apply rewrites modes to git's 644/755
        results[tool] = {path: entry.split()[-1] for path, entry in snapshot(copy).items()}
    assert results["git"] == results["patch"]
    after = run_untouched(tmp_path / "git", "suggest", str(tmp_path / "git"))
    assert after.returncode == 0 and "No problems found" in after.stdout, after.stdout


def test_dry_run_and_suggest_write_nothing(tmp_path):
    project = formats_project(tmp_path / "formats")
    dry = run_untouched(project, "apply", str(project), "--strategy", "add-fk-column", "--dry-run")
    assert dry.returncode == 1 and "would apply add-fk-column" in dry.stdout  # 1: it would write
    suggested = run_untouched(project, "suggest", str(project), "--format", "json", "--no-verify")
    assert suggested.returncode == 1 and json.loads(suggested.stdout)["diagnoses"]


def test_fixes_that_break_each_other_together_are_not_written(tmp_path):
    project = write_tree(tmp_path / "twins", TWINS)
    before = snapshot(project)
    result = run_ormfix("apply", str(project), "--strategy", "add-fk-column")
    if result.returncode == 0:  # the pair was recognised as one cause and fixed once
        assert "CONFIGURED" in configure_in_subprocess(project, "models").stdout
    else:  # each fix verified alone; together they make the join ambiguous: nothing may be written
        assert "nothing written: the fixes together do not verify" in result.stderr, result.stderr
        assert snapshot(project) == before
