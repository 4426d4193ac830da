import uuid
from datetime import date
from typing import TYPE_CHECKING, Optional

from sqlmodel import Field, Relationship, SQLModel

if TYPE_CHECKING:
    from league.models.team import Team


class Player(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=100)
    shirt_number: Optional[int] = None
    team_id: Optional[int] = Field(default=None, foreign_key="team.id", index=True)

    team: Optional["Team"] = Relationship(back_populates="players")
    transfers: list["Transfer"] = Relationship(back_populates="player")


class Transfer(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    player_id: uuid.UUID = Field(foreign_key="player.id")
    from_team_id: Optional[int] = Field(default=None, foreign_key="team.id")
    to_team_id: int = Field(foreign_key="team.id")
    signed_on: date

    player: "Player" = Relationship(back_populates="transfers")
    from_team: Optional["Team"] = Relationship(sa_relationship_kwargs={"foreign_keys": "[Transfer.from_team_id]"})
    to_team: "Team" = Relationship(sa_relationship_kwargs={"foreign_keys": "[Transfer.to_team_id]"})
