"""``--format concise``: one line per diagnosis, ``file:line:col: CODE message`` (like ruff's)."""

from __future__ import annotations

from ..findings import Diagnosis
from .text import where


def to_concise(diagnoses: list[Diagnosis]) -> str:
    return "".join(f"{where(d)}: {d.code} {d.message}\n".replace("\r", " ") for d in diagnoses
                   ) if diagnoses else ""
