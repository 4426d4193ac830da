"""comment-out: disable the failing relationship (and a back_populates twin that would now fail)."""

from __future__ import annotations

from functools import partial

from ormfix.codemods import comment_out as codemod

from .. import codes
from ..discover import Project
from ..findings import Diagnosis, Fix
from ..index import ClassInfo
from ..remedies import strategy_of
from .base import build_fix, not_applicable, statement_of

STRATEGY = strategy_of(__name__)

SHORT_REASON = {
    "ORM001": "has no ForeignKey linking it to {target}",
    "ORM002": "names class '{target}', which SQLAlchemy cannot find",
    "ORM003": "is ambiguous: several ForeignKeys could join it to {target}",
}


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    if not diagnosis.attribute or not diagnosis.class_name:
        return not_applicable(STRATEGY, "the error does not belong to one relationship")
    label = f"{diagnosis.class_name}.{diagnosis.attribute}"
    fallback = (
        f"fails to configure: {codes.BY_CODE[diagnosis.code].summary}"
        if diagnosis.code in codes.BY_CODE
        else "fails to configure"
    )
    why = SHORT_REASON.get(diagnosis.code, fallback).format(target=diagnosis.target)
    reason = (
        f"{label} {why} ({diagnosis.code} {diagnosis.name}); disabled so the mappers configure. Restore it once fixed."
    )
    statement = statement_of(project, diagnosis)  # (class and attribute are set: None only without the file)
    if statement is None:
        return not_applicable(STRATEGY, f"cannot find the file that defines {label}")
    rel_file, rel_class, attribute = statement
    steps = [(rel_file, partial(codemod.apply, class_name=rel_class, attribute=attribute, reason=reason))]
    twin = _twin(diagnosis, project)
    if twin is not None:
        twin_cls, twin_attr = twin
        twin_reason = (
            f"{twin_cls.name}.{twin_attr} is the back_populates twin of {label}, which ormfix "
            f"commented out ({diagnosis.code}). Restore both together."
        )
        steps.append(
            (twin_cls.file, partial(codemod.apply, class_name=twin_cls.name, attribute=twin_attr, reason=twin_reason))
        )
    summary = f"Comment out {label} with a TODO explaining why"
    if twin is not None:
        summary += f", and its back_populates twin {twin[0].name}.{twin[1]}"
    return build_fix(
        project, STRATEGY, summary + " (disables the relationship: code that uses it breaks).", "unsafe", steps
    )


def _twin(diagnosis: Diagnosis, project: Project) -> tuple[ClassInfo, str] | None:
    """The relationship elsewhere whose back_populates names this one (it would fail once this is gone)."""
    owner = project.index.find_class(diagnosis.class_name or "")
    if owner is None:
        return None
    for cls in project.index.mapped_classes():
        for other in cls.relationships.values():
            if (cls.name, other.attribute) == (owner.name, diagnosis.attribute):
                continue
            if (
                other.kwarg_str("back_populates") == diagnosis.attribute
                and (other.target or "").rsplit(".", 1)[-1] == owner.name
            ):
                return cls, other.attribute
    return None
