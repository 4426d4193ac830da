"""ORM048 constraint-column-missing: a table constraint (``__table_args__``) names a column the class lacks."""

from __future__ import annotations

import re

from ..index import ProjectIndex
from ..probe.events import ProbeEvent
from ._class_level import class_context, event_class, where
from .base import Code, Explanation

DOC = """\
## What it is
A constraint in `__table_args__` (`UniqueConstraint("trial_id", "param_name")`, an `Index`, a
`CheckConstraint`...) names a column the class does not declare, typically a foreign-key column
deleted while the constraint stayed. The class statement raises
`ConstraintColumnNotFoundError: Can't create UniqueConstraint on table 'trial_params': no column named
'trial_id' is present.`

## Why it breaks
It is raised when the module is imported: the class does not exist, the module stops there, and
everything that imports it (the models package, the app) fails to start.

## Example
```python
class TrialParamModel(Base):
    __tablename__ = "trial_params"
    __table_args__ = (UniqueConstraint("trial_id", "param_name"),)  # ORM048: no trial_id column
    param_id = Column(Integer, primary_key=True)
    param_name = Column(String(512))
    trial = relationship(TrialModel, backref="params")
```

## Fixes
- `add-fk-column` (safe, schema change): when a relationship of the class is named after the missing
  column (`trial` for `trial_id`), the column is its foreign key: add it back, typed like the target's
  primary key (restored from git's `HEAD` when it was there). Otherwise no fix is offered: the
  constraint or the column needs a person.
"""

_MISSING = re.compile(r"Can't create (?P<kind>\w+) on table '(?P<table>[^']+)': no column named '(?P<column>[^']+)'")


def _matches(event: ProbeEvent) -> bool:
    return event.get("module", "").startswith("sqlalchemy") and bool(_MISSING.search(event.get("message", "")))


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    match = _MISSING.search(event.get("message", ""))
    column = match["column"] if match else "?"
    kind = match["kind"] if match else "constraint"
    cls = event_class(event, index)
    context = dict(class_context(cls), attribute=column, **({"class_line": cls.line} if cls else {}))
    owner = next((rel for rel in (cls.relationships.values() if cls else []) if f"{rel.attribute}_id" == column), None)
    target = index.find_class(owner.target) if owner and owner.target else None
    if cls is not None and owner is not None and target is not None and target.tablename:
        context.update(
            holder=cls.name,
            holder_module=cls.module,
            column=column,
            referenced=target.name,
            referenced_table=target.tablename,
            relationship=owner.attribute,
        )
    meant = f" (the foreign key of {cls.name}.{owner.attribute} to {target.name})" if target and owner and cls else ""
    return Explanation(
        message=(
            f"{where(cls, event)}: its {kind} names column {column!r}, which the class does not declare"
            f"{meant}; the class statement raises at import."
        ),
        why=(
            "SQLAlchemy builds the table's constraints when the class statement runs; a constraint over a missing "
            "column raises there, so the module never finishes importing."
        ),
        context=context,
    )


CODE = Code(
    code="ORM048",
    name="constraint-column-missing",
    severity="error",
    summary="a __table_args__ constraint names a column the class does not declare (raises at import)",
    doc=DOC,
    remedies=("add-fk-column",),
    matches=_matches,
    explain=_explain,
)


# Run as tests (tests/test_code_examples.py): each source is a whole models.py; the DOC's example appears in it.
_INVALID = """\
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class TrialModel(Base):
    __tablename__ = "trials"
    trial_id = Column(Integer, primary_key=True)


class TrialParamModel(Base):
    __tablename__ = "trial_params"
    __table_args__ = (UniqueConstraint("trial_id", "param_name"),)  # ORM048: no trial_id column
    param_id = Column(Integer, primary_key=True)
    param_name = Column(String(512))
    trial = relationship(TrialModel, backref="params")
"""
_FIXED = _INVALID.replace(
    "    param_name = Column(String(512))\n",
    '    param_name = Column(String(512))\n    trial_id = Column(Integer, ForeignKey("trials.trial_id"), nullable=True)\n',
)
EXAMPLES = {
    "invalid": [
        {
            "source": _INVALID,
            "code": "ORM048",
            "fixed": {
                "add-fk-column": _FIXED,
            },
        }
    ],
    "valid": [{"source": _FIXED}],  # the code as its first fix leaves it
}
