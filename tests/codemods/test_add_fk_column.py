"""add_fk_column.AddFkColumnCommand run as `python -m libcst.tool codemod` runs it, in each column style."""

from __future__ import annotations

from command_test import CommandTest

from ormfix.codemods.add_fk_column import AddFkColumnCommand


class TestAddFkColumnCommand(CommandTest):
    TRANSFORM = AddFkColumnCommand

    def test_classic_column(self) -> None:
        """Classic Column(): the column and its ForeignKey import are added after the last column."""
        before = """
            from sqlalchemy import Column, Integer, String
            from sqlalchemy.orm import declarative_base, relationship

            Base = declarative_base()


            class Invoice(Base):
                __tablename__ = "invoices"
                id = Column(Integer, primary_key=True)
                number = Column(String(20), nullable=False)
                customer = relationship("Customer")
        """
        after = """
            from sqlalchemy import Column, ForeignKey, Integer, String
            from sqlalchemy.orm import declarative_base, relationship

            Base = declarative_base()


            class Invoice(Base):
                __tablename__ = "invoices"
                id = Column(Integer, primary_key=True)
                number = Column(String(20), nullable=False)
                customer_id = Column(Integer, ForeignKey("customers.id"), nullable=True)
                customer = relationship("Customer")
        """
        argv = ("--class-name", "Invoice", "--column-name", "customer_id", "--target", "customers.id")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_flask_sqlalchemy(self) -> None:
        """db.Column(): spelled through db, not nullable with --not-nullable, indexed with --index."""
        before = """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Post(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                title = db.Column(db.String(200))
                campaign = db.relationship('Campaign', backref='posts')
        """
        after = """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Post(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                title = db.Column(db.String(200))
                campaign_id = db.Column(db.Integer, db.ForeignKey('campaigns.id'), nullable=False, index=True)
                campaign = db.relationship('Campaign', backref='posts')
        """
        argv = (
            "--class-name",
            "Post",
            "--column-name",
            "campaign_id",
            "--target",
            "campaigns.id",
            "--not-nullable",
            "--index",
        )
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_mapped_column(self) -> None:
        """2.0 Mapped[]: Optional[int] annotation, ondelete= from --ondelete."""
        before = """
            from typing import Optional

            from sqlalchemy import String
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


            class Base(DeclarativeBase):
                pass


            class Ticket(Base):
                __tablename__ = "tickets"
                id: Mapped[int] = mapped_column(primary_key=True)
                subject: Mapped[str] = mapped_column(String(120))
                assignee: Mapped[Optional["Agent"]] = relationship()
        """
        after = """
            from typing import Optional

            from sqlalchemy import ForeignKey, String
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


            class Base(DeclarativeBase):
                pass


            class Ticket(Base):
                __tablename__ = "tickets"
                id: Mapped[int] = mapped_column(primary_key=True)
                subject: Mapped[str] = mapped_column(String(120))
                assignee_id: Mapped[Optional[int]] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"), nullable=True)
                assignee: Mapped[Optional["Agent"]] = relationship()
        """
        argv = (
            "--class-name",
            "Ticket",
            "--column-name",
            "assignee_id",
            "--target",
            "agents.id",
            "--ondelete",
            "SET NULL",
        )
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_mapped_column_uuid(self) -> None:
        """2.0 Mapped[] with a UUID key: --type-name/--type-args/--type-module/--python-type."""
        before = """
            import uuid

            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Session(Base):
                __tablename__ = "sessions"
                token: Mapped[str] = mapped_column(primary_key=True)
        """
        after = """
            import uuid

            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
            from typing import Optional
            from sqlalchemy.dialects.postgresql import UUID
            from sqlalchemy import ForeignKey


            class Base(DeclarativeBase):
                pass


            class Session(Base):
                __tablename__ = "sessions"
                token: Mapped[str] = mapped_column(primary_key=True)
                account_id: Mapped[Optional[uuid.UUID]] = mapped_column(UUID(as_uuid=True), ForeignKey("accounts.id"), nullable=True)
        """
        argv = (
            "--class-name",
            "Session",
            "--column-name",
            "account_id",
            "--target",
            "accounts.id",
            "--type-name",
            "UUID",
            "--type-args",
            "as_uuid=True",
            "--type-module",
            "sqlalchemy.dialects.postgresql",
            "--python-type",
            "uuid.UUID",
        )
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_sqlmodel(self) -> None:
        """SQLModel table: a Field(foreign_key=...) after the last field, before Relationship()."""
        before = """
            from typing import Optional

            from sqlmodel import Field, Relationship, SQLModel


            class Hero(SQLModel, table=True):
                id: Optional[int] = Field(default=None, primary_key=True)
                name: str
                team: Optional["Team"] = Relationship(back_populates="heroes")
        """
        after = """
            from typing import Optional

            from sqlmodel import Field, Relationship, SQLModel


            class Hero(SQLModel, table=True):
                id: Optional[int] = Field(default=None, primary_key=True)
                name: str
                team_id: Optional[int] = Field(default=None, foreign_key="team.id")
                team: Optional["Team"] = Relationship(back_populates="heroes")
        """
        argv = ("--class-name", "Hero", "--column-name", "team_id", "--target", "team.id")
        self.assertCommand(before, after, *argv)

    def test_existing_column_without_key(self) -> None:
        """A column of that name without the ForeignKey is not this codemod's to change."""
        before = """
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Invoice(Base):
                __tablename__ = "invoices"
                id = Column(Integer, primary_key=True)
                customer_id = Column(Integer)
        """
        self.assertSkip(
            before,
            "Invoice.customer_id already exists without a ForeignKey to customers.id; use the foreign-keys remedy",
            "--class-name",
            "Invoice",
            "--column-name",
            "customer_id",
            "--target",
            "customers.id",
        )

    def test_missing_class(self) -> None:
        """A class the file does not define: skipped."""
        before = """
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Invoice(Base):
                __tablename__ = "invoices"
                id = Column(Integer, primary_key=True)
        """
        self.assertSkip(
            before,
            "class Receipt not found in this file",
            "--class-name",
            "Receipt",
            "--column-name",
            "customer_id",
            "--target",
            "customers.id",
        )

    def test_sqlmodel_second_run_changes_nothing(self) -> None:
        """Running on its own SQLModel output should change nothing, as it does for the other styles."""
        after = """
            from typing import Optional

            from sqlmodel import Field, SQLModel


            class Hero(SQLModel, table=True):
                id: Optional[int] = Field(default=None, primary_key=True)
                team_id: Optional[int] = Field(default=None, foreign_key="team.id")
        """
        self.assertCommand(after, after, "--class-name", "Hero", "--column-name", "team_id", "--target", "team.id")
