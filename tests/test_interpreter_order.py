"""Which interpreter imports the models: the documented order, on real virtualenvs."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from conftest import SAMPLES, copy_project, run_ormfix

from ormfix.config import Settings
from ormfix.errors import UsageError
from ormfix.interpreter import find_python


def make_venv(folder: Path, with_sqlalchemy: bool = True) -> Path:
    """A real virtualenv (no pip: fast); with_sqlalchemy links the test interpreter's site-packages in."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    if with_sqlalchemy:
        purelib = subprocess.run(
            [str(folder / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        # addsitedir, not a bare path line: the linked folder's own .pth files (an editable install) apply too
        Path(purelib, "ormfix_tests_link.pth").write_text(
            f"import site; site.addsitedir({sysconfig.get_paths()['purelib']!r})\n"
        )
    return folder / "bin" / "python"


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No active virtualenv or conda environment, and a PATH without python3."""
    for name in ("VIRTUAL_ENV", "CONDA_PREFIX"):
        monkeypatch.delenv(name, raising=False)
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", f"{empty}{os.pathsep}/usr/bin/no-such-dir")
    return monkeypatch


def test_flag_then_config_then_project_venv(tmp_path, clean_env):
    project = tmp_path / "repo" / "app"
    project.mkdir(parents=True)
    (tmp_path / "repo" / ".git").mkdir()
    venv_python = make_venv(tmp_path / "repo" / ".venv", with_sqlalchemy=False)
    other = make_venv(tmp_path / "other", with_sqlalchemy=False)

    assert find_python(project, Settings(), str(other)).path == str(other)
    configured = Settings(python=str(other), source=tmp_path / "pyproject.toml")
    chosen = find_python(project, configured, None)
    assert chosen.path == str(other) and "[tool.ormfix] python" in chosen.reason
    chosen = find_python(project, Settings(), None)
    assert chosen.path == str(venv_python) and ".venv" in chosen.reason
    with pytest.raises(UsageError, match="no such interpreter"):
        find_python(project, Settings(), str(tmp_path / "missing" / "python"))


@pytest.mark.parametrize("name", ["venv", "env"])
def test_other_venv_names_and_the_repository_root_bound(tmp_path, clean_env, name):
    outside = make_venv(tmp_path / name, with_sqlalchemy=False)  # above the repository root: never used
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    project = repo / "src"
    project.mkdir()
    assert find_python(project, Settings(), None).path == sys.executable
    inside = make_venv(repo / name, with_sqlalchemy=False)
    assert find_python(project, Settings(), None).path == str(inside) != str(outside)


def test_a_folder_named_env_that_is_not_a_venv_is_skipped(tmp_path, clean_env):
    (tmp_path / ".git").mkdir()
    (tmp_path / "env" / "bin").mkdir(parents=True)  # e.g. deployment settings, no pyvenv.cfg
    (tmp_path / "env" / "bin" / "python").write_text("#!/bin/sh\n")
    assert find_python(tmp_path, Settings(), None).path == sys.executable


def test_active_venv_unless_it_is_ormfix_own(tmp_path, clean_env):
    (tmp_path / ".git").mkdir()
    active = make_venv(tmp_path / "elsewhere" / "active", with_sqlalchemy=False)
    clean_env.setenv("VIRTUAL_ENV", str(tmp_path / "elsewhere" / "active"))
    chosen = find_python(tmp_path, Settings(), None)
    assert chosen.path == str(active) and "VIRTUAL_ENV" in chosen.reason
    clean_env.setenv("VIRTUAL_ENV", sys.prefix)  # pre-commit / pipx: ormfix's own environment is active
    assert find_python(tmp_path, Settings(), None).path == sys.executable


def test_project_venv_beats_the_hook_venv(tmp_path, clean_env):
    """pre-commit activates the hook's venv; the repository's .venv has the project's packages."""
    (tmp_path / ".git").mkdir()
    project_python = make_venv(tmp_path / ".venv", with_sqlalchemy=False)
    hook = make_venv(tmp_path / "hook-env", with_sqlalchemy=False)
    clean_env.setenv("VIRTUAL_ENV", str(hook.parent.parent))
    assert find_python(tmp_path, Settings(), None).path == str(project_python)


def test_conda_prefix(tmp_path, clean_env):
    (tmp_path / ".git").mkdir()
    conda = make_venv(tmp_path / "conda-env", with_sqlalchemy=False)
    clean_env.setenv("CONDA_PREFIX", str(conda.parent.parent))
    chosen = find_python(tmp_path, Settings(), None)
    assert chosen.path == str(conda) and "CONDA_PREFIX" in chosen.reason


def test_poetry_environment(tmp_path, clean_env):
    """Poetry's own CLI answers `poetry env info --path`; a stand-in on PATH answers the same way."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.poetry]\nname = "shop"\n')
    env = make_venv(tmp_path / "cache" / "shop-py3.11", with_sqlalchemy=False)
    bin_dir = tmp_path / "poetry-bin"
    bin_dir.mkdir()
    poetry = bin_dir / "poetry"
    poetry.write_text(f'#!/bin/sh\n[ "$*" = "env info --path" ] && echo {env.parent.parent} && exit 0\nexit 1\n')
    poetry.chmod(0o755)
    clean_env.setenv("PATH", str(bin_dir))
    chosen = find_python(tmp_path, Settings(), None)
    assert chosen.path == str(env) and "Poetry" in chosen.reason


def test_python3_on_path_only_when_it_imports_sqlalchemy(tmp_path, clean_env):
    (tmp_path / "proj" / ".git").mkdir(parents=True)
    without = make_venv(tmp_path / "bare", with_sqlalchemy=False)
    clean_env.setenv("PATH", str(without.parent))
    assert find_python(tmp_path / "proj", Settings(), None).path == sys.executable
    with_sa = make_venv(tmp_path / "runner", with_sqlalchemy=True)
    clean_env.setenv("PATH", str(with_sa.parent))
    chosen = find_python(tmp_path / "proj", Settings(), None)
    assert chosen.path == str(with_sa.parent / "python3") and "python3 on PATH" in chosen.reason


def test_verbose_names_the_interpreter_and_why(tmp_path):
    project = copy_project(SAMPLES / "vividly", tmp_path)
    (project / ".git").mkdir()
    python = make_venv(project / ".venv")
    result = run_ormfix("check", str(project), "-q", "-v", env={"VIRTUAL_ENV": sys.prefix})
    assert result.returncode == 1, result.stderr
    assert f"interpreter: {python} (the project's virtualenv {project / '.venv'})" in result.stderr
    assert "ORM002" in result.stdout


def test_an_interpreter_without_sqlalchemy_is_one_line(tmp_path):
    project = copy_project(SAMPLES / "vividly", tmp_path)
    (project / ".git").mkdir()
    python = make_venv(project / ".venv", with_sqlalchemy=False)
    result = run_ormfix("check", str(project))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(python) in lines[0] and "cannot import SQLAlchemy" in lines[0], result.stderr
    assert "Traceback" not in result.stderr
