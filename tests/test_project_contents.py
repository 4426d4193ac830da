"""What a project may contain: symlink loops, a named pipe, a unix socket, a link to a huge folder outside,
virtualenvs and VCS folders, more bytes than the copy budget; and paths that are no project at all."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from conftest import FIXTURES, copy_project, run_ormfix
from safety import assert_one_line_error, run_untouched, snapshot

from ormfix.errors import UsageError
from ormfix.probe.scratch import copy_project as scratch_copy


def odd_project(tmp_path: Path) -> tuple[Path, Path]:
    """The ORM001 fixture plus everything that broke the copy: returns (project, the huge folder outside)."""
    project = copy_project(FIXTURES / "orm001_classic_missing_column", tmp_path)
    (project / "loop_a").symlink_to("loop_b")
    (project / "loop_b").symlink_to("loop_a")
    (project / "models" / "self").symlink_to(".")  # a folder that contains itself
    (project / "dangling").symlink_to(tmp_path / "nowhere")
    os.mkfifo(project / "pipe")
    server = socket.socket(socket.AF_UNIX)
    here = os.getcwd()
    os.chdir(project)  # a relative name: xdist's tmp paths pass the 108-byte limit of a socket's path
    try:
        server.bind("app.sock")
    finally:
        os.chdir(here)
    server.close()  # the socket file stays
    huge = tmp_path / "huge"
    huge.mkdir()
    with (huge / "blob.bin").open("wb") as handle:  # sparse: 2 GB of size, no disk
        handle.truncate(2 * 1024**3)
    (huge / "data.txt").write_text("shared data\n")
    (project / "shared").symlink_to(huge)
    (project / ".git" / "objects").mkdir(parents=True)
    (project / ".git" / "objects" / "pack").write_bytes(b"x" * 1024)
    (project / "anyvenv").mkdir()
    (project / "anyvenv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    return project, huge


def test_the_scratch_copy_holds_regular_files_and_links_never_special_files_or_outside_targets(tmp_path):
    project, huge = odd_project(tmp_path)
    copy = tmp_path / "copy"
    scratch_copy(project, copy, max_mb=1)  # the 2 GB folder is linked, so 1 MB is plenty
    assert (copy / "models" / "book.py").read_bytes() == (project / "models" / "book.py").read_bytes()
    assert os.readlink(copy / "shared") == str(huge) and (copy / "shared" / "data.txt").read_text() == "shared data\n"
    assert os.readlink(copy / "models" / "self") == "."  # a link inside the project stays a link
    for absent in ("loop_a", "loop_b", "pipe", "app.sock", "dangling", ".git", "anyvenv"):
        assert not os.path.lexists(copy / absent), absent


def test_check_of_a_project_with_loops_pipes_sockets_and_a_huge_link_is_quick_and_correct(tmp_path):
    project, _ = odd_project(tmp_path)
    (project / "pyproject.toml").write_text("[tool.ormfix]\nmax-copy-mb = 1\n")
    result = run_untouched(project, "check", str(project), "--format", "json")
    assert result.returncode == 1, result.stderr
    assert '"code": "ORM001"' in result.stdout


def test_more_bytes_than_the_budget_is_one_line(tmp_path):
    project = copy_project(FIXTURES / "orm001_classic_missing_column", tmp_path)
    (project / "data.bin").write_bytes(b"\0" * (2 * 1024 * 1024))
    (project / "pyproject.toml").write_text("[tool.ormfix]\nmax-copy-mb = 1\n")
    result = run_untouched(project, "check", str(project))
    assert_one_line_error(result, "more than 1 MB of files to copy", "max-copy-mb")
    with pytest.raises(UsageError, match="more than 1 MB"):
        scratch_copy(project, tmp_path / "copy", max_mb=1)


@pytest.mark.parametrize("value", ["0", "-1", '"big"', "true"])
def test_a_bad_max_copy_mb_is_one_line(tmp_path, value):
    project = copy_project(FIXTURES / "orm001_classic_missing_column", tmp_path)
    (project / "pyproject.toml").write_text(f"[tool.ormfix]\nmax-copy-mb = {value}\n")
    assert_one_line_error(run_untouched(project, "check", str(project)), "max-copy-mb must be a positive number")


def test_root_and_home_are_refused_in_one_line(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    assert_one_line_error(run_ormfix("check", "/"), "/: is the whole file system, not a project")
    assert_one_line_error(run_ormfix("check", str(home), env={"HOME": str(home)}), "is your home folder, not a project")
    assert_one_line_error(run_ormfix("check", "~", cwd=tmp_path, env={"HOME": str(home)}), "home folder")


def test_a_fix_verified_on_a_linked_model_file_never_writes_through_the_link(tmp_path):
    project = copy_project(FIXTURES / "orm001_classic_missing_column", tmp_path)
    elsewhere = tmp_path / "shared" / "book.py"
    elsewhere.parent.mkdir()
    (project / "models" / "book.py").rename(elsewhere)
    (project / "models" / "book.py").symlink_to(elsewhere)
    outside = snapshot(elsewhere.parent)
    result = run_untouched(project, "suggest", str(project), "--strategy", "add-fk-column")
    assert result.returncode == 1 and "+    author_id = sa.Column(" in result.stdout
    assert "verified" in result.stdout
    assert snapshot(elsewhere.parent) == outside
