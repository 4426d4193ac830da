"""Import what planning fixes needs while the probe child imports the models.

``suggest`` and ``apply`` plan fixes with LibCST codemods (about 0.4 s to import) and render migration
SQL with SQLAlchemy's dialects; ``check`` needs neither. While the check probe runs, ormfix's own process
only waits for it, so it imports them then, module by module, for as long as the probe runs, in the same
thread (a second one would contend for the GIL with the work that follows the probe); what is left is
imported where it is first used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from .remedies import CATALOG


def modules(sql: bool = True) -> list[str]:
    """What planning imports, the costliest and most used first; ``sql``: SQLAlchemy's dialects too, which
    render the ALTER TABLE of a project without Alembic."""
    names = ["libcst", "ormfix.codemods._command"]
    names += sorted({f"ormfix.remedy.{remedy.module}" for remedy in CATALOG})
    return names + (["sqlalchemy", "sqlalchemy.dialects.postgresql", "sqlalchemy.dialects.sqlite"] if sql else [])


def load_while(busy: Callable[[], bool], sql: bool = True) -> None:
    """Import ``modules(sql)`` one by one while ``busy()`` (the probe still runs)."""
    for name in modules(sql):
        if not busy():
            return
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the real import later reports its own error
            pass
