"""Projects for the workflow tests: kuwait_social with a real Alembic setup, in a real git repository."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import sqlalchemy
from conftest import SAMPLES, copy_project

ALEMBIC_INI = """\
[alembic]
script_location = %(here)s/migrations
sqlalchemy.url = sqlite:///%(here)s/app.db
"""

ENV_PY = """\
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
engine = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
"""

INITIAL_REVISION = '''\
"""initial tables"""
from alembic import op
import sqlalchemy as sa

revision = "0001initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("users", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("email", sa.String(120), nullable=False), sa.Column("password_hash", sa.String(255)),
                    sa.Column("full_name", sa.String(120)), sa.Column("preferred_language", sa.String(5)),
                    sa.Column("is_active", sa.Boolean()), sa.Column("is_admin", sa.Boolean()),
                    sa.Column("created_at", sa.DateTime()), sa.Column("last_login", sa.DateTime()))
    op.create_table("clients", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("owner_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
                    sa.Column("business_name", sa.String(200), nullable=False))
    op.create_table("campaigns", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("client_id", sa.Integer(), sa.ForeignKey("clients.id"), nullable=False),
                    sa.Column("name", sa.String(200), nullable=False))
    op.create_table("posts", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
                    sa.Column("client_id", sa.Integer(), sa.ForeignKey("clients.id")),
                    sa.Column("content_en", sa.Text()))


def downgrade():
    for table in ("posts", "campaigns", "clients", "users"):
        op.drop_table(table)
'''

# a second broken relationship (User.campaigns: Campaign has no user_id), so a series has two patches
SECOND_BREAK = (
    "    clients = db.relationship('Client', backref='owner', lazy=True)\n",
    "    clients = db.relationship('Client', backref='owner', lazy=True)\n"
    "    campaigns = db.relationship('Campaign', lazy='dynamic')\n",
)


def kuwait_with_alembic(tmp_path: Path, second_break: bool = False) -> Path:
    root = copy_project(SAMPLES / "kuwait_social", tmp_path)
    (root / "alembic.ini").write_text(ALEMBIC_INI)
    (root / "migrations" / "versions").mkdir(parents=True)
    (root / "migrations" / "env.py").write_text(ENV_PY)
    (root / "migrations" / "versions" / "0001_initial.py").write_text(INITIAL_REVISION)
    if second_break:
        user = root / "backend" / "models" / "user.py"
        user.write_text(user.read_text().replace(*SECOND_BREAK))
    return root


def alembic(root: Path, *args: str) -> subprocess.CompletedProcess:
    """The real alembic command line, run where alembic.ini is."""
    result = subprocess.run(
        [sys.executable, "-m", "alembic", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def columns_and_fks(database: Path, table: str) -> tuple[set[str], list[dict]]:
    engine = sqlalchemy.create_engine(f"sqlite:///{database}")
    try:
        inspector = sqlalchemy.inspect(engine)
        return {c["name"] for c in inspector.get_columns(table)}, inspector.get_foreign_keys(table)
    finally:
        engine.dispose()


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.invalid",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
    )
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def git_repo_with(project: Path, top: Path) -> Path:
    """A real repository at ``top`` holding ``project`` (moved below it) in one commit; returns the new PATH."""
    top.mkdir()
    moved = top / project.name
    project.rename(moved)
    (top / "README.md").write_text(
        textwrap.dedent("""\
        a repository whose ormfix PATH is a sub-folder
    """)
    )
    git(top, "init", "-q", "-b", "main")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "initial")
    return moved
