import datetime

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from models.base import Base


class Book(Base):
    __tablename__ = "books"

    id = Column(Integer, primary_key=True)
    title = Column(String(200), nullable=False)
    isbn = Column(String(13), unique=True)
    summary = Column(Text)
    published_year = Column(Integer)
    author_id = Column(Integer, ForeignKey("users.id"), nullable=False)
    editor_id = Column(Integer, ForeignKey("users.id"))
    added_at = Column(DateTime, default=datetime.datetime.utcnow)

    author = relationship("User", back_populates="books")

    def __repr__(self):
        return f"<Book {self.title!r}>"
