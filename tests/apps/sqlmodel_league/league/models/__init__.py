from league.models.team import Team, Venue
from league.models.player import Player, Transfer

__all__ = ["Player", "Team", "Transfer", "Venue"]
