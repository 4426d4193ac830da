"""What the probe child reports, as the parent reads it: one ``ProbeEvent`` per import error, configure error
or warning, and the records beside them.

The child (child.py, ormfix_probe_*.py) writes plain JSON; these types name every key it writes and every key
the parent adds on the way to a diagnosis (``phase``, ``class_line``, ``severity``, ...). Every key is optional:
which ones an event has depends on where it came from.
"""

from __future__ import annotations

from typing import TypedDict


class Frame(TypedDict):
    """One traceback frame (outermost first in an event's ``frames``; innermost first in a hang's)."""

    file: str
    line: int
    function: str


MappedElsewhere = TypedDict(
    "MappedElsewhere",
    {
        "class": str,
        "module": str,
        "size": int,  # how many classes that other registry maps
        "owner_size": int,  # how many the failing relationship's registry maps
    },
)

ProbeEvent = TypedDict(
    "ProbeEvent",
    {
        # the exception or warning (describe() in ormfix_probe_imports.py, record_warnings())
        "type": str,
        "module": str,  # the exception's or warning category's module ("sqlalchemy.exc", "builtins")
        "message": str,
        "frames": list[Frame],
        "file": str,  # a warning's file and line
        "line": int,
        # where it happened: import | class | configure | create_all | use | flush
        "phase": str,
        "import": str,  # the module being imported
        "recovered": str,  # "without-statement": the class was built again without the statement that raised
        # the relationship (relationship_record() in ormfix_probe_mappers.py)
        "class": str | None,
        "class_module": str | None,
        "attribute": str,
        "parent_table": str | None,
        "target": str | None,
        "target_class": str,
        "target_module": str,
        "target_table": str | None,
        "back_populates": str | None,
        "backref": str | None,
        "secondary": str | None,
        "mapped_elsewhere": list[MappedElsewhere],  # "failed to locate a name": the class on another base
        "partner_back_populates": str | None,  # a back_populates pair that is not mutual (first use)
        # a ForeignKey whose target does not exist (create_all)
        "table": str,
        "column": str,
        "fk_target": str,
        "column_attribute": str,
        # rows of two tables pointing at each other (flush)
        "nullable": bool,
        "cycle_class": str,
        "cycle_attribute": str,
        # added by the parent
        "class_line": int,
        "severity": str,  # "warning" for a warning
        "environ": bool,  # a KeyError from os.environ[...]
        "python_given": bool,  # the interpreter was named (--python or [tool.ormfix] python)
        "codes": list[str],  # ORM090: the unused codes of a suppression comment
    },
    total=False,
)

ClassRecord = TypedDict(
    "ClassRecord",
    {"class": str, "module": str, "table": str | None, "schema": str | None, "registry": int},
)


# a round trip through a relationship on SQLite (ormfix_probe_objects.roundtrip) with what was asked
Roundtrip = TypedDict(
    "Roundtrip",
    {"status": str, "detail": str, "module": str, "class": str, "attribute": str},  # status: passed | failed | skipped
    total=False,
)


__all__ = ["ClassRecord", "Frame", "MappedElsewhere", "ProbeEvent", "Roundtrip"]
