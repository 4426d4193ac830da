"""Recorded probe results, replayed through the real pipeline without a subprocess (as ruff's snapshot tests do).

A recording (``tests/snapshots/probe/<project>.json``) is the ``ProbeResult`` the real probe returned for one
fixture or sample project, made portable: the paths of SQLAlchemy's, Python's and ormfix's own frames are
named by placeholders and the registries' ids renumbered. A snapshot (``tests/snapshots/plans/<project>.txt``)
is what ``pipeline.plan`` makes of that recording: each diagnosis's message and range, every fix's summary
and diff, or why it does not apply. ``python tests/snapshots/refresh.py`` rewrites both.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
import sysconfig
from pathlib import Path

import ormfix
from ormfix import discover as discover_module
from ormfix.discover import Project
from ormfix.interpreter import Interpreter
from ormfix.pipeline import Options, check, plan
from ormfix.probe.runner import ProbeResult, run_probe
from ormfix.report import Report

REPO = Path(__file__).resolve().parent.parent
SNAPSHOTS = REPO / "tests" / "snapshots"
RECORDINGS = SNAPSHOTS / "probe"
PLANS = SNAPSHOTS / "plans"
# the probe's time limit per project where the default (60 s) would make a recording slow
TIMEOUTS = {"fixture-orm004_hang": 3.0}
# what varies from run to run or machine to machine, and no diagnosis reads
UNRECORDED = ("seconds", "isolation")
# verification's findings: not part of an in-process plan
UNPLANNED = ("verified", "verification", "roundtrip")
# "<Post at 0x7ff8186ac810>" in a message: a different address each run
ADDRESS = re.compile(r" at 0x[0-9a-f]+>")


def projects() -> dict[str, Path]:
    """Every sample project and fixture, by recording name (``sample-library``, ``fixture-clean_flask``)."""
    found = {f"sample-{p.name}": p for p in sorted((REPO / "sample_projects").iterdir()) if p.is_dir()}
    fixtures = sorted((REPO / "tests" / "fixtures").iterdir())
    found.update({f"fixture-{p.name}": p for p in fixtures if (p / "case.json").exists()})
    return found


def _prefixes() -> list[tuple[str, str]]:
    """Absolute folders that differ between machines, most specific first, and their placeholders."""
    places = [
        (Path(ormfix.__file__).resolve().parent, "<ormfix>"),
        (Path(sysconfig.get_paths()["purelib"]).resolve(), "<site-packages>"),
        (Path(sysconfig.get_paths()["stdlib"]).resolve(), "<stdlib>"),
    ]
    return [(str(folder) + "/", name + "/") for folder, name in places]


def portable(result: ProbeResult) -> dict:
    """The result as a recording holds it: no timing, no machine's paths, no line of ormfix's own frames, no
    object addresses, registries numbered 1, 2, ..."""
    data = {k: v for k, v in dataclasses.asdict(result).items() if k not in UNRECORDED}
    prefixes = _prefixes()
    registries: dict[int, int] = {}  # numbered by their classes' names: the probe's order varies with addresses
    for cls in sorted(data["classes"], key=lambda c: (c.get("module") or "", c.get("class") or "")):
        if isinstance(cls.get("registry"), int):
            registries.setdefault(cls["registry"], len(registries) + 1)

    def walk(value: object) -> object:
        if isinstance(value, dict):
            value = {key: walk(item) for key, item in value.items()}
            for folder, name in prefixes:
                if isinstance(value.get("file"), str) and value["file"].startswith(folder):
                    value["file"] = name + value["file"][len(folder) :]
            if str(value.get("file", "")).startswith("<ormfix>/") and "line" in value:
                value["line"] = 0  # ormfix's own probe frames: an edit to the probe moves them, no diagnosis reads them
            if isinstance(value.get("registry"), int):
                value["registry"] = registries.setdefault(value["registry"], len(registries) + 1)
            return value
        if isinstance(value, list):
            return [walk(item) for item in value]
        return ADDRESS.sub(" at 0x...>", value) if isinstance(value, str) else value

    return {key: walk(value) for key, value in data.items()}


def comparable(recording: dict) -> dict:
    """A recording with what legitimately varies between two probe runs set aside: the order of the configure
    errors, warnings and classes of several registries (SQLAlchemy iterates its registries in address order) and
    the line a hang was interrupted at (diagnose reports the enclosing loop's line either way)."""
    data = json.loads(json.dumps(recording))  # a deep copy, tuples as lists (as a recording holds them)
    for key in ("errors", "warnings", "classes"):
        data[key] = sorted(data[key], key=lambda item: json.dumps(item, sort_keys=True))
    for frame in data["hang_frames"]:
        frame.pop("line", None)
    return data


def probe(name: str) -> dict:
    """Run the real probe on one project, as ``ormfix check`` does, and return the portable recording."""
    project_path = projects()[name]
    recorded: dict = {}

    def real_probe(project: Project) -> ProbeResult:
        result = run_probe(project)
        recorded.update(portable(result))
        return result

    check(project_path, Options(timeout=TIMEOUTS.get(name)), probe=real_probe)
    return recorded


def recording_path(name: str) -> Path:
    return RECORDINGS / f"{name}.json"


def load(name: str) -> ProbeResult:
    return ProbeResult(**json.loads(recording_path(name).read_text(encoding="utf-8")))


def replay(name: str) -> Report:
    """``pipeline.plan`` on the project with its recorded probe result: no subprocess."""
    recorded = load(name)
    saved = discover_module.find_python
    # the recording stands in for the project's interpreter: finding one may ask python3 whether it has SQLAlchemy
    discover_module.find_python = lambda *args: Interpreter(sys.executable, "the recording's interpreter")
    try:
        return plan(projects()[name], Options(timeout=TIMEOUTS.get(name)), probe=lambda project: recorded)
    finally:
        discover_module.find_python = saved


def render(report: Report) -> str:
    """Each diagnosis with every field of its JSON record, and each fix's diff verbatim (not verified)."""
    lines = []
    for title, diagnoses in (("diagnosis", report.diagnoses), ("suppressed", report.suppressed)):
        for diagnosis in diagnoses:
            record = diagnosis.to_json()
            fixes = record.pop("fixes")
            lines.append(f"=== {title} {record['code']} {record['file']}:{record['line']}")
            lines += [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in record.items()]
            for fix in fixes:
                diff = fix.pop("diff")
                lines.append(f"--- fix {fix['strategy']}")
                lines += [
                    f"{key}: {json.dumps(value, ensure_ascii=False)}"
                    for key, value in fix.items()
                    if key not in UNPLANNED
                ]
                lines.append(diff.rstrip("\n") if diff else "(no diff)")
    return "\n".join(lines or ["(no diagnosis)"]) + "\n"


def snapshot_path(name: str) -> Path:
    return PLANS / f"{name}.txt"
