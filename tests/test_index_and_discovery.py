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


def test_the_index_records_what_a_module_imports_before_its_first_class():
    info = index_source(
        textwrap.dedent("""
            import sqlalchemy as sa
            from . import base
            from .user import User
            from ..shared import mixins
            if TYPE_CHECKING:
                from app.models.tag import Tag

            class Order(Base):
                pass

            from app.models.invoice import Invoice
        """),
        "app/models/order.py",
        "app.models.order",
    )
    assert info.imports_first == {
        "sqlalchemy",
        "app.models",
        "app.models.base",
        "app.models.user",
        "app.models.user.User",
        "app.shared",
        "app.shared.mixins",
    }


def test_modules_are_imported_after_those_they_need_first_else_in_the_given_order():
    from ormfix.discover import in_import_order

    needs = {"m.a": {"m.z"}, "m.z": {"sqlalchemy"}, "m.b": {"m.c"}, "m.c": {"m.b"}}  # b <-> c: a real cycle
    assert in_import_order(["m.a", "m.b", "m.c", "m.z"], needs) == ["m.z", "m.a", "m.b", "m.c"]
    assert in_import_order(["m.a", "m.z"], {}) == ["m.a", "m.z"]


def test_ordering_thousands_of_model_modules_takes_no_time():
    import time

    from ormfix.discover import in_import_order

    modules = [f"app.models.m{i:04d}" for i in range(5000)]
    needs: dict[str | None, set[str]] = {m: {f"app.models.m{(i + 1) % 5000:04d}.X"} for i, m in enumerate(modules)}
    needs.update({f"app.views.v{i}": {"app.models"} for i in range(5000)})
    started = time.perf_counter()
    ordered = in_import_order(modules, needs)  # a 5000-long import cycle: broken at its first module
    assert ordered[:3] == ["app.models.m0000", "app.models.m4999", "app.models.m4998"]
    assert time.perf_counter() - started < 5  # it was quadratic in modules times files: hours here


SHOP = {  # an import cycle the app closes at the end of user.py: importing order.py first fails
    "app/__init__.py": "",
    "app/models/__init__.py": '"""Import app.models.<module> where you need one."""\n',
    "app/models/base.py": """
        from sqlalchemy.orm import DeclarativeBase


        class Base(DeclarativeBase):
            pass
    """,
    "app/models/order.py": """
        from sqlalchemy import ForeignKey
        from sqlalchemy.orm import Mapped, mapped_column, relationship

        from app.models.base import Base
        from app.models.user import User


        class Order(Base):
            __tablename__ = "orders"
            id: Mapped[int] = mapped_column(primary_key=True)
            user_id: Mapped[int] = mapped_column(ForeignKey(User.id))
            user: Mapped[User] = relationship(back_populates="orders")
    """,
    "app/models/user.py": """
        from sqlalchemy.orm import Mapped, mapped_column, relationship

        from app.models.base import Base


        class User(Base):
            __tablename__ = "users"
            id: Mapped[int] = mapped_column(primary_key=True)
            orders: Mapped[list["Order"]] = relationship(back_populates="user")


        from app.models.order import Order  # noqa: E402
    """,
    "app/main.py": "from app.models.user import User\n",
}


def test_an_import_cycle_the_app_closes_at_a_module_s_end_is_imported_as_the_app_does(tmp_path):
    from conftest import run_ormfix
    from safety import write_tree

    project = write_tree(tmp_path / "shop", SHOP)
    assert discover(project, load_settings(project)).modules == ["app.models.user", "app.models.order"]
    healthy = run_ormfix("check", str(project))
    assert healthy.returncode == 0 and "No problems found: the mappers configure." in healthy.stdout, healthy.stdout
    order = project / "app" / "models" / "order.py"
    order.write_text(order.read_text().replace('back_populates="orders"', 'back_populates="order"'))
    broken = run_ormfix("check", str(project), "--format", "concise")
    assert broken.returncode == 1 and "ORM004" not in broken.stdout
    assert "app/models/order.py:12:39: ORM010" in broken.stdout, broken.stdout
