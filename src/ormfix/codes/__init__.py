"""The registry of diagnosis codes: one module per code, each with its doc, matcher and remedies."""

from __future__ import annotations

from .base import Code, Explanation
from . import orm000_sqlalchemy_error, orm001_no_foreign_keys, orm002_unresolved_target
from . import orm003_ambiguous_foreign_keys, orm004_import_failure

ALL: list[Code] = [
    orm001_no_foreign_keys.CODE,
    orm002_unresolved_target.CODE,
    orm003_ambiguous_foreign_keys.CODE,
    orm004_import_failure.CODE,
    orm000_sqlalchemy_error.CODE,
]
BY_CODE = {code.code: code for code in ALL}
BY_NAME = {code.name: code for code in ALL}
IMPORT_FAILURE = orm004_import_failure.CODE
FALLBACK = orm000_sqlalchemy_error.CODE


def lookup(text: str) -> Code | None:
    """A code by its number (ORM001, orm1) or its name (no-foreign-keys)."""
    key = text.strip()
    if key.lower() in BY_NAME:
        return BY_NAME[key.lower()]
    upper = key.upper()
    if upper.startswith("ORM") and upper[3:].isdigit():
        upper = f"ORM{int(upper[3:]):03d}"
    return BY_CODE.get(upper)


def classify(event: dict) -> Code:
    """The code for a configure-time error or warning from the probe."""
    for code in ALL:
        if code is not FALLBACK and code is not IMPORT_FAILURE and code.matches(event):
            return code
    return FALLBACK


__all__ = ["ALL", "BY_CODE", "Code", "Explanation", "FALLBACK", "IMPORT_FAILURE", "classify", "lookup"]
