"""Write fixed files without ever losing user code.

Every file is checked first (still the content that was diagnosed, writable, decodable), then each is
written atomically (a temporary file in the same folder, fsync, rename), keeping its mode, encoding,
BOM and line endings. If any write fails, the files already written are restored: all or nothing.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import tokenize
from pathlib import Path

from .discover import Project
from .errors import WriteRefused
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


def _atomic_write(path: Path, data: bytes) -> None:
    mode = path.stat().st_mode & 0o7777
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".ormfix", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise
    try:
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    except OSError:  # pragma: no cover - some filesystems cannot fsync a folder
        pass


def write_files(project: Project, texts: dict[str, str], originals: dict[str, str],
                new_files: dict[Path, str] | None = None) -> list[str]:
    """Write ``texts`` (relative path -> new text) and create ``new_files`` (absolute path -> text: an
    Alembic revision, never overwriting a file), all or nothing. Returns the paths written (symlinks
    resolved; new files relative to PATH)."""
    for path in new_files or {}:
        if path.exists():
            raise WriteRefused(f"{path.name}: a file of that name already exists; nothing was written")
    targets: list[tuple[str, Path, bytes, bytes]] = []
    for rel, text in texts.items():
        link = project.base / rel
        path = link.resolve()
        _check(path, rel, originals.get(rel, text))
        encoding = encoding_of(path)
        old = path.read_bytes()
        try:
            new = text.encode(encoding)  # utf-8-sig re-adds a BOM; newlines were never translated
        except UnicodeEncodeError as exc:
            raise WriteRefused(f"{rel}: the fix cannot be written in the file's encoding {encoding} ({exc.reason}); "
                               "nothing was written") from None
        if new != old:
            targets.append((rel, path, old, new))
    written: list[tuple[Path, bytes]] = []
    created: list[Path] = []
    try:
        for _, path, old, new in targets:
            _atomic_write(path, new)
            written.append((path, old))
        for path, text in (new_files or {}).items():
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                created.append(path)
                handle.write(text)
    except OSError as exc:
        for path in created:
            path.unlink(missing_ok=True)
        for path, old in reversed(written):
            _atomic_write(path, old)
        raise WriteRefused(f"{path}: {exc.strerror}; every file was left as it was") from None
    results = []
    for rel, path, _, _ in targets:
        shown = rel if path == (project.base / rel).absolute() else f"{rel} -> {path}"
        results.append(shown)
    for path in created:
        results.append(os.path.relpath(path, project.path).replace(os.sep, "/"))
    return results
