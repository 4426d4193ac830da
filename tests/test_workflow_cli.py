"""The terminal side: codes, explain, apply --interactive, --quiet/--verbose, progress, colours, NO_COLOR."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys

from conftest import SAMPLES, tree_digest
from typer.testing import CliRunner
from workflow_projects import kuwait_with_alembic

from ormfix import codes
from ormfix.cli import app

runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "200"})
ANY_ESCAPE = "\x1b["
COLOUR = re.compile(r"\x1b\[(?:\d+;)*(?:3[0-7]|9[0-7]|38)(?:;\d+)*m")
KUWAIT = str(SAMPLES / "kuwait_social")


def _env(**extra: str) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "VIRTUAL_ENV")
    }
    return dict(env, COLUMNS="200", **extra)


def ormfix(*args: str, stdout_tty: bool = False, stderr_tty: bool = False, **env: str) -> tuple[int, str, str]:
    """The installed CLI with stdout and/or stderr attached to a terminal (a pty) or to a pipe."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ormfix", *args],
        stdin=subprocess.DEVNULL,
        stdout=slave if stdout_tty else subprocess.PIPE,
        stderr=slave if stderr_tty else subprocess.PIPE,
        env=_env(**env),
    )
    os.close(slave)
    terminal = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        terminal += chunk
    os.close(master)
    out, err = proc.communicate(timeout=120)
    text = terminal.decode("utf-8", "replace")
    return (proc.returncode, text if stdout_tty else out.decode(), text if stderr_tty else err.decode())


def test_piped_output_has_no_escape_codes_and_progress_goes_to_a_terminal_stderr_only():
    code, out, err = ormfix("check", KUWAIT, stderr_tty=True)
    assert code == 1
    assert "backend/models/campaign.py:21:5: ORM001 no-foreign-keys [error]" in out
    assert ANY_ESCAPE not in out
    assert "ormfix: importing the models (models)" in err  # the spinner's step, on the terminal


def test_colours_on_a_terminal_unless_no_color():
    code, out, err = ormfix("check", KUWAIT, stdout_tty=True)
    assert code == 1 and COLOUR.search(out), out
    assert err == ""  # stderr is piped here: no progress at all
    code, out, _ = ormfix("check", KUWAIT, stdout_tty=True, NO_COLOR="1")
    assert code == 1 and "ORM001 no-foreign-keys" in out and not COLOUR.search(out), out


def test_codes_piped_and_explain():
    code, out, err = ormfix("codes")
    assert code == 0 and ANY_ESCAPE not in out
    for item in codes.ALL:
        row = next(line for line in out.splitlines() if item.code in line)
        assert item.name in row
        for remedy in item.remedies:
            assert remedy in out
    explained = runner.invoke(app, ["explain", "unresolved-target"])
    assert explained.exit_code == 0 and explained.stdout.startswith("ORM002 unresolved-target (error)")
    assert codes.lookup("ORM002").summary in explained.stdout
    unknown = runner.invoke(app, ["explain", "ORM404"])
    assert (
        unknown.exit_code == 2 and unknown.stderr == "ormfix: error: unknown code 'ORM404'; `ormfix codes` lists them\n"
    )


def test_quiet_is_one_line_per_diagnosis_and_verbose_tells_what_was_probed():
    quiet = runner.invoke(app, ["check", KUWAIT, "--quiet"])
    assert quiet.exit_code == 1
    assert quiet.stdout.splitlines()[0] == "backend/models/campaign.py:21:5: ORM001 no-foreign-keys [error]"
    assert "why:" not in quiet.stdout and "Found 1 error" not in quiet.stdout
    verbose = runner.invoke(app, ["check", KUWAIT, "--verbose"])
    assert "why:" in verbose.stdout and "Found 1 error" in verbose.stdout
    assert "ormfix: import roots: " in verbose.stderr and "models: models" in verbose.stderr
    assert "probe ok" in verbose.stderr


def test_interactive_apply_writes_only_what_was_accepted_then_verifies(tmp_path):
    root = kuwait_with_alembic(tmp_path, second_break=True)
    before = tree_digest(root)
    proc = subprocess.run(
        [sys.executable, "-m", "ormfix", "apply", str(root), "--interactive"],
        input="x\nn\ny\n",
        capture_output=True,
        text=True,
        env=_env(),
        timeout=300,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr  # the skipped problem remains
    shown = re.findall(r"^\[(\d)/2\] (\S+): ORM001", proc.stdout, flags=re.MULTILINE)
    assert [n for n, _ in shown] == ["1", "2"]
    skipped_at, accepted_at = shown[0][1], shown[1][1]
    assert proc.stderr.count("Apply this fix? [y]es, [n]o, [a]ll remaining, [q]uit:") == 3  # "x" asked again
    assert "y: apply this fix" in proc.stderr and "1 of 2 fix(es) accepted" in proc.stderr
    assert f"{accepted_at}: ORM001 no-foreign-keys: applied add-fk-column" in proc.stdout
    assert f"{skipped_at}: ORM001 no-foreign-keys: not fixed (you declined add-fk-column)" in proc.stdout
    # the skipped problem is left, in its file (the accepted fix may have moved its line)
    left = proc.stdout.split("1 problem(s) left:\n")[1].splitlines()[0]
    assert left.startswith(f"  {skipped_at.split(':')[0]}:") and " ORM001 " in left, proc.stdout
    changed = sorted(path for path, digest in tree_digest(root).items() if before.get(path) != digest)
    assert len(changed) == 2  # the model file of the accepted fix, and the revision adding its column
    assert changed[0].startswith("backend/models/") and changed[1].startswith("migrations/versions/")


def test_interactive_quit_and_end_of_input_write_nothing(tmp_path, project_copy):
    root = project_copy("kuwait_social")
    before = tree_digest(root)
    for answers in ("q\n", ""):
        result = runner.invoke(app, ["apply", str(root), "-i", "--no-verify"], input=answers)
        assert result.exit_code == 1, result.output
        assert "0 of 1 fix(es) accepted" in result.stderr
        assert tree_digest(root) == before
