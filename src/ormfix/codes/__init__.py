"""The registry of diagnosis codes: one module per code (``ormNNN_name.py``, each with its doc, matcher, explanation
and ``CODE``), found by listing this package; nothing else names them.

A code that refines another (its events also match the other's matcher) says so with ``supersedes=``; the matching
order is a stable topological sort of those declarations, ties by code number.
"""

from __future__ import annotations

import difflib
import heapq
import importlib
import pkgutil
import re

from ..index import ProjectIndex
from ..probe.events import ProbeEvent
from .base import Code, Explanation, RegistryError

_MODULE = re.compile(r"orm(\d{3})_\w+")


def find_codes() -> list[Code]:
    """The ``CODE`` of every ``ormNNN_*`` module of this package, by code number."""
    found: dict[str, Code] = {}
    for module in pkgutil.iter_modules(__path__):
        named = _MODULE.fullmatch(module.name)
        if named is None:
            continue
        code = importlib.import_module(f"{__name__}.{module.name}").CODE
        if code.code != f"ORM{named[1]}":
            raise RegistryError(f"ormfix.codes.{module.name} declares {code.code}: its module name says ORM{named[1]}")
        if code.code in found:
            raise RegistryError(f"ormfix.codes: two modules declare {code.code}")
        found[code.code] = code
    return sorted(found.values(), key=lambda code: code.code)


def matching_order(registry: list[Code]) -> list[Code]:
    """``registry`` ordered so that each code comes before the codes it supersedes (ties by code number)."""
    by_code = {code.code: code for code in registry}
    before: dict[str, set[str]] = {code.code: set() for code in registry}  # code -> codes that supersede it
    for code in registry:
        for other in code.supersedes:
            if other not in by_code:
                raise RegistryError(f"{code.code} supersedes {other}, which no module of ormfix.codes declares")
            before[other].add(code.code)
    ready = [name for name, waits in before.items() if not waits]
    heapq.heapify(ready)
    order: list[Code] = []
    while ready:
        name = heapq.heappop(ready)
        order.append(by_code[name])
        for other in by_code[name].supersedes:
            before[other].discard(name)
            if not before[other]:
                heapq.heappush(ready, other)
    if len(order) < len(registry):
        stuck = sorted(name for name, waits in before.items() if waits)
        raise RegistryError(f"ormfix.codes: supersedes= makes a cycle among {', '.join(stuck)}")
    return order


ALL: list[Code] = find_codes()  # every code, by number: what `ormfix codes`, SARIF and JUnit list
MATCHING: list[Code] = matching_order(ALL)  # the order classify() tries them in
BY_CODE = {code.code: code for code in ALL}
BY_NAME = {code.name: code for code in ALL}
IMPORT_FAILURE = BY_CODE["ORM004"]
FALLBACK = BY_CODE["ORM000"]
UNUSED_SUPPRESSION = BY_CODE["ORM090"]


def lookup(text: str) -> Code | None:
    """A code by its number (ORM001, orm1) or its name (no-foreign-keys)."""
    key = text.strip()
    if key.lower() in BY_NAME:
        return BY_NAME[key.lower()]
    upper = key.upper()
    if upper.startswith("ORM") and upper[3:].isdigit():
        upper = f"ORM{int(upper[3:]):03d}"
    return BY_CODE.get(upper)


def unknown_pattern(pattern: str) -> str | None:
    """None when ``pattern`` names a code, a name or a prefix of codes (ORM00); else a one-line reason with a
    did-you-mean."""
    text = pattern.strip()
    if text.lower() in BY_NAME or any(code.code.startswith(text.upper()) for code in ALL):
        return None
    words = [code.code for code in ALL] + [code.name for code in ALL]
    close = difflib.get_close_matches(text.upper() if text.upper().startswith("ORM") else text.lower(), words, n=1)
    hint = f" (did you mean {close[0]}?)" if close else " (`ormfix codes` lists them)"
    return f"unknown code {text!r}{hint}"


def check_patterns(patterns: list[str], where: str) -> list[str]:
    """``patterns`` unchanged when each names a code (see unknown_pattern); else a usage error naming ``where``."""
    from ..errors import UsageError  # errors imports nothing; here to keep this module's imports the codes'

    for pattern in patterns:
        reason = unknown_pattern(pattern)
        if reason is not None:
            raise UsageError(f"{where}: {reason}")
    return patterns


def classify(event: ProbeEvent, index: ProjectIndex | None = None) -> Code:
    """The code for a configure-time error or warning from the probe (``index``: the static index): the first in
    the matching order whose matchers accept it; ORM000 when none does (ORM004 is made from import failures)."""
    for code in MATCHING:
        if (
            code is not FALLBACK
            and code is not IMPORT_FAILURE
            and code.matches(event)
            and (code.matches_index is None or (index is not None and code.matches_index(event, index)))
        ):
            return code
    return FALLBACK


__all__ = [
    "ALL",
    "BY_CODE",
    "Code",
    "Explanation",
    "FALLBACK",
    "IMPORT_FAILURE",
    "MATCHING",
    "RegistryError",
    "UNUSED_SUPPRESSION",
    "check_patterns",
    "classify",
    "lookup",
    "unknown_pattern",
]
