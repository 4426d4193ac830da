"""The shapes real 2.0 and SQLModel apps use, read by the index and edited by the codemods, byte for byte:
@declared_attr relationships (on the class and on mixins), relationships assigned below the class,
classes under an ``if``, SQLModel's Field()/Relationship(), ForeignKey(User.id) objects, WriteOnlyMapped,
Annotated primary keys, type_annotation_map, ForeignKeyConstraint, MappedAsDataclass."""

from __future__ import annotations

import textwrap

from ormfix.codemods import add_fk_column, comment_out, foreign_keys, relationship_arg, rename_target
from ormfix.index import ProjectIndex, index_source


def _index(**files: str) -> ProjectIndex:
    index = ProjectIndex()
    for name, text in files.items():
        path = name.replace("__", "/") + ".py"
        index.files[path] = index_source(textwrap.dedent(text), path, name.replace("__", "."))
    return index.link()


MIXIN = """\
from sqlalchemy import BigInteger, ForeignKey
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship


class OwnedMixin:
    @declared_attr
    def owner_id(cls) -> Mapped[int]:
        return mapped_column(BigInteger, ForeignKey("users.id"))

    @declared_attr
    def owner(cls) -> Mapped["User"]:
        return relationship("Usr")
"""

MODELS = """\
import datetime
from typing import Annotated

from sqlalchemy import BigInteger, DateTime, ForeignKey, func
from sqlalchemy.orm import DeclarativeBase, Mapped, WriteOnlyMapped, mapped_column, relationship

from app.mixins import OwnedMixin

intpk = Annotated[int, mapped_column(primary_key=True)]


class Base(DeclarativeBase):
    type_annotation_map = {int: BigInteger}


class Timestamped(Base):
    __abstract__ = True
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime, server_default=func.now())


class User(Timestamped):
    __tablename__ = "users"
    id: Mapped[intpk]
    posts: WriteOnlyMapped["Post"] = relationship(back_populates="author")


class Post(OwnedMixin, Timestamped):
    __tablename__ = "posts"
    id: Mapped[intpk]
    author_id: Mapped[int] = mapped_column(ForeignKey(User.id))
    author: Mapped[User] = relationship(back_populates="posts")


User.pinned = relationship(Post, viewonly=True)
"""


def test_index_reads_mixins_declared_attr_inherited_columns_and_relationships_below():
    index = _index(app__mixins=MIXIN, app__models=MODELS)
    post = index.find_class("Post")
    owner = post.relationships["owner"]
    assert (owner.file, owner.line, owner.defined_in, owner.site, owner.target) == (
        "app/mixins.py",
        12,
        "OwnedMixin",
        "declared_attr",
        "Usr",
    )
    assert post.columns["owner_id"].foreign_keys == ["users.id"]
    assert post.columns["created_at"].defined_in == "Timestamped"
    assert post.columns["author_id"].foreign_keys == ["users.id"]  # ForeignKey(User.id)
    user = index.find_class("User")
    assert [pk.attribute for pk in user.primary_keys] == ["id"]
    assert user.primary_keys[0].type_name == "BigInteger"  # type_annotation_map
    assert user.relationships["posts"].collection is True  # WriteOnlyMapped["Post"]
    assert (user.relationships["pinned"].line, user.relationships["pinned"].site) == (34, "assigned")
    assert not index.find_class("OwnedMixin").is_mapped and not index.find_class("Timestamped").is_mapped


def test_index_reads_sqlmodel_tables_and_not_their_plain_models():
    index = _index(
        league__models="""\
        from typing import Optional

        from sqlmodel import Field, Relationship, SQLModel


        class TeamBase(SQLModel):
            name: str = Field(index=True)


        class Team(TeamBase, table=True):
            id: Optional[int] = Field(default=None, primary_key=True)
            heroes: list["Hero"] = Relationship(back_populates="team", sa_relationship_kwargs={"lazy": "selectin"})


        class Hero(SQLModel, table=True):
            id: Optional[int] = Field(default=None, primary_key=True)
            team_id: Optional[int] = Field(default=None, foreign_key="team.id")
            team: Optional[Team] = Relationship(back_populates="heroes")
        """
    )
    assert [c.name for c in index.mapped_classes()] == ["Team", "Hero"]
    hero = index.find_class("Hero")
    assert hero.tablename == "hero" and hero.columns["team_id"].foreign_keys == ["team.id"]
    heroes = index.find_class("Team").relationships["heroes"]
    assert (heroes.target, heroes.collection, heroes.kwargs["lazy"]) == ("Hero", True, '"selectin"')


def test_rename_target_in_a_mixins_declared_attr():
    assert rename_target.apply(
        MIXIN, class_name="OwnedMixin", attribute="owner", old="Usr", new="User"
    ) == MIXIN.replace('relationship("Usr")', 'relationship("User")')


def test_comment_out_a_relationship_assigned_below_the_class():
    after = comment_out.apply(MODELS, class_name="User", attribute="pinned", reason="broken")
    assert after == MODELS.replace(
        "User.pinned = relationship(Post, viewonly=True)\n",
        "# TODO(ormfix): broken\n# User.pinned = relationship(Post, viewonly=True)\n",
    )
    assert comment_out.apply(after, class_name="User", attribute="pinned", reason="broken") == after


def test_relationship_keywords_on_sqlmodel_go_in_sa_relationship_kwargs():
    before = "class Transfer(SQLModel, table=True):\n    to_team: \"Team\" = Relationship(sa_relationship_kwargs={'lazy': 'joined'})\n"
    after = foreign_keys.add_foreign_keys_arg(
        before, class_name="Transfer", attribute="to_team", foreign_keys='"Transfer.to_team_id"'
    )
    assert after == before.replace("{'lazy': 'joined'}", "{'lazy': 'joined', 'foreign_keys': \"Transfer.to_team_id\"}")
    plain = 'class Transfer(SQLModel, table=True):\n    team: "Team" = Relationship(back_populates="transfers")\n'
    assert relationship_arg.apply(
        plain, class_name="Transfer", attribute="team", keyword="lazy", text="select"
    ) == plain.replace(
        'back_populates="transfers")', 'back_populates="transfers", sa_relationship_kwargs={"lazy": "select"})'
    )


def test_add_fk_column_in_sqlmodel_spelling_and_object_foreign_keys():
    hero = (
        "from typing import Optional\n\nfrom sqlmodel import Field, Relationship, SQLModel\n\n\n"
        "class Hero(SQLModel, table=True):\n    id: Optional[int] = Field(default=None, primary_key=True)\n"
        '    name: str\n    team: Optional["Team"] = Relationship(back_populates="heroes")\n'
    )
    assert add_fk_column.apply(hero, class_name="Hero", column_name="team_id", target="team.id") == hero.replace(
        "    name: str\n", '    name: str\n    team_id: Optional[int] = Field(default=None, foreign_key="team.id")\n'
    )
    mega = (
        "import sqlalchemy as sa\nimport sqlalchemy.orm as so\nfrom typing import Optional\n\n\n"
        "class User(db.Model):\n    id: so.Mapped[int] = so.mapped_column(primary_key=True)\n\n\n"
        "class Post(db.Model):\n    id: so.Mapped[int] = so.mapped_column(primary_key=True)\n"
        "    topic_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(Topic.id))\n"
        "    author: so.Mapped[User] = so.relationship()\n"
    )
    after = add_fk_column.apply(mega, class_name="Post", column_name="author_id", target="user.id", reference="User.id")
    assert after == mega.replace(
        "(sa.ForeignKey(Topic.id))\n",
        "(sa.ForeignKey(Topic.id))\n    author_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey(User.id), nullable=True)\n",
    )


def test_add_fk_column_on_a_mapped_as_dataclass_model_and_a_class_under_if():
    source = (
        "import sys\nfrom typing import Optional\n\nfrom sqlalchemy import ForeignKey\n"
        "from sqlalchemy.orm import Mapped, mapped_column\n\n"
        'if sys.version_info >= (3, 10):\n    class Note(Base):\n        __tablename__ = "notes"\n'
        "        id: Mapped[int] = mapped_column(primary_key=True, init=False)\n"
    )
    after = add_fk_column.apply(
        source, class_name="Note", column_name="book_id", target="books.id", dataclass=True, type_implied=True
    )
    assert after == source + (
        '        book_id: Mapped[Optional[int]] = mapped_column(ForeignKey("books.id"), '
        "nullable=True, init=False, default=None)\n"
    )


def test_a_namespace_subpackage_is_imported_under_its_package(tmp_path):
    """app/models/ without __init__.py inside the package app/: imported as app.models.user (the way the
    application does), with the folder above app/ as the import root; not as a top-level `user`."""
    from ormfix.config import Settings
    from ormfix.discover import discover

    (tmp_path / "app" / "models").mkdir(parents=True)
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "db.py").write_text(
        "from sqlalchemy.orm import DeclarativeBase\n\n\nclass Base(DeclarativeBase):\n    pass\n"
    )
    (tmp_path / "app" / "models" / "user.py").write_text(
        "from sqlalchemy.orm import Mapped, mapped_column\n\nfrom app.db import Base\n\n\n"
        "class User(Base):\n    __tablename__ = 'users'\n    id: Mapped[int] = mapped_column(primary_key=True)\n"
    )
    project = discover(tmp_path, Settings())
    assert project.modules == ["app.models.user"]
    assert project.roots == [tmp_path.resolve()]


def test_import_failure_hints_name_the_right_remedy():
    """A missing module of the project itself points at [tool.ormfix] models, not at --python; with
    --python given, no "pass --python"; settings name the variables and [tool.ormfix] env."""
    from ormfix.codes.orm004_import_failure import CODE

    index = _index(app__models=MODELS)
    own = CODE.explain({"type": "ModuleNotFoundError", "message": "No module named 'app'"}, index).message
    assert "[tool.ormfix] models" in own and "--python" not in own
    other = CODE.explain({"type": "ModuleNotFoundError", "message": "No module named 'redis'"}, index).message
    assert other.endswith("(is ormfix using the project's interpreter? pass --python).")
    given = CODE.explain(
        {"type": "ModuleNotFoundError", "message": "No module named 'redis'", "python_given": True}, index
    ).message
    assert "--python" not in given and "not installed in the interpreter ormfix was given" in given
    settings = CODE.explain(
        {
            "type": "ValidationError",
            "message": "1 validation error for Settings\n"
            "database_url\n  Field required [type=missing, input_value={}, input_type=dict]",
        },
        index,
    ).message
    assert settings == (
        "The models failed to import: ValidationError: the settings need DATABASE_URL (not set in "
        'the environment; pass it with [tool.ormfix] env = ["DATABASE_URL"]).'
    )
