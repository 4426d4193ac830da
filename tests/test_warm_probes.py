"""Probe processes started ahead of their request (probe/warm.py, probe/process.py): what the models see is
what a cold start shows them, a preload that warns or fails is never used, a stale copy is never used, and
nothing is left behind."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ormfix.config import load_settings
from ormfix.discover import discover
from ormfix.probe import process, warm
from ormfix.probe import scratch as scratch_module
from ormfix.probe.runner import run_probe
from ormfix.probe.scratch import empty_scratch
from ormfix.probe.warm import WARM, preload_for

MODELS = """\
import warnings

from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()
warnings.warn("models say hello")


class Author(Base):
    __tablename__ = "authors"
    id = Column(Integer, primary_key=True)
    books = relationship("Book")


class Book(Base):
    __tablename__ = "books"
    id = Column(Integer, primary_key=True)
    shelf_id = Column(Integer)
"""


def make_project(folder: Path, env: list[str] | None = None, models: str = MODELS):
    (folder / "app").mkdir(parents=True)
    (folder / "app" / "__init__.py").write_text("")
    (folder / "app" / "models.py").write_text(models)
    return discover(folder, load_settings(folder), models=["app.models"], python=sys.executable, env=env or [])


def seen(result) -> tuple:
    """What a probe reports about the models (its timing and output aside)."""
    return (
        result.status,
        [(e.get("kind"), e.get("message")) for e in result.errors],
        [(w.get("file"), w.get("line"), w.get("message")) for w in result.warnings],
        sorted(c["class"] for c in result.classes),
    )


@pytest.fixture(autouse=True)
def no_process_left():
    WARM.clear()
    yield
    WARM.clear()
    WARM.cold.clear()


def test_a_warm_probe_reports_what_a_cold_one_does(tmp_path):
    project = make_project(tmp_path / "p")
    cold = run_probe(project)
    WARM.prepare(project)
    [(_, started)] = WARM.held
    assert started.preload[:2] == ("sqlalchemy", "sqlalchemy.orm")
    hot = run_probe(project)
    assert not WARM.held  # it was used
    assert seen(hot) == seen(cold)
    assert any(
        "no foreign key" in str(message).lower() or "NoForeignKeys" in str(kind) for kind, message in seen(hot)[1]
    )
    assert ("app/models.py", 7, "models say hello") in [(f, n, m.split(": ", 1)[-1]) for f, n, m in seen(hot)[2]]


def test_a_preload_that_warns_is_never_used_and_the_models_see_the_warning_in_place(tmp_path, monkeypatch):
    library = tmp_path / "site"
    library.mkdir()
    (library / "noisy.py").write_text("import warnings\nwarnings.warn('noisy library imported')\n")
    models = MODELS.replace("import warnings\n", "import warnings\nimport noisy\n")
    project = make_project(tmp_path / "p", env=[f"PYTHONPATH={library}"], models=models)
    monkeypatch.setattr(warm, "WHEN_USED", ("noisy",))
    assert "noisy" in preload_for(project)
    first = run_probe(project)  # preloaded noisy, which warned: that process was ended and a cold one ran
    assert preload_for(project) == ()  # that project is not preloaded again in this run
    cold = run_probe(project)
    assert seen(first) == seen(cold)
    assert [(w["file"], w["line"]) for w in cold.warnings if "noisy library imported" in w["message"]] == [
        ("app/models.py", 2)
    ]


@pytest.mark.parametrize("library", ["import warnings\nwarnings.warn('x')\n", "raise ImportError('broken')\n", ""])
def test_the_child_says_whether_its_preload_was_clean(tmp_path, library):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "lib_under_test.py").write_text(library)
    project = make_project(tmp_path / "p", env=[f"PYTHONPATH={tmp_path / 'site'}"])
    scratch = empty_scratch(0)
    started = process.spawn(project, scratch, ("lib_under_test",))
    try:
        assert process.preloaded_cleanly(started, 60) is (library == "")
    finally:
        process.discard(started)
        shutil.rmtree(scratch)
    assert started.process.returncode is not None


def test_a_project_that_ships_its_own_sqlalchemy_gets_nothing_preloaded(tmp_path):
    project = make_project(tmp_path / "p")
    (tmp_path / "p" / "sqlalchemy").mkdir()
    assert preload_for(project) == ()
    assert preload_for(make_project(tmp_path / "q"))[:1] == ("sqlalchemy",)


def test_a_copy_made_before_the_project_changed_is_not_used(tmp_path):
    project = make_project(tmp_path / "p")
    WARM.prepare(project)
    [(_, started)] = WARM.held
    fixed = MODELS.replace("shelf_id = Column(Integer)", "author_id = Column(Integer, ForeignKey('authors.id'))")
    (tmp_path / "p" / "app" / "models.py").write_text(fixed)
    result = run_probe(project)
    assert result.status == "ok" and not result.errors  # the edit was seen: a fresh copy ran
    assert started.process.returncode is not None and not started.scratch.exists()


def test_an_unused_warm_process_ends_and_its_copy_is_deleted(tmp_path):
    project = make_project(tmp_path / "p")
    WARM.prepare(project)
    [(_, started)] = WARM.held
    assert started.process.poll() is None  # waiting for its request
    WARM.clear()
    assert started.process.returncode is not None
    assert not started.scratch.exists()
    assert not os.path.exists(f"/proc/{started.process.pid}")


def test_a_run_that_needed_no_second_probe_leaves_no_process_waiting(tmp_path):
    from ormfix import api

    make_project(tmp_path / "p")
    report = api.suggest(tmp_path / "p", models=["app.models"], python=sys.executable, verify=False)
    assert report.diagnoses and not WARM.held


def test_a_run_removes_the_scratch_folders_of_killed_runs_and_only_those(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # scratch folders go there (and tempfile reads it afresh)
    monkeypatch.setattr(scratch_module.tempfile, "tempdir", None)
    monkeypatch.setattr(scratch_module, "_swept", set())
    gone = subprocess.Popen(["true"])
    gone.wait()
    killed = tmp_path / f"ormfix-{gone.pid}.12345-abcd1234"  # a run that ended without cleaning up
    reused = tmp_path / f"ormfix-{os.getppid()}.1-abcd1234"  # that PID runs now, but started at another time
    alive = tmp_path / f"ormfix-{scratch_module._mark(os.getppid())}-abcd1234"  # a run going on now
    other = tmp_path / "ormfix-report"  # not a scratch folder
    for folder in (killed, reused, alive, other):
        (folder / "project").mkdir(parents=True)
    made = empty_scratch(0)
    assert made.parent == tmp_path and made.exists()
    assert not killed.exists() and not reused.exists()
    assert alive.exists() and other.exists()
    shutil.rmtree(made)


def test_ctrl_c_while_the_caller_works_meanwhile_ends_the_child_at_once(tmp_path, monkeypatch):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sleepy.py").write_text("import time\ntime.sleep(60)\n")  # a preload that takes long
    project = make_project(tmp_path / "p", env=[f"PYTHONPATH={tmp_path / 'site'}"], models="import sleepy\n" + MODELS)
    monkeypatch.setattr(warm, "WHEN_USED", ("sleepy",))
    seen_children = []

    def interrupted(running) -> None:
        seen_children.append(running.child)
        raise KeyboardInterrupt

    clock = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        run_probe(project, meanwhile=interrupted)
    assert time.perf_counter() - clock < 10  # not the minute the preload takes
    [child] = seen_children
    assert child.returncode is not None and not os.path.exists(f"/proc/{child.pid}")


def _autogroups_settable() -> bool:
    """Scheduler autogroups exist here and a process may set its own (writing back its current niceness)."""
    try:
        current = Path("/proc/self/autogroup").read_text().split()[-1]
        Path("/proc/self/autogroup").write_text(current)
    except (OSError, IndexError):
        return False
    return True


@pytest.mark.skipif(not _autogroups_settable(), reason="no scheduler autogroups a process may set here")
def test_a_process_started_ahead_yields_the_cpu_in_its_session_s_autogroup_too(tmp_path):
    project = make_project(tmp_path / "p")
    WARM.prepare(project)  # niced: AHEAD_NICE
    WARM.prepare(project, count=2, nice=0)  # the one waited for first (early.py): not niced
    [(_, ahead), (_, waited_for)] = WARM.held
    for started in (ahead, waited_for):
        assert process.preloaded_cleanly(started, 60)  # the launcher set its priority before the preload
    groups = [Path(f"/proc/{s.process.pid}/autogroup").read_text().split() for s in (ahead, waited_for)]
    assert groups[0][-2:] == ["nice", str(warm.AHEAD_NICE)] and groups[1][-2:] == ["nice", "0"], groups
    assert groups[0][0] != Path("/proc/self/autogroup").read_text().split()[0]  # a session, and group, of its own
