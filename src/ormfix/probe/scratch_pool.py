"""Scratch copies reused between the probes of one run, when reuse is indistinguishable from a fresh copy.

Copying an application's tree (static assets, templates, migrations) for every probe costs more than
the probe itself on a small app. A copy a probe is done with goes back to the pool with the files its
overrides replaced restored; it is taken again only if, at that moment, the project's files are still
the ones it was copied from and the copy still holds exactly what copying gave (every path, kind,
size, mode and mtime; links and their targets). Anything else (a file the models wrote, an edit to the
project, a process left behind) and the copy is deleted and a fresh one made.
"""

from __future__ import annotations

import atexit
import os
import shutil
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .scratch import _skipped

MAX_IDLE = 4  # copies kept between probes (each as large as the project)
SCRATCH_FOLDERS = ("work", "home", "tmp")


def tree_state(root: Path, as_copied: bool) -> frozenset:
    """What a copy depends on: (path, kind, size, mode, mtime or link target) of everything under ``root``.
    ``as_copied``: only what copy_project copies (skipped folders and venvs left out)."""
    found: list[tuple[object, ...]] = []
    pending = [str(root)]
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            found.append((folder, "unreadable"))
            continue
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISLNK(info.st_mode):
                found.append((entry.path, "link", os.readlink(entry.path), os.path.exists(entry.path)))
            elif stat.S_ISDIR(info.st_mode):
                if as_copied and (_skipped(entry.name) or os.path.exists(os.path.join(entry.path, "pyvenv.cfg"))):
                    continue
                found.append((entry.path, "dir", info.st_mode))
                pending.append(entry.path)
            else:
                found.append((entry.path, "file", info.st_size, info.st_mode, info.st_mtime_ns))
    return frozenset(found)


@dataclass
class _Idle:
    key: tuple
    scratch: Path
    source: frozenset  # the project's state when copied
    copy: frozenset  # the copy's state right after copying


class ScratchPool:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.idle: list[_Idle] = []
        self.states: dict[Path, tuple[tuple, frozenset, frozenset]] = {}  # scratch -> (key, source, copy) in use

    def take(self, key: tuple, base: Path, make: Callable[[int], Path]) -> Path:
        """An idle copy of ``base`` still identical to a fresh one, else ``make(bytes to copy)``'s fresh scratch."""
        while True:
            with self.lock:
                idle = next((item for item in self.idle if item.key == key), None)
                if idle is not None:
                    self.idle.remove(idle)
            if idle is None:
                break
            if tree_state(base, True) == idle.source and tree_state(idle.scratch / "project", False) == idle.copy:
                with self.lock:
                    self.states[idle.scratch] = (key, idle.source, idle.copy)
                return idle.scratch
            shutil.rmtree(idle.scratch, ignore_errors=True)
        source = tree_state(base, True)
        scratch = make(sum(entry[2] for entry in source if entry[1] == "file"))
        copied = tree_state(scratch / "project", False)
        with self.lock:
            self.states[scratch] = (key, source, copied)
        return scratch

    def give_back(self, scratch: Path, base: Path, overridden: list[str]) -> None:
        """Restore what the overrides replaced and keep the copy for the next probe (or delete it)."""
        with self.lock:
            key, source, copied = self.states.pop(scratch)
        try:
            _restore(scratch, base, overridden)
        except OSError:
            shutil.rmtree(scratch, ignore_errors=True)
            return
        with self.lock:
            self.idle.append(_Idle(key, scratch, source, copied))
            evicted = self.idle[:-MAX_IDLE]
            del self.idle[:-MAX_IDLE]
        for item in evicted:
            shutil.rmtree(item.scratch, ignore_errors=True)

    def source_of(self, scratch: Path) -> frozenset | None:
        """The project's state when ``scratch`` (in use) was copied."""
        with self.lock:
            state = self.states.get(scratch)
        return state[1] if state else None

    def discard(self, scratch: Path) -> None:
        """Delete a copy in use instead of giving it back."""
        with self.lock:
            self.states.pop(scratch, None)
        shutil.rmtree(scratch, ignore_errors=True)

    def clear(self) -> None:
        with self.lock:
            idle, self.idle = self.idle, []
        for item in idle:
            shutil.rmtree(item.scratch, ignore_errors=True)


def _restore(scratch: Path, base: Path, overridden: list[str]) -> None:
    for rel in overridden:
        source, target = base / rel, scratch / "project" / rel
        if target.is_symlink() or target.exists():
            target.unlink()
        if source.is_symlink():
            raise OSError("a linked file: made fresh rather than relinked")
        if source.exists():
            shutil.copy2(source, target, follow_symlinks=False)
    for entry in os.scandir(scratch):  # request, result, reports; the child's working folders emptied
        if entry.name == "project":
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)
    for sub in SCRATCH_FOLDERS:
        (scratch / sub).mkdir()


POOL = ScratchPool()
atexit.register(POOL.clear)
