"""The database side of a fix that adds a column: an Alembic revision, or the ALTER TABLE SQL.

Where the project uses Alembic (an ``alembic.ini``, or an ``env.py`` beside a ``versions/`` folder),
a fix that adds a column comes with a revision for its versions folder: ``down_revision`` is the
current head (read from the revision files), the column and its named FK constraint are added in
``op.batch_alter_table`` (so one revision runs on SQLite and PostgreSQL alike), and the downgrade
drops them. Without Alembic, the ALTER TABLE statements for the project's dialect.
"""

from __future__ import annotations

import ast
import configparser
import datetime
import functools
import hashlib
import importlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .discover import SKIP_DIRS, Project

DIALECT_URL = re.compile(r"\b(postgresql|postgres|sqlite|mysql|mariadb|oracle|mssql)(?:\+\w+)?://")
DIALECT_MODULE = {"postgres": "postgresql", "mariadb": "mysql"}
DEFAULT_DIALECT = "postgresql"


@dataclass
class Alembic:
    script_dir: Path  # the folder holding env.py
    versions: Path  # where revision files go
    ini: Path | None = None


# -- finding Alembic and its head ------------------------------------------------------------------

def _from_ini(ini: Path) -> Alembic | None:
    parser = configparser.ConfigParser(defaults={"here": str(ini.parent)})
    try:
        parser.read(ini, encoding="utf-8")
        location = parser.get("alembic", "script_location")
    except (configparser.Error, UnicodeDecodeError, OSError):
        return None
    if ":" in location and not Path(location).is_absolute() and not re.match(r"^[A-Za-z]:[\\/]", location):
        return None  # a package resource ("myapp:migrations"): not a folder ormfix can write into
    script_dir = (ini.parent / location).resolve()
    versions = script_dir / "versions"
    if parser.has_option("alembic", "version_locations"):
        first = re.split(r"[\s,;]+", parser.get("alembic", "version_locations").strip())[0]
        if first:
            versions = (ini.parent / first).resolve()
    return Alembic(script_dir=script_dir, versions=versions, ini=ini) if script_dir.is_dir() else None


def _walk(base: Path, depth: int = 4):
    for folder, dirs, files in os.walk(base):
        level = len(Path(folder).relative_to(base).parts)
        dirs[:] = sorted(d for d in dirs if level < depth and d not in SKIP_DIRS - {"migrations", "alembic"}
                         and not d.startswith("."))
        yield Path(folder), files


def find_alembic(project: Project) -> Alembic | None:
    """alembic.ini at PATH or above it (up to the repository's top), or inside PATH; else an env.py
    beside a versions/ folder inside PATH (Flask-Migrate's migrations/)."""
    for folder in [project.path, *project.path.parents]:
        if (folder / "alembic.ini").is_file() and (found := _from_ini(folder / "alembic.ini")):
            return found
        if (folder / ".git").exists():
            break
    env_dirs = []
    for folder, files in _walk(project.path):
        if "alembic.ini" in files and (found := _from_ini(folder / "alembic.ini")):
            return found
        if "env.py" in files and (folder / "versions").is_dir():
            env_dirs.append(folder)
    return Alembic(script_dir=env_dirs[0], versions=env_dirs[0] / "versions") if env_dirs else None


def _assigned(tree: ast.Module, name: str):
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == name for t in targets) and node.value is not None:
            try:
                return ast.literal_eval(node.value)
            except ValueError:
                return None
    return None


def revisions(versions: Path) -> dict[str, tuple[str, ...]]:
    """revision -> its down_revision(s), read from every revision file."""
    found: dict[str, tuple[str, ...]] = {}
    for path in sorted(versions.rglob("*.py")) if versions.is_dir() else []:
        try:
            tree = ast.parse(path.read_bytes())
        except (SyntaxError, ValueError, OSError):
            continue
        revision = _assigned(tree, "revision")
        if not isinstance(revision, str):
            continue
        down = _assigned(tree, "down_revision")
        found[revision] = tuple(down) if isinstance(down, (tuple, list)) else ((down,) if down else ())
    return found


def heads(versions: Path) -> list[str]:
    graph = revisions(versions)
    referenced = {down for downs in graph.values() for down in downs}
    return sorted(rev for rev in graph if rev not in referenced)


# -- rendering -------------------------------------------------------------------------------------

def constraint_name(column: dict) -> str:
    return f"fk_{column['table']}_{column['name']}_{column['references'].rsplit('.', 1)[0].split('.')[-1]}"


def _type_args(text: str) -> tuple[list, dict]:
    if not text:
        return [], {}
    try:
        call = ast.parse(f"f({text})", mode="eval").body
        return ([ast.literal_eval(a) for a in call.args],
                {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg})
    except (SyntaxError, ValueError):
        return [], {}


def _alembic_type(column: dict) -> tuple[str, str]:
    """(the type expression, an extra import line or "")."""
    import sqlalchemy

    name, args = column.get("type") or "Integer", column.get("type_args") or ""
    if column.get("type_module", "sqlalchemy") == "sqlalchemy" or hasattr(sqlalchemy, name):
        return f"sa.{name}({args})", ""
    return f"{name}({args})", f"from {column['type_module']} import {name}\n"


def _render_direction(columns: list[dict], upgrade: bool) -> str:
    lines = []
    for table in dict.fromkeys(c["table"] for c in columns):
        lines.append(f"    with op.batch_alter_table({table!r}) as batch_op:")
        for column in (c for c in columns if c["table"] == table):
            referred_table, referred_column = column["references"].rsplit(".", 1)
            if upgrade:
                if not column.get("exists"):
                    type_expr, _ = _alembic_type(column)
                    lines.append(f"        batch_op.add_column(sa.Column({column['name']!r}, {type_expr}, "
                                 f"nullable={bool(column.get('nullable', True))}))")
                lines.append(f"        batch_op.create_foreign_key({constraint_name(column)!r}, {referred_table!r}, "
                             f"[{column['name']!r}], [{referred_column!r}])")
            else:
                lines.append(f"        batch_op.drop_constraint({constraint_name(column)!r}, type_='foreignkey')")
                if not column.get("exists"):
                    lines.append(f"        batch_op.drop_column({column['name']!r})")
    return "\n".join(lines)


def revision_text(columns: list[dict], revision: str, down_revision: str | tuple[str, ...] | None,
                  message: str) -> str:
    imports = "".join(dict.fromkeys(_alembic_type(c)[1] for c in columns if not c.get("exists")))
    revises = ", ".join(down_revision) if isinstance(down_revision, tuple) else down_revision
    return (  # no Create Date until written (dated()): the same tree plans the same bytes
        f'"""{message}\n\nRevision ID: {revision}\nRevises: {revises or ""}\n\n'
        'Written by ormfix for a fix that adds a column.\n"""\n'
        "from alembic import op\nimport sqlalchemy as sa\n" + imports + "\n\n"
        f"revision = {revision!r}\ndown_revision = {down_revision!r}\nbranch_labels = None\ndepends_on = None\n\n\n"
        f"def upgrade():\n{_render_direction(columns, True)}\n\n\n"
        f"def downgrade():\n{_render_direction(list(reversed(columns)), False)}\n"
    )


def _dialect(name: str):
    module = importlib.import_module(f"sqlalchemy.dialects.{DIALECT_MODULE.get(name, name)}")
    return module.dialect()


def detect_dialect(project: Project) -> tuple[str, str]:
    """(dialect, how it was found): the one database URL scheme the project's code names, else PostgreSQL."""
    return _dialect_of_files(tuple(sorted((rel, path) for rel, (path, _) in project.files.items())))


@functools.lru_cache(maxsize=8)
def _dialect_of_files(files: tuple[tuple[str, Path], ...]) -> tuple[str, str]:
    seen: dict[str, str] = {}
    for rel, path in files:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for match in DIALECT_URL.finditer(text):
            seen.setdefault(DIALECT_MODULE.get(match[1], match[1]), rel)
    if len(seen) == 1:
        (name, rel), = seen.items()
        return name, f"the database URL in {rel}"
    return DEFAULT_DIALECT, ("no database URL found in the code" if not seen else
                             f"several database URLs in the code ({', '.join(sorted(seen))})") + \
        f"; shown for {DEFAULT_DIALECT}, adapt it to your database"


def alter_table_sql(columns: list[dict], dialect_name: str) -> str:
    import sqlalchemy

    dialect = _dialect(dialect_name)
    quote = dialect.identifier_preparer.quote
    statements = []
    for column in columns:
        module = importlib.import_module(column.get("type_module") or "sqlalchemy")
        type_cls = getattr(module, column.get("type") or "Integer", None) or sqlalchemy.Integer
        args, kwargs = _type_args(column.get("type_args") or "")
        try:
            sql_type = type_cls(*args, **kwargs).compile(dialect=dialect)
        except Exception:  # noqa: BLE001 - a type this dialect cannot render: say it as written
            sql_type = (column.get("type") or "INTEGER").upper()
        table, name = quote(column["table"]), quote(column["name"])
        referred_table, referred_column = column["references"].rsplit(".", 1)
        fk = quote(constraint_name(column))
        references = f"REFERENCES {quote(referred_table)} ({quote(referred_column)})"
        null = "" if column.get("nullable", True) else " NOT NULL"
        if column.get("exists") and dialect_name == "sqlite":
            statements.append(f"-- SQLite cannot add a constraint to {table}.{name}: recreate the table "
                              "(an Alembic batch migration does this)")
        elif column.get("exists"):
            statements.append(f"ALTER TABLE {table} ADD CONSTRAINT {fk} FOREIGN KEY ({name}) {references};")
        elif dialect_name == "sqlite":  # SQLite cannot ADD CONSTRAINT: the reference goes on the column
            statements.append(f"ALTER TABLE {table} ADD COLUMN {name} {sql_type}{null} CONSTRAINT {fk} {references};")
        else:
            statements.append(f"ALTER TABLE {table} ADD COLUMN {name} {sql_type}{null};")
            statements.append(f"ALTER TABLE {table} ADD CONSTRAINT {fk} FOREIGN KEY ({name}) {references};")
    return "\n".join(statements)


# -- what a fix (or an apply run) needs ------------------------------------------------------------

def _shown(project: Project, path: Path) -> str:
    try:
        return path.relative_to(project.path).as_posix()
    except ValueError:
        return str(path)


def _message(columns: list[dict]) -> str:
    return "add " + ", ".join(f"{c['table']}.{c['name']}" + (" foreign key" if c.get("exists") else "")
                              for c in columns)


def plan(project: Project, columns: list[dict], head: str | tuple | None = None) -> dict:
    """The migration for these new columns: {"kind": "alembic", path, revision, down_revision, text}
    or {"kind": "sql", dialect, sql, note}. ``head`` overrides the head read from the revision files
    (a series of revisions, each on the previous one)."""
    alembic = find_alembic(project)
    if alembic is None:
        dialect, how = detect_dialect(project)
        return {"kind": "sql", "dialect": dialect, "sql": alter_table_sql(columns, dialect),
                "note": f"no Alembic setup found; dialect from {how}"}
    if head is None:
        found = heads(alembic.versions)
        head = found[0] if len(found) == 1 else (tuple(found) or None)
    # the same columns on the same head: the same revision id, so two runs print the same plan
    revision = hashlib.sha256(repr((head, sorted(sorted(c.items()) for c in columns))).encode()).hexdigest()[:12]
    slug = re.sub(r"[^a-z0-9]+", "_", _message(columns).lower()).strip("_")[:40]
    path = alembic.versions / f"{revision}_{slug}.py"
    return {"kind": "alembic", "path": _shown(project, path), "absolute_path": str(path), "revision": revision,
            "down_revision": head, "text": revision_text(columns, revision, head, _message(columns) + " (ormfix)")}


def describe(project: Project, fixes) -> None:
    """Set ``fix.migration`` on every fix that adds a column."""
    for fix in fixes:
        if fix.column and fix.applies:
            fix.migration = plan(project, [fix.column])


def write(migration: dict) -> Path | None:
    """Write an Alembic revision file (never overwriting one); SQL migrations are only shown."""
    if migration.get("kind") != "alembic":
        return None
    path = Path(migration["absolute_path"])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(dated(migration["text"]))
    return path


def dated(text: str) -> str:
    """A revision's text with its Create Date (now), as Alembic writes one, after the Revises line."""
    created = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    return re.sub(r"^(Revises: .*)$", lambda m: f"{m[1]}\nCreate Date: {created}", text, count=1, flags=re.MULTILINE)


def as_text(migration: dict) -> str:
    """For the text report."""
    if migration["kind"] == "alembic":
        down = migration["down_revision"]
        return (f"migration: Alembic revision {migration['path']} (revision {migration['revision']}, "
                f"down_revision {down!r})")
    sql = "\n".join("    " + line for line in migration["sql"].splitlines())
    return f"migration ({migration['dialect']}; {migration['note']}):\n{sql}"
