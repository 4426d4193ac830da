import datetime
from typing import Annotated, Optional

from sqlalchemy import ForeignKey, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from helpdesk.settings import settings

intpk = Annotated[int, mapped_column(primary_key=True)]
created = Annotated[datetime.datetime, mapped_column(server_default=func.now())]


class Base(DeclarativeBase):
    pass


class Agent(Base):
    __tablename__ = "agents"

    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(String(200), unique=True)
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"))

    team: Mapped[Optional["Team"]] = relationship(back_populates="agents", foreign_keys=[team_id])


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(80))
    lead_id: Mapped[Optional[int]] = mapped_column(ForeignKey("agents.id", use_alter=True))
    agents: Mapped[list[Agent]] = relationship(back_populates="team", foreign_keys=[Agent.team_id])
    lead: Mapped[Optional[Agent]] = relationship(foreign_keys=[lead_id])


class Ticket(Base):
    __tablename__ = "tickets"

    id: Mapped[intpk]
    subject: Mapped[str] = mapped_column(String(settings.helpdesk_subject_length))
    body: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[created]
    requester_email: Mapped[str] = mapped_column(String(200))
    assignee_id: Mapped[Optional[int]] = mapped_column(ForeignKey("agents.id"))

    assignee: Mapped[Optional[Agent]] = relationship()


class Reply(Base):
    __tablename__ = "replies"

    id: Mapped[intpk]
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    author_id: Mapped[Optional[int]] = mapped_column(ForeignKey("agents.id"))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[created]

    ticket: Mapped[Ticket] = relationship(back_populates="replies")
    author: Mapped[Optional[Agent]] = relationship()


# defined here, after both classes, the way the team keeps Ticket readable
Ticket.replies = relationship(Reply, back_populates="ticket", order_by=Reply.sent_at)
