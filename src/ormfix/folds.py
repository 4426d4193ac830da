"""Knock-on failures: what follows from a cause already diagnosed, so it is not reported again.

One root cause is one diagnosis (issue 3, "All at once"): the other side of a broken back_populates
pair, "Class X is not mapped" after X's class statement raised, ``from m import X`` after that, a
ForeignKey into a table that was never built, a warning from inside a class that failed, ...
Each predicate says whether an event or diagnosis is such a knock-on of ``found``.
"""

from __future__ import annotations

import re

from .discover import Project
from .findings import Diagnosis
from .index import ClassInfo
from .probe.events import ProbeEvent

# (class, attribute) of a relationship reported so far -> its error type
FailedRelationships = dict[tuple[str | None, str | None], str | None]

_NOT_MAPPED = re.compile(r"Class '(?:[\w.]+\.)?(?P<name>\w+)' is not mapped")


def target_failed_to_build(project: Project, event: ProbeEvent, found: list[Diagnosis]) -> bool:
    match = _NOT_MAPPED.search(event.get("message", ""))
    if not match:
        return False
    cls = project.index.find_class(match["name"])
    return any(
        unbuilt_class(d) == match["name"]
        or (cls is not None and d.file == cls.file and d.line is not None and cls.line <= d.line <= cls.end_line)
        for d in found
    )


def is_deprecation(event: ProbeEvent) -> bool:
    kind = event.get("type", "")
    return "Deprecat" in kind or kind in {"MovedIn20Warning", "RemovedIn20Warning", "LegacyAPIWarning"}


def twin_of_failed(event: ProbeEvent, failed: FailedRelationships) -> bool:
    """The other side of a back_populates pair whose first side was already reported for the same cause:
    it lost its partner (``has no property``), or the pair has no ForeignKey at all (one column fixes both)."""
    partner = event.get("back_populates")
    target = event.get("target_class") or (event.get("target") or "").rsplit(".", 1)[-1]
    if (
        not partner
        or (target, partner) not in failed
        or (event.get("class"), event.get("attribute")) == (target, partner)
    ):
        return False
    return (
        f"has no property '{partner}'" in event.get("message", "")
        or event.get("type") == failed[(target, partner)] == "NoForeignKeysError"
    )


_CANNOT_IMPORT = re.compile(r"cannot import name '(?P<name>\w+)' from '(?P<module>[\w.]+)'")


_NOT_DEFINED = re.compile(r"name '(?P<name>\w+)' is not defined")


def skipped_class_import(event: ProbeEvent, found: list[Diagnosis], project: Project | None = None) -> bool:
    """``from m import Tag`` (ImportError) or a later use of ``Tag`` (NameError) after Tag's class statement
    raised: that failure is the cause."""
    if event.get("type") == "NameError" and project is not None:
        match = _NOT_DEFINED.search(event.get("message", ""))
        return match is not None and any(
            (cls := failed_class(project, d)) is not None and cls.name == match["name"] for d in found
        )
    match = _CANNOT_IMPORT.search(event.get("message", "")) if event.get("type") == "ImportError" else None
    if not match:
        return False
    return any(
        unbuilt_class(d) == match["name"]
        and d.event.get("class_module") == match["module"]
        or project is not None
        and (cls := failed_class(project, d)) is not None
        and (cls.name, cls.module) == (match["name"], match["module"])
        for d in found
    )


def failed_class(project: Project, diagnosis: Diagnosis) -> ClassInfo | None:
    """The class whose statement raised at import, for a diagnosis of that: SQLAlchemy refused it, or an
    import failure (NameError, AttributeError, ...) inside its body."""
    name = unbuilt_class(diagnosis)
    if name:
        return project.index.find_class(name, diagnosis.event.get("class_module"))
    if diagnosis.code != "ORM004" or diagnosis.file not in project.index.files or not diagnosis.line:
        return None
    return next(
        (c for c in project.index.files[diagnosis.file].classes if c.line <= diagnosis.line <= c.end_line), None
    )


def unbuilt_class(diagnosis: Diagnosis) -> str | None:
    """The class whose statement raised at import, for a diagnosis of that (else None). A class the probe
    built again without the relationship statement that raised is built."""
    event = diagnosis.event
    if event.get("recovered") == "without-statement":
        return None
    return event.get("class") if event.get("phase") == "class" else None


def left_out_relationships(found: list[Diagnosis]) -> FailedRelationships:
    """{(class, attribute): error type} of the relationship statements the probe left out of their class
    (it raised at import): a relationship whose back_populates names one lost its partner to that cause."""
    return {
        (d.class_name, d.attribute): d.event.get("type")
        for d in found
        if d.attribute and d.event.get("recovered") == "without-statement"
    }


def inside_failed_class(warning: Diagnosis, found: list[Diagnosis]) -> bool:
    return warning.line is not None and any(
        d.class_name
        and d.attribute is None
        and d.file == warning.file
        and d.line is not None
        and d.end_line is not None
        and d.line <= warning.line <= d.end_line
        and d.severity == "error"
        for d in found
    )


def same_root(diagnosis: Diagnosis, found: list[Diagnosis]) -> bool:
    """A code's ``root_cause`` (e.g. one misspelled ForeignKey failing both sides of a pair) is reported once,
    by the diagnosis the code marks ``primary`` when there is one (whichever failed first otherwise)."""
    root = diagnosis.context.get("root_cause")
    same = next(
        (d for d in found if root is not None and d.code == diagnosis.code and d.context.get("root_cause") == root),
        None,
    )
    if same is not None and diagnosis.context.get("primary") and not same.context.get("primary"):
        found[found.index(same)] = diagnosis
    return same is not None


def same_statement(diagnosis: Diagnosis, found: list[Diagnosis]) -> bool:
    """One statement failing for several classes (a mixin's @declared_attr relationship, inherited by each
    class that uses the mixin) is one cause: reported once, for the first class."""
    return diagnosis.file is not None and any(
        d.code == diagnosis.code
        and d.file == diagnosis.file
        and d.line == diagnosis.line
        and d.attribute == diagnosis.attribute
        and d.class_name != diagnosis.class_name
        for d in found
    )


def fk_into_explained_table(project: Project, diagnosis: Diagnosis, found: list[Diagnosis]) -> bool:
    """A ForeignKey into a table an earlier diagnosis explains: its class statement raised (the table was
    never built), or the two classes are on different declarative bases (``split_pair``, ORM038)."""
    if diagnosis.code != "ORM030":
        return False
    cls = project.index.class_for_table(_missing_table(diagnosis))
    if cls is None:
        return False
    pair = {cls.name, diagnosis.context.get("holder")}
    return any(
        unbuilt_class(d) == cls.name
        or pair == set(d.context.get("split_pair", ()))
        or (failed := failed_class(project, d)) is not None
        and failed.name == cls.name
        for d in found
    )


_MISSING_TABLE = re.compile(r"could not find table '(?P<table>[\w.]+)'")


def _missing_table(diagnosis: Diagnosis) -> str:
    """The table a ForeignKey points into: the target the code read, else the one SQLAlchemy names (a
    ForeignKey of a plain Table, such as an association table, has no class to read it from)."""
    table = (diagnosis.context.get("bad_target") or "").rpartition(".")[0]
    if table:
        return table
    found = _MISSING_TABLE.search(diagnosis.sqlalchemy_error or diagnosis.context.get("event", {}).get("message", ""))
    return found["table"] if found else ""


def target_in_failed_module(project: Project, diagnosis: Diagnosis, failed_files: set[str | None]) -> bool:
    """An unresolved target whose class lives in a module that failed to import is not a cause of its own."""
    if diagnosis.code != "ORM002" or not failed_files:
        return False
    name = (diagnosis.target or "").rsplit(".", 1)[-1]
    cls = project.index.find_class(name)
    if cls is not None:
        return cls.file in failed_files
    # a file that cannot be parsed may define the class: look for its class statement in the raw text
    pattern = re.compile(rb"^\s*class\s+" + re.escape(name.encode()) + rb"\b", re.MULTILINE)
    for path in failed_files:
        if path in project.files and project.index.files.get(path) and project.index.files[path].error:
            try:
                if pattern.search(project.files[path][0].read_bytes()):
                    return True
            except OSError:
                continue
    return False
