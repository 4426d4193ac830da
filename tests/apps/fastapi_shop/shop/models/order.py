import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from shop.db import Base, ModelBase
from shop.models.mixins import CreatedByMixin, ProductRefMixin

if TYPE_CHECKING:
    from shop.models.customer import Address, Customer


class Order(CreatedByMixin, Base):
    __tablename__ = "orders"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    customer_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("customers.id"), index=True)
    shipping_address_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("addresses.id"))
    billing_address_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("addresses.id"))
    status: Mapped[str] = mapped_column(String(20), default="new")

    customer: Mapped["Customer"] = relationship(back_populates="orders")
    shipping_address: Mapped["Address | None"] = relationship(foreign_keys=[shipping_address_id])
    billing_address: Mapped["Address | None"] = relationship(foreign_keys=[billing_address_id])

    @declared_attr
    def lines(cls) -> Mapped[list["OrderLine"]]:
        return relationship("OrderLine", back_populates="order", cascade="all, delete-orphan")


class OrderLine(ProductRefMixin, ModelBase):
    __tablename__ = "order_lines"

    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    quantity: Mapped[int] = mapped_column(default=1)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    order: Mapped[Order] = relationship(back_populates="lines")
