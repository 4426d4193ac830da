"""Patch files for review: one per fix, in `git format-patch` form (`git am`, `git apply`, `patch -p1`)."""

from __future__ import annotations

import re
from email.utils import formatdate
from pathlib import Path

from .findings import Diagnosis, Fix


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def patch_text(diagnosis: Diagnosis, fix: Fix, number: int, total: int) -> str:
    subject = f"{diagnosis.code} {diagnosis.class_name or diagnosis.file}.{diagnosis.attribute or ''}: {fix.strategy}".replace(".:", ":")
    body = [
        f"{diagnosis.message}",
        "",
        f"Why: {diagnosis.why}",
        f"SQLAlchemy: {diagnosis.sqlalchemy_error.splitlines()[0] if diagnosis.sqlalchemy_error else ''}",
        "",
        f"Fix ({fix.applicability}{', schema change' if fix.schema_change else ''}"
        f"{', verified' if fix.verified else ', NOT verified'}): {fix.summary}",
    ]
    if fix.roundtrip:
        body.append(f"Round-trip {fix.roundtrip}")
    stats = "".join(f" {edit.path} | changed\n" for edit in fix.edits)
    return (
        "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n"
        "From: ormfix <ormfix@users.noreply.invalid>\n"
        f"Date: {formatdate(localtime=False)}\n"
        f"Subject: [PATCH {number}/{total}] {subject}\n"
        "\n" + "\n".join(body) + "\n---\n" + stats + "\n" + fix.diff + "--\normfix\n"
    )


def write_patches(diagnoses: list[Diagnosis], folder: Path, chosen: dict[int, Fix] | None = None) -> list[Path]:
    """One patch per applicable fix; each applies on its own to the original tree."""
    folder.mkdir(parents=True, exist_ok=True)
    items = [(d, f) for d in diagnoses for f in d.fixes if f.applies]
    written = []
    for number, (diagnosis, fix) in enumerate(items, start=1):
        name = f"{number:04d}-{_slug(diagnosis.code + '-' + (diagnosis.class_name or '') + '-' + (diagnosis.attribute or '') + '-' + fix.strategy)}.patch"
        path = folder / name
        path.write_text(patch_text(diagnosis, fix, number, len(items)), encoding="utf-8", newline="")
        written.append(path)
    return written
