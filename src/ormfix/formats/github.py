"""``--format github``: GitHub Actions workflow commands, one annotation per diagnosis.

``::error file=app/models/campaign.py,line=21,endLine=21,col=5,endColumn=72,title=ORM001 no-foreign-keys::message``
(columns 1-based, in characters, as the diagnosis's range).
Paths are relative to ``$GITHUB_WORKSPACE`` (the checkout) when set, else to the current folder, so
the annotations land on the right lines of a pull request whatever PATH was given.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..findings import Diagnosis


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation_path(base: Path, rel: str, workspace: Path | None = None) -> str:
    top = (workspace or Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd())).resolve()
    absolute = (base / rel).resolve()
    return absolute.relative_to(top).as_posix() if absolute.is_relative_to(top) else absolute.as_posix()


def annotation(diagnosis: Diagnosis, base: Path, workspace: Path | None = None) -> str:
    level = "error" if diagnosis.severity == "error" else "warning"
    props = []
    if diagnosis.file:
        props.append(f"file={_property(annotation_path(base, diagnosis.file, workspace))}")
        if diagnosis.line:
            props.append(f"line={diagnosis.line}")
            props.append(f"endLine={diagnosis.end_line or diagnosis.line}")
            if diagnosis.column:
                props.append(f"col={diagnosis.column}")
                if diagnosis.end_column:
                    props.append(f"endColumn={diagnosis.end_column}")
    props.append(f"title={_property(f'{diagnosis.code} {diagnosis.name}')}")
    message = diagnosis.message + (f"\n{diagnosis.why}" if diagnosis.why else "")
    return f"::{level} {','.join(props)}::{_data(message)}"


def to_github(diagnoses: list[Diagnosis], base: Path, workspace: Path | None = None) -> str:
    return "".join(annotation(d, base, workspace) + "\n" for d in diagnoses)
