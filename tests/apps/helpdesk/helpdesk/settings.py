"""Settings read from the environment once, at import (the process refuses to start without them)."""

from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    helpdesk_database_url: str
    helpdesk_subject_length: int = 200
    helpdesk_support_email: str


settings = Settings()
