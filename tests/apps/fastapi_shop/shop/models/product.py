from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.db import ModelBase
from shop.models.mixins import CreatedByMixin


class Supplier(ModelBase):
    __tablename__ = "suppliers"

    name: Mapped[str] = mapped_column(String(120))
    products: Mapped[list["Product"]] = relationship(back_populates="supplier")


class Product(CreatedByMixin, ModelBase):
    __tablename__ = "products"

    sku: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    supplier_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("suppliers.id"))
    supplier: Mapped[Supplier | None] = relationship(back_populates="products")
