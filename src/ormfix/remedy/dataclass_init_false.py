"""dataclass-init-false: ``init=False`` on the fields without a default that follow one with a default."""

from __future__ import annotations

from ..discover import Project
from ..findings import Diagnosis, Fix
from ..remedies import strategy_of
from ._dataclass_fields import out_of_order
from ._field_keyword import field_keyword_fix

STRATEGY = strategy_of(__name__)


def plan(diagnosis: Diagnosis, project: Project) -> Fix:
    return field_keyword_fix(
        diagnosis,
        project,
        STRATEGY,
        "init",
        "False",
        out_of_order,
        lambda name, fields: (
            f"Take {', '.join(fields)} out of {name}'s constructor (init=False): set "
            f"{'them' if len(fields) > 1 else 'it'} after creating the object; calls passing "
            f"{'them' if len(fields) > 1 else 'it'} to {name}(...) break"
        ),
    )
