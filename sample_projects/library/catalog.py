"""Tiny CLI: list the catalogue.  python catalog.py [DATABASE_URL]"""
import sys

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from models import Base, Book


def main(url="sqlite:///library.db"):
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        for book in session.scalars(select(Book).order_by(Book.title)):
            print(f"{book.title} by {book.author.display_name or book.author.username}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
