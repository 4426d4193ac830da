"""Run the probe child on a scratch copy of the project and read back what it found.

User code never runs in ormfix's own process: the child runs with ``-B`` (no bytecode written), in a
scratch copy, with a scratch working directory and HOME, a minimal environment, a time limit and an
output limit, started by a launcher that fences it in (isolation.py says how: a PID namespace,
a subreaper, Landlock, resource limits).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..discover import Project
from ..write import encoding_of
from . import isolation
from .events import ClassRecord, Frame, ProbeEvent, Roundtrip
from .scratch import copy_project
from .scratch_pool import POOL

CHILD = Path(__file__).with_name("child.py")
LAUNCHER = Path(__file__).with_name("ormfix_probe_launcher.py")
OUTPUT_LIMIT = 64 * 1024
PASS_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "SYSTEMROOT", "VIRTUAL_ENV", "CONDA_PREFIX", "TZ")


@dataclass
class ProbeResult:
    status: str  # ok | timeout | died | no-sqlalchemy | crashed | no-python
    import_errors: list[ProbeEvent] = field(default_factory=list)
    errors: list[ProbeEvent] = field(default_factory=list)
    warnings: list[ProbeEvent] = field(default_factory=list)
    classes: list[ClassRecord] = field(default_factory=list)
    roundtrips: list[Roundtrip] = field(default_factory=list)
    detail: str = ""
    output: str = ""  # the head of what the models printed
    hang_frames: list[Frame] = field(default_factory=list)
    isolation: dict[str, Any] = field(default_factory=dict)  # what fenced the child in (the launcher's report)
    exit_code: int | None = None
    seconds: float = 0.0
    sqlalchemy_version: str = ""
    schema: dict[str, Any] | None = None  # the tables before any fix, when the request asked for them (apply)
    migration: dict[str, Any] | None = None  # the revision step's "migration" / "migration_error", when asked for

    @property
    def clean(self) -> bool:
        return self.status == "ok" and not self.import_errors and not self.errors


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


def make_scratch(project: Project, overrides: dict[str, str] | None = None) -> Path:
    """A scratch copy of the project's base folder, with ``overrides`` (relative path -> text) written in."""
    scratch = Path(tempfile.mkdtemp(prefix="ormfix-"))
    try:
        copy_project(project.base, scratch / "project", project.max_copy_mb)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    write_overrides(project, scratch, overrides or {})
    for sub in ("work", "home", "tmp"):
        (scratch / sub).mkdir()
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


def _environment(project: Project, scratch: Path) -> dict[str, str]:
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


def run_probe(
    project: Project,
    overrides: dict[str, str] | None = None,
    roundtrip: list[dict[str, str]] | None = None,
    extra: dict[str, Any] | None = None,
) -> ProbeResult:
    """``extra`` joins the request: ``schema`` (read the tables), ``migration`` (write the fixes' revision)."""
    with scratch_for(project, overrides) as scratch:
        return _run_in(project, scratch, roundtrip or [], extra)


@contextlib.contextmanager
def scratch_for(project: Project, overrides: dict[str, str] | None = None) -> Iterator[Path]:
    """A scratch copy with ``overrides`` written in, for one probe: a copy an earlier probe of this run left
    exactly as a fresh copy would be, else a fresh one (scratch_pool.py)."""
    scratch = POOL.take((project.base, project.max_copy_mb), project.base, lambda: make_scratch(project))
    try:
        write_overrides(project, scratch, overrides or {})
        yield scratch
    finally:
        POOL.give_back(scratch, project.base, list(overrides or {}))


def run_mode(project: Project, scratch: Path, extra: dict[str, Any]) -> tuple[ProbeResult, dict[str, Any]]:
    """Run the child in a scratch copy made by ``make_scratch`` with ``extra`` in its request (a migration
    mode); returns the probe's result and the raw JSON the child wrote."""
    result = _run_in(project, scratch, [], extra)
    try:
        raw = json.loads((scratch / "result.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raw = {}
    return result, raw


def _run_in(
    project: Project, scratch: Path, roundtrip: list[dict[str, str]], extra: dict[str, Any] | None = None
) -> ProbeResult:
    copy = scratch / "project"
    roots = [
        str(copy / root.relative_to(project.base)) if root.is_relative_to(project.base) else str(root)
        for root in project.roots
    ]
    request = {
        "roots": roots,
        "modules": project.modules,
        "timeout": project.timeout,
        "hang_file": str(scratch / "hang.txt"),
        "roundtrip": roundtrip,
        **(extra or {}),
    }
    request_path, result_path = scratch / "request.json", scratch / "result.json"
    request_path.write_text(json.dumps(request), encoding="utf-8")
    config_path = isolation.write_config(project, scratch)
    started = time.perf_counter()
    try:
        process = subprocess.Popen(
            [
                *isolation.namespace_prefix(project.python),
                project.python,
                "-B",
                str(LAUNCHER),
                str(config_path),
                str(CHILD),
                str(request_path),
                str(result_path),
            ],
            cwd=scratch / "work",
            env=_environment(project, scratch),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as exc:
        return ProbeResult(status="no-python", detail=f"cannot run {project.python}: {exc.strerror}")
    assert process.stdout is not None  # stdout=PIPE
    drain = _Drain(process.stdout)
    drain.start()
    timed_out = False
    try:
        process.wait(timeout=project.timeout + 10)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill_group(process)
    except BaseException:  # Ctrl-C: the child and everything it started end with ormfix
        _kill_group(process)
        raise
    _kill_group(process)  # whatever the models left running in the background
    drain.join(timeout=5)
    output = scrub(drain.kept.decode("utf-8", "replace"), copy)
    if drain.dropped:
        output += f"\n[ormfix: {drain.dropped} more bytes of output dropped]"
    seconds = time.perf_counter() - started
    result = _read_result(result_path, scratch, copy)
    fenced = isolation.read_report(scratch)
    if result is None:
        hang = _parse_hang(scratch / "hang.txt", copy)
        status = "timeout" if (timed_out or hang) else "died"
        detail = (
            f"the models did not finish importing within {project.timeout:g} s"
            if status == "timeout"
            else isolation.how_it_ended(project, scratch, process.returncode)
        )
        return ProbeResult(
            status=status,
            detail=detail,
            output=output,
            hang_frames=hang,
            exit_code=process.returncode,
            seconds=seconds,
            isolation=fenced,
        )
    result.output, result.seconds, result.exit_code = output, seconds, process.returncode
    result.isolation = fenced
    isolation.explain_limits(project, result.import_errors)
    return result


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:  # the launcher first kills the child and every process the child started
        try:
            process.terminate()
            process.wait(timeout=5)
        except (subprocess.TimeoutExpired, OSError):
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not ignorable
        pass


def _relative(path: str, copy: Path) -> str:
    try:
        return Path(path).resolve().relative_to(copy.resolve()).as_posix()
    except (ValueError, OSError):
        return path


MEMORY_ADDRESS = re.compile(r" (?:object )?at 0x[0-9a-fA-F]+(?=>)")


def scrub(text: str, copy: Path) -> str:
    """``text`` with the scratch copy's paths made relative to the project (no scratch path in a message) and
    no memory address (``<Post at 0x7f...>`` -> ``<Post>``): the same tree gives the same bytes."""
    if not isinstance(text, str):
        return text
    text = MEMORY_ADDRESS.sub("", text)
    for folder in {str(copy), str(copy.resolve())}:
        text = text.replace(folder + "/", "").replace(folder, ".")
    for folder in {str(copy.parent), str(copy.parent.resolve())}:  # the scratch's other folders (work, tmp)
        text = text.replace(folder + "/", "")
    return text


def _map_paths(records: list[ProbeEvent], copy: Path) -> None:
    for record in records:
        for frame in record.get("frames", []):
            frame["file"] = _relative(frame["file"], copy)
        if "file" in record and isinstance(record["file"], str):
            record["file"] = _relative(record["file"], copy)
        if "message" in record:
            record["message"] = scrub(record["message"], copy)


def _read_result(path: Path, scratch: Path, copy: Path) -> ProbeResult | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for key in ("import_errors", "errors", "warnings"):
        _map_paths(raw.get(key, []), copy)
    return ProbeResult(
        status=raw.get("status", "crashed"),
        import_errors=raw.get("import_errors", []),
        errors=raw.get("errors", []),
        warnings=raw.get("warnings", []),
        classes=raw.get("classes", []),
        roundtrips=raw.get("roundtrips", []),
        detail=scrub(raw.get("detail", ""), copy),
        sqlalchemy_version=raw.get("sqlalchemy_version", ""),
        schema=raw.get("schema"),
        migration={key: raw[key] for key in ("migration", "migration_error") if key in raw} or None,
    )


_FRAME = re.compile(r'^\s*File "(?P<file>.+)", line (?P<line>\d+) in (?P<function>.+)$')


def _parse_hang(path: Path, copy: Path) -> list[Frame]:
    """Frames (innermost first) that faulthandler dumped when the import hung."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    frames: list[Frame] = []
    for line in text.splitlines():
        match = _FRAME.match(line)
        if match:
            frames.append(
                {"file": _relative(match["file"], copy), "line": int(match["line"]), "function": match["function"]}
            )
    return frames
