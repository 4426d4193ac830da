"""add_primary_key.AddPrimaryKeyCommand from the command line: an `id` key column in the class's style."""

from __future__ import annotations

from command_test import CommandTest

from ormfix.codemods.add_primary_key import AddPrimaryKeyCommand


class TestAddPrimaryKeyCommand(CommandTest):
    TRANSFORM = AddPrimaryKeyCommand

    def test_classic_column(self) -> None:
        """Classic Column(): first after __tablename__, Integer imported."""
        before = """
            from sqlalchemy import Column, String
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Tag(Base):
                __tablename__ = "tags"
                name = Column(String(50), unique=True)
        """
        after = """
            from sqlalchemy import Column, Integer, String
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Tag(Base):
                __tablename__ = "tags"
                id = Column(Integer, primary_key=True)
                name = Column(String(50), unique=True)
        """
        argv = ("--class-name", "Tag")
        self.assertCommand(before, after, *argv)
        self.assertSkip(
            after, "Tag.id already exists: mark the key column primary_key=True by hand", *argv
        )  # a second run: not applicable

    def test_flask_sqlalchemy(self) -> None:
        """db.Column(): after the docstring."""
        before = '''
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Coupon(db.Model):
                """A discount code."""

                code = db.Column(db.String(12), unique=True)
        '''
        after = '''
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Coupon(db.Model):
                """A discount code."""
                id = db.Column(db.Integer, primary_key=True)

                code = db.Column(db.String(12), unique=True)
        '''
        argv = ("--class-name", "Coupon")
        self.assertCommand(before, after, *argv)
        self.assertSkip(
            after, "Coupon.id already exists: mark the key column primary_key=True by hand", *argv
        )  # a second run: not applicable

    def test_mapped_column(self) -> None:
        """2.0 Mapped[]: id: Mapped[int] = mapped_column(primary_key=True)."""
        before = """
            from sqlalchemy import String
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Country(Base):
                __tablename__ = "countries"
                __table_args__ = {"schema": "geo"}
                iso: Mapped[str] = mapped_column(String(2), unique=True)
        """
        after = """
            from sqlalchemy import String
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Country(Base):
                __tablename__ = "countries"
                __table_args__ = {"schema": "geo"}
                id: Mapped[int] = mapped_column(primary_key=True)
                iso: Mapped[str] = mapped_column(String(2), unique=True)
        """
        argv = ("--class-name", "Country")
        self.assertCommand(before, after, *argv)
        self.assertSkip(
            after, "Country.id already exists: mark the key column primary_key=True by hand", *argv
        )  # a second run: not applicable
