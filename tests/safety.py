"""Helpers for the tests that try to break ormfix: tree snapshots, one-line errors, small projects."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import stat
import subprocess
import textwrap
from pathlib import Path

from conftest import FIXTURES, copy_project, run_ormfix


def snapshot(root: Path) -> dict[str, str]:
    """Every entry under root -> its kind, mode and content hash: proves nothing changed or appeared."""
    found = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            found[rel] = f"link -> {os.readlink(path)}"
        elif stat.S_ISDIR(info.st_mode):
            found[rel] = f"dir {oct(info.st_mode & 0o7777)}"
        elif not stat.S_ISREG(info.st_mode):  # a named pipe, a socket: never opened
            found[rel] = f"special {stat.S_IFMT(info.st_mode):o} {oct(info.st_mode & 0o7777)}"
        else:
            found[rel] = f"file {oct(info.st_mode & 0o7777)} {hashlib.sha256(path.read_bytes()).hexdigest()}"
    return found


def as_in_a_terminal() -> None:
    """``preexec_fn`` for a command a test interrupts: SIGINT as a terminal gives it, not as this run got it.

    A CI runner may start the tests as a background job of a non-interactive shell, with SIGINT ignored;
    every process inherits that, and Python then leaves SIGINT ignored (no KeyboardInterrupt at all).
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_untouched(project: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    """Run the installed ormfix on ``project`` and assert every entry under it is byte-identical after."""
    before = snapshot(project)
    result = run_ormfix(*args, **kwargs)
    assert snapshot(project) == before, f"ormfix {' '.join(args)} changed or created files under PATH"
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result


def run_in_process(capsys, *args: str) -> subprocess.CompletedProcess:
    """``ormfix.cli.main`` in this process (for the many cheap usage errors); same shape as run_ormfix."""
    from ormfix.cli import main

    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(["ormfix", *args], code, out, err)


def assert_one_line_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    """Exit 2, nothing on stdout, exactly one line on stderr holding every fragment."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ormfix: error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert result.stdout == ""


def diagnoses_of(result: subprocess.CompletedProcess) -> list[dict]:
    return json.loads(result.stdout)["diagnoses"]


def widget_project(tmp_path: Path, statement: str, name: str = "widget_case") -> Path:
    """The orm004_raises_at_import fixture, with its line 6 (the raise) replaced by ``statement``.

    ``statement`` must be one line, so whatever it does happens at models/widget.py:6.
    """
    project = copy_project(FIXTURES / "orm004_raises_at_import", tmp_path)
    project = project.rename(tmp_path / name)
    widget = project / "models" / "widget.py"
    text = widget.read_text()
    assert "\n" not in statement.strip()
    widget.write_text(text.replace('raise RuntimeError("boom")\n', statement.strip() + "\n"))
    return project


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write a small project: relative path -> dedented source."""
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"))
    return root
