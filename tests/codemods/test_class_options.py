"""class_options.ClassOptionCommand from the command line: a class keyword, a column keyword, a __mapper_args__ entry."""

from __future__ import annotations

from command_test import CommandTest

from ormfix.codemods.class_options import ClassOptionCommand


class TestClassOptionCommand(CommandTest):
    TRANSFORM = ClassOptionCommand

    def test_class_keyword_mapped(self) -> None:
        """2.0 MappedAsDataclass: kw_only=True on the class statement."""
        before = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, MappedAsDataclass, mapped_column


            class Base(MappedAsDataclass, DeclarativeBase):
                pass


            class Note(Base):
                __tablename__ = "notes"
                id: Mapped[int] = mapped_column(primary_key=True, init=False)
                body: Mapped[str]
        """
        after = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, MappedAsDataclass, mapped_column


            class Base(MappedAsDataclass, DeclarativeBase):
                pass


            class Note(Base, kw_only=True):
                __tablename__ = "notes"
                id: Mapped[int] = mapped_column(primary_key=True, init=False)
                body: Mapped[str]
        """
        argv = ("--class-name", "Note", "--keyword", "kw_only", "--value", "True")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_column_keyword_mapped(self) -> None:
        """2.0 mapped_column(): init=False on one column (--attribute)."""
        before = """
            from sqlalchemy import String
            from sqlalchemy.orm import DeclarativeBase, Mapped, MappedAsDataclass, mapped_column


            class Base(MappedAsDataclass, DeclarativeBase):
                pass


            class Note(Base):
                __tablename__ = "notes"
                id: Mapped[int] = mapped_column(primary_key=True)
                body: Mapped[str] = mapped_column(String(1000))
        """
        after = """
            from sqlalchemy import String
            from sqlalchemy.orm import DeclarativeBase, Mapped, MappedAsDataclass, mapped_column


            class Base(MappedAsDataclass, DeclarativeBase):
                pass


            class Note(Base):
                __tablename__ = "notes"
                id: Mapped[int] = mapped_column(primary_key=True, init=False)
                body: Mapped[str] = mapped_column(String(1000))
        """
        argv = ("--class-name", "Note", "--attribute", "id", "--keyword", "init", "--value", "False")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_column_keyword_classic(self) -> None:
        """Classic Column(): the keyword on its call."""
        before = """
            from sqlalchemy import Column, Integer, String
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class User(Base):
                __tablename__ = "users"
                id = Column(Integer, primary_key=True)
                email = Column(String(200))
        """
        after = """
            from sqlalchemy import Column, Integer, String
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class User(Base):
                __tablename__ = "users"
                id = Column(Integer, primary_key=True)
                email = Column(String(200), unique=True)
        """
        argv = ("--class-name", "User", "--attribute", "email", "--keyword", "unique", "--value", "True")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_mapper_arg_flask_sqlalchemy(self) -> None:
        """db.Model subclass: a new __mapper_args__ after the docstring (--mapper-arg)."""
        before = '''
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Employee(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                kind = db.Column(db.String(20))
                __mapper_args__ = {'polymorphic_on': kind}


            class Engineer(Employee):
                """Shares the employees table."""

                language = db.Column(db.String(40))
        '''
        after = '''
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Employee(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                kind = db.Column(db.String(20))
                __mapper_args__ = {'polymorphic_on': kind}


            class Engineer(Employee):
                """Shares the employees table."""

                __mapper_args__ = {'polymorphic_identity': 'engineer'}
                language = db.Column(db.String(40))
        '''
        argv = (
            "--class-name",
            "Engineer",
            "--keyword",
            "polymorphic_identity",
            "--value",
            "'engineer'",
            "--mapper-arg",
        )
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_mapper_arg_existing_dict(self) -> None:
        """An existing __mapper_args__ dict gets the entry."""
        before = """
            from sqlalchemy import Column, Integer, String
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Employee(Base):
                __tablename__ = "employees"
                id = Column(Integer, primary_key=True)
                kind = Column(String(20))
                __mapper_args__ = {"polymorphic_on": kind}
        """
        after = """
            from sqlalchemy import Column, Integer, String
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Employee(Base):
                __tablename__ = "employees"
                id = Column(Integer, primary_key=True)
                kind = Column(String(20))
                __mapper_args__ = {"polymorphic_on": kind, "polymorphic_identity": "employee"}
        """
        argv = (
            "--class-name",
            "Employee",
            "--keyword",
            "polymorphic_identity",
            "--value",
            '"employee"',
            "--mapper-arg",
        )
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_different_value_there(self) -> None:
        """The keyword is there with another value: skipped."""
        before = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, MappedAsDataclass, mapped_column


            class Base(MappedAsDataclass, DeclarativeBase):
                pass


            class Note(Base, kw_only=False):
                __tablename__ = "notes"
                id: Mapped[int] = mapped_column(primary_key=True, init=False)
        """
        self.assertSkip(
            before,
            "class Note already has kw_only= with another value",
            "--class-name",
            "Note",
            "--keyword",
            "kw_only",
            "--value",
            "True",
        )
