"""Run the probe child on a scratch copy of the project and read back what it found.

User code never runs in ormfix's own process: the child runs with ``-B`` (no bytecode written), in a
scratch copy, with a scratch working directory and HOME, a minimal environment, a time limit and an
output limit, started by a launcher that fences it in (isolation.py says how: a PID namespace,
a subreaper, Landlock, resource limits).
"""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..discover import Project
from . import isolation, process
from .events import ClassRecord, Frame, ProbeEvent, Roundtrip
from .process import CHILD
from .scratch import make_scratch, write_overrides
from .scratch_pool import POOL
from .warm import WARM, scratch_key, start

__all__ = ["CHILD", "ProbeResult", "make_scratch", "run_mode", "run_probe", "scratch_for"]


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


def run_probe(
    project: Project,
    overrides: dict[str, str] | None = None,
    roundtrip: list[dict[str, str]] | None = None,
    extra: dict[str, Any] | None = None,
    meanwhile: Callable[[Running], None] | None = None,
) -> ProbeResult:
    """``extra`` joins the request: ``schema`` (read the tables), ``migration`` (write the fixes' revision).
    ``meanwhile`` runs in this thread while the child works (what the caller needs next: warm.py), told
    how far the child is."""
    started = WARM.take(project)
    if started is None:
        try:
            started = start(project)
        except process.NoPython as exc:
            return ProbeResult(status="no-python", detail=str(exc))
    try:
        write_overrides(project, started.scratch, overrides or {})
        return _run_in(project, started.scratch, roundtrip or [], extra, started, meanwhile)
    except BaseException:
        process.discard(started)  # (ended already, when the probe itself failed: discarding it again is harmless)
        raise
    finally:
        POOL.give_back(started.scratch, project.base, list(overrides or {}))


@dataclass
class Running:
    """How far a probe child is, for what its caller does meanwhile."""

    child: subprocess.Popen[bytes]
    gate: process.GoWhenReady | None  # None: a cold child, told to go at once

    def busy(self) -> bool:
        """Still working: preloading, or on its request."""
        return self.child.poll() is None and (self.gate is None or self.gate.is_alive() or self.gate.clean)


@contextlib.contextmanager
def scratch_for(project: Project, overrides: dict[str, str] | None = None) -> Iterator[Path]:
    """A scratch copy with ``overrides`` written in, for one probe: a copy an earlier probe of this run left
    exactly as a fresh copy would be, else a fresh one (scratch_pool.py)."""
    scratch = POOL.take(scratch_key(project), project.base, lambda size: make_scratch(project, size=size))
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
    project: Project,
    scratch: Path,
    roundtrip: list[dict[str, str]],
    extra: dict[str, Any] | None = None,
    started: process.Started | None = None,
    meanwhile: Callable[[Running], None] | None = None,
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
    (scratch / "request.json").write_text(json.dumps(request), encoding="utf-8")
    if started is not None:
        gate = process.GoWhenReady(started, project.timeout)
        gate.start()
        try:
            if meanwhile is not None:
                meanwhile(Running(started.process, gate))
                meanwhile = None
        except BaseException:  # Ctrl-C: ending the child ends the gate's wait too
            process.discard(started)
            gate.join()
            raise
        gate.join()
        if not gate.clean:  # its preload warned or failed: the models must see that as they would cold
            process.discard(started)
            WARM.forget_preload(project)
            started = None
    if started is None:
        try:
            started = process.spawn(project, scratch)
        except process.NoPython as exc:
            return ProbeResult(status="no-python", detail=str(exc))
        process.go(started)
    try:
        if meanwhile is not None:
            meanwhile(Running(started.process, None))
    except BaseException:
        process.discard(started)
        raise
    ended = process.finish(started, project.timeout + 10)
    output = scrub(ended.output.decode("utf-8", "replace"), copy)
    if ended.dropped:
        output += f"\n[ormfix: {ended.dropped} more bytes of output dropped]"
    result = _read_result(scratch / "result.json", scratch, copy)
    fenced = isolation.read_report(scratch)
    if result is None:
        hang = _parse_hang(scratch / "hang.txt", copy)
        status = "timeout" if (ended.timed_out or hang) else "died"
        detail = (
            f"the models did not finish importing within {project.timeout:g} s"
            if status == "timeout"
            else isolation.how_it_ended(project, scratch, ended.returncode)
        )
        return ProbeResult(
            status=status,
            detail=detail,
            output=output,
            hang_frames=hang,
            exit_code=ended.returncode,
            seconds=ended.seconds,
            isolation=fenced,
        )
    result.output, result.seconds, result.exit_code = output, ended.seconds, ended.returncode
    result.isolation = fenced
    isolation.explain_limits(project, result.import_errors)
    return result


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
