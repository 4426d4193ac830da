"""add_tablename.AddTablenameCommand from the command line: a __tablename__, or --replace of one."""

from __future__ import annotations

from command_test import CommandTest

from ormfix.codemods.add_tablename import AddTablenameCommand


class TestAddTablenameCommand(CommandTest):
    TRANSFORM = AddTablenameCommand

    def test_classic_column(self) -> None:
        """Classic: first line of the body, double quotes like the file."""
        before = """
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class OrderItem(Base):
                id = Column(Integer, primary_key=True)
                quantity = Column(Integer, default=1)
        """
        after = """
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class OrderItem(Base):
                __tablename__ = "order_items"
                id = Column(Integer, primary_key=True)
                quantity = Column(Integer, default=1)
        """
        argv = ("--class-name", "OrderItem", "--tablename", "order_items")
        self.assertCommand(before, after, *argv)
        self.assertSkip(after, "OrderItem already assigns __tablename__", *argv)  # a second run: not applicable

    def test_flask_sqlalchemy_docstring(self) -> None:
        """db.Model with a docstring: after it, single quotes like the file."""
        before = '''
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class AuditLog(db.Model):
                """Who changed what."""
                id = db.Column(db.Integer, primary_key=True)
                action = db.Column(db.String(20), default='update')
        '''
        after = '''
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class AuditLog(db.Model):
                """Who changed what."""
                __tablename__ = 'audit_log'
                id = db.Column(db.Integer, primary_key=True)
                action = db.Column(db.String(20), default='update')
        '''
        argv = ("--class-name", "AuditLog", "--tablename", "audit_log")
        self.assertCommand(before, after, *argv)
        self.assertSkip(after, "AuditLog already assigns __tablename__", *argv)  # a second run: not applicable

    def test_mapped_replace(self) -> None:
        """2.0 Mapped[]: --replace changes the string of an existing __tablename__; without it, skipped."""
        before = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Shipment(Base):
                __tablename__ = "shipment"
                id: Mapped[int] = mapped_column(primary_key=True)
        """
        after = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Shipment(Base):
                __tablename__ = "shipments"
                id: Mapped[int] = mapped_column(primary_key=True)
        """
        argv = ("--class-name", "Shipment", "--tablename", "shipments", "--replace")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing
        without = ("--class-name", "Shipment", "--tablename", "shipments")
        self.assertSkip(before, "Shipment already assigns __tablename__", *without)  # no --replace: skipped
