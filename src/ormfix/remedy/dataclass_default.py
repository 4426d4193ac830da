"""dataclass-default: ``default=None`` on the fields without a default that follow one with a default."""

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
        "default",
        "None",
        out_of_order,
        lambda name, fields: (
            f"Give {', '.join(fields)} default=None in {name}: the constructor no longer "
            "requires them; a NOT NULL column then fails at INSERT unless the code sets it"
        ),
    )
