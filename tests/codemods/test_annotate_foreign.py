"""annotate_foreign.AnnotateForeignCommand from the command line: foreign() around a primaryjoin's referencing column."""

from __future__ import annotations

from command_test import CommandTest

from ormfix.codemods.annotate_foreign import AnnotateForeignCommand


class TestAnnotateForeignCommand(CommandTest):
    TRANSFORM = AnnotateForeignCommand

    def test_classic_string_primaryjoin(self) -> None:
        """Classic relationship() with a string primaryjoin: rewritten inside the string."""
        before = """
            from sqlalchemy import Column, Integer, String
            from sqlalchemy.orm import declarative_base, relationship

            Base = declarative_base()


            class Post(Base):
                __tablename__ = "posts"
                id = Column(Integer, primary_key=True)
                comments = relationship("Comment", primaryjoin="and_(Post.id == Comment.post_id, Comment.kind == 'post')")
        """
        after = """
            from sqlalchemy import Column, Integer, String
            from sqlalchemy.orm import declarative_base, relationship

            Base = declarative_base()


            class Post(Base):
                __tablename__ = "posts"
                id = Column(Integer, primary_key=True)
                comments = relationship("Comment", primaryjoin="and_(Post.id == foreign(Comment.post_id), Comment.kind == 'post')")
        """
        argv = ("--class-name", "Post", "--attribute", "comments", "--column", "Comment.post_id")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_flask_sqlalchemy_lambda(self) -> None:
        """db.relationship() with a lambda primaryjoin: foreign() imported from sqlalchemy.orm."""
        before = """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Photo(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                tags = db.relationship('Tag', primaryjoin=lambda: Photo.id == Tag.target_id, viewonly=True)
        """
        after = """
            from flask_sqlalchemy import SQLAlchemy
            from sqlalchemy.orm import foreign

            db = SQLAlchemy()


            class Photo(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                tags = db.relationship('Tag', primaryjoin=lambda: Photo.id == foreign(Tag.target_id), viewonly=True)
        """
        argv = ("--class-name", "Photo", "--attribute", "tags", "--column", "Tag.target_id")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_mapped_bare_column_in_own_class(self) -> None:
        """2.0 Mapped[]: the column written bare inside its own class (a self-reference)."""
        before = """
            from typing import Optional

            from sqlalchemy.orm import DeclarativeBase, Mapped, foreign, mapped_column, relationship, remote


            class Base(DeclarativeBase):
                pass


            class Folder(Base):
                __tablename__ = "folders"
                id: Mapped[int] = mapped_column(primary_key=True)
                parent_id: Mapped[Optional[int]]
                parent: Mapped[Optional["Folder"]] = relationship(primaryjoin=lambda: remote(Folder.id) == Folder.parent_id)
        """
        after = """
            from typing import Optional

            from sqlalchemy.orm import DeclarativeBase, Mapped, foreign, mapped_column, relationship, remote


            class Base(DeclarativeBase):
                pass


            class Folder(Base):
                __tablename__ = "folders"
                id: Mapped[int] = mapped_column(primary_key=True)
                parent_id: Mapped[Optional[int]]
                parent: Mapped[Optional["Folder"]] = relationship(primaryjoin=lambda: remote(Folder.id) == foreign(Folder.parent_id))
        """
        argv = ("--class-name", "Folder", "--attribute", "parent", "--column", "Folder.parent_id")
        self.assertCommand(before, after, *argv)
        self.assertCommand(after, after, *argv)  # a second run changes nothing

    def test_no_primaryjoin(self) -> None:
        """A relationship without primaryjoin=: skipped."""
        before = """
            from sqlalchemy.orm import DeclarativeBase, Mapped, relationship


            class Base(DeclarativeBase):
                pass


            class Post(Base):
                __tablename__ = "posts"
                comments: Mapped[list["Comment"]] = relationship(back_populates="post")
        """
        self.assertSkip(
            before,
            "Post.comments has no primaryjoin=",
            "--class-name",
            "Post",
            "--attribute",
            "comments",
            "--column",
            "Comment.post_id",
        )
