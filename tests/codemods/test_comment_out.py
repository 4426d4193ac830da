"""comment_out.CommentOutCommand from the command line: a broken attribute commented out under a TODO note."""

from __future__ import annotations

from command_test import CommandTest

from ormfix.codemods.comment_out import CommentOutCommand


class TestCommentOutCommand(CommandTest):
    TRANSFORM = CommentOutCommand

    def test_classic_multiline_relationship(self) -> None:
        """Classic relationship() over several lines: every line commented, the note above."""
        before = """
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import declarative_base, relationship

            Base = declarative_base()


            class Organization(Base):
                __tablename__ = "organizations"
                id = Column(Integer, primary_key=True)
                # Relationships
                schools = relationship(
                    "School",
                    back_populates="organization",
                )
                users = relationship("User")
        """
        after = """
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import declarative_base, relationship

            Base = declarative_base()


            class Organization(Base):
                __tablename__ = "organizations"
                id = Column(Integer, primary_key=True)
                # Relationships
                # TODO(ormfix): Organization.schools names class 'School', which does not exist (ORM002).
                # schools = relationship(
                #     "School",
                #     back_populates="organization",
                # )
                users = relationship("User")
        """
        argv = (
            "--class-name",
            "Organization",
            "--attribute",
            "schools",
            "--reason",
            "Organization.schools names class 'School', which does not exist (ORM002).",
        )
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_flask_sqlalchemy_column(self) -> None:
        """db.Column() with a broken ForeignKey."""
        before = """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Post(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                campaign_id = db.Column(db.Integer, db.ForeignKey('campain.id'))
        """
        after = """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Post(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                # TODO(ormfix): no table campain
                # campaign_id = db.Column(db.Integer, db.ForeignKey('campain.id'))
        """
        argv = ("--class-name", "Post", "--attribute", "campaign_id", "--reason", "no table campain")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_mapped_last_attribute(self) -> None:
        """2.0 Mapped[]: the only attribute left: pass follows the comments."""
        before = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, relationship


            class Base(DeclarativeBase):
                pass


            class AuditMixin:
                author: Mapped["User"] = relationship()
        """
        after = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, relationship


            class Base(DeclarativeBase):
                pass


            class AuditMixin:
                # TODO(ormfix): a mixin's relationship needs @declared_attr
                # author: Mapped["User"] = relationship()
                pass
        """
        argv = (
            "--class-name",
            "AuditMixin",
            "--attribute",
            "author",
            "--reason",
            "a mixin's relationship needs @declared_attr",
        )
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_sqlmodel_relationship(self) -> None:
        """SQLModel Relationship()."""
        before = """
            from typing import Optional

            from sqlmodel import Field, Relationship, SQLModel


            class Hero(SQLModel, table=True):
                id: Optional[int] = Field(default=None, primary_key=True)
                team: Optional["Teem"] = Relationship(back_populates="heroes")
        """
        after = """
            from typing import Optional

            from sqlmodel import Field, Relationship, SQLModel


            class Hero(SQLModel, table=True):
                id: Optional[int] = Field(default=None, primary_key=True)
                # TODO(ormfix): no class Teem
                # team: Optional["Teem"] = Relationship(back_populates="heroes")
        """
        argv = ("--class-name", "Hero", "--attribute", "team", "--reason", "no class Teem")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_missing_attribute(self) -> None:
        """An attribute the class does not have: skipped."""
        before = """
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Organization(Base):
                __tablename__ = "organizations"
                id = Column(Integer, primary_key=True)
        """
        self.assertSkip(
            before,
            "Organization.schools not found in the class body",
            "--class-name",
            "Organization",
            "--attribute",
            "schools",
            "--reason",
            "gone",
        )
