"""fix-foreign-keys-arg: foreign_keys= names a missing column; name the closest existing FK column instead."""

from __future__ import annotations

import difflib
import re
from functools import partial

from ormfix.codemods import relationship_arg

from ..codes._facts import fks_to
from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from .base import NO_STATEMENT, build_fix, not_applicable, statement_of

STRATEGY = strategy_of(__name__)


def _other_table(project: Project, diagnosis: Diagnosis, fk_class: str) -> str | None:
    """The table the foreign key should point at: the other side of the relationship."""
    event = diagnosis.event
    if fk_class != diagnosis.class_name:
        owner = project.index.find_class(diagnosis.class_name or "", event.get("class_module"))
        return event.get("parent_table") or (owner.tablename if owner else None)
    target = project.index.find_class(diagnosis.target or "", event.get("target_module"))
    return event.get("target_table") or (target.tablename if target else None)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    fk_class, missing = diagnosis.context.get("fk_class"), diagnosis.context.get("missing_column")
    holder = project.index.find_class(fk_class or "", diagnosis.context.get("fk_module"))
    owner = project.index.find_class(diagnosis.class_name or "", diagnosis.event.get("class_module"))
    rel = owner.relationships.get(diagnosis.attribute or "") if owner else None
    keyword = diagnosis.context.get("keyword") or "foreign_keys"
    written = rel.kwarg_str(keyword) if rel else None
    source = rel.kwargs.get(keyword) if rel and written is None else None  # class attributes: [Post.autor_id]
    if holder is None or not missing or (written or source) is None:
        return not_applicable(STRATEGY, f"{keyword}= does not name a column of a class in the project")
    candidates = [col.attribute for col in fks_to(holder, _other_table(project, diagnosis, holder.name))]
    candidates = candidates or [col.attribute for col in holder.columns.values() if col.foreign_keys]
    close = difflib.get_close_matches(missing, candidates, n=1, cutoff=0.6)
    if not close:
        return not_applicable(STRATEGY, f"no column of {holder.name} with a ForeignKey is close to {missing!r}")
    spelled = (
        rf"(?<=\.){re.escape(missing)}\b"
        if written is not None
        else rf"(?<=\b{re.escape(holder.name)}\.){re.escape(missing)}\b"
    )
    new_text, count = re.subn(spelled, close[0], written if written is not None else source or "")  # (source is set)
    if not count:
        return not_applicable(STRATEGY, f"{keyword}={written or source!r} does not spell out {missing!r}")
    statement = statement_of(project, diagnosis)
    if statement is None:
        return not_applicable(STRATEGY, NO_STATEMENT)
    rel_file, rel_class, attribute = statement
    step = partial(
        relationship_arg.apply,
        class_name=rel_class,
        attribute=attribute,
        keyword=keyword,
        text=new_text if written is not None else None,
        value=None if written is not None else new_text,
    )
    shown = repr(new_text) if written is not None else new_text
    summary = (
        f"Set {keyword}={shown} on {diagnosis.class_name}.{diagnosis.attribute}: {holder.name} has "
        f"no column {missing!r}; {close[0]} is the closest column with a ForeignKey (a guess: check it)"
    )
    return build_fix(project, STRATEGY, summary, "unsafe", [(rel_file, step)])
