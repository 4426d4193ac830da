"""Settings read from the environment once, at import (the process refuses to start without them)."""

import os
from dataclasses import dataclass


class SettingsError(RuntimeError):
    pass


@dataclass(frozen=True)
class Settings:
    database_url: str
    subject_length: int

    @classmethod
    def from_environ(cls) -> "Settings":
        missing = [name for name in ("HELPDESK_DATABASE_URL", "HELPDESK_SUBJECT_LENGTH") if name not in os.environ]
        if missing:
            raise SettingsError(f"missing environment variables: {', '.join(missing)}")
        return cls(os.environ["HELPDESK_DATABASE_URL"], int(os.environ["HELPDESK_SUBJECT_LENGTH"]))


settings = Settings.from_environ()
