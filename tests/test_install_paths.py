"""Installs the way users install: a wheel built from the sdist, in fresh virtualenvs, with no -e.

Also the projects ormfix supports besides its own environment: SQLAlchemy 1.4 on Python 3.8.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SAMPLES, configure_in_subprocess, copy_project

pytestmark = pytest.mark.slow

CACHE = Path(os.environ.get("ORMFIX_TEST_CACHE", Path.home() / ".cache" / "ormfix-tests"))
OLDEST_PYTHON = "3.8"  # the oldest Python ormfix probes projects with (README: supported versions)


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=900, **kwargs)


def _pip(venv: Path, *args: str) -> None:
    result = _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", *args])
    assert result.returncode == 0, result.stderr


def _ormfix(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The installed console script, as a user runs it: the venv's bin first on PATH, no venv active."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", NO_COLOR="1", COLUMNS="200")
    return _run([str(venv / "bin" / "ormfix"), *args], cwd=cwd, env=env)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The sdist, and a wheel built from it (what `pip install ormfix` gets from an index)."""
    out = tmp_path_factory.mktemp("dist")
    source = tmp_path_factory.mktemp("source") / "ormfix"
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(".git", ".venv*", "__pycache__", "*.egg-info", "build", "dist", "bench"),
    )
    sdist = _run([sys.executable, "-m", "build", "--sdist", "--outdir", str(out), str(source)])
    assert sdist.returncode == 0, sdist.stderr[-2000:]
    (tarball,) = out.glob("ormfix-*.tar.gz")
    built = _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(tarball)])
    assert built.returncode == 0, built.stderr[-2000:]
    (found,) = out.glob("ormfix-*.whl")
    return found


def test_wheel_in_a_fresh_venv_without_extras(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    _pip(venv, str(wheel))
    project = copy_project(SAMPLES / "vividly", tmp_path)
    result = _ormfix(venv, "check", str(project), "-q", "-v", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "ORM002" in result.stdout and "backend/app/models/organization.py:32:9: ORM002" in result.stdout
    assert f"interpreter: {venv / 'bin' / 'python'}" in result.stderr
    codes = _ormfix(venv, "codes", cwd=tmp_path)
    assert codes.returncode == 0 and "ORM001" in codes.stdout, codes.stderr
    shipped = _run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import importlib.resources as r, ormfix.codemods, ormfix.remedy, ormfix.formats; "
            "print(r.files('ormfix').joinpath('py.typed').is_file())",
        ]
    )
    assert shipped.stdout.strip() == "True", shipped.stderr
    click = _run([str(venv / "bin" / "python"), "-c", "import ormfix.cli, sys; print('click' in sys.modules)"])
    assert click.returncode == 0, click.stderr
    metadata = _run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "from importlib.metadata import metadata as m; d = m('ormfix'); "
            "print(d['License-Expression'], bool(d.get_all('Project-URL')), d['Keywords'] is not None)",
        ]
    )
    assert metadata.stdout.split() == ["MIT", "True", "True"], metadata.stdout + metadata.stderr


def test_wheel_installs_beside_sqlalchemy_14(wheel, tmp_path):
    venv = tmp_path / "venv14"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    _pip(venv, str(wheel), "sqlalchemy==1.4.54")
    version = _run([str(venv / "bin" / "python"), "-c", "import sqlalchemy; print(sqlalchemy.__version__)"])
    assert version.stdout.strip() == "1.4.54"
    project = copy_project(SAMPLES / "library", tmp_path)  # classic models: they run on 1.4 too
    result = _ormfix(venv, "suggest", str(project), "-q", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.count("ORM003 ambiguous-foreign-keys") == 2, result.stdout
    applied = _ormfix(venv, "apply", str(project), "--strategy=foreign-keys", cwd=tmp_path)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert configure_in_subprocess(project, "models", python=str(venv / "bin" / "python")).returncode == 0


def _oldest_python() -> str | None:
    """A Python 3.8 that runs (a pyenv shim on PATH may exist for a version that is not selected)."""
    pyenv = [str(p) for p in sorted(Path.home().glob(f".pyenv/versions/{OLDEST_PYTHON}.*/bin/python"))]
    for candidate in [*reversed(pyenv), shutil.which(f"python{OLDEST_PYTHON}")]:
        if candidate and _run([candidate, "-c", "import venv"]).returncode == 0:
            return candidate
    return None


@pytest.fixture(scope="module")
def sqlalchemy14_python() -> str:
    """A Python 3.8 venv with SQLAlchemy 1.4.54 and Flask-SQLAlchemy 2.5 (built once, cached)."""
    base = _oldest_python()
    if base is None:
        pytest.skip(f"no Python {OLDEST_PYTHON} on this machine")
    venv = CACHE / f"venv-py{OLDEST_PYTHON}-sqlalchemy-1.4"
    marker = venv / ".ready"
    if not marker.exists():
        subprocess.run([base, "-m", "venv", "--clear", str(venv)], check=True)
        _pip(venv, "sqlalchemy==1.4.54", "flask-sqlalchemy==2.5.1", "flask<2.3", "werkzeug<2.3")
        marker.write_text("ok")
    return str(venv / "bin" / "python")


def test_probe_on_sqlalchemy_14_and_python_38_finds_and_fixes(sqlalchemy14_python, tmp_path):
    from conftest import run_ormfix

    project = copy_project(SAMPLES / "kuwait_social", tmp_path)
    found = run_ormfix("check", str(project), "--python", sqlalchemy14_python, "-q", "-v")
    assert found.returncode == 1, found.stdout + found.stderr
    assert "backend/models/campaign.py:21:5: ORM001" in found.stdout and "SQLAlchemy 1.4.54" in found.stderr
    fixed = run_ormfix("apply", str(project), "--python", sqlalchemy14_python)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "Nothing left: configure_mappers() passes." in fixed.stdout
    assert configure_in_subprocess(project / "backend", "models", python=sqlalchemy14_python).returncode == 0


def test_models_written_for_20_on_14_are_one_diagnosis(sqlalchemy14_python, tmp_path):
    from conftest import run_ormfix

    project = copy_project(SAMPLES / "vividly", tmp_path)
    result = run_ormfix("check", str(project), "--python", sqlalchemy14_python, "--format", "json")
    assert result.returncode == 1, result.stderr
    import json

    diagnoses = json.loads(result.stdout)["diagnoses"]
    assert len(diagnoses) == 1, [d["message"] for d in diagnoses]
    assert "need SQLAlchemy 2.0" in diagnoses[0]["message"] and "1.4.54" in diagnoses[0]["message"]
    assert diagnoses[0]["file"].endswith(".py") and diagnoses[0]["line"]
