"""Shared helpers: copies of fixture projects, the installed CLI in a subprocess, an independent check."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLES = REPO / "sample_projects"


def case_names(prefix: str = "") -> list[str]:
    return sorted(p.name for p in FIXTURES.iterdir() if (p / "case.json").exists() and p.name.startswith(prefix))


def manifest(name: str) -> dict:
    return json.loads((FIXTURES / name / "case.json").read_text())


def copy_project(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / source.name
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "case.json"))
    return target


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under root (path -> sha256), to prove nothing changed or appeared."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() or p.is_symlink()
    }


def run_ormfix(
    *args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    """The installed ormfix, as a user runs it (python -m ormfix with the test interpreter)."""
    full_env = dict(os.environ, NO_COLOR="1", COLUMNS="200")
    full_env.pop("VIRTUAL_ENV", None)
    if env:
        full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "ormfix", *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout
    )


# assign one transient object through every back_populates relationship (what fails on first use)
USE_PAIRS = (
    "from sqlalchemy.orm import mapperlib\n"
    "for registry in list(mapperlib._mapper_registries):\n"
    "    for mapper in registry.mappers:\n"
    "        for prop in mapper.relationships:\n"
    "            if prop.back_populates:\n"
    "                owner, item = prop.parent.class_manager.new_instance(), prop.mapper.class_manager.new_instance()\n"
    "                getattr(owner, prop.key).append(item) if prop.uselist else setattr(owner, prop.key, item)\n"
)


def configure_in_subprocess(
    root: Path,
    module: str,
    python: str = sys.executable,
    strict: bool = False,
    flush: str | None = None,
    use_pairs: bool = False,
) -> subprocess.CompletedProcess:
    """Independent of ormfix: import the models and run configure_mappers() + create_all on SQLite.

    ``strict``: SQLAlchemy's warnings count as failures (for the codes that diagnose an SAWarning).
    ``flush``: statements (a case's "flush") that create the tables on ``engine`` and add objects to
    ``session``; the session is then flushed (for the codes that only fail at the first flush).
    ``use_pairs``: also assign through each back_populates relationship (for errors raised on first use)."""
    code = (
        "import importlib, sys, warnings\n"
        + ("from sqlalchemy.exc import SAWarning\nwarnings.simplefilter('error', SAWarning)\n" if strict else "")
        + f"importlib.import_module({module!r})\n"
        "from sqlalchemy.orm import configure_mappers\n"
        "configure_mappers()\n"
        + (
            "from sqlalchemy import create_engine\nfrom sqlalchemy.orm import Session\n"
            "engine = create_engine('sqlite://')\nsession = Session(engine)\n" + flush + "\nsession.flush()\n"
            if flush
            else ""
        )
        + (USE_PAIRS if use_pairs else "")
        + "print('CONFIGURED')\n"
    )
    return subprocess.run(
        [python, "-B", "-c", code],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, PYTHONPATH=str(root), PYTHONDONTWRITEBYTECODE="1"),
    )


@pytest.fixture
def project_copy(tmp_path):
    def make(name: str) -> Path:
        source = FIXTURES / name if (FIXTURES / name).exists() else SAMPLES / name
        return copy_project(source, tmp_path)

    return make
