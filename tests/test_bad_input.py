"""Bad input: a clear message, a non-zero exit, no traceback, and every file under PATH unchanged.

Each case runs the installed ormfix in a subprocess, as a user meets it, and snapshots the project
tree before and after (content, mode, and no new entry: no __pycache__, no SQLite file).
"""

from __future__ import annotations

import socket

import pytest
from conftest import FIXTURES, copy_project, manifest
from safety import (
    assert_one_line_error,
    diagnoses_of,
    run_in_process,
    run_untouched,
    snapshot,
    widget_project,
    write_tree,
)

# --------------------------------------------------------------------------- usage / input errors: exit 2


def test_missing_path(tmp_path):
    result = run_untouched(tmp_path, "check", str(tmp_path / "nowhere"))
    assert_one_line_error(result, "nowhere", "no such file or directory")


def test_path_is_a_file(tmp_path):
    (tmp_path / "models.py").write_text("x = 1\n")
    result = run_untouched(tmp_path, "apply", str(tmp_path / "models.py"))
    assert_one_line_error(result, "models.py", "not a directory")


@pytest.mark.parametrize(
    "files", [{}, {"util.py": "def f():\n    return 1\n", "pkg/__init__.py": ""}], ids=["empty", "no-mapped-classes"]
)
def test_folder_without_mapped_classes(tmp_path, files):
    project = write_tree(tmp_path / "proj", files)
    project.mkdir(exist_ok=True)
    result = run_untouched(project, "suggest", str(project))
    assert_one_line_error(result, "no SQLAlchemy mapped classes found", str(project))


@pytest.mark.parametrize(
    "toml, fragment",
    [
        ("[tool.ormfix\nmodels = ['models']\n", "cannot read [tool.ormfix]"),
        ("[tool.ormfix]\nmodles = ['models']\n", "unknown key(s) in [tool.ormfix]: modles"),
        ("[tool.ormfix]\nmodels = 3\n", "models must be a module name or a list"),
        ("[tool.ormfix]\ntimeout = -1\n", "timeout must be a positive number"),
        ("[tool]\normfix = 'x'\n", "[tool.ormfix] must be a table"),
    ],
    ids=["syntax", "unknown-key", "models-type", "timeout", "not-a-table"],
)
def test_broken_tool_ormfix(tmp_path, capsys, toml, fragment):
    project = copy_project(FIXTURES / "orm001_classic_missing_column", tmp_path)
    (project / "pyproject.toml").write_text(toml)
    before = snapshot(project)
    assert_one_line_error(run_in_process(capsys, "apply", str(project)), "pyproject.toml", fragment)
    assert snapshot(project) == before


def test_broken_tool_ormfix_installed_script(tmp_path):
    project = copy_project(FIXTURES / "orm001_classic_missing_column", tmp_path)
    (project / "pyproject.toml").write_text("[tool.ormfix]\nmodels = [\n")
    result = run_untouched(project, "apply", str(project), "--strategy", "add-fk-column")
    assert_one_line_error(result, "pyproject.toml", "cannot read [tool.ormfix]")


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["check", "--bogus"], "No such option: --bogus"),
        (["check", "--timeout", "abc"], "--timeout"),
        (["check", "--timeout", "0"], "--timeout must be a positive number"),
        (["suggest", "--strategy", "guess"], "unknown strategy 'guess'"),
        (["frobnicate"], "No such command"),
        (["check", "--python", "/no/such/python"], "no such interpreter"),
        (["explain", "ORM999"], "unknown code"),
    ],
    ids=["option", "timeout-type", "timeout-zero", "strategy", "command", "python", "code"],
)
def test_bad_command_line(tmp_path, capsys, monkeypatch, args, fragment):
    project = copy_project(FIXTURES / "orm001_classic_missing_column", tmp_path)
    monkeypatch.chdir(project)
    before = snapshot(project)
    assert_one_line_error(run_in_process(capsys, *args), fragment)
    assert snapshot(project) == before


def test_bad_command_line_installed_script(tmp_path):
    project = copy_project(FIXTURES / "orm001_classic_missing_column", tmp_path)
    result = run_untouched(project, "suggest", "--bogus", cwd=project)
    assert_one_line_error(result, "No such option: --bogus")


# --------------------------------------------------------------------------- models that cannot be imported: ORM004, exit 1

IMPORT_FAILURES = {
    "orm004_syntax_error": "SyntaxError: '(' was never closed",
    "orm004_non_utf8": "'utf-8' codec can't decode byte 0xe9",
    "orm004_raises_at_import": "RuntimeError: boom",
    "orm004_sys_exit": "called sys.exit(3)",
    "orm004_os_exit": "called os._exit(4)",
    "orm004_hang": "did not finish importing within 3 s (still running models/widget.py:6)",
    "orm004_env_var": "environment variable 'ORMFIX_FIXTURE_REQUIRED_VAR' is not set (pass it with [tool.ormfix] env = [\"ORMFIX_FIXTURE_REQUIRED_VAR\"])",
    "orm004_missing_package": "No module named 'not_installed_pkg_xyz'",
}


def assert_import_failure(result, file: str, line: int, fragment: str, also: tuple = ()) -> None:
    """Exit 1 and one ORM004 at file:line (then ``also``: diagnoses of what did get imported)."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    found = diagnoses_of(result)
    assert [(d["code"], d["file"], d["line"]) for d in found] == [("ORM004", file, line), *also], found
    assert fragment in found[0]["message"], found[0]["message"]
    assert "\n" not in found[0]["message"]


@pytest.mark.parametrize("case", sorted(IMPORT_FAILURES))
def test_fixture_import_failure(tmp_path, case):
    expected = manifest(case)
    project = copy_project(FIXTURES / case, tmp_path)
    result = run_untouched(project, "check", str(project), "--format", "json", "--timeout", "3")
    assert_import_failure(result, expected["file"], expected["line"], IMPORT_FAILURES[case])


def test_environment_variable_named_in_the_settings_reaches_the_probe(tmp_path):
    project = copy_project(FIXTURES / "orm004_env_var", tmp_path)
    (project / "pyproject.toml").write_text('[tool.ormfix]\nenv = ["ORMFIX_FIXTURE_REQUIRED_VAR=bucket"]\n')
    result = run_untouched(project, "check", str(project))
    assert result.returncode == 0 and "No problems found" in result.stdout, (result.stdout, result.stderr)


def test_suggest_and_apply_on_import_failure_write_nothing(tmp_path):
    project = copy_project(FIXTURES / "orm004_raises_at_import", tmp_path)
    patches = tmp_path / "patches"
    suggested = run_untouched(project, "suggest", str(project), "--patch-dir", str(patches))
    assert suggested.returncode == 1 and "models/widget.py:6:1: ORM004" in suggested.stdout
    applied = run_untouched(project, "apply", str(project), "--strategy", "auto", "--unsafe-fixes")
    assert applied.returncode == 1 and "ORM004" in applied.stdout
    assert list(patches.glob("*.patch")) == []


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the block ends: nothing listens there


GENERATED_FAILURES = {
    "network": (
        lambda: f"import socket; socket.create_connection(('127.0.0.1', {_closed_port()}), timeout=5)",
        "ConnectionRefusedError",
    ),
    "megabytes-then-raise": (
        lambda: (
            "import sys; print('x' * 4_000_000); sys.stderr.write('y' * 4_000_000); raise ValueError('after the flood')"
        ),
        "ValueError: after the flood",
    ),
    "reads-stdin": (lambda: "input('database password: ')", "EOFError"),
    "relative-import-of-missing-module": (lambda: "from . import settings", "ImportError"),
}


@pytest.mark.parametrize("case", sorted(GENERATED_FAILURES))
def test_generated_import_failure(tmp_path, case):
    statement, fragment = GENERATED_FAILURES[case]
    project = widget_project(tmp_path, statement())
    result = run_untouched(project, "check", str(project), "--format", "json")
    assert_import_failure(result, "models/widget.py", 6, fragment)
    assert len(result.stdout) < 20_000  # the models' output is never echoed wholesale


def test_killed_by_a_signal_at_import(tmp_path):
    project = widget_project(tmp_path, "import os, signal; os.kill(os.getpid(), signal.SIGKILL)")
    result = run_untouched(project, "check", str(project), "--format", "json")
    assert result.returncode == 1
    [found] = diagnoses_of(result)
    assert found["code"] == "ORM004" and "exit code -9" in found["message"]


# --------------------------------------------------------------------------- models with side effects that still import


@pytest.mark.parametrize(
    "statement",
    [
        "import sqlite3; sqlite3.connect('app.db').execute('create table t (x)')",
        "import os, sqlite3; sqlite3.connect(os.path.join(os.path.dirname(__file__), 'app.db')).execute('create table t (x)')",
        "import pathlib; pathlib.Path(__file__).with_name('generated.py').write_text('x = 1')",
        "import sys; print('x' * 5_000_000); sys.stderr.write('y' * 5_000_000)",
    ],
    ids=["sqlite-relative", "sqlite-next-to-file", "writes-next-to-file", "megabytes"],
)
def test_side_effects_at_import_stay_out_of_path(tmp_path, statement):
    project = widget_project(tmp_path, statement)
    result = run_untouched(project, "check", str(project))
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert "No problems found" in result.stdout and len(result.stdout) < 2_000


# --------------------------------------------------------------------------- a Flask application factory

FACTORY = {
    "app/__init__.py": """
        import os

        from flask import Flask

        from app.extensions import db


        def create_app():
            app = Flask(__name__)
            app.config["SECRET_KEY"] = os.environ["APP_SECRET_KEY"]
            app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL", "sqlite:///app.db")
            db.init_app(app)
            with app.app_context():
                db.create_all()
            return app
        """,
    "app/extensions.py": """
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()
        """,
    "app/models/__init__.py": """
        from app.models.author import Author
        from app.models.book import Book
        """,
    "app/models/author.py": """
        from app import create_app  # noqa: F401  (the factory, imported by the models as many apps do)
        from app.extensions import db


        class Author(db.Model):
            __tablename__ = "authors"
            id = db.Column(db.Integer, primary_key=True)
            books = db.relationship("Book", backref="author", lazy="dynamic")
        """,
    "app/models/book.py": """
        from app.extensions import db


        class Book(db.Model):
            __tablename__ = "books"
            id = db.Column(db.Integer, primary_key=True)
            title = db.Column(db.String(80))
        """,
}


CREATE_AT_IMPORT = """
        from app import create_app  # noqa: E402

        app = create_app()
"""


def test_models_importing_a_flask_app_factory(tmp_path):
    project = write_tree(tmp_path / "factory", FACTORY)
    result = run_untouched(project, "check", str(project), "--format", "json")
    assert result.returncode == 1, result.stderr
    found = diagnoses_of(result)
    assert [(d["code"], d["file"], d["line"], d["attribute"]) for d in found] == [
        ("ORM001", "app/models/author.py", 8, "books")
    ]


def test_flask_app_created_at_import_needs_an_environment_variable(tmp_path):
    files = dict(FACTORY)
    files["app/models/book.py"] = FACTORY["app/models/book.py"] + CREATE_AT_IMPORT
    project = write_tree(tmp_path / "factory", files)
    result = run_untouched(project, "check", str(project), "--format", "json")
    # the models were half imported when the factory failed: the broken relationship is found as well
    assert_import_failure(
        result,
        "app/__init__.py",
        10,
        "environment variable 'APP_SECRET_KEY' is not set",
        also=(("ORM001", "app/models/author.py", 8),),
    )


def test_flask_app_created_at_import_creates_its_sqlite_database_in_scratch(tmp_path):
    files = dict(FACTORY)
    files["app/models/book.py"] = FACTORY["app/models/book.py"] + CREATE_AT_IMPORT
    files["pyproject.toml"] = '[tool.ormfix]\nenv = ["APP_SECRET_KEY=s3cret"]\n'
    project = write_tree(tmp_path / "factory", files)
    result = run_untouched(project, "check", str(project), "--format", "json")  # no instance/app.db under PATH
    assert [(d["code"], d["file"], d["line"]) for d in diagnoses_of(result)] == [("ORM001", "app/models/author.py", 8)]
