"""The static index (stdlib ast) and discovery: what is read, with which lines, and what gets imported."""

from __future__ import annotations

import textwrap

import pytest
from conftest import FIXTURES, SAMPLES

from ormfix.config import Settings, load_settings
from ormfix.discover import discover
from ormfix.errors import UsageError
from ormfix.index import index_source


def index(source: str):
    return index_source(textwrap.dedent(source), "models/x.py", "models.x")


def test_three_styles_and_aliases():
    info = index("""
        import sqlalchemy as sa
        from sqlalchemy import orm
        from sqlalchemy.dialects.postgresql import UUID
        from typing import Optional
        from sqlalchemy.orm import Mapped, mapped_column, relationship
        from extensions import db

        class Org(Base):
            __tablename__ = "orgs"
            id = sa.Column(UUID(as_uuid=True), primary_key=True)
            teams = sa.orm.relationship(
                "Team",  # the target
                back_populates="org",
                lazy="dynamic",
            )

        class Team(Base):
            __tablename__ = "teams"
            id: Mapped[int] = mapped_column(primary_key=True)
            org_id: Mapped[Optional[str]] = mapped_column(sa.ForeignKey("orgs.id"))
            org: Mapped["Org"] = relationship(back_populates="teams")
            members: Mapped[list["Member"]] = relationship()

        class Member(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            team_id = db.Column(db.Integer, db.ForeignKey('teams.id'))
        """)
    org, team, member = info.classes
    assert (org.tablename, org.line) == ("orgs", 9)
    pk = org.columns["id"]
    assert (pk.type_name, pk.type_args, pk.type_module, pk.primary_key) == (
        "UUID",
        "as_uuid=True",
        "sqlalchemy.dialects.postgresql",
        True,
    )
    teams = org.relationships["teams"]
    assert (teams.target, teams.line, teams.end_line) == ("Team", 12, 16)
    assert teams.kwarg_str("back_populates") == "org" and teams.kwargs["lazy"] == '"dynamic"'
    assert team.columns["id"].python_type == "int" and team.columns["id"].type_name == "Integer"
    assert team.columns["org_id"].foreign_keys == ["orgs.id"]
    assert (team.relationships["org"].target, team.relationships["org"].collection) == ("Org", False)
    assert (team.relationships["members"].target, team.relationships["members"].collection) == ("Member", True)
    assert member.flask_style and member.tablename == "member"  # Flask-SQLAlchemy's default name
    assert member.columns["team_id"].foreign_keys == ["teams.id"]


def test_composite_primary_key_and_abstract():
    info = index("""
        class Stock(Base):
            __tablename__ = "stock"
            warehouse_id = Column(Integer, primary_key=True)
            sku = Column(String(20), primary_key=True)

        class Mixin(Base):
            __abstract__ = True
            id = Column(Integer, primary_key=True)
        """)
    stock, mixin = info.classes
    assert [c.attribute for c in stock.primary_keys] == ["warehouse_id", "sku"]
    assert stock.columns["sku"].type_args == "20"
    assert not mixin.is_mapped


def test_syntax_error_is_recorded_not_raised():
    info = index_source("class X(Base):\n    id = Column(\n", "models/x.py", "models.x")
    assert info.error.startswith("SyntaxError") and info.error_line == 2


@pytest.mark.parametrize(
    "sample, roots, modules",
    [
        ("kuwait_social", ["backend"], ["models"]),
        ("vividly", ["backend"], ["app.models"]),
        ("library", ["."], ["models"]),
    ],
)
def test_discovery_imports_models_the_way_the_app_does(sample, roots, modules):
    project = discover(SAMPLES / sample, Settings())
    assert [r.relative_to(project.path).as_posix() for r in project.roots] == roots
    assert project.modules == modules


def test_package_that_does_not_import_its_modules_gets_each_module(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    (models / "__init__.py").write_text("")
    for name in ("a", "b"):
        (models / f"{name}.py").write_text(
            f"from sqlalchemy import Column, Integer\nfrom models.base import Base\n"
            f"class {name.upper()}(Base):\n    __tablename__ = '{name}'\n    id = Column(Integer, primary_key=True)\n"
        )
    project = discover(tmp_path, Settings())
    assert project.modules == ["models.a", "models.b"]


def test_tool_ormfix_overrides_discovery(tmp_path):
    source = FIXTURES / "clean_classic"
    (tmp_path / "pyproject.toml").write_text('[tool.ormfix]\nmodels = ["models.user"]\ntimeout = 5\n')
    import shutil

    shutil.copytree(source / "models", tmp_path / "models")
    settings = load_settings(tmp_path)
    project = discover(tmp_path, settings)
    assert project.modules == ["models.user"] and project.timeout == 5


def test_broken_tool_ormfix_table_is_a_usage_error(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.ormfix]\nmodels = 3\n")
    with pytest.raises(UsageError, match="models must be"):
        load_settings(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.ormfix\n")
    with pytest.raises(UsageError, match="cannot read"):
        load_settings(tmp_path)
