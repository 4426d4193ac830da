"""foreign_keys.ForeignKeysCommand from the command line: foreign_keys= on a relationship, or a ForeignKey on a column."""

from __future__ import annotations

from command_test import CommandTest

from ormfix.codemods.foreign_keys import ForeignKeysCommand


class TestForeignKeysCommand(CommandTest):
    TRANSFORM = ForeignKeysCommand

    def test_classic_relationship(self) -> None:
        """Classic relationship() over several lines: foreign_keys= as the last argument."""
        before = """
            from sqlalchemy import Column, ForeignKey, Integer
            from sqlalchemy.orm import declarative_base, relationship

            Base = declarative_base()


            class Message(Base):
                __tablename__ = "messages"
                id = Column(Integer, primary_key=True)
                sender_id = Column(Integer, ForeignKey("users.id"))
                recipient_id = Column(Integer, ForeignKey("users.id"))
                sender = relationship(
                    "User",
                    back_populates="sent_messages",
                )
        """
        after = """
            from sqlalchemy import Column, ForeignKey, Integer
            from sqlalchemy.orm import declarative_base, relationship

            Base = declarative_base()


            class Message(Base):
                __tablename__ = "messages"
                id = Column(Integer, primary_key=True)
                sender_id = Column(Integer, ForeignKey("users.id"))
                recipient_id = Column(Integer, ForeignKey("users.id"))
                sender = relationship(
                    "User",
                    back_populates="sent_messages",
                    foreign_keys=[sender_id],
                )
        """
        argv = ("--class-name", "Message", "--attribute", "sender", "--foreign-keys", "[sender_id]")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_flask_sqlalchemy_column(self) -> None:
        """db.Column(): --column-name/--target add db.ForeignKey('...')."""
        before = """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Book(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                author_id = db.Column(db.Integer, nullable=False)
                author = db.relationship('Author')
        """
        after = """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Book(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                author_id = db.Column(db.Integer, db.ForeignKey('authors.id'), nullable=False)
                author = db.relationship('Author')
        """
        argv = ("--class-name", "Book", "--column-name", "author_id", "--target", "authors.id")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_mapped_relationship_string(self) -> None:
        """2.0 Mapped[]: a string foreign_keys= value."""
        before = """
            from sqlalchemy import ForeignKey
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


            class Base(DeclarativeBase):
                pass


            class Transfer(Base):
                __tablename__ = "transfers"
                id: Mapped[int] = mapped_column(primary_key=True)
                source_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
                target_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
                source: Mapped["Account"] = relationship()
        """
        after = """
            from sqlalchemy import ForeignKey
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


            class Base(DeclarativeBase):
                pass


            class Transfer(Base):
                __tablename__ = "transfers"
                id: Mapped[int] = mapped_column(primary_key=True)
                source_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
                target_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
                source: Mapped["Account"] = relationship(foreign_keys="Transfer.source_id")
        """
        argv = ("--class-name", "Transfer", "--attribute", "source", "--foreign-keys", '"Transfer.source_id"')
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_mapped_column_target(self) -> None:
        """2.0 mapped_column(): the ForeignKey is imported."""
        before = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Transfer(Base):
                __tablename__ = "transfers"
                id: Mapped[int] = mapped_column(primary_key=True)
                source_id: Mapped[int] = mapped_column(index=True)
        """
        after = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
            from sqlalchemy import ForeignKey


            class Base(DeclarativeBase):
                pass


            class Transfer(Base):
                __tablename__ = "transfers"
                id: Mapped[int] = mapped_column(primary_key=True)
                source_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
        """
        argv = ("--class-name", "Transfer", "--column-name", "source_id", "--target", "accounts.id")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_sqlmodel_relationship(self) -> None:
        """SQLModel Relationship(): foreign_keys= goes in sa_relationship_kwargs."""
        before = """
            from typing import Optional

            from sqlmodel import Field, Relationship, SQLModel


            class Match(SQLModel, table=True):
                id: Optional[int] = Field(default=None, primary_key=True)
                home_id: int = Field(foreign_key="team.id")
                away_id: int = Field(foreign_key="team.id")
                home: "Team" = Relationship()
        """
        after = """
            from typing import Optional

            from sqlmodel import Field, Relationship, SQLModel


            class Match(SQLModel, table=True):
                id: Optional[int] = Field(default=None, primary_key=True)
                home_id: int = Field(foreign_key="team.id")
                away_id: int = Field(foreign_key="team.id")
                home: "Team" = Relationship(sa_relationship_kwargs={"foreign_keys": "Match.home_id"})
        """
        argv = ("--class-name", "Match", "--attribute", "home", "--foreign-keys", '"Match.home_id"')
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_neither_pair(self) -> None:
        """Only --class-name: neither option pair, skipped."""
        before = """
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Book(Base):
                __tablename__ = "books"
                id = Column(Integer, primary_key=True)
        """
        self.assertSkip(
            before, "give class_name with attribute + foreign_keys or column_name + target", "--class-name", "Book"
        )
