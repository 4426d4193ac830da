"""wrap_in_mapped.WrapInMappedCommand from the command line: a declarative attribute's annotation in Mapped[...]."""

from __future__ import annotations

from command_test import CommandTest

from ormfix.codemods.wrap_in_mapped import WrapInMappedCommand


class TestWrapInMappedCommand(CommandTest):
    TRANSFORM = WrapInMappedCommand

    def test_mapped_column(self) -> None:
        """2.0 mapped_column() annotated with a plain type."""
        before = """
            from sqlalchemy import String
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Customer(Base):
                __tablename__ = "customers"
                id: Mapped[int] = mapped_column(primary_key=True)
                email: str = mapped_column(String(200))
        """
        after = """
            from sqlalchemy import String
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Customer(Base):
                __tablename__ = "customers"
                id: Mapped[int] = mapped_column(primary_key=True)
                email: Mapped[str] = mapped_column(String(200))
        """
        argv = ("--class-name", "Customer", "--attribute", "email")
        self.assertCommand(before, after, *argv)
        self.assertSkip(after, "Customer.email is already annotated Mapped[...]", *argv)  # a second run: not applicable

    def test_relationship_optional(self) -> None:
        """A relationship() annotated Optional[...]: wrapped whole."""
        before = """
            from typing import Optional

            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


            class Base(DeclarativeBase):
                pass


            class Order(Base):
                __tablename__ = "orders"
                id: Mapped[int] = mapped_column(primary_key=True)
                customer: Optional["Customer"] = relationship(back_populates="orders")
        """
        after = """
            from typing import Optional

            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


            class Base(DeclarativeBase):
                pass


            class Order(Base):
                __tablename__ = "orders"
                id: Mapped[int] = mapped_column(primary_key=True)
                customer: Mapped[Optional["Customer"]] = relationship(back_populates="orders")
        """
        argv = ("--class-name", "Order", "--attribute", "customer")
        self.assertCommand(before, after, *argv)
        self.assertSkip(after, "Order.customer is already annotated Mapped[...]", *argv)  # a second run: not applicable

    def test_mapped_import_added(self) -> None:
        """A file without Mapped imported: the import is added."""
        before = """
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Customer(Base):
                __tablename__ = "customers"
                id: int = Column(Integer, primary_key=True)
        """
        after = """
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import Mapped, declarative_base

            Base = declarative_base()


            class Customer(Base):
                __tablename__ = "customers"
                id: Mapped[int] = Column(Integer, primary_key=True)
        """
        argv = ("--class-name", "Customer", "--attribute", "id")
        self.assertCommand(before, after, *argv)
        self.assertSkip(after, "Customer.id is already annotated Mapped[...]", *argv)  # a second run: not applicable

    def test_classic_unannotated(self) -> None:
        """A classic unannotated Column(): nothing to wrap, skipped."""
        before = """
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Customer(Base):
                __tablename__ = "customers"
                id = Column(Integer, primary_key=True)
        """
        self.assertSkip(
            before, "Customer.id has no annotation to wrap", "--class-name", "Customer", "--attribute", "id"
        )
