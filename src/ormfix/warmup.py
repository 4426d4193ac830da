"""Import what planning fixes needs while the probe child imports the models.

``suggest`` and ``apply`` plan fixes with LibCST codemods (about 0.7 s to import) and render migration
SQL with SQLAlchemy's dialects; ``check`` needs neither. During the first probe the parent process only
waits for its child, so a background thread imports them then, off the critical path.
"""

from __future__ import annotations

import importlib
import threading

from .remedies import CATALOG

_started: threading.Thread | None = None


def _import_all() -> None:
    names = [f"ormfix.remedy.{remedy.module}" for remedy in CATALOG]
    names += ["sqlalchemy", "sqlalchemy.dialects.postgresql", "sqlalchemy.dialects.sqlite"]
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the real import later reports its own error
            pass


def start() -> None:
    """Start importing in a daemon thread (once per process)."""
    global _started
    if _started is None:
        _started = threading.Thread(target=_import_all, name="ormfix-warmup", daemon=True)
        _started.start()
