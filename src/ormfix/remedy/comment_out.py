"""comment-out: disable the failing relationship (and a back_populates twin that would now fail)."""

from __future__ import annotations

from functools import partial

from ormfix_codemods import comment_out as codemod

from ..discover import Project
from ..findings import Diagnosis, Fix
from .base import build_fix, not_applicable, owner_file

SHORT_REASON = {
    "ORM001": "has no ForeignKey linking it to {target}",
    "ORM002": "names class '{target}', which SQLAlchemy cannot find",
    "ORM003": "is ambiguous: several ForeignKeys could join it to {target}",
}


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    if not diagnosis.attribute or not diagnosis.class_name:
        return not_applicable("comment-out", "the error does not belong to one relationship")
    label = f"{diagnosis.class_name}.{diagnosis.attribute}"
    why = SHORT_REASON.get(diagnosis.code, "fails to configure").format(target=diagnosis.target)
    reason = f"{label} {why} ({diagnosis.code} {diagnosis.name}); disabled so the mappers configure. Restore it once fixed."
    rel_file = owner_file(project, diagnosis)
    if rel_file is None:
        return not_applicable("comment-out", f"cannot find the file that defines {label}")
    steps = [(rel_file, partial(codemod.apply, class_name=diagnosis.class_name, attribute=diagnosis.attribute,
                                reason=reason))]
    twin = _twin(diagnosis, project)
    if twin is not None:
        twin_cls, twin_attr = twin
        twin_reason = (f"{twin_cls.name}.{twin_attr} is the back_populates twin of {label}, which ormfix "
                       f"commented out ({diagnosis.code}). Restore both together.")
        steps.append((twin_cls.file, partial(codemod.apply, class_name=twin_cls.name, attribute=twin_attr,
                                             reason=twin_reason)))
    summary = f"Comment out {label} with a TODO explaining why"
    if twin is not None:
        summary += f", and its back_populates twin {twin[0].name}.{twin[1]}"
    return build_fix(project, "comment-out", summary + " (disables the relationship: code that uses it breaks).",
                     "unsafe", steps)


def _twin(diagnosis: Diagnosis, project: Project):
    """The other side's relationship whose back_populates names this one (it would fail once this is gone)."""
    owner = project.index.find_class(diagnosis.class_name or "")
    target = project.index.find_class(diagnosis.target or "") if diagnosis.target else None
    if owner is None or target is None:
        return None
    rel = owner.relationships.get(diagnosis.attribute or "")
    back = rel.kwarg_str("back_populates") if rel else None
    candidates = [target.relationships.get(back)] if back else []
    candidates += [r for r in target.relationships.values() if r.kwarg_str("back_populates") == diagnosis.attribute]
    for other in candidates:
        if other is not None and other.kwarg_str("back_populates") == diagnosis.attribute and \
                (other.target or "").rsplit(".", 1)[-1] == owner.name:
            if target.name == owner.name and other.attribute == diagnosis.attribute:
                continue
            return target, other.attribute
    return None
