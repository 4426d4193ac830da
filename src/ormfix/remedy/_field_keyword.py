"""A fix setting one keyword on several column calls of a class (the dataclass field remedies)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from ormfix.codemods import class_options

from ..discover import Project
from ..findings import Diagnosis, Fix
from .base import build_fix, class_attribute, not_applicable


def field_keyword_fix(
    diagnosis: Diagnosis,
    project: Project,
    strategy: str,
    keyword: str,
    value: str,
    fields_of: Callable[[Project, str, str], list[str]],
    summary: Callable[[str, list[str]], str],
) -> Fix:
    name, file, attribute = class_attribute(diagnosis)
    if not name or not file:
        return not_applicable(strategy, "cannot find the class statement in the project's files")
    fields = fields_of(project, file, name) or ([attribute] if attribute else [])
    if not fields:
        return not_applicable(strategy, f"cannot tell which fields of {name} break its constructor")
    steps = [
        (file, partial(class_options.apply, class_name=name, keyword=keyword, value=value, attribute=field))
        for field in fields
    ]
    return build_fix(project, strategy, summary(name, fields), "unsafe", steps)
