"""rename_target.RenameTargetCommand from the command line: a relationship pointed at another class."""

from __future__ import annotations

from command_test import CommandTest

from ormfix.codemods.rename_target import RenameTargetCommand


class TestRenameTargetCommand(CommandTest):
    TRANSFORM = RenameTargetCommand

    def test_classic_string(self) -> None:
        """Classic relationship(`Scool` as a string): quotes kept."""
        before = """
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import declarative_base, relationship

            Base = declarative_base()


            class Organization(Base):
                __tablename__ = "organizations"
                id = Column(Integer, primary_key=True)
                schools = relationship("Scool", back_populates="organization")
        """
        after = """
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import declarative_base, relationship

            Base = declarative_base()


            class Organization(Base):
                __tablename__ = "organizations"
                id = Column(Integer, primary_key=True)
                schools = relationship("School", back_populates="organization")
        """
        argv = ("--class-name", "Organization", "--attribute", "schools", "--old", "Scool", "--new", "School")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_flask_sqlalchemy_quote(self) -> None:
        """db.relationship(Adress): --quote writes the new name as a string."""
        before = """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class User(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                addresses = db.relationship(Adress, lazy='select')
        """
        after = """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class User(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                addresses = db.relationship('Address', lazy='select')
        """
        argv = ("--class-name", "User", "--attribute", "addresses", "--old", "Adress", "--new", "Address", "--quote")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_mapped_annotation(self) -> None:
        """2.0 Mapped[list[...]] with no positional target: the annotation is renamed."""
        before = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


            class Base(DeclarativeBase):
                pass


            class Organization(Base):
                __tablename__ = "organizations"
                id: Mapped[int] = mapped_column(primary_key=True)
                schools: Mapped[list["Scool"]] = relationship(back_populates="organization")
        """
        after = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


            class Base(DeclarativeBase):
                pass


            class Organization(Base):
                __tablename__ = "organizations"
                id: Mapped[int] = mapped_column(primary_key=True)
                schools: Mapped[list["School"]] = relationship(back_populates="organization")
        """
        argv = ("--class-name", "Organization", "--attribute", "schools", "--old", "Scool", "--new", "School")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_mapped_whole_qualified(self) -> None:
        """--whole replaces the whole string with a module-qualified path."""
        before = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


            class Base(DeclarativeBase):
                pass


            class Order(Base):
                __tablename__ = "orders"
                id: Mapped[int] = mapped_column(primary_key=True)
                items: Mapped[list["Item"]] = relationship("Item")
        """
        after = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


            class Base(DeclarativeBase):
                pass


            class Order(Base):
                __tablename__ = "orders"
                id: Mapped[int] = mapped_column(primary_key=True)
                items: Mapped[list["Item"]] = relationship("shop.models.Item")
        """
        argv = (
            "--class-name",
            "Order",
            "--attribute",
            "items",
            "--old",
            "Item",
            "--new",
            "shop.models.Item",
            "--whole",
        )
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_old_name_absent(self) -> None:
        """The target is not written as --old: skipped."""
        before = """
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import declarative_base, relationship

            Base = declarative_base()


            class Organization(Base):
                __tablename__ = "organizations"
                id = Column(Integer, primary_key=True)
                schools = relationship("Campus")
        """
        self.assertSkip(
            before,
            "Organization.schools does not name 'Scool'",
            "--class-name",
            "Organization",
            "--attribute",
            "schools",
            "--old",
            "Scool",
            "--new",
            "School",
        )
