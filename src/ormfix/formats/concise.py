"""``--format concise``: one line per diagnosis, ``file:line:col: CODE message`` (like ruff's)."""

from __future__ import annotations

from ..findings import Diagnosis
from .text import where


def to_concise(diagnoses: list[Diagnosis]) -> str:
    return "".join(f"{where(d)}: {d.code} {' '.join(d.message.split())}\n" for d in diagnoses)
