"""rename_reserved_attribute.RenameReservedAttributeCommand from the command line: the column keeps its name."""

from __future__ import annotations

from command_test import CommandTest

from ormfix.codemods.rename_reserved_attribute import RenameReservedAttributeCommand


class TestRenameReservedAttributeCommand(CommandTest):
    TRANSFORM = RenameReservedAttributeCommand

    def test_classic_column(self) -> None:
        """Classic Column(JSON): metadata_, the column name passed first."""
        before = """
            from sqlalchemy import JSON, Column, Integer
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Document(Base):
                __tablename__ = "documents"
                id = Column(Integer, primary_key=True)
                metadata = Column(JSON)
        """
        after = """
            from sqlalchemy import JSON, Column, Integer
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Document(Base):
                __tablename__ = "documents"
                id = Column(Integer, primary_key=True)
                metadata_ = Column("metadata", JSON)
        """
        argv = ("--class-name", "Document", "--attribute", "metadata")
        self.assertCommand(before, after, *argv)
        self.assertSkip(after, "Document.metadata not found in the class body", *argv)  # a second run: not applicable

    def test_flask_sqlalchemy_new_name(self) -> None:
        """db.Column(): --new names the attribute."""
        before = """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Upload(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                metadata = db.Column(db.JSON, nullable=True)
        """
        after = """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Upload(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                extra = db.Column("metadata", db.JSON, nullable=True)
        """
        argv = ("--class-name", "Upload", "--attribute", "metadata", "--new", "extra")
        self.assertCommand(before, after, *argv)
        self.assertSkip(after, "Upload.metadata not found in the class body", *argv)  # a second run: not applicable

    def test_mapped_column(self) -> None:
        """2.0 mapped_column(): registry_ keeps its column name."""
        before = """
            from sqlalchemy import String
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Package(Base):
                __tablename__ = "packages"
                id: Mapped[int] = mapped_column(primary_key=True)
                registry: Mapped[str] = mapped_column(String(200))
        """
        after = """
            from sqlalchemy import String
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Package(Base):
                __tablename__ = "packages"
                id: Mapped[int] = mapped_column(primary_key=True)
                registry_: Mapped[str] = mapped_column("registry", String(200))
        """
        argv = ("--class-name", "Package", "--attribute", "registry")
        self.assertCommand(before, after, *argv)
        self.assertSkip(after, "Package.registry not found in the class body", *argv)  # a second run: not applicable

    def test_new_name_taken(self) -> None:
        """The new name is taken: skipped."""
        before = """
            from sqlalchemy import JSON, Column, Integer
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Document(Base):
                __tablename__ = "documents"
                id = Column(Integer, primary_key=True)
                metadata_ = Column(JSON)
                metadata = Column(JSON)
        """
        self.assertSkip(
            before,
            "Document.metadata_ already exists: choose another attribute name by hand",
            "--class-name",
            "Document",
            "--attribute",
            "metadata",
        )
