"""The probe child's migration modes (the project's interpreter: stdlib, SQLAlchemy, the project's Alembic).

``schema`` (run on the project as it is, by the check probe of ``apply`` or a probe of its own): create
every table the models declare on an in-memory SQLite database, each as well as it can be (a table whose
ForeignKey names a missing table is created without its constraints), and record each table's CREATE
statement and every statement that ran.

``migration`` (run on the fixed project, by the probe that verifies the fixes or one of its own): run
those statements on a new in-memory database, let Alembic compare it with the
fixed models (``produce_migrations``), keep the operations on the tables whose CREATE statement the
fixes changed, render them with ``render_python_code`` and write the revision with
``ScriptDirectory.generate_revision`` into a copy of the project's script folder, so the project's
``file_template``, ``script.py.mako`` and post-write hooks apply. The project's ``env.py`` never runs and
its database is never opened. The revision id is derived from the head and the rendered operations.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any, Dict

# SQLAlchemy's and Alembic's objects are typed Any (the project's versions); request and result are JSON records
Record = Dict[str, Any]


def _metadatas() -> list[Any]:
    from ormfix_probe_mappers import all_mappers

    found: list[Any] = []
    for mapper in all_mappers():
        for table in getattr(mapper, "tables", []) or [mapper.local_table]:
            metadata = getattr(table, "metadata", None)
            if metadata is not None and all(metadata is not other for other in found):
                found.append(metadata)
    return found


def _ddl(table: Any) -> str:
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateTable

    return str(CreateTable(table).compile(dialect=sqlite.dialect())).strip()


def _ddl_or_broken(table: Any) -> str:
    try:
        return _ddl(table)
    except Exception:  # noqa: BLE001 - a ForeignKey naming a missing table (a fault the fixes leave)
        return "broken"


def _bare_copy(table: Any, metadata: Any = None) -> Any:
    """The table's columns without constraints: what a table whose ForeignKey names a missing table is."""
    import sqlalchemy as sa

    return sa.Table(
        table.name,
        sa.MetaData() if metadata is None else metadata,
        *[sa.Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable) for c in table.columns],
        schema=table.schema,
    )


def schema(request: Record, result: Record) -> None:
    """result["schema"] = {"tables": {name: CREATE statement, or "broken"}, "statements": what ran}."""
    import sqlalchemy as sa

    engine = sa.create_engine("sqlite://")
    tables: dict[str, str] = {}
    statements: list[str] = []
    sa.event.listen(engine, "after_cursor_execute", lambda conn, cursor, statement, *rest: statements.append(statement))
    with engine.begin() as connection:
        for metadata in _metadatas():
            for table in list(metadata.tables.values()):
                if table.schema:
                    continue
                try:
                    tables[table.name] = _ddl(table)
                    table.create(connection)
                except Exception:  # noqa: BLE001 - a broken ForeignKey: the columns are what the database has
                    tables[table.name] = "broken"
                    try:
                        _bare_copy(table).create(connection)
                    except Exception:  # noqa: BLE001
                        continue
    engine.dispose()
    result["schema"] = {"tables": tables, "statements": statements}


def _compared(metadatas: list[Any], touched: set[str]) -> Any:
    """A MetaData of the tables the fixes change, with the tables they refer to as bare columns (so their
    ForeignKeys resolve): Alembic sorts every table it is given, and another table may still hold a fault
    no fix was chosen for (a ForeignKey to a missing table)."""
    import sqlalchemy as sa

    tables = {table.name: table for metadata in metadatas for table in metadata.tables.values() if not table.schema}
    compared = sa.MetaData(naming_convention=tables[min(touched)].metadata.naming_convention)
    for name in sorted(touched):
        tables[name].to_metadata(compared)
    for name in sorted(touched):
        for foreign_key in tables[name].foreign_keys:
            referred = foreign_key.target_fullname.rsplit(".", 1)[0]
            if referred not in compared.tables and referred in tables:
                _bare_copy(tables[referred], compared)
    return compared


def _name_unnamed_foreign_keys(metadata: Any, touched: set[str]) -> None:
    """A ForeignKey the models leave unnamed gets fk_<table>_<column>_<referred table> (unless the
    MetaData's naming_convention names it), so the downgrade can drop it by name."""
    from sqlalchemy.sql.elements import conv

    if "fk" in (metadata.naming_convention or {}):
        return
    for table in metadata.tables.values():
        if table.name not in touched:
            continue
        for constraint in table.foreign_key_constraints:
            if constraint.name is None:
                referred = constraint.elements[0].target_fullname.rsplit(".", 2)[-2]
                constraint.name = conv(f"fk_{table.name}_{constraint.elements[0].parent.name}_{referred}")


def _describe(ops: list[Any]) -> list[str]:
    from alembic.operations import ops as alembic_ops

    said: list[str] = []
    for op in ops:
        if isinstance(op, alembic_ops.ModifyTableOps):
            said.extend(_describe(op.ops))
        elif isinstance(op, alembic_ops.AddColumnOp):
            said.append(f"add {op.table_name}.{op.column.name}")
        elif isinstance(op, alembic_ops.DropColumnOp):
            said.append(f"drop {op.table_name}.{op.column_name}")
        elif isinstance(op, alembic_ops.CreateForeignKeyOp):
            said.append(f"foreign key {op.source_table}.{','.join(op.local_cols)}")
        elif isinstance(op, alembic_ops.DropConstraintOp):
            said.append(f"drop constraint {op.constraint_name}")
        elif isinstance(op, alembic_ops.CreateTableOp):
            said.append(f"create {op.table_name}")
        elif isinstance(op, alembic_ops.AlterColumnOp):
            said.append(f"alter {op.table_name}.{op.column_name}")
        else:
            said.append(type(op).__name__)
    return said


def _table_of(op: Any) -> str | None:
    return getattr(op, "table_name", None) or getattr(op, "source_table", None)


def _escaped(path: str) -> str:
    return str(path).replace("%", "%%")  # Alembic's config interpolates %(name)s


def _scratch_scripts(request: Record) -> Any:
    """The project's ScriptDirectory, read by Alembic from its alembic.ini (Flask-Migrate's has no
    script_location: the folder holding env.py), copied into the scratch folder so that nothing is
    written into the project: ormfix writes the revision with the model files."""
    import shutil

    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config(request["ini"]) if request.get("ini") else Config()
    if not config.get_main_option("script_location"):
        config.set_main_option("script_location", _escaped(request["script_dir"]))
    if request.get("ini"):  # a relative script_location is relative to where `alembic` runs: beside its ini
        os.chdir(os.path.dirname(os.path.abspath(request["ini"])))
    real = ScriptDirectory.from_config(config)
    request["real_versions"] = os.path.abspath(real.versions)
    scripts_copy = os.path.join(request["scratch"], "alembic_scripts")
    versions_copy = os.path.join(request["scratch"], "alembic_versions")
    shutil.copytree(real.dir, scripts_copy, ignore=shutil.ignore_patterns("__pycache__"))
    template = os.path.join(scripts_copy, "script.py.mako")
    if not os.path.exists(template):  # a script folder written by hand: Alembic's own generic template
        import alembic

        shutil.copy(os.path.join(os.path.dirname(alembic.__file__), "templates", "generic", "script.py.mako"), template)
    if os.path.isdir(real.versions):
        shutil.copytree(real.versions, versions_copy, ignore=shutil.ignore_patterns("__pycache__"))
    else:
        os.makedirs(versions_copy)
    for name, text in (request.get("previous") or {}).items():
        with open(os.path.join(versions_copy, name), "w", encoding="utf-8") as handle:
            handle.write(text)
    config.set_main_option("script_location", _escaped(scripts_copy))
    config.set_main_option("version_locations", _escaped(versions_copy))
    return ScriptDirectory.from_config(config)


def migration(request: Record, result: Record) -> None:
    import sqlalchemy as sa
    from alembic.autogenerate import produce_migrations, render_python_code
    from alembic.migration import MigrationContext
    from alembic.operations import ops as alembic_ops

    before = request["schema"]["tables"]
    metadatas = _metadatas()
    touched: set[str] = set()
    for metadata in metadatas:
        for table in metadata.tables.values():
            if not table.schema and before.get(table.name) != _ddl_or_broken(table):
                touched.add(table.name)
    result["touched"] = sorted(touched)
    if not touched:
        result["migration"] = None
        return
    for metadata in metadatas:
        _name_unnamed_foreign_keys(metadata, touched)
    engine = sa.create_engine("sqlite://")
    with engine.connect() as connection:
        for statement in request["schema"]["statements"]:  # the tables as they were before the fixes
            connection.exec_driver_sql(statement)
        # only the tables the fixes change: another table may still hold a fault no fix was chosen for
        only_touched = lambda obj, name, kind, reflected, compare_to: kind != "table" or name in touched  # noqa: E731
        named_touched = lambda name, kind, parents: kind != "table" or name in touched  # noqa: E731 - nothing else reflected
        opts = {"compare_type": False, "render_as_batch": True, "include_object": only_touched}
        context = MigrationContext.configure(connection, opts=dict(opts, include_name=named_touched))
        script = produce_migrations(context, _compared(metadatas, touched))
        assert script.upgrade_ops is not None and script.downgrade_ops is not None  # produce_migrations sets both
        keep = lambda op: _table_of(op) in touched  # noqa: E731 - differences elsewhere are SQLite's, not the fix's
        upgrade = alembic_ops.UpgradeOps([op for op in script.upgrade_ops.ops if keep(op)])
        downgrade = alembic_ops.DowngradeOps([op for op in script.downgrade_ops.ops if keep(op)])
        if not upgrade.ops:
            result["migration"] = None
            return
        upgrades = render_python_code(upgrade, render_as_batch=True, migration_context=context)
        downgrades = render_python_code(downgrade, render_as_batch=True, migration_context=context)
    engine.dispose()
    imports = sorted(
        {
            type(column.type).__module__.split(".")[0]
            for metadata in metadatas
            for table in metadata.tables.values()
            if table.name in touched
            for column in table.columns
            if not type(column.type).__module__.startswith("sqlalchemy")
        }
    )
    scripts = _scratch_scripts(request)
    heads = sorted(scripts.get_heads())
    message = "ormfix: " + ", ".join(dict.fromkeys(_describe(upgrade.ops)))
    revision = hashlib.sha1(("|".join(heads) + "\n" + upgrades).encode("utf-8")).hexdigest()[:12]
    written = scripts.generate_revision(
        revision,
        message,
        head=heads if len(heads) > 1 else "head",
        version_path=scripts.versions,
        upgrades=upgrades,
        downgrades=downgrades,
        imports="\n".join(f"import {name}" for name in imports),
    )
    path = written.path
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    result["migration"] = {
        "revision": revision,
        "down_revision": heads[0] if len(heads) == 1 else (heads or None),
        "path": os.path.relpath(path, scripts.versions),
        "versions": request["real_versions"],
        "text": text,
        "message": message,
        "operations": _describe(upgrade.ops),
    }
