"""ormfix: find, fix and verify broken SQLAlchemy model mappings.

``ormfix.check``, ``ormfix.suggest`` and ``ormfix.apply`` (see ``ormfix.api``) load on first use, so that
``import ormfix`` (the pytest plugin, the console script) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Report", "UsageError", "apply", "check", "suggest"]

if TYPE_CHECKING:
    from .api import Report, UsageError, apply, check, suggest


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'ormfix' has no attribute {name!r}")
