"""Notebooks and notes as dataclasses (SQLAlchemy 2.0 MappedAsDataclass)."""

import datetime
from typing import Optional

from sqlalchemy import BigInteger, ForeignKey, ForeignKeyConstraint, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, MappedAsDataclass, mapped_column, relationship


class Base(MappedAsDataclass, DeclarativeBase):
    type_annotation_map = {int: BigInteger, str: String(255)}


class Notebook(Base):
    __tablename__ = "notebooks"

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    title: Mapped[str]
    notes: Mapped[list["Note"]] = relationship(back_populates="notebook", default_factory=list)
    tags: Mapped[list["Tag"]] = relationship(back_populates="notebook", default_factory=list)


class Note(Base):
    __tablename__ = "notes"
    __table_args__ = (ForeignKeyConstraint(["notebook_id"], ["notebooks.id"], ondelete="CASCADE"),)

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    notebook_id: Mapped[int] = mapped_column(init=False)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime.datetime] = mapped_column(server_default=func.now(), init=False)
    notebook: Mapped[Optional[Notebook]] = relationship(back_populates="notes", default=None)


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    label: Mapped[str]
    notebook_id: Mapped[Optional[int]] = mapped_column(ForeignKey("notebooks.id"), init=False)
    notebook: Mapped[Optional[Notebook]] = relationship(back_populates="tags", default=None)
