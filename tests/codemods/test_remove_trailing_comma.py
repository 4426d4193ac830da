"""remove_trailing_comma.RemoveTrailingCommaCommand from the command line: a 1-tuple column becomes a column."""

from __future__ import annotations

from command_test import CommandTest

from ormfix.codemods.remove_trailing_comma import RemoveTrailingCommaCommand


class TestRemoveTrailingCommaCommand(CommandTest):
    TRANSFORM = RemoveTrailingCommaCommand

    def test_classic_column_comment(self) -> None:
        """Classic Column(...),: only the comma goes, the comment stays."""
        before = """
            from sqlalchemy import Column, Integer, String
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Tag(Base):
                __tablename__ = "tags"
                id = Column(Integer, primary_key=True)
                name = Column(String(50)),  # shown in the UI
        """
        after = """
            from sqlalchemy import Column, Integer, String
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Tag(Base):
                __tablename__ = "tags"
                id = Column(Integer, primary_key=True)
                name = Column(String(50))  # shown in the UI
        """
        argv = ("--class-name", "Tag", "--attribute", "name")
        self.assertCommand(before, after, *argv)
        self.assertSkip(
            after, "Tag.name is not a one-element tuple holding a call", *argv
        )  # a second run: not applicable

    def test_flask_sqlalchemy_multiline(self) -> None:
        """db.Column() over several lines keeps its layout."""
        before = """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Order(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                total = db.Column(
                    db.Numeric(10, 2),
                    nullable=False,
                ),
        """
        after = """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Order(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                total = db.Column(
                    db.Numeric(10, 2),
                    nullable=False,
                )
        """
        argv = ("--class-name", "Order", "--attribute", "total")
        self.assertCommand(before, after, *argv)
        self.assertSkip(
            after, "Order.total is not a one-element tuple holding a call", *argv
        )  # a second run: not applicable

    def test_mapped_parenthesized(self) -> None:
        """2.0 mapped_column() in (..., ): the parentheses go too."""
        before = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Order(Base):
                __tablename__ = "orders"
                id: Mapped[int] = mapped_column(primary_key=True)
                note: Mapped[str] = (mapped_column(default=""),)
        """
        after = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Order(Base):
                __tablename__ = "orders"
                id: Mapped[int] = mapped_column(primary_key=True)
                note: Mapped[str] = mapped_column(default="")
        """
        argv = ("--class-name", "Order", "--attribute", "note")
        self.assertCommand(before, after, *argv)
        self.assertSkip(
            after, "Order.note is not a one-element tuple holding a call", *argv
        )  # a second run: not applicable

    def test_not_a_tuple(self) -> None:
        """A plain column: skipped."""
        before = """
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Tag(Base):
                __tablename__ = "tags"
                id = Column(Integer, primary_key=True)
        """
        self.assertSkip(
            before, "Tag.id is not a one-element tuple holding a call", "--class-name", "Tag", "--attribute", "id"
        )
