"""Columns and relationships shared by several tables."""

from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, ForeignKey
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

if TYPE_CHECKING:
    from shop.models.product import Product
    from shop.models.staff import StaffUser


class CreatedByMixin:
    """Who created the row (a member of staff)."""

    @declared_attr
    def created_by_id(cls) -> Mapped[int | None]:
        return mapped_column(BigInteger, ForeignKey("staff_users.id"), nullable=True)

    @declared_attr
    def created_by(cls) -> Mapped["StaffUser | None"]:
        return relationship("StaffUser")


class ProductRefMixin:
    """A row about one product."""

    @declared_attr
    def product_id(cls) -> Mapped[int]:
        return mapped_column(BigInteger, ForeignKey("products.id"), index=True)

    @declared_attr
    def product(cls) -> Mapped["Product"]:
        return relationship("Product", lazy="joined")
