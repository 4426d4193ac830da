"""wrap_in_declared_attr.WrapInDeclaredAttrCommand from the command line: a mixin's relationship() as a @declared_attr."""

from __future__ import annotations

from command_test import CommandTest

from ormfix.codemods.wrap_in_declared_attr import WrapInDeclaredAttrCommand


class TestWrapInDeclaredAttrCommand(CommandTest):
    TRANSFORM = WrapInDeclaredAttrCommand

    def test_mapped_mixin(self) -> None:
        """2.0 mixin with an annotated relationship(): a @declared_attr method returning it."""
        before = """
            from sqlalchemy import ForeignKey
            from sqlalchemy.orm import Mapped, mapped_column, relationship


            class HasOwner:
                owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
                owner: Mapped["User"] = relationship()
        """
        after = """
            from sqlalchemy import ForeignKey
            from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship


            class HasOwner:
                owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

                @declared_attr
                def owner(cls) -> Mapped["User"]:
                    return relationship()
        """
        argv = ("--class-name", "HasOwner", "--attribute", "owner")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_classic_mixin_returns(self) -> None:
        """Classic mixin with a plain relationship(): --returns gives the return annotation."""
        before = """
            from sqlalchemy import Column, ForeignKey, Integer
            from sqlalchemy.orm import Mapped, relationship


            class HasAddress:
                address_id = Column(Integer, ForeignKey("addresses.id"))
                address = relationship("Address")
        """
        after = """
            from sqlalchemy import Column, ForeignKey, Integer
            from sqlalchemy.orm import Mapped, declared_attr, relationship


            class HasAddress:
                address_id = Column(Integer, ForeignKey("addresses.id"))

                @declared_attr
                def address(cls) -> Mapped["Address"]:
                    return relationship("Address")
        """
        argv = ("--class-name", "HasAddress", "--attribute", "address", "--returns", 'Mapped["Address"]')
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_mapped_existing_in(self) -> None:
        """Single-table inheritance: --existing-in returns the parent table's column when it has one."""
        before = """
            from sqlalchemy import String
            from sqlalchemy.orm import Mapped, mapped_column


            class HasName:
                name: Mapped[str] = mapped_column(String(50))
        """
        after = """
            from sqlalchemy import String
            from sqlalchemy.orm import Mapped, declared_attr, mapped_column


            class HasName:
                @declared_attr
                def name(cls) -> Mapped[str]:
                    return Employee.__table__.c.get("name", mapped_column(String(50)))
        """
        argv = ("--class-name", "HasName", "--attribute", "name", "--existing-in", "Employee")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_flask_sqlalchemy_not_in_class(self) -> None:
        """An attribute the mixin does not have: skipped."""
        before = """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class HasOwner:
                owner_id = db.Column(db.Integer, db.ForeignKey('users.id'))
        """
        self.assertSkip(
            before,
            "HasOwner.owner is not a single assignment in the class body",
            "--class-name",
            "HasOwner",
            "--attribute",
            "owner",
        )
