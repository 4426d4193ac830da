"""add_column_type.AddColumnTypeCommand from the command line: a 2.0 Mapped[] column gets its column type."""

from __future__ import annotations

from command_test import CommandTest

from ormfix.codemods.add_column_type import AddColumnTypeCommand


class TestAddColumnTypeCommand(CommandTest):
    TRANSFORM = AddColumnTypeCommand

    def test_mapped_column_default_json(self) -> None:
        """mapped_column(nullable=True) on Mapped[dict]: JSON (the default) goes first, imported."""
        before = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Profile(Base):
                __tablename__ = "profiles"
                id: Mapped[int] = mapped_column(primary_key=True)
                settings: Mapped[dict] = mapped_column(nullable=True)
        """
        after = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
            from sqlalchemy import JSON


            class Base(DeclarativeBase):
                pass


            class Profile(Base):
                __tablename__ = "profiles"
                id: Mapped[int] = mapped_column(primary_key=True)
                settings: Mapped[dict] = mapped_column(JSON, nullable=True)
        """
        argv = ("--class-name", "Profile", "--attribute", "settings")
        self.assertCommand(before, after, *argv)

    def test_bare_annotation_other_type(self) -> None:
        """A bare Mapped[list[str]] gets mapped_column(ARRAY) from --type-name/--type-module."""
        before = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Article(Base):
                __tablename__ = "articles"
                id: Mapped[int] = mapped_column(primary_key=True)
                tags: Mapped[list[str]]
        """
        after = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
            from sqlalchemy.dialects.postgresql import ARRAY


            class Base(DeclarativeBase):
                pass


            class Article(Base):
                __tablename__ = "articles"
                id: Mapped[int] = mapped_column(primary_key=True)
                tags: Mapped[list[str]] = mapped_column(ARRAY)
        """
        argv = (
            "--class-name",
            "Article",
            "--attribute",
            "tags",
            "--type-name",
            "ARRAY",
            "--type-module",
            "sqlalchemy.dialects.postgresql",
        )
        self.assertCommand(before, after, *argv)

    def test_classic_column(self) -> None:
        """A classic Column() attribute is not annotated: skipped."""
        before = """
            from sqlalchemy import JSON, Column, Integer
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Profile(Base):
                __tablename__ = "profiles"
                id = Column(Integer, primary_key=True)
                settings = Column(JSON)
        """
        self.assertSkip(
            before,
            "Profile.settings is not an annotated attribute",
            "--class-name",
            "Profile",
            "--attribute",
            "settings",
        )

    def test_second_run_changes_nothing(self) -> None:
        """Running on its own output should change nothing (as the other codemods do)."""
        after = """
            from sqlalchemy import JSON
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Profile(Base):
                __tablename__ = "profiles"
                settings: Mapped[dict] = mapped_column(JSON, nullable=True)
        """
        self.assertCommand(after, after, "--class-name", "Profile", "--attribute", "settings")
