from typing import TYPE_CHECKING, Optional

from sqlmodel import Field, Relationship, SQLModel

if TYPE_CHECKING:
    from league.models.player import Player


class VenueBase(SQLModel):
    name: str = Field(index=True)
    capacity: int = 0


class Venue(VenueBase, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)

    teams: list["Team"] = Relationship(back_populates="venue")


class TeamBase(SQLModel):
    name: str = Field(index=True, max_length=80)
    founded: Optional[int] = None


class Team(TeamBase, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    venue_id: Optional[int] = Field(default=None, foreign_key="venue.id")

    venue: Optional[Venue] = Relationship(back_populates="teams")
    players: list["Player"] = Relationship(back_populates="team", sa_relationship_kwargs={"lazy": "selectin"})


class TeamPublic(TeamBase):
    id: int
