"""use_shared_base.UseSharedBaseCommand from the command line: a class moved onto the project's declarative base."""

from __future__ import annotations

from command_test import CommandTest

from ormfix.codemods.use_shared_base import UseSharedBaseCommand


class TestUseSharedBaseCommand(CommandTest):
    TRANSFORM = UseSharedBaseCommand

    def test_classic_base(self) -> None:
        """Classic declarative_base(): the base replaced, its import added."""
        before = """
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import declarative_base

            LegacyBase = declarative_base()


            class Invoice(LegacyBase):
                __tablename__ = "invoices"
                id = Column(Integer, primary_key=True)
        """
        after = """
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import declarative_base
            from models.base import Base

            LegacyBase = declarative_base()


            class Invoice(Base):
                __tablename__ = "invoices"
                id = Column(Integer, primary_key=True)
        """
        argv = (
            "--class-name",
            "Invoice",
            "--old-base",
            "LegacyBase",
            "--new-base",
            "Base",
            "--import-from",
            "models.base",
            "--import-name",
            "Base",
        )
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_flask_sqlalchemy_db_model(self) -> None:
        """db.Model as the new base: db imported."""
        before = """
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Invoice(Base):
                __tablename__ = "invoices"
                id = Column(Integer, primary_key=True)
        """
        after = """
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import declarative_base
            from app.extensions import db

            Base = declarative_base()


            class Invoice(db.Model):
                __tablename__ = "invoices"
                id = Column(Integer, primary_key=True)
        """
        argv = (
            "--class-name",
            "Invoice",
            "--old-base",
            "Base",
            "--new-base",
            "db.Model",
            "--import-from",
            "app.extensions",
            "--import-name",
            "db",
        )
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_mapped_mixin_kept(self) -> None:
        """2.0 with a mixin: only the old base is replaced; no import without --import-from."""
        before = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

            from .base import Base, TimestampMixin


            class OtherBase(DeclarativeBase):
                pass


            class Invoice(TimestampMixin, OtherBase):
                __tablename__ = "invoices"
                id: Mapped[int] = mapped_column(primary_key=True)
        """
        after = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

            from .base import Base, TimestampMixin


            class OtherBase(DeclarativeBase):
                pass


            class Invoice(TimestampMixin, Base):
                __tablename__ = "invoices"
                id: Mapped[int] = mapped_column(primary_key=True)
        """
        argv = ("--class-name", "Invoice", "--old-base", "OtherBase", "--new-base", "Base")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_old_base_absent(self) -> None:
        """The class does not derive from --old-base: nothing changes."""
        before = """
            from sqlalchemy.orm import DeclarativeBase


            class Base(DeclarativeBase):
                pass


            class Invoice(Base):
                __tablename__ = "invoices"
        """
        self.assertCommand(
            before, before, "--class-name", "Invoice", "--old-base", "LegacyBase", "--new-base", "Base"
        )  # nothing to change
