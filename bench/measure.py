"""Wall time and peak memory of a subprocess (and its children), the baselines L_import and L_ast."""

from __future__ import annotations

import ast
import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

# What the application pays: import the models, then the first configure_mappers(). A broken package
# raises in one or the other; the attempt is timed all the same (and its exception swallowed).
L_IMPORT_CODE = """\
try:
    import models
except Exception:
    pass
from sqlalchemy.orm import configure_mappers
try:
    configure_mappers()
except Exception:
    pass
"""


@dataclass
class Run:
    seconds: float
    returncode: int
    cpu: float  # user + system CPU seconds of the process and its waited-for children (insensitive to load)
    stdout: str
    stderr: str
    max_rss_mb: float  # largest single process of the tree (wait4 rusage: the process and its waited children)
    tree_peak_mb: float  # largest sampled sum of RSS over the process and its descendants (every 20 ms)


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss_kb(root: int) -> int:
    tree, total, todo = _children(), 0, [root]
    while todo:
        pid = todo.pop()
        total += _rss_kb(pid)
        todo.extend(tree.get(pid, []))
    return total


class _Sampler(threading.Thread):
    def __init__(self, pid: int, interval: float = 0.02):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_kb = pid, interval, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.interval):
            self.peak_kb = max(self.peak_kb, tree_rss_kb(self.pid))


def run(argv: list[str], cwd: Path | None = None, sample: bool = True, env: dict | None = None) -> Run:
    """Run argv to completion; wall time, output, and both peak-memory figures."""
    started = time.perf_counter()
    process = subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
    )
    sampler = _Sampler(process.pid) if sample else None
    if sampler:
        sampler.start()
    out: dict[str, bytes] = {}
    readers = [
        threading.Thread(target=lambda s=s, n=n: out.__setitem__(n, s.read()), daemon=True)
        for n, s in (("out", process.stdout), ("err", process.stderr))
    ]
    for reader in readers:
        reader.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    if sampler:
        sampler.done.set()
        sampler.join()
    return Run(
        seconds=seconds,
        returncode=process.returncode,
        cpu=usage.ru_utime + usage.ru_stime,
        stdout=out["out"].decode("utf-8", "replace"),
        stderr=out["err"].decode("utf-8", "replace"),
        max_rss_mb=usage.ru_maxrss / 1024,
        tree_peak_mb=(sampler.peak_kb if sampler else 0) / 1024,
    )


def best_of(times: int, measure) -> Run:
    """The fastest of ``times`` runs (its memory figures are the largest seen over all runs)."""
    runs = [measure() for _ in range(times)]
    best = min(runs, key=lambda r: r.seconds)
    best.cpu = min(r.cpu for r in runs)
    best.max_rss_mb = max(r.max_rss_mb for r in runs)
    best.tree_peak_mb = max(r.tree_peak_mb for r in runs)
    return best


def l_import(python: str, root: Path, times: int = 3) -> Run:
    """L_import: plain ``python -c "import models; configure_mappers()"`` in the package root."""
    return best_of(times, lambda: run([python, "-c", L_IMPORT_CODE], cwd=root))


def python_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def best_in_process(times: int, work) -> tuple[float, float]:
    """(best wall seconds, best CPU seconds) of ``times`` calls of ``work()`` in this process."""
    wall = cpu = float("inf")
    for _ in range(times):
        started, started_cpu = time.perf_counter(), time.process_time()
        work()
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - started_cpu)
    return wall, cpu


def _parse_all(files: list[Path]) -> None:
    for path in files:
        try:
            ast.parse(path.read_bytes())
        except SyntaxError:
            pass


def l_ast(root: Path, times: int = 3) -> tuple[float, float]:
    """L_ast: read every .py file and ``ast.parse`` it, in-process: (wall, CPU) seconds, best of ``times``."""
    files = python_files(root)
    return best_in_process(times, lambda: _parse_all(files))


def static_pass(root: Path, times: int = 3) -> tuple[float, float]:
    """ormfix's static pass in-process: ``discover()`` (file walk + ``build_index``): (wall, CPU), best of ``times``."""
    from ormfix.config import load_settings
    from ormfix.discover import discover

    return best_in_process(times, lambda: discover(root, load_settings(root)))
