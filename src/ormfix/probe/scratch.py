"""What a scratch copy of a project holds: what importing the models can need, and nothing that can hang,
explode or leak the copy.

Regular files under the project are copied (mtimes kept, so copied ``__pycache__`` bytecode stays
valid). A symlink is recreated as a symlink: one that points inside the project points at the same
place inside the copy, one that points outside is linked, never copied (a link to a huge folder costs
nothing); dangling links are left out. Named pipes, sockets and devices are never opened. VCS folders,
virtualenvs (any folder holding ``pyvenv.cfg``), ``node_modules``, tool caches and ``.ormfix`` are
skipped. Past ``max-copy-mb`` of file bytes the copy stops with a one-line error.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..write import encoding_of

if TYPE_CHECKING:
    from ..discover import Project

SKIPPED = (
    ".git",
    ".hg",
    ".svn",
    ".bzr",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "node_modules",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
    "*.egg-info",
    ".ormfix",
    ".cache",
    ".idea",
    ".vscode",
)
DEFAULT_MAX_MB = 500.0


class _Budget:
    def __init__(self, base: Path, max_mb: float) -> None:
        self.base, self.limit, self.used = base, int(max_mb * 1024 * 1024), 0

    def spend(self, size: int) -> None:
        self.used += size
        if self.used > self.limit:
            raise UsageError(
                f"{self.base}: more than {self.limit // (1024 * 1024)} MB of files to copy for each probe; "
                "point PATH at the project's own folder, or raise [tool.ormfix] max-copy-mb"
            )


def _skipped(name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in SKIPPED)


def _inside(path: str, base: str) -> bool:
    return path == base or path.startswith(base.rstrip(os.sep) + os.sep)


def _link(source: str, target: str, base: str, copy: str) -> None:
    """Recreate the symlink ``source`` at ``target``: inside the project, at the same place in the copy;
    outside it, at the absolute place it points to."""
    pointed = os.readlink(source)
    resolved = os.path.realpath(source)
    if not os.path.exists(resolved):
        return  # dangling, or a loop: nothing an import can use
    if _inside(resolved, base):
        if os.path.isabs(pointed):
            pointed = os.path.join(copy, os.path.relpath(resolved, base))
    else:
        pointed = resolved
    os.symlink(pointed, target)


def copy_project(base: Path, copy: Path, max_mb: float = DEFAULT_MAX_MB) -> None:
    """Copy ``base`` into ``copy`` (which must not exist yet)."""
    budget = _Budget(base, max_mb)
    real_base = os.path.realpath(base)
    os.mkdir(copy)
    pending = [(str(base), str(copy))]
    while pending:
        source_dir, target_dir = pending.pop()
        try:
            entries = list(os.scandir(source_dir))
        except OSError:
            continue  # unreadable folder: nothing the import can read either
        for entry in entries:
            source, target = entry.path, os.path.join(target_dir, entry.name)
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISLNK(info.st_mode):
                _link(source, target, real_base, str(copy))
            elif stat.S_ISDIR(info.st_mode):
                if _skipped(entry.name) or os.path.exists(os.path.join(source, "pyvenv.cfg")):
                    continue
                os.mkdir(target)
                pending.append((source, target))
            elif stat.S_ISREG(info.st_mode):
                budget.spend(info.st_size)
                try:
                    shutil.copy2(source, target, follow_symlinks=False)
                except OSError:
                    continue  # unreadable: the import would fail on it too, and say so
            # FIFOs, sockets, devices: never opened, never copied


RAM_FOLDER = "/dev/shm"
RAM_MAX_BYTES = 64 * 1024 * 1024


def scratch_parent(size: int | None) -> str | None:
    """Where a scratch folder for ``size`` bytes of copied files goes: TMPDIR when the user set it; else
    RAM (/dev/shm, a tmpfs) when the copy is at most 64 MB and the tmpfs has eight times that free and
    allows loading extension modules (not noexec); else the system's temp folder (None). Creating the
    copy's files costs up to thirty times more on some disks than in RAM, on every probe."""
    if os.environ.get("TMPDIR") or size is None or size > RAM_MAX_BYTES:
        return None
    try:
        info = os.statvfs(RAM_FOLDER)
    except OSError:
        return None
    roomy = info.f_bavail * info.f_frsize >= 8 * size + RAM_MAX_BYTES
    usable = os.access(RAM_FOLDER, os.W_OK | os.X_OK) and not info.f_flag & os.ST_NOEXEC
    return RAM_FOLDER if roomy and usable else None


def empty_scratch(size: int | None) -> Path:
    """A new scratch folder, for ``size`` bytes of copied files (None: unknown), with the child's working
    folders and no copy yet. Its name says which process made it (``ormfix-PID.START-...``), so a later
    run removes the folders of runs that were killed before they could (``sweep``)."""
    parent = scratch_parent(size)
    sweep(parent)
    scratch = Path(tempfile.mkdtemp(prefix=f"ormfix-{_mark(os.getpid())}-", dir=parent))
    for sub in ("work", "home", "tmp"):
        (scratch / sub).mkdir()
    return scratch


_SCRATCH_NAME = re.compile(r"ormfix-(\d+)\.(\d+)-")
_swept: set[str] = set()


def _mark(pid: int) -> str:
    """``PID.START``: the process and when it started (clock ticks after boot; 0 where /proc has no stat),
    which tells a process from a later one given the same PID; "" when no such process runs."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return f"{pid}.{int(handle.read().rsplit(b')', 1)[1].split()[19])}"
    except (OSError, IndexError, ValueError):
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return ""
    except OSError:
        pass
    return f"{pid}.0"


def sweep(parent: str | None) -> None:
    """Remove, once per process and folder, the scratch folders that runs killed mid-probe left in ``parent``
    (the temp folder when None): those this user owns whose process no longer runs."""
    folder = parent or tempfile.gettempdir()
    if folder in _swept:
        return
    _swept.add(folder)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        named = _SCRATCH_NAME.match(entry.name)
        if named is None or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            if entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
        except OSError:
            continue
        if _mark(int(named[1])) != f"{named[1]}.{named[2]}":
            shutil.rmtree(entry.path, ignore_errors=True)


def fill_scratch(project: Project, scratch: Path) -> None:
    """Copy the project's base folder into ``scratch`` (deleted whole when the copy fails)."""
    try:
        copy_project(project.base, scratch / "project", project.max_copy_mb)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise


def make_scratch(project: Project, overrides: dict[str, str] | None = None, size: int | None = None) -> Path:
    """A scratch copy of the project's base folder (``size`` bytes of files, when known), with ``overrides``
    (relative path -> text) written in."""
    scratch = empty_scratch(size)
    fill_scratch(project, scratch)
    write_overrides(project, scratch, overrides or {})
    return scratch


def write_overrides(project: Project, scratch: Path, overrides: dict[str, str]) -> None:
    """Write ``overrides`` (relative path -> text) into the scratch copy, in each file's own encoding."""
    for rel, text in overrides.items():
        target = scratch / "project" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink():  # a linked file outside the project: the fixed text goes in the copy only
            target.unlink()
        target.write_bytes(
            text.encode(encoding_of(project.base / rel)) if (project.base / rel).exists() else text.encode()
        )
