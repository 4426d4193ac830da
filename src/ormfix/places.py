"""Where a diagnosis points: the range of the construct that is wrong, and the other places involved.

diagnose() finds the statement (a relationship's assignment, a class statement, the line that raised);
``place`` narrows it to the construct to change (the misspelled ``ForeignKey(...)``, the annotation
without ``Mapped[]``, the ``backref=`` beside ``back_populates=``, ...) from the static index, and
adds ``related`` places (the twin of a pair, the class that gets the new column, the parent class).
Folding has already run on the statement lines; the statement stays in ``context["statement"]`` so
an inline ``# ormfix: ignore`` anywhere on it still works.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .discover import Project
from .findings import Diagnosis
from .index import ClassInfo, ProjectIndex, Span, read_source
from .probe.events import ProbeEvent

Spot = tuple[str, Span | None] | None  # (file, span); no span: the statement stays
Related = list[dict[str, Any] | None]  # related places (None: a place the index has no span for)
# a diagnosis code's placer: (index, diagnosis, its class, related places to add to) -> where it points
Placer = Callable[[ProjectIndex, Diagnosis, ClassInfo | None, Related], Spot]


def _related(file: str, span: Span | None, message: str) -> dict[str, Any] | None:
    if span is None:
        return None
    line, column, end_line, end_column = span
    return {
        "file": file,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "message": message,
    }


def _class(index: ProjectIndex, name: str | None, module: str | None = None) -> ClassInfo | None:
    return index.find_class(name, module) if name else None


def _owner(index: ProjectIndex, d: Diagnosis) -> ClassInfo | None:
    event: ProbeEvent = d.event if isinstance(d.context, dict) else {}
    cls = _class(
        index, d.class_name or d.context.get("class"), event.get("class_module") or d.context.get("class_module")
    )
    if cls is not None and d.file:  # between namesakes: the one whose statement holds the diagnosis
        same = [c for c in index.classes() if c.name == cls.name and c.file == d.file]
        cls = next((c for c in same if c.line <= (d.line or 0) <= c.end_line), same[0] if same else cls)
    return cls


def _statement(cls: ClassInfo, attribute: str | None) -> Span | None:
    if not attribute:
        return None
    rel = cls.relationships.get(attribute)
    if rel is not None and rel.span:
        return rel.span
    col = cls.columns.get(attribute)
    if col is not None and col.span:
        return col.span
    return cls.attribute_spans.get(attribute)


def _default(index: ProjectIndex, d: Diagnosis, cls: ClassInfo | None, related: Related) -> Spot:
    if cls is None:
        return None
    span = _statement(cls, d.attribute)
    if span is None and d.line == cls.line:
        span = cls.span
    return (cls.file, span) if span else None


def _attribute_statement(index: ProjectIndex, d: Diagnosis, cls: ClassInfo | None, related: Related) -> Spot:
    """ORM037 reserved attribute, ORM044 trailing comma, ORM046 a dataclass field out of order: the
    assignment binding the attribute."""
    attribute = d.context.get("attribute")
    span = cls.attribute_spans.get(attribute) if cls and attribute else None
    return (cls.file, span) if cls and span else _default(index, d, cls, related)


def _table_args(index: ProjectIndex, d: Diagnosis, cls: ClassInfo | None, related: Related) -> Spot:
    """ORM048: the ``__table_args__`` assignment whose constraint names a column the class lacks."""
    span = cls.attribute_spans.get("__table_args__") if cls else None
    return (cls.file, span) if cls and span else _default(index, d, cls, related)


def _annotation(index: ProjectIndex, d: Diagnosis, cls: ClassInfo | None, related: Related) -> Spot:
    """ORM036: the annotation that is not ``Mapped[...]`` (or names a type with no column type)."""
    attribute = d.context.get("attribute")
    span = cls.annotation_spans.get(attribute) if cls and attribute else None
    return (cls.file, span) if cls and span else _attribute_statement(index, d, cls, related)


def _remote_side(index: ProjectIndex, d: Diagnosis, cls: ClassInfo | None, related: Related) -> Spot:
    """ORM014: the many-to-one side of the self-referential pair (it gets remote_side=)."""
    side = d.context.get("many_to_one_side")
    sides = [s for s in d.context.get("pair", []) if s]
    if cls is None:
        return None
    chosen = side or d.attribute
    for other in sides:
        if other != chosen and (span := _statement(cls, other)):
            related.append(_related(cls.file, span, f"{cls.name}.{other}, the other end of the pair"))
    span = _statement(cls, chosen)
    return (cls.file, span) if span else _default(index, d, cls, related)


def _backref(index: ProjectIndex, d: Diagnosis, cls: ClassInfo | None, related: Related) -> Spot:
    """ORM015: the ``backref=`` argument of the relationship that also has ``back_populates=``."""
    attribute = d.context.get("attribute") or d.attribute
    rel = cls.relationships.get(attribute) if cls and attribute else None
    if cls is None or rel is None:
        return _default(index, d, cls, related)
    other = _class(index, d.context.get("other"), d.context.get("other_module"))
    twin = rel.kwarg_str("back_populates")
    if other is not None and twin in other.relationships:
        related.append(_related(other.file, other.relationships[twin].span, f"the twin {other.name}.{twin}"))
    return cls.file, rel.kwarg_spans.get("backref") or rel.span


def _parent_fk(index: ProjectIndex, d: Diagnosis, cls: ClassInfo | None, related: Related) -> Spot:
    """ORM042: the subclass's primary key column (where ForeignKey(parent.id) goes), else its class line."""
    if cls is None:
        return None
    parent = index.class_for_table(d.context.get("parent_table") or "")
    if parent is not None:
        related.append(_related(parent.file, parent.span, f"the parent class {parent.name}"))
    keys = cls.primary_keys
    return cls.file, keys[0].span if len(keys) == 1 and keys[0].span else cls.span


def _column_conflict(index: ProjectIndex, d: Diagnosis, cls: ClassInfo | None, related: Related) -> Spot:
    """ORM045: the subclass's column that the single table already has; the other declarations related."""
    attribute = d.context.get("attribute")
    for name in d.context.get("declared_by", []):
        other = _class(index, name)
        col = other.columns.get(attribute) if other and attribute else None
        if other is not None:
            related.append(_related(other.file, col.span if col else other.span, f"{name} declares it too"))
    col = cls.columns.get(attribute) if cls and attribute else None
    return (cls.file, col.span) if cls and col and col.span else _default(index, d, cls, related)


def _foreign_key(index: ProjectIndex, d: Diagnosis, cls: ClassInfo | None, related: Related) -> Spot:
    """ORM030 (and ORM001 with a misspelled target): the ``ForeignKey(...)`` call to change."""
    holder_name, column, target = d.context.get("holder"), d.context.get("column"), d.context.get("bad_target")
    misspelled = d.context.get("misspelled_fk")
    if misspelled:
        column, target = misspelled.get("column"), misspelled.get("target")
    holder = _class(index, holder_name, d.context.get("holder_module"))
    col = holder.columns.get(column) if holder and column else None
    span = col.fk_spans.get(target) if col and target else None
    if span is None or holder is None:
        return _default(index, d, cls, related)
    if cls is not None and (rel_span := _statement(cls, d.attribute)):
        related.append(_related(cls.file, rel_span, f"{cls.name}.{d.attribute}, the relationship that cannot join"))
    return holder.file, span


def _no_foreign_keys(index: ProjectIndex, d: Diagnosis, cls: ClassInfo | None, related: Related) -> Spot:
    """ORM001: the relationship; related: the class that gets the ForeignKey column."""
    if d.context.get("misspelled_fk"):
        return _foreign_key(index, d, cls, related)
    holder = _class(index, d.context.get("holder"), d.context.get("holder_module"))
    if holder is not None and holder is not cls:
        related.append(_related(holder.file, holder.span, f"class {holder.name}, where the ForeignKey column goes"))
    return _default(index, d, cls, related)


def _ambiguous(index: ProjectIndex, d: Diagnosis, cls: ClassInfo | None, related: Related) -> Spot:
    """ORM003: the relationship; related: the foreign key columns to choose from."""
    holder = _class(index, d.context.get("holder"), d.context.get("holder_module"))
    for name in d.context.get("columns", []) if holder else []:
        col = holder.columns.get(name) if holder else None
        if holder is not None and col is not None:
            related.append(_related(holder.file, col.span, f"{holder.name}.{name}, one of the candidate foreign keys"))
    return _default(index, d, cls, related)


def _pair(index: ProjectIndex, d: Diagnosis, cls: ClassInfo | None, related: Related) -> Spot:
    """ORM010 / ORM020 / ORM021: the ``back_populates=`` argument; related: the twin it should name."""
    other = _class(index, d.context.get("other"), d.context.get("other_module"))
    if other is not None and other is not cls:
        names = [d.context.get("twin") or d.context.get("missing"), *d.context.get("pointing_back", [])]
        twin = next((name for name in names if name and _statement(other, name)), None)
        related.append(
            _related(
                other.file,
                _statement(other, twin) if twin else other.span,
                f"{other.name}.{twin}" if twin else f"class {other.name}, the other side",
            )
        )
    rel = cls.relationships.get(d.attribute) if cls and d.attribute else None
    if cls is not None and rel is not None and "back_populates" in rel.kwarg_spans:
        return cls.file, rel.kwarg_spans["back_populates"]
    return _default(index, d, cls, related)


def _same_table(index: ProjectIndex, d: Diagnosis, cls: ClassInfo | None, related: Related) -> Spot:
    """ORM033: the class statement; related: the class that maps the table first."""
    first = next(
        (
            c
            for c in index.classes()
            if c.name == d.context.get("first_class")
            and c.file == d.context.get("first_file")
            and c.line == d.context.get("first_line")
        ),
        None,
    )
    if first is not None:
        related.append(_related(first.file, first.span, f"class {first.name} maps the table first"))
    return (cls.file, cls.span) if cls and cls.span else None


def _same_name(index: ProjectIndex, d: Diagnosis, cls: ClassInfo | None, related: Related) -> Spot:
    """ORM035: the relationship; related: every class with the name."""
    for qualified in d.context.get("classes", []):
        module, _, name = qualified.rpartition(".")
        other = _class(index, name, module)
        if other is not None:
            related.append(_related(other.file, other.span, f"class {other.name} in {other.module}"))
    return _default(index, d, cls, related)


def _keyword(name: str) -> Placer:
    """The relationship's ``name=`` argument (the one to change), else the relationship."""

    def spot(index: ProjectIndex, d: Diagnosis, cls: ClassInfo | None, related: Related) -> Spot:
        rel = cls.relationships.get(d.attribute) if cls and d.attribute else None
        if cls is not None and rel is not None and name in rel.kwarg_spans:
            return cls.file, rel.kwarg_spans[name]
        return _default(index, d, cls, related)

    spot.__doc__ = f"the {name}= argument"
    return spot


def _target(index: ProjectIndex, d: Diagnosis, cls: ClassInfo | None, related: Related) -> Spot:
    """ORM002 / ORM019: the target as written (``'Cupon'``, a table's name), else the relationship."""
    rel = cls.relationships.get(d.attribute) if cls and d.attribute else None
    if cls is not None and d.attribute and rel is not None and (rel.target_span or d.attribute in cls.annotation_spans):
        return cls.file, rel.target_span or cls.annotation_spans[d.attribute]  # relationship(): Mapped[...] names it
    return _default(index, d, cls, related)


PLACES: dict[str, Placer] = {
    "ORM002": _target,
    "ORM019": _target,
    "ORM012": _keyword("lazy"),
    "ORM013": _keyword("cascade"),
    "ORM017": _keyword("foreign_keys"),
    "ORM018": _keyword("secondary"),
    "ORM022": _keyword("primaryjoin"),
    "ORM001": _no_foreign_keys,
    "ORM003": _ambiguous,
    "ORM010": _pair,
    "ORM014": _remote_side,
    "ORM015": _backref,
    "ORM020": _pair,
    "ORM021": _pair,
    "ORM030": _foreign_key,
    "ORM033": _same_table,
    "ORM035": _same_name,
    "ORM036": _annotation,
    "ORM037": _attribute_statement,
    "ORM042": _parent_fk,
    "ORM044": _attribute_statement,
    "ORM045": _column_conflict,
    "ORM046": _attribute_statement,
    "ORM048": _table_args,
}


def _enclosing_statement(index: ProjectIndex, file: str, line: int) -> tuple[int, int] | None:
    """(first, last line) of the class-body statement holding ``line`` in ``file``."""
    for cls in index.files[file].classes if file in index.files else []:
        if cls.line <= line <= cls.end_line:
            for span in cls.attribute_spans.values():
                if span[0] <= line <= span[2]:
                    return span[0], span[2]
    return None


def _line_of(project: Project, diagnosis: Diagnosis) -> Spot:
    """The text of the line that raised (an import failure, a hang): its first to its last character."""
    file, line = diagnosis.file, diagnosis.line
    if file is None or line is None:  # place() only asks for a diagnosis with both
        return None
    try:
        lines = read_source(project.files[file][0]).splitlines()
    except (OSError, UnicodeDecodeError, SyntaxError, LookupError):
        return None
    if not 0 < line <= len(lines) or not lines[line - 1].strip():
        return None
    text = lines[line - 1]
    start = len(text) - len(text.lstrip())
    return file, (line, start + 1, line, len(text.rstrip()) + 1)


def _in_members_file(cls: ClassInfo | None, attribute: str | None, spot: Spot) -> Spot:
    """A span of a member the class inherits or has assigned from elsewhere (a mixin's @declared_attr, a
    ``Cls.x = ...`` in another file) lies in that member's file, not the class's."""
    member = (cls.relationships.get(attribute) or cls.columns.get(attribute)) if cls and attribute else None
    if cls is None or not member or not spot or spot[1] is None or not member.file or spot[0] != cls.file:
        return spot
    line = spot[1][0]
    return (member.file, spot[1]) if member.line <= line <= member.end_line else spot


def place(project: Project, diagnosis: Diagnosis) -> None:
    """Narrow ``diagnosis`` to the range of the construct that is wrong and add its related places."""
    if not diagnosis.file or not diagnosis.line or diagnosis.column is not None:
        return
    diagnosis.context["statement"] = (diagnosis.line, diagnosis.end_line or diagnosis.line)
    index = project.index
    cls = _owner(index, diagnosis)
    related: Related = []
    try:
        spot = PLACES.get(diagnosis.code, _default)(index, diagnosis, cls, related)
    except (AttributeError, KeyError, TypeError):  # a fact the index lacks: keep the statement
        spot = None
    spot = _in_members_file(cls, diagnosis.attribute, spot)
    if (spot is None or spot[1] is None) and diagnosis.file in project.files:
        spot = _line_of(project, diagnosis)
    if spot is not None and (span := spot[1]) is not None:
        file, (line, column, end_line, end_column) = spot[0], span
        enclosing = _enclosing_statement(index, file, line)
        if file != diagnosis.file:  # another file (a ForeignKey's column): its statement takes the comment
            diagnosis.context["statement"] = enclosing
            diagnosis.context.setdefault("class_file", diagnosis.file)  # the remedies' class stays where it is
        elif enclosing:
            first, last = diagnosis.context["statement"]
            diagnosis.context["statement"] = (min(first, enclosing[0]), max(last, enclosing[1]))
        diagnosis.file, diagnosis.line, diagnosis.column = file, line, column
        diagnosis.end_line, diagnosis.end_column = end_line, end_column
    diagnosis.related = [r for r in related if r is not None and r["file"] in project.index.files]
