"""rename-target: point the relationship at the mapped class it most likely meant (never a blind guess)."""

from __future__ import annotations

from functools import partial

from ormfix.codemods import rename_target as codemod

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..index import ProjectIndex
from .base import build_fix, not_applicable, owner_class, owner_file

STRATEGY = "rename-target"


def fk_graph_candidates(index: ProjectIndex, owner_name: str, attribute: str | None = None) -> list[str]:
    """The mapped classes the foreign keys point to for ``owner_name.attribute``, unless already linked.

    A collection (or unknown) relationship: the classes whose table has a ForeignKey to the owner's
    table (the 'many' side). A scalar (or unknown) one: the classes whose table the owner's own
    ForeignKeys name (the 'one' side). A class another relationship of the owner already points at, or
    one that already points back at the owner, is linked: a second, unlinked relationship over the
    same ForeignKey would overlap it, so it is no candidate."""
    owner = index.find_class(owner_name)
    if owner is None or not owner.tablename:
        return []
    this = owner.relationships.get(attribute or "")
    collection = this.collection if this else None
    linked = {_short(rel.target) for name, rel in owner.relationships.items() if name != attribute}
    found: list[str] = []
    if collection is not False:
        for cls in index.mapped_classes():
            if cls.name == owner.name or cls.name in linked:
                continue
            if any(_short(rel.target) == owner.name for rel in cls.relationships.values()):
                continue
            if any(fk.rsplit(".", 1)[0] == owner.tablename for col in cls.columns.values() for fk in col.foreign_keys):
                found.append(cls.name)
    if collection is not True:
        for col in owner.columns.values():
            for fk in col.foreign_keys:
                cls = index.class_for_table(fk.rsplit(".", 1)[0])
                if cls is not None and cls.name not in (owner.name, *linked, *found):
                    found.append(cls.name)
    return found


def _short(target: str | None) -> str:
    return (target or "").rsplit(".", 1)[-1]


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
        graph = fk_graph_candidates(project.index, diagnosis.class_name or "", diagnosis.attribute)
        if len(graph) != 1:
            listed = f" ({', '.join(graph)} all reference it)" if graph else ""
            return not_applicable(STRATEGY, f"no mapped class is a close match for {missing!r} and the "
                                            f"foreign keys do not single one out{listed}")
        names, reason = graph, (f"it is the only class a ForeignKey links to {diagnosis.class_name} "
                                  "that no relationship uses yet")
    new = names[0]
    rel_file = owner_file(project, diagnosis)
    owner = project.index.find_class(diagnosis.class_name or "", diagnosis.context.get("event", {}).get("class_module"))
    quote = bool(diagnosis.context.get("unquoted")) and not bound_before(
        project.index, rel_file, owner.line if owner else 0, new)
    step = partial(codemod.apply, class_name=owner_class(project, diagnosis), attribute=diagnosis.attribute,
                   old=missing.rsplit(".", 1)[-1], new=new, quote=quote)
    written = repr(new) if quote else new
    summary = (f"Point {diagnosis.class_name}.{diagnosis.attribute} at {written} instead of {missing} ({reason}); "
               "a guess at what was meant: check it")
    if cause == "unbound":
        summary = f"Quote {diagnosis.class_name}.{diagnosis.attribute}'s target: relationship({new!r}) ({reason})"
    return build_fix(project, STRATEGY, summary, "unsafe", [(rel_file, step)])
