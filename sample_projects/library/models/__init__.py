from models.base import Base
from models.user import User
from models.book import Book

__all__ = ["Base", "User", "Book"]
