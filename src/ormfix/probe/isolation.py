"""How the probe child is fenced in, from ormfix's side: the PID namespace, the launcher's config, its
report of what was in force, and what a limit that was hit looks like in a diagnosis.

The launcher (ormfix_probe_launcher.py) does the fencing inside the project's interpreter; this module
decides what it is asked for and reads back what it managed (never claiming more than that).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import subprocess
from pathlib import Path
from typing import Any

from ..discover import Project
from .events import ProbeEvent

DEFAULT_LIMITS = {"memory": 4096, "cpu": 600, "processes": 256, "file_size": 1024}  # MB, s, count, MB
SETTING = {
    "memory": "max-memory-mb",
    "cpu": "max-cpu-seconds",
    "processes": "max-processes",
    "file_size": "max-file-mb",
}
MB = 1024 * 1024


@functools.lru_cache(maxsize=8)
def namespace_prefix(python: str = "") -> tuple[str, ...]:
    """``unshare`` arguments that start the launcher as init of a new PID namespace (its own /proc, in a
    user namespace, so no privilege is needed or kept), or () where the system does not allow it (or
    the project's interpreter cannot run inside one: tried once per interpreter)."""
    unshare = shutil.which("unshare")
    if not unshare or os.environ.get("ORMFIX_NO_NAMESPACE"):  # the latter: test-only, to try the fallback
        return ()
    setpriv = shutil.which("setpriv")  # unshare dies with ormfix, and the namespace with unshare
    dies_with_ormfix = (setpriv, "--pdeathsig", "KILL") if setpriv else ()
    for user in (["--map-current-user"], ["--map-root-user"]):
        prefix = (*dies_with_ormfix, unshare, *user, "--pid", "--fork", "--kill-child", "--mount-proc")
        try:
            tried = subprocess.run(
                [*prefix, *([python, "-I", "-S", "-c", "pass"] if python else ["true"])],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=10,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if tried.returncode == 0:
            return prefix
    return ()


def limits_of(project: Project) -> dict[str, int]:
    """The launcher's limits in its units (bytes, seconds, processes)."""
    asked = dict(DEFAULT_LIMITS, **getattr(project, "limits", {}))
    return {
        "memory": int(asked["memory"] * MB),
        "cpu": int(asked["cpu"]),
        "processes": int(asked["processes"]),
        "file_size": int(asked["file_size"] * MB),
    }


def write_config(project: Project, scratch: Path, nice: int = 0) -> Path:
    """The launcher's orders: where the child may write, its limits, its niceness (a probe started ahead
    of its request yields the CPU to the one ormfix waits for), where to report."""
    path = scratch / "launcher.json"
    path.write_text(
        json.dumps(
            {
                "writable": [str(scratch)],
                "limits": limits_of(project),
                "nice": nice,
                "report": str(scratch / "isolation.json"),
                "exit": str(scratch / "exit.json"),
            }
        ),
        encoding="utf-8",
    )
    return path


def read_report(scratch: Path) -> dict[str, Any]:
    try:
        return json.loads((scratch / "isolation.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _limit(project: Project, name: str) -> str:
    value = dict(DEFAULT_LIMITS, **getattr(project, "limits", {}))[name]
    return f"[tool.ormfix] {SETTING[name]} = {value:g}"


def how_it_ended(project: Project, scratch: Path, returncode: int | None) -> str:
    """Why the probe ended before reporting, a limit that was hit named with its setting."""
    try:
        ended = json.loads((scratch / "exit.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        ended = {"code": returncode}
    number = ended.get("signal")
    if number == signal.SIGXCPU:
        return f"the probe used up its CPU time limit ({_limit(project, 'cpu')} seconds) before reporting"
    if number == signal.SIGXFSZ:
        return f"the models wrote a file larger than the probe's limit ({_limit(project, 'file_size')})"
    if number is not None:
        return f"the probe process was killed by {signal.Signals(number).name} (exit code -{number}) before reporting"
    return f"the probe process ended with exit code {ended.get('code')} before reporting"


def explain_limits(project: Project, import_errors: list[ProbeEvent]) -> None:
    """An import that failed on one of the probe's limits says which, and the setting that raises it."""
    for event in import_errors:
        kind, message = event.get("type"), str(event.get("message", ""))
        note = None
        if kind == "MemoryError":
            note = f"the probe's memory limit, {_limit(project, 'memory')}"
        elif "File too large" in message:
            note = f"the probe's file size limit, {_limit(project, 'file_size')}"
        elif kind == "BlockingIOError" and "Resource temporarily unavailable" in message:
            note = f"perhaps the probe's process limit, {_limit(project, 'processes')}"
        if note:
            event["message"] = f"{message} ({note})".strip()


def describe(fenced: dict[str, Any]) -> str:
    """One line for -v: what was in force for the child, and nothing more."""
    if not fenced:
        return "isolation: unknown (the launcher did not report)"
    parts = [
        "own PID namespace (ormfix's processes are invisible to it; all its processes end with it)"
        if fenced.get("pid_namespace")
        else "no PID namespace (unshare not available)"
    ]
    parts.append(
        "subreaper (orphaned processes are killed when it ends)" if fenced.get("subreaper") else "no subreaper"
    )
    abi = fenced.get("landlock", 0)
    parts.append(
        f"Landlock ABI {abi}: writes only in the scratch copy" + (", no signals outside it" if abi >= 6 else "")
        if abi
        else "no Landlock (writes are not fenced)"
    )
    limits = fenced.get("limits", {})
    shown = {
        "memory": lambda v: f"memory {v // MB} MB",
        "cpu": lambda v: f"CPU {v} s",
        "processes": lambda v: f"processes {v} (all of the user's)",
        "file_size": lambda v: f"file size {v // MB} MB",
    }
    if limits:
        parts.append("limits: " + ", ".join(shown[k](v) for k, v in limits.items() if k in shown))
    return "isolation: " + "; ".join(parts)
