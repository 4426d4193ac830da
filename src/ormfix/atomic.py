"""Replacing a file's bytes so that a crash leaves the old bytes or the new, never a mix (the bottom of the
write path: journal.py and write.py use it)."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable (where the filesystem can)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
    except OSError:  # pragma: no cover - some filesystems cannot fsync a folder
        pass


def _in_place(path: Path, data: bytes) -> None:
    """Rewrite the file's own inode: keeps hard links, owner and group (the journal holds the old bytes)."""
    with open(path, "r+b") as stream:
        stream.write(data)
        stream.truncate()
        stream.flush()
        os.fsync(stream.fileno())


def put_bytes(path: Path, data: bytes) -> None:
    """Replace an existing file's bytes atomically, keeping mode, owner, group and hard links."""
    info = path.stat()
    if info.st_nlink > 1:
        _in_place(path, data)
        return
    temp = path.with_name(f".{path.name}.ormfix-tmp")
    try:
        os.unlink(temp)  # ormfix's own leftover (its name is ormfix's)
    except FileNotFoundError:
        pass
    handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, info.st_mode & 0o7777)
        created = os.stat(temp)
        if (created.st_uid, created.st_gid) != (info.st_uid, info.st_gid):
            try:
                os.chown(temp, info.st_uid, info.st_gid)
            except OSError:  # not ours to give away: write in place, which keeps them
                os.unlink(temp)
                _in_place(path, data)
                return
            os.chmod(temp, info.st_mode & 0o7777)  # chown clears set-id bits
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise
    fsync_folder(path.parent)
