"""Shared plumbing for remedies: run codemods over a project's files and build a Fix from them."""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence

from ..codemods import NotApplicable
from ..diffs import unified_diff
from ..discover import Project
from ..findings import Applicability, Diagnosis, FileEdit, Fix
from ..index import ClassInfo, RelationshipInfo
from .wrap import project_line_length, wrap_step

Transform = Callable[[str], str]


def build_fix(
    project: Project,
    strategy: str,
    summary: str,
    applicability: Applicability,
    steps: Sequence[tuple[str, Transform]],
    schema_change: bool = False,
) -> Fix:
    """Run each (file, transform) step on the original text; a NotApplicable makes a non-applicable Fix."""
    fix = Fix(strategy=strategy, summary=summary, applicability=applicability, schema_change=schema_change)
    edits: dict[str, FileEdit] = {}
    try:
        for rel_path, transform in steps:
            edit = edits.get(rel_path)
            if edit is None:
                text = project.original_text(rel_path)
                edit = edits[rel_path] = FileEdit(path=rel_path, before=text, after=text)
            edit.after = transform(edit.after)
            edit.transforms.append(transform)
    except NotApplicable as exc:
        return not_applicable(strategy, str(exc))
    limit = project_line_length(project.base)
    for edit in edits.values():  # within the project's line length, else the file's longest line
        step = wrap_step(edit.before, limit)
        edit.after = step(edit.after)
        edit.transforms.append(step)
    fix.edits = [edit for edit in edits.values() if edit.after != edit.before]
    if not fix.edits:
        return not_applicable(strategy, "the code already has this change")
    from ormfix.codemods._command import known_to_parse  # LibCST: planning only (`check` never loads it)

    for edit in fix.edits:
        if known_to_parse(edit.after):  # the codemod parsed its (elided) output already
            continue
        try:
            compile(edit.after, edit.path, "exec", ast.PyCF_ONLY_AST)
        except SyntaxError as exc:  # a broken diff is never shown as a fix
            return not_applicable(strategy, f"the rewritten {edit.path} would not compile ({exc.msg}); not offered")
    fix.diff = "".join(unified_diff(edit.path, edit.before, edit.after) for edit in fix.edits)
    return fix


def not_applicable(strategy: str, reason: str, applicability: Applicability = "display-only", summary: str = "") -> Fix:
    return Fix(
        strategy=strategy,
        summary=summary or f"does not apply: {reason}",
        applicability=applicability,
        not_applicable=reason,
        verified=False,
    )


def class_attribute(diagnosis: Diagnosis) -> tuple[str | None, str | None, str | None]:
    """(class, file, attribute) of a class-level diagnosis: the attribute its code put in the context."""
    facts = diagnosis.context
    return diagnosis.class_name, facts.get("class_file") or diagnosis.file, facts.get("attribute")


def _owner_and_statement(project: Project, diagnosis: Diagnosis) -> tuple[ClassInfo | None, RelationshipInfo | None]:
    cls = project.index.find_class(diagnosis.class_name or "", diagnosis.event.get("class_module"))
    rel = cls.relationships.get(diagnosis.attribute or "") if cls else None
    return cls, rel


def owner_file(project: Project, diagnosis: Diagnosis) -> str | None:
    """The file holding the diagnosis's relationship statement: the class's, or its mixin's, or the file
    that assigns it below the class."""
    cls, rel = _owner_and_statement(project, diagnosis)
    if cls is None:
        return diagnosis.file
    return (rel.file if rel is not None and rel.file else None) or cls.file


def owner_class(project: Project, diagnosis: Diagnosis) -> str | None:
    """The class whose source holds the relationship statement: a mixin's @declared_attr for an
    inherited one, else the diagnosis's class."""
    _, rel = _owner_and_statement(project, diagnosis)
    return rel.defined_in if rel is not None and rel.defined_in else diagnosis.class_name


# a relationship remedy's diagnosis that names no relationship statement (no remedy code reports one)
NO_STATEMENT = "the diagnosis names no relationship statement in the project's files"


def statement_of(project: Project, diagnosis: Diagnosis) -> tuple[str, str, str] | None:
    """(file, class, attribute) of the relationship statement to change (owner_file, owner_class and the
    diagnosis's attribute); None when the diagnosis does not name one."""
    file, class_name = owner_file(project, diagnosis), owner_class(project, diagnosis)
    if file is None or class_name is None or diagnosis.attribute is None:
        return None
    return file, class_name, diagnosis.attribute


def holder_table(holder: ClassInfo, diagnosis: Diagnosis) -> str | None:
    """The table of the class that holds the foreign key, as SQLAlchemy saw it (the probe's event), else
    as the index read it (migrations need the real name: Flask-SQLAlchemy derives it from the class)."""
    event = diagnosis.event
    seen = event.get("parent_table") if holder.name == diagnosis.class_name else event.get("target_table")
    return seen or holder.tablename
