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
    """Mapped classes whose table has a ForeignKey to the owner's table (the likely 'many' side), except
    those another relationship of the owner already points at."""
    owner = index.find_class(owner_name)
    if owner is None or not owner.tablename:
        return []
    related = {(rel.target or "").rsplit(".", 1)[-1] for rel in owner.relationships.values()}
    found = []
    for cls in index.mapped_classes():
        if cls.name == owner.name or cls.name in related:
            continue
        if any(fk.rsplit(".", 1)[0] == owner.tablename for col in cls.columns.values() for fk in col.foreign_keys):
            found.append(cls.name)
    return found


def bound_before(index: ProjectIndex, file: str | None, line: int, name: str) -> bool:
    """Whether the module ``file`` binds ``name`` before ``line``: imports it, or defines the class above."""
    info = index.files.get(file or "")
    return info is not None and (name in info.imports or any(c.name == name and c.line < line for c in info.classes))


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    missing = diagnosis.context.get("missing") or diagnosis.target
    cause = diagnosis.context.get("cause")
    if cause not in ("typo", "missing", "unbound") or not missing or not diagnosis.attribute:
        return not_applicable(STRATEGY, "the target is not a misspelled or missing class name")
    names = diagnosis.context.get("candidates") or []
    reason = "its name is closest"
    if cause == "unbound":
        names, reason = [missing], "the class exists; a string is resolved when the mappers are configured"
    if not names:
        graph = fk_graph_candidates(project.index, diagnosis.class_name or "")
        if len(graph) != 1:
            listed = f" ({', '.join(graph)} all reference it)" if graph else ""
            return not_applicable(STRATEGY, f"no mapped class is a close match for {missing!r} and the "
                                            f"foreign keys do not single one out{listed}")
        names, reason = graph, f"it is the only class with a ForeignKey to {diagnosis.class_name}'s table"
    new = names[0]
    rel_file = owner_file(project, diagnosis)
    owner = project.index.find_class(diagnosis.class_name or "", diagnosis.context.get("event", {}).get("class_module"))
    quote = bool(diagnosis.context.get("unquoted")) and not bound_before(
        project.index, rel_file, owner.line if owner else 0, new)
    step = partial(codemod.apply, class_name=diagnosis.class_name, attribute=diagnosis.attribute,
                   old=missing.rsplit(".", 1)[-1], new=new, quote=quote)
    written = repr(new) if quote else new
    summary = (f"Point {diagnosis.class_name}.{diagnosis.attribute} at {written} instead of {missing} ({reason}); "
               "a guess at what was meant: check it")
    if cause == "unbound":
        summary = f"Quote {diagnosis.class_name}.{diagnosis.attribute}'s target: relationship({new!r}) ({reason})"
    return build_fix(project, STRATEGY, summary, "unsafe", [(rel_file, step)])
