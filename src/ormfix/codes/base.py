"""What every diagnosis code carries: identity, documentation, a matcher, a describer, remedies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..findings import Severity
from ..index import ProjectIndex
from ..probe.events import ProbeEvent


@dataclass(frozen=True)
class Explanation:
    message: str  # what broke, in one sentence, naming the construct
    why: str  # why SQLAlchemy refuses it (and why every query fails)
    target: str | None = None
    context: dict[str, Any] = field(default_factory=dict)  # facts the remedies use (columns found, candidates, ...)


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    severity: Severity
    summary: str
    doc: str  # what it is / why it breaks / example / fixes and their safety
    remedies: tuple[str, ...]  # strategy names, best first
    matches: Callable[[ProbeEvent], bool]  # a probe event -> is it this code?
    explain: Callable[[ProbeEvent, ProjectIndex], Explanation]
    # an extra test against the static index (root causes the runtime message cannot tell apart)
    matches_index: Callable[[ProbeEvent, ProjectIndex], bool] | None = None
    # codes this one is tried before: it refines them (their matchers also accept its events)
    supersedes: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return f"{self.code} {self.name}"


class RegistryError(Exception):
    """The code modules do not make a registry: a duplicate code, an unknown or cyclic ``supersedes``."""
