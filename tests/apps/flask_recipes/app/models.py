from datetime import datetime, timezone
from typing import Optional

import sqlalchemy as sa
import sqlalchemy.orm as so

from app import db

followers = sa.Table(
    "followers",
    db.metadata,
    sa.Column("follower_id", sa.Integer, sa.ForeignKey("user.id"), primary_key=True),
    sa.Column("followed_id", sa.Integer, sa.ForeignKey("user.id"), primary_key=True),
)


class User(db.Model):
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    username: so.Mapped[str] = so.mapped_column(sa.String(64), index=True, unique=True)
    email: so.Mapped[str] = so.mapped_column(sa.String(120), index=True, unique=True)
    about_me: so.Mapped[Optional[str]] = so.mapped_column(sa.String(140))
    last_seen: so.Mapped[Optional[datetime]] = so.mapped_column(default=lambda: datetime.now(timezone.utc))

    recipes: so.WriteOnlyMapped["Recipe"] = so.relationship(back_populates="author")
    following: so.WriteOnlyMapped["User"] = so.relationship(
        secondary=followers,
        primaryjoin=(followers.c.follower_id == id),
        secondaryjoin=(followers.c.followed_id == id),
        back_populates="followers",
    )
    followers: so.WriteOnlyMapped["User"] = so.relationship(
        secondary=followers,
        primaryjoin=(followers.c.followed_id == id),
        secondaryjoin=(followers.c.follower_id == id),
        back_populates="following",
    )

    messages_sent: so.WriteOnlyMapped["Message"] = so.relationship(
        foreign_keys="Message.sender_id", back_populates="author"
    )
    messages_received: so.WriteOnlyMapped["Message"] = so.relationship(
        foreign_keys="Message.recipient_id", back_populates="recipient"
    )

    def __repr__(self):
        return "<User {}>".format(self.username)


class Cuisine(db.Model):
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(40), unique=True)


class Recipe(db.Model):
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    title: so.Mapped[str] = so.mapped_column(sa.String(140))
    body: so.Mapped[str] = so.mapped_column(sa.Text)
    timestamp: so.Mapped[datetime] = so.mapped_column(index=True, default=lambda: datetime.now(timezone.utc))
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(User.id), index=True)
    cuisine_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey(Cuisine.id))

    author: so.Mapped[User] = so.relationship(back_populates="recipes")
    cuisine: so.Mapped[Optional[Cuisine]] = so.relationship(back_populates="recipes")
    comments: so.WriteOnlyMapped["Comment"] = so.relationship(back_populates="recipe", passive_deletes=True)

    def __repr__(self):
        return "<Recipe {}>".format(self.title)


class Comment(db.Model):
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    body: so.Mapped[str] = so.mapped_column(sa.String(500))
    recipe_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(Recipe.id, ondelete="CASCADE"), index=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(User.id), index=True)
    reply_to_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("comment.id"))

    recipe: so.Mapped[Recipe] = so.relationship(back_populates="comments")
    user: so.Mapped[User] = so.relationship()
    replies: so.Mapped[list["Comment"]] = so.relationship(back_populates="reply_to")
    reply_to: so.Mapped[Optional["Comment"]] = so.relationship(back_populates="replies", remote_side=[id])


class Rating(db.Model):
    recipe_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(Recipe.id), primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(User.id), primary_key=True)
    stars: so.Mapped[int] = so.mapped_column(sa.SmallInteger)

    recipe: so.Mapped[Recipe] = so.relationship()
    user: so.Mapped[User] = so.relationship()


class Message(db.Model):
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    sender_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(User.id), index=True)
    recipient_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(User.id), index=True)
    body: so.Mapped[str] = so.mapped_column(sa.String(140))
    timestamp: so.Mapped[datetime] = so.mapped_column(index=True, default=lambda: datetime.now(timezone.utc))

    author: so.Mapped[User] = so.relationship(foreign_keys="Message.sender_id", back_populates="messages_sent")
    recipient: so.Mapped[User] = so.relationship(foreign_keys="Message.recipient_id", back_populates="messages_received")


Cuisine.recipes = so.relationship(Recipe, back_populates="cuisine")
