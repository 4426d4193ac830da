"""add_relationship.AddRelationshipCommand from the command line: the back_populates twin, in the class's style."""

from __future__ import annotations

from command_test import CommandTest

from ormfix.codemods.add_relationship import AddRelationshipCommand


class TestAddRelationshipCommand(CommandTest):
    TRANSFORM = AddRelationshipCommand

    def test_classic_column(self) -> None:
        """Classic: relationship() after the last column, imported."""
        before = """
            from sqlalchemy import Column, ForeignKey, Integer
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Player(Base):
                __tablename__ = "players"
                id = Column(Integer, primary_key=True)
                team_id = Column(Integer, ForeignKey("teams.id"))
        """
        after = """
            from sqlalchemy import Column, ForeignKey, Integer
            from sqlalchemy.orm import declarative_base, relationship

            Base = declarative_base()


            class Player(Base):
                __tablename__ = "players"
                id = Column(Integer, primary_key=True)
                team_id = Column(Integer, ForeignKey("teams.id"))
                team = relationship("Team", back_populates="players")
        """
        argv = ("--class-name", "Player", "--attribute", "team", "--target", "Team", "--back-populates", "players")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_flask_sqlalchemy_collection(self) -> None:
        """db.relationship(): the one-to-many side (--collection) after the last relationship."""
        before = """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Team(db.Model):
                __tablename__ = 'teams'
                id = db.Column(db.Integer, primary_key=True)
                coach = db.relationship('Coach', back_populates='team')
        """
        after = """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Team(db.Model):
                __tablename__ = 'teams'
                id = db.Column(db.Integer, primary_key=True)
                coach = db.relationship('Coach', back_populates='team')
                players = db.relationship('Player', back_populates='team')
        """
        argv = (
            "--class-name",
            "Team",
            "--attribute",
            "players",
            "--target",
            "Player",
            "--back-populates",
            "team",
            "--collection",
        )
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_mapped_many_to_many(self) -> None:
        """2.0 Mapped[list[...]] with --secondary."""
        before = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


            class Base(DeclarativeBase):
                pass


            class Student(Base):
                __tablename__ = "students"
                id: Mapped[int] = mapped_column(primary_key=True)
                courses: Mapped[list["Course"]] = relationship(secondary="enrollments", back_populates="students")
        """
        after = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


            class Base(DeclarativeBase):
                pass


            class Student(Base):
                __tablename__ = "students"
                id: Mapped[int] = mapped_column(primary_key=True)
                courses: Mapped[list["Course"]] = relationship(secondary="enrollments", back_populates="students")
                clubs: Mapped[list["Club"]] = relationship(secondary="memberships", back_populates="members")
        """
        argv = (
            "--class-name",
            "Student",
            "--attribute",
            "clubs",
            "--target",
            "Club",
            "--back-populates",
            "members",
            "--collection",
            "--secondary",
            "memberships",
        )
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_sqlmodel_spelling(self) -> None:
        """SQLModel: Relationship() with an Optional (or list) annotation, imported from sqlmodel."""
        before = """
            from typing import Optional

            from sqlmodel import Field, SQLModel


            class Hero(SQLModel, table=True):
                id: Optional[int] = Field(default=None, primary_key=True)
                team_id: Optional[int] = Field(default=None, foreign_key="team.id")
        """
        after = """
            from typing import Optional

            from sqlmodel import Field, Relationship, SQLModel


            class Hero(SQLModel, table=True):
                id: Optional[int] = Field(default=None, primary_key=True)
                team_id: Optional[int] = Field(default=None, foreign_key="team.id")
                team: Optional["Team"] = Relationship(back_populates="heroes")
        """
        argv = ("--class-name", "Hero", "--attribute", "team", "--target", "Team", "--back-populates", "heroes")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_attribute_is_a_column(self) -> None:
        """The attribute exists as something else than a relationship: skipped."""
        before = """
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Player(Base):
                __tablename__ = "players"
                id = Column(Integer, primary_key=True)
                team = Column(Integer)
        """
        self.assertSkip(
            before,
            "Player.team already exists and is not a relationship",
            "--class-name",
            "Player",
            "--attribute",
            "team",
            "--target",
            "Team",
            "--back-populates",
            "players",
        )
