"""rename-target: point the relationship at the mapped class it most likely meant (never a blind guess)."""

from __future__ import annotations

from functools import partial

from ormfix_codemods import rename_target as codemod

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..index import ProjectIndex
from .base import build_fix, not_applicable, owner_file

STRATEGY = "rename-target"


def fk_graph_candidates(index: ProjectIndex, owner_name: str) -> list[str]:
    """Mapped classes whose table has a ForeignKey to the owner's table (the likely 'many' side)."""
    owner = index.find_class(owner_name)
    if owner is None or not owner.tablename:
        return []
    found = []
    for cls in index.mapped_classes():
        if cls.name == owner.name:
            continue
        if any(fk.rsplit(".", 1)[0] == owner.tablename for col in cls.columns.values() for fk in col.foreign_keys):
            found.append(cls.name)
    return found


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    missing = diagnosis.context.get("missing") or diagnosis.target
    if diagnosis.context.get("cause") not in ("typo", "missing") or not missing or not diagnosis.attribute:
        return not_applicable(STRATEGY, "the target is not a misspelled or missing class name")
    names = diagnosis.context.get("candidates") or []
    reason = "its name is closest"
    if not names:
        graph = fk_graph_candidates(project.index, diagnosis.class_name or "")
        if len(graph) != 1:
            listed = f" ({', '.join(graph)} all reference it)" if graph else ""
            return not_applicable(STRATEGY, f"no mapped class is a close match for {missing!r} and the "
                                            f"foreign keys do not single one out{listed}")
        names, reason = graph, f"it is the only class with a ForeignKey to {diagnosis.class_name}'s table"
    new = names[0]
    rel_file = owner_file(project, diagnosis)
    step = partial(codemod.apply, class_name=diagnosis.class_name, attribute=diagnosis.attribute,
                   old=missing.rsplit(".", 1)[-1], new=new)
    summary = (f"Point {diagnosis.class_name}.{diagnosis.attribute} at {new} instead of {missing!r} ({reason}); "
               "a guess at what was meant: check it")
    return build_fix(project, STRATEGY, summary, "unsafe", [(rel_file, step)])
