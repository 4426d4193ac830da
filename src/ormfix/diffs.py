"""Unified diffs that `git apply` and `patch -p1` accept (a/ b/ prefixes, missing final newline marked)."""

from __future__ import annotations

import difflib
import functools

NO_NEWLINE = "\\ No newline at end of file\n"


def unified_diff(path: str, before: str, after: str, context: int = 3) -> str:
    old = before.splitlines(keepends=True)
    new = after.splitlines(keepends=True)
    lines = []
    for line in difflib.unified_diff(old, new, f"a/{path}", f"b/{path}", n=context):
        if line.endswith("\n"):
            lines.append(line)
        else:  # the file's last line has no newline: git's marker follows it
            lines.append(line + "\n" + NO_NEWLINE)
    return "".join(lines)


@functools.lru_cache(maxsize=256)  # verification asks it per (fix, diagnosis after the probe)
def changed_lines(before: str, after: str) -> frozenset[int]:
    """1-based line numbers in ``after`` that the change added or modified."""
    matcher = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False)
    changed: set[int] = set()
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            changed.update(range(j1 + 1, j2 + 1))
        elif tag == "delete":
            changed.add(j1 + 1)
    return frozenset(changed)
