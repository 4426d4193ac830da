"""One probe process: started on a scratch folder, told to go, waited for, ended with everything it started.

A process can be started before its request is ready ("warm"): the child then imports the libraries the
models will import (SQLAlchemy, and Flask-SQLAlchemy, SQLModel or Alembic where the project uses them)
while ormfix copies the project or plans fixes, says on a pipe whether those imports were clean, and
waits for "go" on its stdin before it reads its request. A preload that warned or failed is never used:
the process is ended and a cold one runs, so what the models see (their own warnings included) is the
same either way.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..discover import Project
from . import isolation

CHILD = Path(__file__).with_name("child.py")
LAUNCHER = Path(__file__).with_name("ormfix_probe_launcher.py")
OUTPUT_LIMIT = 64 * 1024
PASS_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "SYSTEMROOT", "VIRTUAL_ENV", "CONDA_PREFIX", "TZ")


class NoPython(Exception):
    """The project's interpreter cannot be run (the message says why)."""


class _Drain(threading.Thread):
    """Read a pipe to the end, keeping only its first OUTPUT_LIMIT bytes (the child never blocks)."""

    def __init__(self, stream: IO[bytes]) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.kept = bytearray()
        self.dropped = 0

    def run(self) -> None:
        while chunk := self.stream.read(65536):
            room = OUTPUT_LIMIT - len(self.kept)
            self.kept.extend(chunk[: max(room, 0)])
            self.dropped += max(len(chunk) - max(room, 0), 0)


@dataclass
class Started:
    """A launched probe: its scratch, the launcher process, its output, and the pipe it says "ready" on."""

    scratch: Path
    process: subprocess.Popen[bytes]
    drain: _Drain
    ready: int  # read end: b"1" preloaded cleanly, b"0" a preload warned or failed, b"" the child died
    preload: tuple[str, ...]


@dataclass
class Ended:
    output: bytes
    dropped: int
    returncode: int | None
    timed_out: bool
    seconds: float  # from "go" to the end


def environment(project: Project, scratch: Path) -> dict[str, str]:
    env = {name: os.environ[name] for name in PASS_ENV if name in os.environ}
    env.update(
        {
            "HOME": str(scratch / "home"),
            "TMPDIR": str(scratch / "tmp"),
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONHASHSEED": "0",
            "PYTHONIOENCODING": "utf-8",
            "PYTHONUTF8": "0",
        }
    )
    for item in project.env:
        name, sep, value = item.partition("=")
        if sep:
            env[name] = value
        elif name in os.environ:
            env[name] = os.environ[name]
    return env


def spawn(project: Project, scratch: Path, preload: tuple[str, ...] = (), nice: int = 0) -> Started:
    """Start the launcher and the child on ``scratch`` (its request is read only after ``go``); raises
    NoPython when the interpreter cannot be run."""
    config_path = isolation.write_config(project, scratch, nice)
    ready, ready_end = os.pipe()
    try:
        process = subprocess.Popen(
            [
                *isolation.namespace_prefix(project.python),
                project.python,
                "-B",
                str(LAUNCHER),
                str(config_path),
                str(CHILD),
                str(scratch / "request.json"),
                str(scratch / "result.json"),
                "--warm",
                str(ready_end),
                ",".join(preload),
            ],
            cwd=scratch / "work",
            env=environment(project, scratch),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            pass_fds=(ready_end,),
        )
    except OSError as exc:
        os.close(ready)
        raise NoPython(f"cannot run {project.python}: {exc.strerror}") from None
    except BaseException:
        os.close(ready)
        raise
    finally:
        os.close(ready_end)
    assert process.stdout is not None  # stdout=PIPE
    drain = _Drain(process.stdout)
    drain.start()
    return Started(scratch, process, drain, ready, preload)


def preloaded_cleanly(started: Started, timeout: float) -> bool:
    """Wait (up to ``timeout``) for the child's word on its preload: True when it is ready and clean."""
    try:
        readable, _, _ = select.select([started.ready], [], [], timeout)
        return bool(readable) and os.read(started.ready, 1) == b"1"
    except (OSError, ValueError):  # discarded meanwhile (its pipe closed)
        return False


def go(started: Started) -> None:
    """Let the child read its request (written beside it in the scratch folder)."""
    assert started.process.stdin is not None  # stdin=PIPE
    try:
        started.process.stdin.write(b"go\n")
        started.process.stdin.close()
    except (OSError, ValueError):  # the child already ended (or was discarded): finish() reports how
        pass


class GoWhenReady(threading.Thread):
    """Send "go" the moment the child's preload is done and clean, while the caller does other work;
    ``clean`` says afterwards whether it was (if not, the child never read its request)."""

    def __init__(self, started: Started, timeout: float) -> None:
        super().__init__(daemon=True)
        self.started, self.timeout, self.clean = started, timeout, False

    def run(self) -> None:
        self.clean = not self.started.preload or preloaded_cleanly(self.started, self.timeout)
        if self.clean:
            go(self.started)


def finish(started: Started, timeout: float) -> Ended:
    """Wait for the child (ending it after ``timeout`` seconds), then end whatever it left running."""
    clock = time.perf_counter()
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        kill_group(started.process)

    timer = threading.Timer(timeout, expire)
    timer.daemon = True
    timer.start()
    try:
        started.process.wait()  # a blocking wait: no polling latency
    except BaseException:  # Ctrl-C: the child and everything it started end with ormfix
        discard(started)
        raise
    finally:
        timer.cancel()
    kill_group(started.process)  # whatever the models left running in the background
    started.drain.join(timeout=5)
    _close(started)
    return Ended(
        bytes(started.drain.kept),
        started.drain.dropped,
        started.process.returncode,
        expired.is_set(),
        time.perf_counter() - clock,
    )


def discard(started: Started) -> None:
    """End a started process that will not be used (EOF on its stdin ends a waiting child)."""
    try:
        if started.process.stdin is not None:
            started.process.stdin.close()
    except OSError:
        pass
    kill_group(started.process)
    _close(started)


def _close(started: Started) -> None:
    try:
        os.close(started.ready)
    except OSError:
        pass
    started.ready = -1


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """End the launcher's process group: SIGTERM to the group first (``unshare`` blocks SIGTERM itself, so
    the launcher is signalled directly, and kills the child and every process it started), then SIGKILL."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except OSError:
            process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not ignorable
        pass
