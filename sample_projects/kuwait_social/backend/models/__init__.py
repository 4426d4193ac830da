from models.user import User
from models.client import Client
from models.post import Post
from models.campaign import Campaign

__all__ = ["User", "Client", "Post", "Campaign"]
