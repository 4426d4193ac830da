"""Errors raised by the ormfix codemods."""


class NotApplicable(Exception):
    """The codemod cannot be applied to this file; the message says why in one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
