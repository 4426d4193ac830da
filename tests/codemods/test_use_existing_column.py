"""use_existing_column.UseExistingColumnCommand from the command line: a single-table subclass column reuses the parent's."""

from __future__ import annotations

from command_test import CommandTest

from ormfix.codemods.use_existing_column import UseExistingColumnCommand


class TestUseExistingColumnCommand(CommandTest):
    TRANSFORM = UseExistingColumnCommand

    def test_mapped_column(self) -> None:
        """2.0 mapped_column(String(50)): use_existing_column=True appended."""
        before = """
            from sqlalchemy import String
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Employee(Base):
                __tablename__ = "employees"
                id: Mapped[int] = mapped_column(primary_key=True)
                kind: Mapped[str]
                __mapper_args__ = {"polymorphic_on": "kind"}


            class Manager(Employee):
                name: Mapped[str] = mapped_column(String(50))


            class Engineer(Employee):
                name: Mapped[str] = mapped_column(String(50))
        """
        after = """
            from sqlalchemy import String
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Employee(Base):
                __tablename__ = "employees"
                id: Mapped[int] = mapped_column(primary_key=True)
                kind: Mapped[str]
                __mapper_args__ = {"polymorphic_on": "kind"}


            class Manager(Employee):
                name: Mapped[str] = mapped_column(String(50))


            class Engineer(Employee):
                name: Mapped[str] = mapped_column(String(50), use_existing_column=True)
        """
        argv = ("--class-name", "Engineer", "--attribute", "name")
        self.assertCommand(before, after, *argv)
        self.assertSkip(after, "Engineer.name already has use_existing_column=", *argv)  # a second run: not applicable

    def test_mapped_column_one_argument_a_line(self) -> None:
        """A call with one argument a line keeps that layout."""
        before = """
            from sqlalchemy import String
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Engineer(Base):
                __tablename__ = "engineers"
                name: Mapped[str] = mapped_column(
                    String(50),
                    nullable=True,
                )
        """
        after = """
            from sqlalchemy import String
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Engineer(Base):
                __tablename__ = "engineers"
                name: Mapped[str] = mapped_column(
                    String(50),
                    nullable=True,
                    use_existing_column=True,
                )
        """
        argv = ("--class-name", "Engineer", "--attribute", "name")
        self.assertCommand(before, after, *argv)
        self.assertSkip(after, "Engineer.name already has use_existing_column=", *argv)  # a second run: not applicable

    def test_classic_column(self) -> None:
        """Classic Column() does not take the keyword: skipped."""
        before = """
            from sqlalchemy import Column, Integer, String
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Engineer(Base):
                __tablename__ = "engineers"
                id = Column(Integer, primary_key=True)
                name = Column(String(50))
        """
        self.assertSkip(
            before,
            "Engineer.name is not a mapped_column() call (only mapped_column() takes use_existing_column=)",
            "--class-name",
            "Engineer",
            "--attribute",
            "name",
        )

    def test_flask_sqlalchemy_column(self) -> None:
        """db.Column() does not take the keyword: skipped."""
        before = """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Engineer(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                name = db.Column(db.String(50))
        """
        self.assertSkip(
            before,
            "Engineer.name is not a mapped_column() call (only mapped_column() takes use_existing_column=)",
            "--class-name",
            "Engineer",
            "--attribute",
            "name",
        )
