"""Errors that end a run with a one-line message (exit 2), never a traceback."""


class UsageError(Exception):
    """Bad command-line input, bad configuration, or a project ormfix cannot work on."""


class WriteRefused(Exception):
    """``apply`` refuses to write (a file changed since diagnosis, a read-only file, ...)."""


class Interrupted(KeyboardInterrupt):
    """SIGINT, SIGTERM or SIGHUP ended ``apply``'s write phase; every file was put back first."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
