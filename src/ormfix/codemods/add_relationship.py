"""Add a relationship() to a mapped class, in the class's own style (the twin of one on the other side).

Before::

    class Player(db.Model):
        id = db.Column(db.Integer, primary_key=True)
        team_id = db.Column(db.Integer, db.ForeignKey('teams.id'))

After ``apply(src, class_name="Player", attribute="team", target="Team", back_populates="players")``::

    class Player(db.Model):
        id = db.Column(db.Integer, primary_key=True)
        team_id = db.Column(db.Integer, db.ForeignKey('teams.id'))
        team = db.relationship('Team', back_populates='players')

Other styles: classic ``team = relationship("Team", back_populates="players")`` (import added);
2.0 ``team: Mapped["Team"] = relationship(back_populates="players")`` (``Mapped[list["Team"]]`` with
``--collection``). ``--secondary`` adds ``secondary="table"``. The statement goes after the class's
last relationship, else after its last column. If the attribute already exists as a relationship to
the target, nothing changes; as anything else, NotApplicable.

CLI::

    python -m libcst.tool codemod add_relationship.AddRelationshipCommand models.py \\
        --class-name Player --attribute team --target Team --back-populates players [--collection]
"""

from __future__ import annotations

import libcst as cst

from ._command import Command, source_function
from ._cst import (
    ORM_MODULE_PREFIXES,
    RELATIONSHIP_KINDS,
    call_kind,
    class_body,
    find_attribute,
    find_class,
    is_column_call,
    is_relationship_call,
    iter_attributes,
    preferred_quote,
    quoted,
    replace_statement,
)
from ._errors import NotApplicable
from ._imports import has_future_annotations, module_alias
from ._style import Speller, detect_style, uses_pipe_optional
from .add_fk_column import is_sqlmodel_table


def _relationship_callee(speller: Speller) -> str:
    """`db.relationship`, `sa.orm.relationship`, `so.relationship` or a bare (imported) `relationship`."""
    style = speller.style
    if style.prefix in ORM_MODULE_PREFIXES:
        return f"{style.prefix}.relationship"
    if style.namespace:
        if style.namespace == module_alias(speller.module, "sqlalchemy"):
            return f"{style.namespace}.orm.relationship"
        return f"{style.namespace}.relationship"
    return speller.orm("relationship")


def _insertion_index(classdef: cst.ClassDef) -> int:
    """After the last relationship, else after the last column, else at the end of the body."""
    found = list(iter_attributes(classdef))
    for kind in (is_relationship_call, is_column_call):
        matching = [each for each in found if kind(each.value)]
        if matching:
            return matching[-1].index + 1
    return len(class_body(classdef).body)


def _statement_code(
    module: cst.Module,
    speller: Speller,
    attribute: str,
    target: str,
    back_populates: str,
    collection: bool,
    secondary: str | None,
    sqlmodel: bool = False,
) -> str:
    quote = preferred_quote(module)
    if sqlmodel:  # SQLModel: `team: Optional["Team"] = Relationship(back_populates="heroes")`
        return _sqlmodel_statement(module, speller, quote, attribute, target, back_populates, collection, secondary)
    callee = _relationship_callee(speller)
    kwargs = [f"back_populates={quoted(back_populates, quote)}"]
    if secondary:
        kwargs.insert(0, f"secondary={quoted(secondary, quote)}")
    if speller.style.mapped is None:
        return f"{attribute} = {callee}({quoted(target, quote)}, {', '.join(kwargs)})"
    mapped = speller.orm(speller.style.mapped)
    inner = f"list[{quoted(target, quote)}]" if collection else quoted(target, quote)
    return f"{attribute}: {mapped}[{inner}] = {callee}({', '.join(kwargs)})"


def _sqlmodel_statement(
    module: cst.Module,
    speller: Speller,
    quote: str,
    attribute: str,
    target: str,
    back_populates: str,
    collection: bool,
    secondary: str | None,
) -> str:
    """SQLModel's spelling: a list or Optional annotation and ``Relationship()`` (the secondary table goes in
    ``sa_relationship_kwargs``)."""
    callee = speller._bare("sqlmodel", "Relationship")
    kwargs = [f"back_populates={quoted(back_populates, quote)}"]
    if secondary:
        kwargs.append(f"sa_relationship_kwargs={{{quoted('secondary', quote)}: {quoted(secondary, quote)}}}")
    if collection:
        annotation = f"list[{quoted(target, quote)}]"
    elif has_future_annotations(module) or uses_pipe_optional(module):
        annotation = f"{quoted(target, quote)} | None" if not has_future_annotations(module) else f"{target} | None"
    else:
        annotation = f"{speller.typing('Optional')}[{quoted(target, quote)}]"
    return f"{attribute}: {annotation} = {callee}({', '.join(kwargs)})"


def add_relationship(
    module: cst.Module,
    class_name: str,
    attribute: str,
    target: str,
    back_populates: str,
    collection: bool = False,
    secondary: str | None = None,
) -> cst.Module:
    """The module with ``attribute = relationship(target, back_populates=...)`` added to the class."""
    class_index, classdef = find_class(module, class_name)
    existing = find_attribute(classdef, attribute)
    if existing is not None:
        if call_kind(existing.value) in RELATIONSHIP_KINDS:
            return module
        raise NotApplicable(f"{class_name}.{attribute} already exists and is not a relationship")
    speller = Speller(module, detect_style(module, classdef))
    sqlmodel = is_sqlmodel_table(classdef)
    code = _statement_code(module, speller, attribute, target, back_populates, collection, secondary, sqlmodel)
    statement = cst.parse_statement(code + "\n", config=module.config_for_parsing)
    body = list(class_body(classdef).body)
    body.insert(_insertion_index(classdef), statement)
    module = replace_statement(module, class_index, classdef, body)
    return speller.add_imports(module)


apply = source_function(add_relationship)


COMMAND = Command(
    "AddRelationshipCommand",
    add_relationship,
    description="Add a relationship() (the back_populates twin) to a mapped class, in its style.",
    options={
        "class_name": "Mapped class that gets the relationship.",
        "attribute": "The new attribute, e.g. team.",
        "target": "The class it points at, e.g. Team.",
        "back_populates": "The relationship on the other side.",
        "collection": "A list (one-to-many side).",
        "secondary": "Association table name (many-to-many).",
    },
)
__getattr__, __dir__ = COMMAND.exports(globals())  # the libcst.tool command, made when asked for
