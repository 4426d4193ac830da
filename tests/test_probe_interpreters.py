"""The probe runs in the project's interpreter: here a venv with SQLAlchemy 2.0 and without ormfix."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES, run_ormfix

pytestmark = pytest.mark.slow  # builds venvs and downloads packages

CACHE = Path(os.environ.get("ORMFIX_TEST_CACHE", Path.home() / ".cache" / "ormfix-tests"))


@pytest.fixture(scope="session")
def sa20_python() -> str:
    """A venv with SQLAlchemy 2.0.x and Flask-SQLAlchemy, built once and cached (ormfix is not installed in it)."""
    venv = CACHE / "venv-sqlalchemy-2.0"
    python = venv / "bin" / "python"
    marker = venv / ".ready"
    if not marker.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "sqlalchemy>=2.0,<2.1", "flask-sqlalchemy>=3.0"],
            check=True,
            capture_output=True,
        )
        marker.write_text("ok")
    return str(python)


def test_the_venv_really_is_sqlalchemy_20_without_ormfix(sa20_python):
    out = subprocess.run(
        [sa20_python, "-c", "import sqlalchemy; print(sqlalchemy.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.startswith("2.0.")
    assert subprocess.run([sa20_python, "-c", "import ormfix"], capture_output=True).returncode != 0


@pytest.mark.parametrize(
    "sample, code, strategy",
    [
        ("kuwait_social", "ORM001", "add-fk-column"),
        ("vividly", "ORM002", "comment-out"),
        ("library", "ORM003", "foreign-keys"),
    ],
)
def test_samples_on_sqlalchemy_20(sa20_python, sample, code, strategy):
    result = run_ormfix("suggest", str(SAMPLES / sample), "--python", sa20_python, "--format", "json")
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert data["sqlalchemy_version"].startswith("2.0.")
    assert {d["code"] for d in data["diagnoses"]} == {code}
    for diagnosis in data["diagnoses"]:
        verified = {f["strategy"] for f in diagnosis["fixes"] if f["verified"]}
        assert strategy in verified


def test_interpreter_without_sqlalchemy_is_a_one_line_error(tmp_path):
    venv = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    result = run_ormfix("check", str(SAMPLES / "library"), "--python", str(venv / "bin" / "python"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "cannot import SQLAlchemy" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_missing_interpreter_is_a_one_line_error():
    result = run_ormfix("check", str(SAMPLES / "library"), "--python", "/nonexistent/python")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "no such interpreter" in result.stderr
