"""A fix that adds a column comes with its migration: an Alembic revision, or ALTER TABLE SQL."""

from __future__ import annotations

import json
import sqlite3

import pytest
from conftest import FIXTURES, run_ormfix
from typer.testing import CliRunner
from workflow_projects import INITIAL_REVISION, alembic, columns_and_fks, kuwait_with_alembic

from ormfix import migrations
from ormfix.cli import app
from ormfix.config import Settings
from ormfix.discover import discover

runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "200"})
POSTS_COLUMN = {
    "table": "posts",
    "name": "campaign_id",
    "type": "Integer",
    "type_args": "",
    "type_module": "sqlalchemy",
    "references": "campaigns.id",
    "nullable": True,
}


def test_apply_writes_an_alembic_revision_that_upgrades_and_downgrades_a_real_database(tmp_path):
    root = kuwait_with_alembic(tmp_path)
    alembic(root, "upgrade", "head")  # the database at the old head
    assert "campaign_id" not in columns_and_fks(root / "app.db", "posts")[0]
    result = run_ormfix("apply", str(root), "--strategy=add-fk-column")
    assert result.returncode == 0, result.stdout + result.stderr
    (revision_file,) = [p for p in (root / "migrations" / "versions").glob("*.py") if p.name != "0001_initial.py"]
    assert f"migration: Alembic revision migrations/versions/{revision_file.name}" in result.stdout
    assert "down_revision '0001initial'" in result.stdout
    assert migrations.heads(root / "migrations" / "versions") == [revision_file.name.split("_")[0]]
    alembic(root, "upgrade", "head")
    columns, fks = columns_and_fks(root / "app.db", "posts")
    assert "campaign_id" in columns
    assert {
        "name": "fk_posts_campaign_id_campaigns",
        "constrained_columns": ["campaign_id"],
        "referred_table": "campaigns",
        "referred_columns": ["id"],
    }.items() <= next(fk for fk in fks if fk["constrained_columns"] == ["campaign_id"]).items()
    alembic(root, "downgrade", "-1")
    columns, fks = columns_and_fks(root / "app.db", "posts")
    assert "campaign_id" not in columns and all(fk["constrained_columns"] != ["campaign_id"] for fk in fks)


def test_a_fault_left_in_another_table_does_not_stop_the_revision(tmp_path):
    """Alembic sorts every table it compares: a ForeignKey to a missing table that no chosen fix corrects
    (here a fix-fk-target nobody asked for) must not stop the revision of the column the fix adds."""
    root = kuwait_with_alembic(tmp_path)
    client = root / "backend" / "models" / "client.py"
    client.write_text(client.read_text().replace("db.ForeignKey('users.id')", "db.ForeignKey('user.id')"))
    result = runner.invoke(app, ["apply", str(root), "--strategy=add-fk-column", "--dry-run", "--format", "json"])
    data = json.loads(result.stdout)
    assert data["migration"]["kind"] == "alembic", data["migration"]
    assert data["migration"]["operations"] == ["add posts.campaign_id", "foreign key posts.campaign_id"]
    assert "clients" not in data["migration"]["text"]


@pytest.mark.slow  # two autogenerate subprocesses; the test above writes and runs a revision
def test_dry_run_writes_no_revision(tmp_path):
    root = kuwait_with_alembic(tmp_path)
    result = runner.invoke(app, ["apply", str(root), "--strategy=add-fk-column", "--dry-run", "--format", "json"])
    assert result.exit_code == 1, result.output  # --dry-run: 1 when apply would write
    data = json.loads(result.stdout)
    assert data["written"] == []
    assert data["migration"]["kind"] == "alembic" and data["migration"]["down_revision"] == "0001initial"
    # Alembic's own rendering (autogenerate), the constraint named so that the downgrade can drop it
    assert "batch_op.add_column(sa.Column('campaign_id', sa.Integer(), nullable=True))" in data["migration"]["text"]
    assert (
        "batch_op.create_foreign_key(batch_op.f('fk_posts_campaign_id_campaigns'), 'campaigns', ['campaign_id'], "
        "['id'])" in data["migration"]["text"]
    )
    again = json.loads(
        runner.invoke(app, ["apply", str(root), "--strategy=add-fk-column", "--dry-run", "--format", "json"]).stdout
    )["migration"]
    assert again["revision"] == data["migration"]["revision"]  # derived from the head and the operations
    assert [p.name for p in (root / "migrations" / "versions").glob("*.py")] == ["0001_initial.py"]


def test_without_alembic_the_json_carries_alter_table_sql_that_runs_on_the_old_schema(tmp_path, project_copy):
    root = project_copy("kuwait_social")
    result = runner.invoke(app, ["suggest", str(root), "--format", "json", "--strategy", "add-fk-column"])
    (fix,) = json.loads(result.stdout)["diagnoses"][0]["fixes"]
    assert fix["column"] == POSTS_COLUMN
    migration = fix["migration"]
    assert migration["kind"] == "sql" and migration["dialect"] == "sqlite"  # app.py's default URL is sqlite:///
    assert "backend/app.py" in migration["note"]
    # the statements run on a database with the old schema, and add the column and its FK
    database = tmp_path / "old.db"
    with sqlite3.connect(database) as connection:
        connection.executescript(
            "CREATE TABLE campaigns (id INTEGER PRIMARY KEY);"
            "CREATE TABLE posts (id INTEGER PRIMARY KEY, content_en TEXT);"
        )
        connection.executescript(migration["sql"])
    columns, fks = columns_and_fks(database, "posts")
    assert "campaign_id" in columns
    assert fks[0]["referred_table"] == "campaigns" and fks[0]["constrained_columns"] == ["campaign_id"]
    # and the text output shows it under the fix
    text = runner.invoke(app, ["suggest", str(root), "--strategy", "add-fk-column", "--no-verify"]).stdout
    assert "migration (sqlite; no Alembic setup found" in text and "ALTER TABLE posts ADD COLUMN campaign_id" in text


def test_without_a_database_url_the_sql_is_postgresql_with_a_note():
    project = discover(FIXTURES / "orm001_flask_missing_column", Settings())
    migration = migrations.plan(project, [POSTS_COLUMN])
    assert migration["kind"] == "sql" and migration["dialect"] == "postgresql"
    assert "adapt it to your database" in migration["note"]
    assert migration["sql"].splitlines() == [
        "ALTER TABLE posts ADD COLUMN campaign_id INTEGER;",
        "ALTER TABLE posts ADD CONSTRAINT fk_posts_campaign_id_campaigns FOREIGN KEY (campaign_id) "
        "REFERENCES campaigns (id);",
    ]


def test_uuid_column_is_typed_for_the_dialect():
    column = dict(POSTS_COLUMN, type="Uuid")
    assert "ADD COLUMN campaign_id UUID;" in migrations.alter_table_sql([column], "postgresql")
    assert "ADD COLUMN campaign_id CHAR(32)" in migrations.alter_table_sql([column], "sqlite")


MODELS = (
    "from sqlalchemy import Column, Integer\nfrom sqlalchemy.orm import declarative_base\n"
    "Base = declarative_base()\nclass A(Base):\n    __tablename__ = 'a'\n    id = Column(Integer, primary_key=True)\n"
)
FLASK_MIGRATE_INI = "[alembic]\n# template used to generate migration files\nfile_template = %%(rev)s_fm_%%(slug)s\n"


@pytest.mark.parametrize("layout", ["alembic.ini", "flask-migrate"])
def test_alembic_is_found_and_the_revision_goes_on_the_head(tmp_path, layout):
    (tmp_path / "models.py").write_text(MODELS)
    versions = tmp_path / "migrations" / "versions"
    versions.mkdir(parents=True)
    (tmp_path / "migrations" / "env.py").write_text("raise SystemExit('env.py must never run')\n")
    if layout == "alembic.ini":
        (tmp_path / "alembic.ini").write_text("[alembic]\nscript_location = %(here)s/migrations\n")
    else:  # Flask-Migrate: migrations/alembic.ini without script_location, with the project's file_template
        (tmp_path / "migrations" / "alembic.ini").write_text(FLASK_MIGRATE_INI)
    (versions / "a.py").write_text(INITIAL_REVISION)
    (versions / "b.py").write_text('revision: str = "b2"\ndown_revision: str | None = "0001initial"\n')
    (versions / "c.py").write_text('revision = "c3"\ndown_revision = ("b2",)\n')
    project = discover(tmp_path, Settings())
    found = migrations.find_alembic(project)
    assert found is not None and found.versions == versions.resolve()
    assert migrations.heads(versions) == ["c3"]
    fixed = MODELS + "    b = Column(Integer)\n"
    made = migrations.revision(project, {"models.py": fixed})
    assert made["kind"] == "alembic" and made["down_revision"] == "c3", made
    assert made["operations"] == ["add a.b"]
    infix = "_fm_" if layout == "flask-migrate" else "_"
    assert made["path"] == f"migrations/versions/{made['revision']}{infix}ormfix_add_a_b.py"
    assert migrations.revision(project, {"models.py": fixed})["revision"] == made["revision"]  # deterministic
    assert not (versions / made["file_name"]).exists()  # nothing is written until apply writes it
    migrations.write(made)
    assert migrations.heads(versions) == [made["revision"]]
    with pytest.raises(FileExistsError):  # never overwrites a revision
        migrations.write(made)


def test_naming_convention_names_the_constraint(tmp_path):
    (tmp_path / "models.py").write_text(
        MODELS.replace(
            "Base = declarative_base()",
            "from sqlalchemy import MetaData\nBase = declarative_base(metadata=MetaData("
            "naming_convention={'fk': 'fkey_%(table_name)s_%(column_0_name)s'}))",
        )
    )
    (tmp_path / "migrations" / "versions").mkdir(parents=True)
    (tmp_path / "migrations" / "env.py").write_text("")
    (tmp_path / "alembic.ini").write_text("[alembic]\nscript_location = %(here)s/migrations\n")
    project = discover(tmp_path, Settings())
    fixed = (tmp_path / "models.py").read_text() + (
        "class B(Base):\n    __tablename__ = 'b'\n    id = Column(Integer, primary_key=True)\n"
    )
    fixed = fixed.replace(
        "    id = Column(Integer, primary_key=True)\nclass B",
        "    id = Column(Integer, primary_key=True)\n    b_id = Column(Integer, ForeignKey('b.id'))\nclass B",
    )
    fixed = fixed.replace("import Column, Integer", "import Column, ForeignKey, Integer")
    made = migrations.revision(project, {"models.py": fixed})
    assert "op.f('fkey_a_b_id')" in made["text"], made["text"]


def test_foreign_keys_fix_on_an_existing_column_carries_a_constraint_only_migration(project_copy):
    root = project_copy("orm001_classic_column_without_fk")
    result = runner.invoke(app, ["suggest", str(root), "--strategy", "foreign-keys", "--no-verify", "--format", "json"])
    (fix,) = json.loads(result.stdout)["diagnoses"][0]["fixes"]
    assert fix["column"]["exists"] is True and fix["column"]["table"] == "posts"
    assert fix["migration"]["sql"] == (
        "ALTER TABLE posts ADD CONSTRAINT fk_posts_campaign_id_campaigns "
        "FOREIGN KEY (campaign_id) REFERENCES campaigns (id);"
    )
