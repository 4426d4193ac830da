"""relationship_arg.RelationshipArgCommand from the command line: set, rename or remove a relationship() keyword."""

from __future__ import annotations

from command_test import CommandTest

from ormfix.codemods.relationship_arg import RelationshipArgCommand


class TestRelationshipArgCommand(CommandTest):
    TRANSFORM = RelationshipArgCommand

    def test_classic_text(self) -> None:
        """Classic relationship(): --text writes a string quoted like the call's."""
        before = """
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import declarative_base, relationship

            Base = declarative_base()


            class Author(Base):
                __tablename__ = "authors"
                id = Column(Integer, primary_key=True)
                books = relationship("Book", back_populates="autor")
        """
        after = """
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import declarative_base, relationship

            Base = declarative_base()


            class Author(Base):
                __tablename__ = "authors"
                id = Column(Integer, primary_key=True)
                books = relationship("Book", back_populates="author")
        """
        argv = ("--class-name", "Author", "--attribute", "books", "--keyword", "back_populates", "--text", "author")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_flask_sqlalchemy_replace_backref(self) -> None:
        """db.relationship(): --replace backref turns backref= into back_populates= in place."""
        before = """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Author(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                books = db.relationship('Book', backref='author', lazy='dynamic')
        """
        after = """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Author(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                books = db.relationship('Book', back_populates='author', lazy='dynamic')
        """
        argv = (
            "--class-name",
            "Author",
            "--attribute",
            "books",
            "--keyword",
            "back_populates",
            "--text",
            "author",
            "--replace",
            "backref",
        )
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_mapped_value(self) -> None:
        """2.0 Mapped[]: --value is Python source."""
        before = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


            class Base(DeclarativeBase):
                pass


            class Node(Base):
                __tablename__ = "nodes"
                id: Mapped[int] = mapped_column(primary_key=True)
                parent: Mapped["Node"] = relationship(back_populates="children")
        """
        after = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


            class Base(DeclarativeBase):
                pass


            class Node(Base):
                __tablename__ = "nodes"
                id: Mapped[int] = mapped_column(primary_key=True)
                parent: Mapped["Node"] = relationship(back_populates="children", remote_side=[id])
        """
        argv = ("--class-name", "Node", "--attribute", "parent", "--keyword", "remote_side", "--value", "[id]")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_sqlmodel_remove(self) -> None:
        """SQLModel Relationship(): --remove drops the keyword and its comma."""
        before = """
            from typing import Optional

            from sqlmodel import Field, Relationship, SQLModel


            class Hero(SQLModel, table=True):
                id: Optional[int] = Field(default=None, primary_key=True)
                team: Optional["Team"] = Relationship(back_populates="hero")
        """
        after = """
            from typing import Optional

            from sqlmodel import Field, Relationship, SQLModel


            class Hero(SQLModel, table=True):
                id: Optional[int] = Field(default=None, primary_key=True)
                team: Optional["Team"] = Relationship()
        """
        argv = ("--class-name", "Hero", "--attribute", "team", "--keyword", "back_populates", "--remove")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_not_a_relationship(self) -> None:
        """A column attribute: skipped."""
        before = """
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Author(Base):
                __tablename__ = "authors"
                id = Column(Integer, primary_key=True)
        """
        self.assertSkip(
            before,
            "Author.id is not a relationship() call",
            "--class-name",
            "Author",
            "--attribute",
            "id",
            "--keyword",
            "back_populates",
            "--text",
            "author",
        )
