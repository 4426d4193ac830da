from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from shop.db import ModelBase


class StaffUser(ModelBase):
    __tablename__ = "staff_users"

    login: Mapped[str] = mapped_column(String(64), unique=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
