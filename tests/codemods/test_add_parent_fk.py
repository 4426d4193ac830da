"""add_parent_fk.AddParentFkCommand from the command line: a joined-inheritance subclass's key gets its ForeignKey."""

from __future__ import annotations

from command_test import CommandTest

from ormfix.codemods.add_parent_fk import AddParentFkCommand


class TestAddParentFkCommand(CommandTest):
    TRANSFORM = AddParentFkCommand

    def test_classic_existing_key(self) -> None:
        """Classic Column(): ForeignKey added to the existing key (imported)."""
        before = """
            from sqlalchemy import Column, Integer, String
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Employee(Base):
                __tablename__ = "employees"
                id = Column(Integer, primary_key=True)
                type = Column(String(20))
                __mapper_args__ = {"polymorphic_on": type, "polymorphic_identity": "employee"}


            class Manager(Employee):
                __tablename__ = "managers"
                id = Column(Integer, primary_key=True)
                __mapper_args__ = {"polymorphic_identity": "manager"}
        """
        after = """
            from sqlalchemy import Column, ForeignKey, Integer, String
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Employee(Base):
                __tablename__ = "employees"
                id = Column(Integer, primary_key=True)
                type = Column(String(20))
                __mapper_args__ = {"polymorphic_on": type, "polymorphic_identity": "employee"}


            class Manager(Employee):
                __tablename__ = "managers"
                id = Column(Integer, ForeignKey("employees.id"), primary_key=True)
                __mapper_args__ = {"polymorphic_identity": "manager"}
        """
        argv = ("--class-name", "Manager", "--target", "employees.id")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_flask_sqlalchemy_new_key(self) -> None:
        """db.Column(): the subclass has no key: one is added first."""
        before = """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Employee(db.Model):
                __tablename__ = 'employees'
                id = db.Column(db.Integer, primary_key=True)
                kind = db.Column(db.String(20))
                __mapper_args__ = {'polymorphic_on': kind}


            class Engineer(Employee):
                __tablename__ = 'engineers'
                language = db.Column(db.String(40))
        """
        after = """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Employee(db.Model):
                __tablename__ = 'employees'
                id = db.Column(db.Integer, primary_key=True)
                kind = db.Column(db.String(20))
                __mapper_args__ = {'polymorphic_on': kind}


            class Engineer(Employee):
                __tablename__ = 'engineers'
                id = db.Column(db.Integer, db.ForeignKey('employees.id'), primary_key=True)
                language = db.Column(db.String(40))
        """
        argv = ("--class-name", "Engineer", "--target", "employees.id")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_mapped_column_string_key(self) -> None:
        """2.0 Mapped[]: a new String(36) key typed by --type-name/--type-args/--python-type."""
        before = """
            from sqlalchemy import String
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Account(Base):
                __tablename__ = "accounts"
                uid: Mapped[str] = mapped_column(String(36), primary_key=True)
                kind: Mapped[str]
                __mapper_args__ = {"polymorphic_on": "kind"}


            class TrialAccount(Account):
                __tablename__ = "trial_accounts"
                expires: Mapped[str]
        """
        after = """
            from sqlalchemy import ForeignKey, String
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Account(Base):
                __tablename__ = "accounts"
                uid: Mapped[str] = mapped_column(String(36), primary_key=True)
                kind: Mapped[str]
                __mapper_args__ = {"polymorphic_on": "kind"}


            class TrialAccount(Account):
                __tablename__ = "trial_accounts"
                uid: Mapped[str] = mapped_column(ForeignKey("accounts.uid"), primary_key=True)
                expires: Mapped[str]
        """
        argv = (
            "--class-name",
            "TrialAccount",
            "--target",
            "accounts.uid",
            "--column-name",
            "uid",
            "--type-name",
            "String",
            "--type-args",
            "36",
            "--python-type",
            "str",
        )
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_missing_class(self) -> None:
        """A class the file does not define: skipped."""
        before = """
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Employee(Base):
                __tablename__ = "employees"
                id = Column(Integer, primary_key=True)
        """
        self.assertSkip(
            before, "class Manager not found in this file", "--class-name", "Manager", "--target", "employees.id"
        )
