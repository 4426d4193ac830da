"""fix_fk_target.FixFkTargetCommand from the command line: a ForeignKey's 'table.column' corrected, its quotes kept."""

from __future__ import annotations

from command_test import CommandTest

from ormfix.codemods.fix_fk_target import FixFkTargetCommand


class TestFixFkTargetCommand(CommandTest):
    TRANSFORM = FixFkTargetCommand

    def test_classic_column(self) -> None:
        """Classic Column(ForeignKey(...))."""
        before = """
            from sqlalchemy import Column, ForeignKey, Integer
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Enrollment(Base):
                __tablename__ = "enrollments"
                id = Column(Integer, primary_key=True)
                student_id = Column(Integer, ForeignKey("student.id"), nullable=False)
        """
        after = """
            from sqlalchemy import Column, ForeignKey, Integer
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Enrollment(Base):
                __tablename__ = "enrollments"
                id = Column(Integer, primary_key=True)
                student_id = Column(Integer, ForeignKey("students.id"), nullable=False)
        """
        argv = (
            "--class-name",
            "Enrollment",
            "--column-name",
            "student_id",
            "--old-target",
            "student.id",
            "--new-target",
            "students.id",
        )
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_flask_sqlalchemy(self) -> None:
        """db.Column(db.ForeignKey('...')) keeps its single quotes."""
        before = """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Post(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                campaign_id = db.Column(db.Integer, db.ForeignKey('campaign.id'))
        """
        after = """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Post(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                campaign_id = db.Column(db.Integer, db.ForeignKey('campaigns.id'))
        """
        argv = (
            "--class-name",
            "Post",
            "--column-name",
            "campaign_id",
            "--old-target",
            "campaign.id",
            "--new-target",
            "campaigns.id",
        )
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_mapped_column(self) -> None:
        """2.0 mapped_column(ForeignKey(...))."""
        before = """
            from sqlalchemy import ForeignKey
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Payment(Base):
                __tablename__ = "payments"
                id: Mapped[int] = mapped_column(primary_key=True)
                order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"))
        """
        after = """
            from sqlalchemy import ForeignKey
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Payment(Base):
                __tablename__ = "payments"
                id: Mapped[int] = mapped_column(primary_key=True)
                order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
        """
        argv = (
            "--class-name",
            "Payment",
            "--column-name",
            "order_id",
            "--old-target",
            "order.id",
            "--new-target",
            "orders.id",
        )
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_sqlmodel_field(self) -> None:
        """SQLModel's Field(foreign_key="...") is corrected in place."""
        before = """
            from typing import Optional

            from sqlmodel import Field, SQLModel


            class Booking(SQLModel, table=True):
                id: Optional[int] = Field(default=None, primary_key=True)
                subscriber_id: Optional[int] = Field(default=None, foreign_key="subscriber.id", index=True)
        """
        after = """
            from typing import Optional

            from sqlmodel import Field, SQLModel


            class Booking(SQLModel, table=True):
                id: Optional[int] = Field(default=None, primary_key=True)
                subscriber_id: Optional[int] = Field(default=None, foreign_key="subscribers.id", index=True)
        """
        argv = (
            "--class-name",
            "Booking",
            "--column-name",
            "subscriber_id",
            "--old-target",
            "subscriber.id",
            "--new-target",
            "subscribers.id",
        )
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_no_such_foreign_key(self) -> None:
        """The column has no ForeignKey to the old target: skipped."""
        before = """
            from sqlalchemy import Column, ForeignKey, Integer
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Enrollment(Base):
                __tablename__ = "enrollments"
                student_id = Column(Integer, ForeignKey("pupils.id"))
        """
        self.assertSkip(
            before,
            "Enrollment.student_id has no ForeignKey('student.id')",
            "--class-name",
            "Enrollment",
            "--column-name",
            "student_id",
            "--old-target",
            "student.id",
            "--new-target",
            "students.id",
        )
