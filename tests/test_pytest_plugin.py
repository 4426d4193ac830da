"""`pytest --ormfix` and `assert_mappers_configure` in a project's own venv, on the Flask incident."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import SAMPLES, copy_project, run_ormfix
from test_interpreter_order import make_venv

pytestmark = pytest.mark.slow


@pytest.fixture
def kuwait(tmp_path) -> tuple[Path, Path]:
    """The broken Flask sample, with its own venv (Flask-SQLAlchemy, pytest and ormfix in it)."""
    project = copy_project(SAMPLES / "kuwait_social", tmp_path)
    (project / ".git").mkdir()
    return project, make_venv(project / ".venv")


def pytest_in(project: Path, python: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "VIRTUAL_ENV"))}
    environment.update(env)
    return subprocess.run(
        [str(python), "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", *args],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_pytest_ormfix_fails_naming_the_code_and_line_then_passes(kuwait):
    project, python = kuwait
    failed = pytest_in(project, python, "--ormfix", "-o", "ormfix_path=backend")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "models/campaign.py:21:5: ORM001 no-foreign-keys" in failed.stdout, failed.stdout
    assert "fix add-fk-column" in failed.stdout and "+    campaign_id = db.Column(" in failed.stdout
    assert "1 failed" in failed.stdout

    fixed = run_ormfix("apply", str(project))
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    passed = pytest_in(project, python, "--ormfix", "-o", "ormfix_path=backend")
    assert passed.returncode == 0 and "1 passed" in passed.stdout, passed.stdout + passed.stderr


def test_without_the_flag_the_plugin_adds_nothing_and_imports_nothing_heavy(kuwait):
    project, python = kuwait
    (project / "test_nothing.py").write_text(
        "import sys\n\ndef test_light():\n"
        "    assert 'ormfix.pytest_plugin' in sys.modules\n"
        "    assert not {'ormfix.api', 'ormfix.pipeline', 'sqlalchemy', 'libcst'} & set(sys.modules)\n"
    )
    result = pytest_in(project, python, "test_nothing.py")
    assert result.returncode == 0 and "1 passed" in result.stdout, result.stdout + result.stderr


def test_assert_mappers_configure_with_a_conftest_environment(kuwait):
    project, python = kuwait
    models = project / "backend" / "models" / "__init__.py"
    # the models need a variable that the project's conftest.py sets at start-up
    models.write_text("import os\nSECRET = os.environ['KUWAIT_SECRET']\n" + models.read_text())
    (project / "conftest.py").write_text("import os\nos.environ.setdefault('KUWAIT_SECRET', 'test')\n")
    (project / "test_models.py").write_text(
        "from ormfix.testing import assert_mappers_configure\n\n"
        "def test_models_configure():\n    assert_mappers_configure('models', path='backend')\n"
    )
    failed = pytest_in(project, python, "test_models.py")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "models/campaign.py:21:5: ORM001" in failed.stdout and "KUWAIT_SECRET" not in failed.stdout
    (project / "pyproject.toml").write_text('[tool.ormfix]\nenv = ["KUWAIT_SECRET=for-ormfix"]\n')
    fixed = run_ormfix("apply", str(project))
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    passed = pytest_in(project, python, "test_models.py")
    assert passed.returncode == 0, passed.stdout + passed.stderr
