"""One-keyword remedies: set ``keyword=`` on one relationship() (lazy-select, single-parent, remote-side, overlaps)."""

from __future__ import annotations

from functools import partial

from ormfix.codemods import relationship_arg

from ..discover import Project
from ..findings import Applicability, Diagnosis, Fix
from .base import build_fix, not_applicable


def keyword_fix(
    project: Project,
    diagnosis: Diagnosis,
    strategy: str,
    summary: str,
    keyword: str,
    class_name: str | None = None,
    attribute: str | None = None,
    applicability: Applicability = "safe",
    *,
    value: str | None = None,
    text: str | None = None,
) -> Fix:
    """A fix (safe unless told) setting ``keyword=`` (``value=`` source or ``text=`` string) on class_name.attribute."""
    class_name = class_name or diagnosis.class_name
    attribute = attribute or diagnosis.attribute
    cls = project.index.find_class(class_name or "", diagnosis.event.get("class_module"))
    if class_name is None or attribute is None or cls is None or attribute not in cls.relationships:
        return not_applicable(
            strategy, f"cannot find {class_name}.{attribute} = relationship(...) in the project's files"
        )
    step = partial(
        relationship_arg.apply, class_name=class_name, attribute=attribute, keyword=keyword, value=value, text=text
    )
    return build_fix(project, strategy, summary, applicability, [(cls.file, step)])
