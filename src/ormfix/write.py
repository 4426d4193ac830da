"""Write fixed files without ever losing user code.

Every file is checked first (still the content that was diagnosed, writable, decodable), under the
project's write lock. A journal with every file's old bytes is fsynced before the first file changes
(see journal.py), then each file is checked once more right before it is replaced (a save in between
is never overwritten) and written atomically (a temporary file in the same folder, fsync, rename),
keeping its mode, owner, group, encoding, BOM and line endings; a hard-linked file (or one whose owner
cannot be kept) is rewritten in place, which keeps its links. SIGINT, SIGTERM and SIGHUP wait until a
file is complete; then every file already written is put back: all or nothing, interrupted or not.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sys
import time
import tokenize
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from . import journal
from .atomic import fsync_folder, put_bytes
from .discover import Project
from .errors import Interrupted, WriteRefused
from .index import read_source


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def encoding_of(path: Path) -> str:
    """The file's encoding as the interpreter reads it ('utf-8-sig' when it has a BOM)."""
    try:
        with path.open("rb") as handle:
            encoding, _ = tokenize.detect_encoding(handle.readline)
        return encoding
    except (OSError, SyntaxError):
        return "utf-8"


def _check(path: Path, rel: str, original: str) -> None:
    if not path.exists():
        raise WriteRefused(f"{rel}: the file disappeared since it was diagnosed; nothing was written")
    try:
        current = read_source(path)
    except (OSError, UnicodeDecodeError, SyntaxError) as exc:
        raise WriteRefused(f"{rel}: cannot re-read the file ({exc}); nothing was written") from None
    if digest(current) != digest(original):
        raise WriteRefused(f"{rel}: the file changed since it was diagnosed; nothing was written (run ormfix again)")
    if not _writable(path) or not _writable(path.parent):
        which = "file" if not _writable(path) else "folder holding it"
        raise WriteRefused(f"{rel}: the {which} is read-only; nothing was written")


def _writable(path: Path) -> bool:
    """Writable by us and not marked read-only (root may write anything; ormfix still respects the mode)."""
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


def _check_new(path: Path, shown: str) -> None:
    """A file the run creates: it must not exist yet, and its folder (or the nearest that exists) be writable."""
    if os.path.lexists(path):
        raise WriteRefused(f"{shown}: already exists; nothing was written")
    folder = path.parent
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    if not folder.is_dir() or not _writable(folder):
        raise WriteRefused(f"{shown}: the folder {folder} is read-only; nothing was written")


def _create(path: Path, data: bytes) -> None:
    """Create a new file complete or not at all (a temporary file, then a link that never overwrites)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.ormfix-tmp")
    try:
        with open(temp, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, 0o666 & ~_umask())
        os.link(temp, path)
    finally:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
    fsync_folder(path.parent)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class _Signals:
    """While the files are written, SIGINT/SIGTERM/SIGHUP are noted, not acted on: the write stops
    between two files, and what was written is put back."""

    NAMES = ("SIGINT", "SIGTERM", "SIGHUP")

    def __init__(self) -> None:
        self.received: int | None = None
        self.previous: dict[int, Callable[[int, FrameType | None], Any] | int | None] = {}

    def __enter__(self) -> _Signals:
        for name in self.NAMES:
            number = getattr(signal, name, None)
            if number is None:
                continue
            if signal.getsignal(number) == signal.SIG_IGN:  # nohup, or a background job: stays ignored
                continue
            try:
                self.previous[number] = signal.signal(number, self._note)
            except ValueError:  # not the main thread: signals reach the main thread's handlers anyway
                pass
        return self

    def _note(self, signum: int, frame: FrameType | None) -> None:
        self.received = self.received or signum

    def __exit__(self, *exc: object) -> None:
        for number, handler in self.previous.items():
            signal.signal(number, handler)

    def check(self) -> None:
        if self.received:
            raise Interrupted(self.received)


def _test_pause() -> None:
    """Test-only: ORMFIX_TEST_PAUSE_BEFORE_WRITE=SECONDS sleeps before each file is replaced (and once
    after the last), so tests can send signals, edit files or start a second apply mid-write."""
    pause = os.environ.get("ORMFIX_TEST_PAUSE_BEFORE_WRITE")
    if pause:
        print("ormfix: test: pausing before a write", file=sys.stderr, flush=True)
        time.sleep(float(pause))


class _LostUpdate(Exception):
    pass


def _replace(change: journal.Change) -> None:
    """Replace one file, checking first (immediately before) that it still holds the old bytes."""
    if change.old is None:
        if os.path.lexists(change.path):
            raise _LostUpdate(change.shown)
        _create(change.path, change.new)
        return
    try:
        current = change.path.read_bytes()
    except OSError:
        current = None
    if current != change.old:
        raise _LostUpdate(change.shown)
    put_bytes(change.path, change.new)


def _roll_back(written: list[journal.Change]) -> list[str]:
    """Put back every file written so far (newest first); returns those changed again meanwhile (kept)."""
    kept = []
    for change in reversed(written):
        try:
            if change.path.read_bytes() != change.new:
                kept.append(change.shown)
                continue
            if change.old is None:
                change.path.unlink()
            else:
                put_bytes(change.path, change.old)
        except OSError:
            kept.append(change.shown)
    return kept


def _plan(
    project: Project, texts: dict[str, str], originals: dict[str, str], new_files: dict[Path, tuple[str, str]]
) -> list[journal.Change]:
    changes: list[journal.Change] = []
    for rel, text in texts.items():
        path = (project.base / rel).resolve()
        _check(path, rel, originals.get(rel, text))
        encoding = encoding_of(path)
        old = path.read_bytes()
        try:
            new = text.encode(encoding)  # utf-8-sig re-adds a BOM; newlines were never translated
        except UnicodeEncodeError as exc:
            raise WriteRefused(
                f"{rel}: the fix cannot be written in the file's encoding {encoding} ({exc.reason}); "
                "nothing was written"
            ) from None
        if new != old:
            changes.append(journal.Change(path, rel, old, new))
    for path, (shown, text) in new_files.items():
        _check_new(path, shown)
        changes.append(journal.Change(path, shown, None, text.encode("utf-8")))
    return changes


def write_files(
    project: Project,
    texts: dict[str, str],
    originals: dict[str, str],
    new_files: dict[Path, tuple[str, str]] | None = None,
) -> list[str]:
    """Write ``texts`` (relative path -> new text) and create ``new_files`` (absolute path -> (shown
    name, text)), all or none. Returns what was written (symlinks shown with their targets)."""
    base = project.base
    with journal.locked(base):
        recovered = journal.recover_locked(base) if journal.journal_path(base).exists() else None
        if recovered:
            print(f"ormfix: {recovered}", file=sys.stderr)
        changes = _plan(project, texts, originals, new_files or {})
        if changes:
            _write_all(base, changes)
    results = []
    for change in changes:
        if change.old is None:
            results.append(change.shown)
        elif change.path == (base / change.shown).absolute():
            results.append(change.shown)
        else:
            results.append(f"{change.shown} -> {change.path}")
    return results


def _write_all(base: Path, changes: list[journal.Change]) -> None:
    written: list[journal.Change] = []
    with _Signals() as signals:
        signals.check()
        journal.write(base, changes)
        try:
            for change in changes:
                _test_pause()
                signals.check()
                _replace(change)
                written.append(change)
            _test_pause()  # every file written, the journal not yet removed
            signals.check()
        except BaseException as exc:
            kept = _roll_back(written)
            journal.remove(base)
            if kept:  # someone changed a file after ormfix wrote it: theirs is kept, and said so
                raise WriteRefused(
                    f"{', '.join(kept)} changed while ormfix was writing and were left as they are; "
                    "every other file was put back"
                ) from None
            if isinstance(exc, _LostUpdate):
                raise WriteRefused(
                    f"{exc}: the file changed while ormfix was writing; every file was left as "
                    "it was (run ormfix again)"
                ) from None
            if isinstance(exc, OSError):
                raise WriteRefused(
                    f"{getattr(exc, 'filename', None) or change.shown}: {exc.strerror}; every file was left as it was"
                ) from None
            raise
        journal.remove(base)
