"""Probe processes started ahead of their request, so a probe does not wait for SQLAlchemy to import.

Importing SQLAlchemy (and Flask-SQLAlchemy, SQLModel, Alembic) is most of a probe's time on a small
application. ``start`` launches the child on an empty scratch folder and copies the project while the
child imports them; ``WARM.prepare`` does the same for the probe the caller will need next (the first
verification, while the check probe runs), and ``WARM.take`` hands it over if its copy is still
exactly the project as it is now. A library the project shadows with its own module of that name is
never preloaded.
"""

from __future__ import annotations

import atexit
import shutil
import threading
from pathlib import Path

from ..discover import Project
from . import process
from .scratch import empty_scratch, fill_scratch
from .scratch_pool import POOL, tree_state

ALWAYS = ("sqlalchemy", "sqlalchemy.orm", "sqlalchemy.dialects.sqlite")  # what every probe imports
WHEN_USED = ("flask_sqlalchemy", "sqlmodel")  # preloaded when a project file names them
ALEMBIC = ("alembic.autogenerate", "alembic.operations", "alembic.migration", "alembic.config", "alembic.script")


def preload_for(project: Project, alembic: bool = False) -> tuple[str, ...]:
    """The libraries a child of this project may import before its models: those the models will import."""
    if _key(project) in WARM.cold:
        return ()
    used: set[str] = set()
    for path, _ in project.files.values():
        if len(used) == len(WHEN_USED):
            break
        try:
            data = path.read_bytes()
        except OSError:
            continue
        used.update(name for name in WHEN_USED if name.encode() in data)
    names = [*ALWAYS, *(name for name in WHEN_USED if name in used)]  # always in this order
    if alembic:
        names += ALEMBIC
    tops = {name.split(".")[0] for name in names}
    shadowed = {top for top in tops for root in project.roots if (root / top).exists() or (root / f"{top}.py").exists()}
    if "sqlalchemy" in shadowed:  # the project brings its own SQLAlchemy: nothing is imported before it
        return ()
    return tuple(name for name in names if name.split(".")[0] not in shadowed)


AHEAD_NICE = 10  # a process started ahead yields the CPU to the probe being waited for


def start(project: Project, alembic: bool = False, nice: int = 0) -> process.Started:
    """A probe process on a scratch copy of the project; a fresh copy is made while the child imports."""
    spawned: list[process.Started] = []
    preload = preload_for(project, alembic)

    def make(size: int) -> Path:
        scratch = empty_scratch(size)
        try:
            spawned.append(process.spawn(project, scratch, preload, nice))
        except BaseException:
            shutil.rmtree(scratch, ignore_errors=True)
            raise
        try:
            fill_scratch(project, scratch)
        except BaseException:
            process.discard(spawned[0])
            raise
        return scratch

    scratch = POOL.take(scratch_key(project), project.base, make)
    if spawned:
        return spawned[0]
    try:
        return process.spawn(project, scratch, preload, nice)
    except BaseException:
        POOL.give_back(scratch, project.base, [])
        raise


def scratch_key(project: Project) -> tuple:
    """What makes two scratch copies interchangeable (scratch_pool.py): the folder copied and the size limit."""
    return (project.base, project.max_copy_mb)


def _key(project: Project) -> tuple:
    """What a started process depends on besides its copy: the interpreter, environment and limits."""
    return (
        project.base,
        project.max_copy_mb,
        project.python,
        tuple(project.env),
        tuple(sorted(project.limits.items())),
    )


class WarmProbes:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.held: list[tuple[tuple, process.Started]] = []
        self.cold: set[tuple] = set()  # projects whose preload warned or failed once: never preloaded again

    def prepare(self, project: Project, alembic: bool = False, count: int = 1, nice: int = AHEAD_NICE) -> None:
        """Have ``count`` processes of this project started and waiting (``nice``: a process not waited for
        yet yields the CPU)."""
        key = _key(project)
        for _ in range(count):
            with self.lock:
                if sum(held_key == key for held_key, _ in self.held) >= count:
                    return
            try:
                started = start(project, alembic, nice)
            except (OSError, process.NoPython):
                return  # the probe that needs it starts its own and reports the failure
            with self.lock:
                self.held.append((key, started))

    def take(self, project: Project) -> process.Started | None:
        """The waiting process of this project, if its copy is still exactly the project as it is now."""
        key = _key(project)
        with self.lock:
            found = next((item for item in self.held if item[0] == key), None)
            if found is not None:
                self.held.remove(found)
        if found is None:
            return None
        started = found[1]
        if started.process.poll() is None and POOL.source_of(started.scratch) == tree_state(project.base, True):
            return started
        process.discard(started)
        POOL.give_back(started.scratch, project.base, [])
        return None

    def forget_preload(self, project: Project) -> None:
        self.cold.add(_key(project))

    def clear(self) -> None:
        with self.lock:
            held, self.held = self.held, []
        for _, started in held:
            process.discard(started)
            POOL.discard(started.scratch)


WARM = WarmProbes()
atexit.register(WARM.clear)
