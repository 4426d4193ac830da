from typing import Optional

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))

    __mapper_args__ = {"polymorphic_on": "role", "polymorphic_identity": "staff"}


class Picker(Staff):
    level: Mapped[Optional[int]] = mapped_column(Integer)

    __mapper_args__ = {"polymorphic_identity": "picker"}


class Packer(Staff):
    level: Mapped[Optional[int]] = mapped_column(Integer)

    __mapper_args__ = {"polymorphic_identity": "packer"}


class Shift(Base):
    __tablename__ = "shifts"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))

    staff = relationship("Staff", lazy="dynamic")
