"""Small projects for the write tests: two broken one-to-many relationships whose fixes land in files
saved in every format a user's editor may have chosen (CRLF + BOM, latin-1 cookie, no final newline)."""

from __future__ import annotations

from pathlib import Path

from safety import write_tree

BOM = b"\xef\xbb\xbf"

PACKAGE = {
    "models/__init__.py": """
        from models.base import Base
        from models.author import Author
        from models.book import Book
        from models.publisher import Publisher
        from models.magazine import Magazine
        """,
    "models/base.py": """
        from sqlalchemy.orm import declarative_base

        Base = declarative_base()
        """,
    "models/author.py": """
        from sqlalchemy import Column, Integer
        from sqlalchemy.orm import relationship

        from models.base import Base


        class Author(Base):
            __tablename__ = "authors"

            id = Column(Integer, primary_key=True)
            books = relationship("Book", backref="author")
        """,
    "models/publisher.py": """
        from sqlalchemy import Column, Integer
        from sqlalchemy.orm import relationship

        from models.base import Base


        class Publisher(Base):
            __tablename__ = "publishers"

            id = Column(Integer, primary_key=True)
            magazines = relationship("Magazine", backref="publisher")
        """,
}

# Book: UTF-8 with a BOM, CRLF line endings, non-ASCII text
BOOK = (
    BOM
    + "# Livres écrits\r\nfrom sqlalchemy import Column, Integer, String\r\n\r\n"
    'from models.base import Base\r\n\r\n\r\nclass Book(Base):\r\n    __tablename__ = "books"\r\n\r\n'
    "    id = Column(Integer, primary_key=True)\r\n    title = Column(String(200))  # é\r\n".encode()
)

# Magazine: latin-1 coding cookie, a non-ASCII byte in a string, tab indentation, no final newline
MAGAZINE = (
    "# -*- coding: latin-1 -*-\nfrom sqlalchemy import Column, Integer, String\n\n"
    'from models.base import Base\n\n\nclass Magazine(Base):\n\t__tablename__ = "magazines"\n\n'
    '\tid = Column(Integer, primary_key=True)\n\tname = Column(String(50), default="Café")'
).encode("latin-1")


def formats_project(root: Path) -> Path:
    """Author.books and Publisher.magazines lack their FK columns; add-fk-column edits book.py and magazine.py."""
    write_tree(root, PACKAGE)
    (root / "models" / "book.py").write_bytes(BOOK)
    (root / "models" / "magazine.py").write_bytes(MAGAZINE)
    (root / "models" / "magazine.py").chmod(0o751)
    return root


# Publisher.magazines <-> Magazine.publisher (back_populates), no FK column on either side: two diagnoses
# whose add-fk-column fixes each verify alone but, together, add a column on both sides (ambiguous).
TWINS = {
    "models/__init__.py": "from models.publisher import Publisher\nfrom models.magazine import Magazine\n",
    "models/base.py": PACKAGE["models/base.py"],
    "models/publisher.py": PACKAGE["models/publisher.py"].replace('backref="publisher"', 'back_populates="publisher"'),
    "models/magazine.py": """
        from sqlalchemy import Column, Integer
        from sqlalchemy.orm import relationship

        from models.base import Base


        class Magazine(Base):
            __tablename__ = "magazines"

            id = Column(Integer, primary_key=True)
            publisher = relationship("Publisher", back_populates="magazines")
        """,
}
