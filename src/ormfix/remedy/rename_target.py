"""rename-target: point the relationship at the mapped class the evidence names (never a blind guess).

Every mapped class is a candidate, ranked by what the code says about it, strongest first:

- its relationship named like this one's ``back_populates``/``backref`` points back at the owner (and
  is not already another relationship's twin): ``Organization.schools = relationship("School",
  back_populates="organization")`` and ``Class.organization = relationship("Organization")``;
- the foreign keys: a collection's target holds a ForeignKey to the owner's table, a scalar's target
  is the table the owner's own ForeignKey names (the shape of the ``Mapped[...]`` annotation, or
  ``uselist=``, says which);
- the name's similarity to the missing one (a typo).

The best candidate is offered (unsafe: a guess at intent) only when the evidence is strong (a
back_populates/backref match, the foreign keys leaving exactly one class, or one name clearly closest)
and no other candidate ranks as high; the pair is completed (``back_populates`` on the other side).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import partial

from ormfix.codemods import relationship_arg
from ormfix.codemods import rename_target as codemod

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..index import ClassInfo, ProjectIndex, RelationshipInfo
from ..remedies import strategy_of
from .base import NO_STATEMENT, build_fix, not_applicable, statement_of

STRATEGY = strategy_of(__name__)
BACK_REFERENCE, FOREIGN_KEY, SHAPE = 100, 10, 1
CLOSE_NAME = 0.6  # difflib ratio from which a name counts as similar
CLEARLY_CLOSER = 0.05  # a typo's best match must beat the next by this much


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
            if _holds_fk_to(cls, owner.tablename):
                found.append(cls.name)
    if collection is not True:
        for col in owner.columns.values():
            for fk in col.foreign_keys:
                referenced = index.class_for_table(fk.rsplit(".", 1)[0])
                if referenced is not None and referenced.name not in (owner.name, *linked, *found):
                    found.append(referenced.name)
    return found


def _short(target: str | None) -> str:
    return (target or "").rsplit(".", 1)[-1]


def _holds_fk_to(cls: ClassInfo, table: str | None) -> bool:
    return bool(table) and any(fk.rsplit(".", 1)[0] == table for col in cls.columns.values() for fk in col.foreign_keys)


def bound_before(index: ProjectIndex, file: str | None, line: int, name: str) -> bool:
    """Whether the module ``file`` binds ``name`` before ``line``: imports it, or defines the class above."""
    info = index.files.get(file or "")
    return info is not None and (name in info.imports or any(c.name == name and c.line < line for c in info.classes))


@dataclass
class Candidate:
    name: str
    score: float = 0.0
    evidence: list[str] = field(default_factory=list)
    strong: bool = False
    similarity: float = 0.0
    twin: RelationshipInfo | None = None  # its relationship back to the owner, named by back_populates


def _twin_taken(owner: ClassInfo, attribute: str, cls: ClassInfo, twin: RelationshipInfo) -> bool:
    """Whether ``twin`` is already the other side of another of the owner's relationships."""
    named = twin.kwarg_str("back_populates") or twin.kwarg_str("backref")
    if named and named != attribute:
        return True
    return any(
        _short(rel.target) == cls.name
        and (rel.kwarg_str("back_populates") or rel.kwarg_str("backref")) == twin.attribute
        for name, rel in owner.relationships.items()
        if name != attribute
    )


def rank(index: ProjectIndex, owner: ClassInfo, attribute: str, missing: str) -> list[Candidate]:
    """Every mapped class with some evidence for it, best first."""
    rel = owner.relationships.get(attribute)
    back_name = (rel.kwarg_str("back_populates") or rel.kwarg_str("backref")) if rel else None
    collection = rel.collection if rel else None
    graph = fk_graph_candidates(index, owner.name, attribute)
    found = []
    for cls in index.mapped_classes():
        if (
            cls.name == owner.name
            and not _holds_fk_to(cls, owner.tablename)
            and difflib.SequenceMatcher(None, missing.lower(), cls.name.lower()).ratio() < CLOSE_NAME
        ):
            continue  # the owner itself only for a self-referential key, or a typo of its own name
        candidate = Candidate(cls.name)
        back = [r for r in cls.relationships.values() if _short(r.target) == owner.name]
        twin = next((r for r in back if back_name and r.attribute == back_name), None) or next(
            (r for r in back if r.kwarg_str("back_populates") == attribute), None
        )
        if twin is not None and cls.name != owner.name and not _twin_taken(owner, attribute, cls, twin):
            candidate.score += BACK_REFERENCE
            candidate.twin = twin
            candidate.strong = True
            candidate.evidence.append(
                f"{cls.name}.{twin.attribute} is a relationship back to {owner.name}"
                + (
                    f" named by back_populates={back_name!r}"
                    if twin.attribute == back_name
                    else f" with back_populates={attribute!r}"
                )
            )
        holds = _holds_fk_to(cls, owner.tablename)
        held = any(fk.rsplit(".", 1)[0] == cls.tablename for col in owner.columns.values() for fk in col.foreign_keys)
        if cls.name in graph:
            candidate.score += FOREIGN_KEY
            candidate.evidence.append(
                f"{cls.tablename} holds a ForeignKey to {owner.tablename}"
                if holds and collection is not False
                else f"{owner.name} holds a ForeignKey to {cls.tablename}"
            )
            if len(graph) == 1:
                candidate.strong = True
                candidate.evidence[-1] += " (the only class the foreign keys leave)"
        elif holds or held:
            candidate.score += FOREIGN_KEY / 2
            candidate.evidence.append(f"a ForeignKey links {cls.tablename} and {owner.tablename}")
        if collection is not None and (holds if collection else held):
            candidate.score += SHAPE
            candidate.evidence.append(
                "the annotation's shape ("
                + ("a collection: the target holds the key" if collection else "a scalar: the owner holds the key")
                + ") fits"
            )
        similarity = difflib.SequenceMatcher(None, missing.lower(), cls.name.lower()).ratio()
        if similarity >= CLOSE_NAME:
            candidate.similarity = similarity
            candidate.score += 8 * similarity
            candidate.evidence.append(f"the name is close to {missing!r} ({similarity:.0%} alike)")
        if candidate.evidence:
            found.append(candidate)
    close = sorted((c for c in found if c.similarity), key=lambda c: -c.similarity)
    if close and (len(close) == 1 or close[0].similarity - close[1].similarity >= CLEARLY_CLOSER):
        close[0].strong = True  # a typo: one name clearly closest
    return sorted(found, key=lambda c: -c.score)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    missing = diagnosis.context.get("missing") or diagnosis.target
    cause = diagnosis.context.get("cause")
    if cause not in ("typo", "missing", "unbound") or not missing or not diagnosis.attribute:
        return not_applicable(STRATEGY, "the target is not a misspelled or missing class name")
    statement = statement_of(project, diagnosis)
    if statement is None:
        return not_applicable(STRATEGY, NO_STATEMENT)
    rel_file, rel_class, attribute = statement
    owner = project.index.find_class(diagnosis.class_name or "", diagnosis.event.get("class_module"))
    old = missing.rsplit(".", 1)[-1]
    if cause == "unbound":
        return _quote_fix(diagnosis, project, rel_file, rel_class, attribute, missing)
    if owner is None:
        return not_applicable(STRATEGY, f"cannot find {diagnosis.class_name} in the project's files")
    ranked = rank(project.index, owner, diagnosis.attribute, old)
    if not ranked:
        return not_applicable(
            STRATEGY,
            f"no mapped class is a close match for {missing!r} and nothing (back_populates, "
            "foreign keys) points at one",
        )
    best = ranked[0]
    weighed = "; ".join(f"{c.name}: {', '.join(c.evidence)}" for c in ranked[:3])
    if len(ranked) > 1 and ranked[1].score == best.score:
        tied = ", ".join(c.name for c in ranked if c.score == best.score)
        return not_applicable(STRATEGY, f"the evidence does not single out one class ({tied} tie; {weighed})")
    if not best.strong:
        return not_applicable(STRATEGY, f"the evidence for {best.name} is too weak to rename ({weighed})")
    quote = bool(diagnosis.context.get("unquoted")) and not bound_before(project.index, rel_file, owner.line, best.name)
    steps = [
        (
            rel_file,
            partial(
                codemod.apply,
                class_name=rel_class,
                attribute=attribute,
                old=old,
                new=best.name,
                quote=quote,
            ),
        )
    ]
    rel = owner.relationships.get(attribute)
    completes = ""
    target_cls = project.index.find_class(best.name)
    if (
        target_cls is not None
        and best.twin is not None
        and rel is not None
        and rel.kwarg_str("back_populates") == best.twin.attribute
        and best.twin.kwarg_str("back_populates") is None
        and best.twin.kwarg_str("backref") is None
    ):
        steps.append(
            (
                target_cls.file,
                partial(
                    relationship_arg.apply,
                    class_name=best.name,
                    attribute=best.twin.attribute,
                    keyword="back_populates",
                    text=attribute,
                ),
            )
        )
        completes = f", and add back_populates={diagnosis.attribute!r} to {best.name}.{best.twin.attribute} (the pair)"
    written = repr(best.name) if quote else best.name
    summary = (
        f"Point {diagnosis.class_name}.{diagnosis.attribute} at {written} instead of {missing}{completes}; "
        f"evidence: {', '.join(best.evidence)}"
        + (f" (next: {ranked[1].name}, {', '.join(ranked[1].evidence)})" if len(ranked) > 1 else "")
        + "; a guess at what was meant: check it"
    )
    return build_fix(project, STRATEGY, summary, "unsafe", steps)


def _quote_fix(
    diagnosis: Diagnosis, project: Project, rel_file: str, rel_class: str, attribute: str, missing: str
) -> Fix:
    step = partial(
        codemod.apply,
        class_name=rel_class,
        attribute=attribute,
        old=missing.rsplit(".", 1)[-1],
        new=missing,
        quote=True,
    )
    summary = (
        f"Quote {diagnosis.class_name}.{diagnosis.attribute}'s target: relationship({missing!r}) "
        "(the class exists; a string is resolved when the mappers are configured)"
    )
    return build_fix(project, STRATEGY, summary, "unsafe", [(rel_file, step)])
