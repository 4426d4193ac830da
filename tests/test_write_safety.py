"""`apply` under interruption and races: real signals at the write phase, a save between check and
replace, SIGKILL and the next run's recovery, two applies at once, hard links, owners, a read-only
versions/ folder. ORMFIX_TEST_PAUSE_BEFORE_WRITE (test-only) makes ormfix pause before each file."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import configure_in_subprocess, run_ormfix
from safety import as_in_a_terminal, assert_one_line_error, snapshot
from workflow_projects import kuwait_with_alembic
from write_projects import formats_project

from ormfix import journal

PAUSE_MARK = "ormfix: test: pausing before a write"
JOURNAL = ".ormfix/journal.json"


def start_apply(project: Path, *args: str, pause: float = 30, sigint: bool = True) -> subprocess.Popen:
    env = dict(os.environ, NO_COLOR="1", COLUMNS="200", ORMFIX_TEST_PAUSE_BEFORE_WRITE=str(pause))
    env.pop("VIRTUAL_ENV", None)
    return subprocess.Popen(
        [sys.executable, "-m", "ormfix", "apply", str(project), "--strategy", "add-fk-column", "-q", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=as_in_a_terminal if sigint else lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )


def wait_for_pause(process: subprocess.Popen, count: int) -> list[str]:
    """Read stderr until the ``count``-th pause: ``count - 1`` files are written then."""
    lines: list[str] = []
    while sum(PAUSE_MARK in line for line in lines) < count:
        line = process.stderr.readline()
        assert line, f"ormfix ended before its write phase: {''.join(lines)}{process.stdout.read()}"
        lines.append(line)
    return lines


def journal_files(project: Path) -> list[str]:
    return [entry["shown"] for entry in json.loads((project / JOURNAL).read_text())["files"]]


@pytest.mark.slow
@pytest.mark.parametrize("sent, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_at_the_write_phase_puts_every_file_back(tmp_path, sent, code):
    project = formats_project(tmp_path / "formats")
    before = snapshot(project)
    process = start_apply(project)
    wait_for_pause(process, 2)  # the first file is written, the second not yet
    first = journal_files(project)[0]
    assert snapshot(project)[first] != before[first]
    process.send_signal(sent)
    out, err = process.communicate(timeout=60)
    assert process.returncode == code, (out, err)
    assert err.splitlines()[-1] == "ormfix: interrupted" and "Traceback" not in err
    assert snapshot(project) == before  # byte-identical, no temporary file, no journal left


@pytest.mark.slow
def test_a_sigint_the_command_was_started_to_ignore_stays_ignored_at_the_write_phase(tmp_path):
    project = formats_project(tmp_path / "formats")
    before = snapshot(project)
    process = start_apply(project, pause=1, sigint=False)  # as `nohup ormfix apply &` starts it
    wait_for_pause(process, 2)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0 and "interrupted" not in err, (out, err)
    after = snapshot(project)
    assert after != before and not (project / JOURNAL).exists()  # every fix written, none put back


@pytest.mark.slow
def test_a_save_between_check_and_replace_is_never_overwritten(tmp_path):
    project = formats_project(tmp_path / "formats")
    before = snapshot(project)
    process = start_apply(project, pause=3)
    wait_for_pause(process, 2)
    first, second = journal_files(project)
    with (project / second).open("ab") as handle:  # the user's editor saves the second file meanwhile
        handle.write(b"\n# saved by the user\n")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 2, (out, err)
    line = err.splitlines()[-1]
    assert line.startswith("ormfix: error: ") and second in line and "changed while ormfix was writing" in line
    assert (project / second).read_bytes().endswith(b"# saved by the user\n")  # theirs kept
    after = snapshot(project)
    assert after[first] == before[first]  # the first file put back
    assert set(after) == set(before)


@pytest.mark.slow
def test_sigkill_at_the_write_phase_is_undone_by_the_next_run(tmp_path):
    project = formats_project(tmp_path / "formats")
    before = snapshot(project)
    process = start_apply(project)
    wait_for_pause(process, 2)
    first, second = journal_files(project)
    process.kill()
    process.communicate(timeout=30)
    assert snapshot(project)[first] != before[first] and (project / JOURNAL).exists()
    checked = run_ormfix("check", str(project), "-q")
    notes = [line for line in checked.stderr.splitlines() if "interrupted" in line]
    assert notes == [
        f"ormfix: an earlier `ormfix apply` was interrupted while writing; restored 1 file(s) to "
        f"their content before it ({first})"
    ], checked.stderr
    assert snapshot(project) == before
    assert checked.returncode == 1  # and it diagnosed the restored files
    applied = run_ormfix("apply", str(project), "--strategy", "add-fk-column", "-q")
    assert applied.returncode == 0 and "interrupted" not in applied.stderr
    assert "CONFIGURED" in configure_in_subprocess(project, "models").stdout


def test_an_apply_waits_for_the_lock_and_says_why_it_gives_up(tmp_path):
    project = formats_project(tmp_path / "formats")
    before = snapshot(project)
    holder = os.open(project, os.O_RDONLY)  # another apply in its write phase holds the project's lock
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        refused = run_ormfix(
            "apply", str(project), "--strategy", "add-fk-column", "--no-verify", env={"ORMFIX_TEST_LOCK_WAIT": "1"}
        )
    finally:
        os.close(holder)
    assert_one_line_error(refused, "another ormfix apply is writing to this project", "nothing was written")
    assert snapshot(project) == before


@pytest.mark.slow
def test_two_applies_at_once_never_overwrite_each_other(tmp_path):
    project = formats_project(tmp_path / "formats")
    first = start_apply(project, pause=4)
    wait_for_pause(first, 1)  # it holds the lock, nothing written yet
    second = run_ormfix("apply", str(project), "--strategy", "add-fk-column", "-q")  # diagnosed before the first wrote
    out, err = first.communicate(timeout=60)
    assert first.returncode == 0, (out, err)
    assert second.returncode == 2 and "changed since it was diagnosed" in second.stderr, second.stderr
    for rel, column in (("models/book.py", "author_id"), ("models/magazine.py", "publisher_id")):
        assert (project / rel).read_bytes().count(f"{column} = Column(".encode()) == 1  # written once, not twice
    assert "CONFIGURED" in configure_in_subprocess(project, "models").stdout


def test_hard_links_owner_and_group_are_kept(tmp_path):
    project = formats_project(tmp_path / "formats")
    book, magazine = project / "models/book.py", project / "models/magazine.py"
    link = tmp_path / "elsewhere" / "book.py"
    link.parent.mkdir()
    os.link(book, link)
    if os.geteuid() == 0:
        os.chown(magazine, 65534, 65534)
    owner = (magazine.stat().st_uid, magazine.stat().st_gid)
    result = run_ormfix("apply", str(project), "--strategy", "add-fk-column", "--no-verify", "-q")
    assert result.returncode == 0, result.stderr
    assert book.stat().st_ino == link.stat().st_ino and book.stat().st_nlink == 2
    assert b"author_id = Column(" in link.read_bytes()
    assert (magazine.stat().st_uid, magazine.stat().st_gid) == owner
    assert magazine.stat().st_mode & 0o7777 == 0o751
    assert not list(project.rglob("*.ormfix*")) and not (project / ".ormfix").exists()


def test_a_read_only_versions_folder_is_refused_before_any_file_changes(tmp_path):
    root = kuwait_with_alembic(tmp_path)
    versions = root / "migrations" / "versions"
    before = snapshot(root)
    versions.chmod(0o555)
    try:
        refused = run_ormfix("apply", str(root), "--strategy=add-fk-column", "--no-verify")
    finally:
        versions.chmod(0o755)
    assert_one_line_error(refused, "migrations/versions/", "read-only", "nothing was written")
    assert snapshot(root) == before


@pytest.mark.slow
def test_ctrl_c_while_ormfix_starts_prints_no_traceback():
    for delay in (0.15, 0.3, 0.5):
        process = subprocess.Popen(
            [sys.executable, "-m", "ormfix", "check", "/nonexistent-ormfix-path"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=as_in_a_terminal,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
        assert "Traceback" not in err, (delay, err)
        # -SIGINT: the signal came before the interpreter had its handler (a loaded machine starts slowly):
        # the process ends at once and prints nothing, which is no traceback either
        assert process.returncode in (130, 2, -signal.SIGINT), (delay, process.returncode, err)
        if process.returncode == 130:
            assert err.strip().splitlines()[-1] == "ormfix: interrupted"


@pytest.mark.slow
def test_sigkill_after_the_revision_was_created_removes_it_on_the_next_run(tmp_path):
    root = kuwait_with_alembic(tmp_path)
    before = snapshot(root)
    process = start_apply(root, "--no-verify")
    wait_for_pause(process, 3)  # the model file and the new revision written, the journal still there
    model, revision = journal_files(root)
    assert revision.startswith("migrations/versions/") and (root / revision).exists()
    process.kill()
    process.communicate(timeout=30)
    checked = run_ormfix("check", str(root), "-q")
    assert f"restored 2 file(s) to their content before it ({model}, {revision})" in checked.stderr
    assert snapshot(root) == before  # the revision is gone again, the model file as it was


def test_recovery_removes_a_half_written_temporary_file(tmp_path):
    project = formats_project(tmp_path / "formats")
    before = snapshot(project)
    book = (project / "models/book.py").resolve()
    change = journal.Change(book, "models/book.py", book.read_bytes(), book.read_bytes() + b"# fixed\r\n")
    journal.write(project, [change])
    change.temp.write_bytes(change.new[:10])  # killed while the temporary file was being written
    assert journal.recover(project) == (
        "an earlier `ormfix apply` was interrupted while writing; no file had been changed yet"
    )
    assert snapshot(project) == before
