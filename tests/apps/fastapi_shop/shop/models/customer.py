from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from shop.db import ModelBase
from shop.models.mixins import CreatedByMixin

if TYPE_CHECKING:
    from shop.models.order import Order


class Customer(CreatedByMixin, ModelBase):
    __tablename__ = "customers"

    email: Mapped[str] = mapped_column(String(255), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    orders: WriteOnlyMapped["Order"] = relationship(back_populates="customer", passive_deletes=True)
    addresses: Mapped[list["Address"]] = relationship(back_populates="customer", cascade="all, delete-orphan")


class Address(ModelBase):
    __tablename__ = "addresses"

    customer_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("customers.id", ondelete="CASCADE"))
    line1: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    postcode: Mapped[str] = mapped_column(String(16))
    customer: Mapped[Customer] = relationship(back_populates="addresses")
