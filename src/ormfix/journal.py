"""The write journal and the write lock: what lets ``apply`` be all-or-nothing across a crash.

Before the first file of an ``apply`` changes, ``.ormfix/journal.json`` under the project's base folder
is written and fsynced: every file's old bytes (base64; none for a file the run creates), the sha256 of
its old and new bytes, and the temporary file ormfix may have left beside it. It is removed once every
file is written (or restored). A journal found at the start of a later run means a write was killed
(SIGKILL, power loss): the files are put back as they were before it, and the run says so.

The lock is ``flock`` on the base folder itself (no lock file to leave behind): one ``apply`` writes a
project at a time, and a run never recovers a journal whose ``apply`` is still alive (it holds the lock).
"""

from __future__ import annotations

import base64
import errno
import fcntl
import hashlib
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .atomic import fsync_folder, put_bytes
from .errors import WriteRefused

FOLDER = ".ormfix"
NAME = "journal.json"
LOCK_WAIT = 30.0  # seconds a second apply waits for the first to finish writing


def sha256(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


@dataclass
class Change:
    """One file of an apply: ``old`` None for a file the run creates (an Alembic revision)."""

    path: Path  # where the bytes go (a symlink's target)
    shown: str  # how messages name it
    old: bytes | None
    new: bytes

    @property
    def temp(self) -> Path:
        return self.path.with_name(f".{self.path.name}.ormfix-tmp")


def journal_path(base: Path) -> Path:
    return base / FOLDER / NAME


def _lock_wait() -> float:
    try:  # test-only: how long a second apply waits for the lock
        return float(os.environ.get("ORMFIX_TEST_LOCK_WAIT", LOCK_WAIT))
    except ValueError:
        return LOCK_WAIT


@contextmanager
def locked(base: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the project's write lock (waiting up to ``wait`` seconds for another apply to finish)."""
    handle = os.open(base, os.O_RDONLY)
    try:
        deadline = time.monotonic() + (_lock_wait() if wait is None else wait)
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    break  # a filesystem without locks (some network mounts): the checks still hold
                if time.monotonic() >= deadline:
                    raise WriteRefused(
                        "another ormfix apply is writing to this project and did not finish within "
                        f"{_lock_wait():g} s; nothing was written (run ormfix again)"
                    ) from None
                time.sleep(0.1)
        yield
    finally:
        os.close(handle)  # closing the descriptor releases the lock


def write(base: Path, changes: list[Change]) -> Path:
    """Write and fsync the journal (before any file changes); returns its path."""
    folder = base / FOLDER
    try:
        folder.mkdir(exist_ok=True)
        path = folder / NAME
        entries = [
            {
                "path": str(c.path),
                "shown": c.shown,
                "temp": str(c.temp),
                "old": None if c.old is None else base64.b64encode(c.old).decode("ascii"),
                "old_sha256": sha256(c.old),
                "new_sha256": sha256(c.new),
            }
            for c in changes
        ]
        with open(path, "x", encoding="utf-8") as stream:
            json.dump({"pid": os.getpid(), "files": entries}, stream)
            stream.flush()
            os.fsync(stream.fileno())
    except OSError as exc:
        raise WriteRefused(f"cannot write the journal {FOLDER}/{NAME} ({exc.strerror}); nothing was written") from None
    fsync_folder(folder)
    return path


def remove(base: Path) -> None:
    path = journal_path(base)
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    try:
        path.parent.rmdir()  # only when empty: a user's own files there stay
    except OSError:
        pass
    fsync_folder(base)


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _put_back(path: Path, old: bytes | None) -> None:
    if old is None:
        path.unlink()
    else:
        put_bytes(path, old)


def recover(base: Path) -> str | None:
    """Undo the write a leftover journal describes (an apply that was killed); returns one line saying
    what was done, or None when there is nothing to recover (or its apply is still running)."""
    path = journal_path(base)
    if not path.is_file():
        return None
    try:
        with locked(base, wait=0):
            return recover_locked(base)
    except WriteRefused:
        return None  # its apply is alive and writing: not ours to touch


def recover_locked(base: Path) -> str | None:
    path = journal_path(base)
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["files"]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        entries = []  # torn while being written: no file had changed yet
    restored, kept = [], []
    for entry in entries:
        try:
            Path(entry["temp"]).unlink()
        except (OSError, KeyError, TypeError):
            pass
        try:
            target = Path(entry["path"])
            old = None if entry["old"] is None else base64.b64decode(entry["old"])
            now = sha256(_current(target))
            if now == entry["new_sha256"] and now != entry["old_sha256"]:
                _put_back(target, old)
                restored.append(entry["shown"])
            elif now != entry["old_sha256"]:
                kept.append(entry["shown"])  # changed by someone else since: never overwritten
        except (OSError, ValueError, KeyError, TypeError):
            kept.append(str(entry.get("shown", "?")) if isinstance(entry, dict) else "?")
    remove(base)
    line = "an earlier `ormfix apply` was interrupted while writing; "
    line += (
        f"restored {len(restored)} file(s) to their content before it ({', '.join(restored)})"
        if restored
        else "no file had been changed yet"
    )
    if kept:
        line += f"; left as they are, changed since: {', '.join(kept)}"
    return line
