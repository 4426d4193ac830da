"""ORM030 fk-target-missing: a ``ForeignKey('table.col')`` names a table or column that does not exist."""

from __future__ import annotations

import difflib
import re

from ..index import ClassInfo, ProjectIndex
from ..probe.events import ProbeEvent
from ._spelling import foreign_key_call, relationship_construct
from .base import Code, Explanation
from .orm001_no_foreign_keys import fk_plan

DOC = """\
## What it is
`ForeignKey("authors.id")` names its target as `table.column`, by string. The table or the column
does not exist (usually a typo: `"author.id"` for `"authors.id"`, `"authors.uid"` for `"authors.id"`).
SQLAlchemy says so only when it needs the target: a missing column raises `NoReferencedColumnError`
when a relationship joins through it; a missing table makes the relationship raise
`NoForeignKeysError` ("no foreign keys linking these tables"), which names the symptom, not the
cause; without a relationship, `create_all()` raises `NoReferencedTableError`.

## Why it breaks
The relationship that should join through the column cannot find a join condition, so
`configure_mappers()` fails, and with it every query on every model. Adding a second FK column (what
the `NoForeignKeysError` message suggests) would hide the typo and leave a column that never works.

## Example
```python
class Post(db.Model):
    __tablename__ = "posts"
    id = db.Column(db.Integer, primary_key=True)
    campaign_id = db.Column(db.Integer, db.ForeignKey("campaign.id"))  # ORM030: the table is "campaigns"
```

## Fixes
- `fix-fk-target` (unsafe: a did-you-mean guess): replace the target with the closest existing
  `table.column` of the project (offered only when one is close; never a blind guess). The database
  needs the corrected foreign key constraint too.
Commenting out the relationship is not offered: the misspelled ForeignKey would still break
`create_all()` and migrations.
"""

_COLUMN_ERROR = re.compile(r"ForeignKey '(?P<target>[^']+)' on table '(?P<table>[^']+)'")
_TABLE_ERROR = re.compile(r"column '(?P<table>[^'.]+)\.(?P<column>[^']+)' could not find table '(?P<missing>[^']+)'")
_TYPES = {"NoReferencedColumnError", "NoReferencedTableError"}


def _matches(event: ProbeEvent) -> bool:
    return event.get("type") in _TYPES | {"NoForeignKeysError"}


def _matches_index(event: ProbeEvent, index: ProjectIndex) -> bool:
    """A NoForeignKeysError is this code only when a FK of the pair names a misspelled table."""
    return event.get("type") in _TYPES or "misspelled_fk" in fk_plan(event, index)


def tables(index: ProjectIndex) -> dict[str, ClassInfo]:
    return {cls.tablename: cls for cls in index.mapped_classes() if cls.tablename}


def column_names(cls: ClassInfo) -> list[str]:
    return [col.column_name or col.attribute for col in cls.columns.values()]


def suggest_target(
    target: str, index: ProjectIndex, column: str | None = None, meant_class: str | None = None
) -> str | None:
    """The existing ``table.column`` closest to ``target``, when the evidence picks one (did-you-mean).

    Among the close table names, the table of the class the relationship targets (``meant_class``)
    wins, then the table the column's name points at (``author_id`` -> ``authors``); otherwise the
    closest one, but only when no other is as close: a tie is a blind guess, so no suggestion."""
    table, _, column_part = target.rpartition(".")
    known = tables(index)
    if table not in known:
        close = difflib.get_close_matches(table, list(known), n=5, cutoff=0.75)
        if not close:
            return None
        picked = _pick_table(table, close, known, index, column, meant_class)
        if picked is None:
            return None
        table = picked
    columns = column_names(known[table])
    if column_part not in columns:
        close = difflib.get_close_matches(column_part, columns, n=1, cutoff=0.6)
        if not close:
            return None
        column_part = close[0]
    return f"{table}.{column_part}"


def _pick_table(
    written: str,
    close: list[str],
    known: dict[str, ClassInfo],
    index: ProjectIndex,
    column: str | None,
    meant_class: str | None,
) -> str | None:
    meant = index.find_class(meant_class) if meant_class else None
    if meant is not None and meant.tablename in close:
        return meant.tablename
    stem = (column or "").removesuffix("_id").lower()
    if stem:
        named = [
            t
            for t in close
            if t.lower() in (stem, stem + "s", stem + "es") or (known[t].name.lower() == stem.replace("_", ""))
        ]
        if len(named) == 1:
            return named[0]
    ratio = lambda name: difflib.SequenceMatcher(None, written, name).ratio()  # noqa: E731
    if len(close) > 1 and ratio(close[0]) == ratio(close[1]):
        return None
    return close[0]


def _bad_fk(event: ProbeEvent, index: ProjectIndex) -> tuple[ClassInfo | None, str | None, str | None]:
    """(class holding the column, column attribute, the ForeignKey target as written)."""
    message = event.get("message", "")
    if event.get("type") == "NoForeignKeysError":
        plan = fk_plan(event, index)
        bad = plan["misspelled_fk"]
        return index.find_class(plan["holder"], plan.get("holder_module")), bad["column"], bad["target"]
    found = _COLUMN_ERROR.search(message)
    if found:
        holder, target = tables(index).get(found["table"]), found["target"]
    else:
        found = _TABLE_ERROR.search(message)
        if not found:
            return None, None, None
        holder = tables(index).get(found["table"])
        target = next(
            (
                fk
                for col in (holder.columns.values() if holder else [])
                for fk in col.foreign_keys
                if (col.column_name or col.attribute) == found["column"]
            ),
            None,
        )
    for col in holder.columns.values() if holder else []:
        if target in col.foreign_keys:
            return holder, col.attribute, target
    return holder, None, target


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    holder, column, target = _bad_fk(event, index)
    suggestion = suggest_target(target, index, column, event.get("target")) if target else None
    context = {
        "holder": holder.name if holder else None,
        "holder_module": holder.module if holder else None,
        "column": column,
        "bad_target": target,
        "suggestion": suggestion,
        "root_cause": f"{holder.name if holder else None}.{column}:{target}",
    }
    where = f"{holder.name}.{column}" if holder and column else "a column"
    table = (target or "?").rpartition(".")[0]
    missing = (
        f"there is no table {table!r}"
        if table not in tables(index)
        else f"table {table!r} has no column {(target or '').rpartition('.')[2]!r}"
    )
    hint = f" (did you mean {suggestion!r}?)" if suggestion else ""
    holder_sqlmodel = bool(holder and holder.sqlmodel_table)
    cause = f"{where} has {foreign_key_call(holder_sqlmodel, repr(target))}, but {missing}{hint}"
    if event.get("attribute"):
        message = f"{relationship_construct(event, index, repr(event.get('target')))} cannot join: {cause}."
    else:
        message = f"{cause}."
    why = (
        "SQLAlchemy resolves a ForeignKey's 'table.column' string when it first needs it; a target "
        "that does not exist leaves the relationship with no join condition, so configure_mappers() "
        "fails, and with it every query on every model."
    )
    if event.get("phase") == "create_all":
        why = (
            "SQLAlchemy resolves a ForeignKey's 'table.column' string when it first needs it: "
            "metadata.create_all(), a migration autogenerate, or the first relationship that joins "
            "through the column fail on it."
        )
    return Explanation(
        message=message,
        why=why,
        target=event.get("target"),
        context=context,
    )


CODE = Code(
    code="ORM030",
    name="fk-target-missing",
    severity="error",
    summary="ForeignKey('table.col') names a table or column that does not exist",
    doc=DOC,
    remedies=("fix-fk-target",),
    matches=_matches,
    explain=_explain,
    matches_index=_matches_index,
    # a misspelled ForeignKey target leaves no foreign key: the cause of that NoForeignKeysError
    supersedes=("ORM001",),
)

# Run as tests (tests/test_code_examples.py): each source is a whole models.py; the DOC's example appears in it.
_INVALID = """\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Campaign(db.Model):
    __tablename__ = "campaigns"
    id = db.Column(db.Integer, primary_key=True)


class Post(db.Model):
    __tablename__ = "posts"
    id = db.Column(db.Integer, primary_key=True)
    campaign_id = db.Column(db.Integer, db.ForeignKey("campaign.id"))  # ORM030: the table is "campaigns"
"""
_FIXED = _INVALID.replace('ForeignKey("campaign.id")', 'ForeignKey("campaigns.id")')
EXAMPLES = {
    "invalid": [
        {
            "source": _INVALID,
            "code": "ORM030",
            "fixed": {
                "fix-fk-target": _FIXED,
            },
        }
    ],
    "valid": [{"source": _FIXED}],  # the code as its safe fix leaves it
}
