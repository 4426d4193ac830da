"""Published PyPI packages that ship SQLAlchemy models, installed at pinned versions into cached venvs.

None of their code is committed here: the first run installs each package (and its dependencies) with
pip into ``~/.cache/ormfix-tests/venv-<name>-<version>`` (``ORMFIX_TEST_CACHE`` moves it; a lock keeps
two xdist workers from building the same venv); later runs reuse it. A test works on a copy of the
installed package folder under its own project folder, which the probe puts first on ``sys.path``, so
the copy is imported instead of the installed package. Faults are injected into that copy.
"""

from __future__ import annotations

import ast
import fcntl
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from test_probe_interpreters import CACHE

RELATIONSHIP_CALLS = {"relationship", "relation"}


@dataclass(frozen=True)
class Published:
    requirement: str  # "optuna==4.5.0": the package, pinned
    pins: tuple[str, ...]  # other pinned requirements (the SQLAlchemy it runs with)
    package: str  # the top-level import package, copied into the project
    models: str  # the module that holds the mapped classes
    fk_fault: tuple[str, str, str]  # (class, FK column to delete, the relationship of that class needing it)
    rename_fault: tuple[str, str]  # (class, relationship whose target is renamed to a missing class)

    @property
    def venv(self) -> Path:
        return CACHE / ("venv-" + self.requirement.replace("==", "-").lower())

    @property
    def python(self) -> str:
        return str(self.venv / "bin" / "python")

    @property
    def models_file(self) -> str:
        """The models module's path relative to the project folder."""
        return self.models.replace(".", "/") + ".py"

    def installed(self) -> Path:
        """The package folder inside the cached venv, installing it the first time."""
        marker = self.venv / ".ready"
        CACHE.mkdir(parents=True, exist_ok=True)
        with open(CACHE / f"{self.venv.name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not marker.exists():
                subprocess.run([sys.executable, "-m", "venv", "--clear", str(self.venv)], check=True)
                subprocess.run(
                    [
                        self.python,
                        "-m",
                        "pip",
                        "install",
                        "-q",
                        "--disable-pip-version-check",
                        self.requirement,
                        *self.pins,
                    ],
                    check=True,
                    capture_output=True,
                )
                marker.write_text("ok")
        found = sorted(self.venv.glob(f"lib/python*/site-packages/{self.package}"))
        assert len(found) == 1, found
        return found[0]

    def copy_into(self, project: Path) -> Path:
        """A copy of the installed package (its Python code) under ``project``, the import root."""
        shutil.copytree(
            self.installed(),
            project / self.package,
            ignore=shutil.ignore_patterns("__pycache__", "static", "translations", "templates"),
        )
        return project


OPTUNA = Published(
    requirement="optuna==4.5.0",
    pins=("sqlalchemy==2.0.43",),
    package="optuna",
    models="optuna.storages._rdb.models",
    fk_fault=("TrialModel", "study_id", "study"),
    rename_fault=("StudyDirectionModel", "study"),
)

FLASK_APPBUILDER = Published(
    requirement="flask-appbuilder==4.6.4",
    pins=("sqlalchemy==1.4.54", "flask-sqlalchemy==2.5.1"),
    package="flask_appbuilder",
    models="flask_appbuilder.security.sqla.models",
    fk_fault=("PermissionView", "view_menu_id", "view_menu"),
    rename_fault=("PermissionView", "permission"),
)

PACKAGES = {"optuna": OPTUNA, "flask-appbuilder": FLASK_APPBUILDER}


# --- what the file holds, read with ast (independently of ormfix's index) ---------------------------


def callee(node: ast.AST) -> str:
    """The last name of a call's callee: ``orm.relationship(...)`` -> "relationship"."""
    func = node.func if isinstance(node, ast.Call) else node
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def assigned_name(stmt: ast.stmt) -> str | None:
    """``name`` for a statement ``name = ...`` or ``name: ... = ...``."""
    target = (
        stmt.targets[0] if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 else getattr(stmt, "target", None)
    )
    return target.id if isinstance(target, ast.Name) else None


def assigns(stmt: ast.stmt, name: str) -> bool:
    return assigned_name(stmt) == name


def class_body_calls(tree: ast.Module):
    """(class node, attribute name, statement, call) for every ``name = call(...)`` in a class body."""
    for cls in tree.body:
        if isinstance(cls, ast.ClassDef):
            for stmt in cls.body:
                if assigned_name(stmt) and isinstance(getattr(stmt, "value", None), ast.Call):
                    yield cls, assigned_name(stmt), stmt, stmt.value


def relationships(tree: ast.Module) -> dict[tuple[str, str], tuple[ast.stmt, ast.Call]]:
    return {
        (cls.name, name): (stmt, call)
        for cls, name, stmt, call in class_body_calls(tree)
        if callee(call) in RELATIONSHIP_CALLS
    }


def target_of(call: ast.Call) -> str:
    """The class a relationship() names first: a string, or a class object's name."""
    first = call.args[0]
    return first.value if isinstance(first, ast.Constant) else first.id


def table_classes(tree: ast.Module) -> dict[str, ast.ClassDef]:
    """Top-level classes that assign ``__tablename__``."""
    return {
        cls.name: cls
        for cls in tree.body
        if isinstance(cls, ast.ClassDef) and any(assigns(s, "__tablename__") for s in cls.body)
    }


def statement_of(tree: ast.Module, class_name: str, attribute: str) -> ast.stmt:
    for cls, name, stmt, _ in class_body_calls(tree):
        if (cls.name, name) == (class_name, attribute):
            return stmt
    raise LookupError(f"{class_name}.{attribute}")


# --- faults ----------------------------------------------------------------------------------------


def delete_fk_column(source: str, class_name: str, column: str, constraints: bool = True) -> str:
    """Delete the column's statement and (``constraints``) the one-line constraints of ``__table_args__``
    naming it, as a developer removing a column does: else the class fails to build, before any mapper."""
    tree = ast.parse(source)
    stmt = statement_of(tree, class_name, column)
    doomed = set(range(stmt.lineno, stmt.end_lineno + 1))
    args = next((s for s in table_classes(tree)[class_name].body if assigns(s, "__table_args__")), None)
    lines = source.splitlines(keepends=True)
    if args is not None and constraints:
        for number in range(args.lineno + 1, args.end_lineno):
            if f'"{column}"' in lines[number - 1] and lines[number - 1].rstrip().endswith("),"):
                doomed.add(number)
    return "".join(line for number, line in enumerate(lines, start=1) if number not in doomed)


def missing_name(name: str) -> str:
    """A typo of ``name`` (its last two letters swapped): close to it, but no class is called that."""
    return name[:-2] + name[-1] + name[-2]


def rename_target(source: str, class_name: str, attribute: str) -> str:
    """The source with the relationship's target (a string or a class name) renamed to a missing class."""
    _, call = relationships(ast.parse(source))[(class_name, attribute)]
    first = call.args[0]
    old = target_of(call)
    new = missing_name(old)
    lines = source.splitlines(keepends=True)
    line = lines[first.lineno - 1].encode()
    written = line[first.col_offset : first.end_col_offset].decode()
    lines[first.lineno - 1] = (
        line[: first.col_offset].decode() + written.replace(old, new) + line[first.end_col_offset :].decode()
    )
    return "".join(lines)
