"""ORM090 unused-suppression: an inline ``# ormfix: ignore[...]`` that suppresses nothing (like ruff's RUF100)."""

from __future__ import annotations

from ..index import ProjectIndex
from ..probe.events import ProbeEvent
from .base import Code, Explanation

DOC = """\
## What it is
An inline `# ormfix: ignore` (or `# ormfix: ignore[ORM001]`) comment on a line where ormfix found no
diagnosis it suppresses: the problem was fixed, moved to another line, or the comment lists the wrong
code. ormfix reports it only when the models imported and configured far enough to know (the probe
finished); a comment that lists several codes is reported for the codes that suppressed nothing.

## Why it breaks
A stale suppression hides the next real problem on that line: when the relationship breaks again, nobody
is told. `--fail-level warning` (or `fail-level = "warning"` in `[tool.ormfix]`) makes it fail the gate.

## Example
```python
class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    author_id = Column(ForeignKey("users.id"))
    author = relationship("User")  # ormfix: ignore[ORM001]   <- the join is fine now
```

## Fixes
None automatic: delete the comment, or the codes in it that no longer apply. `--ignore ORM090` turns the
check off.
"""


def _matches(event: ProbeEvent) -> bool:
    return False  # made by suppress.py from the comments, never from a probe event


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    listed = event.get("codes") or []
    what = f"ignore[{', '.join(listed)}]" if listed else "ignore"
    return Explanation(
        message=f"unused suppression `# ormfix: {what}`: no diagnosis on this statement is suppressed by it",
        why="A stale suppression hides the next real problem on this statement; delete it.",
    )


CODE = Code(
    code="ORM090",
    name="unused-suppression",
    severity="warning",
    summary="an inline `# ormfix: ignore` comment that suppresses nothing",
    doc=DOC,
    remedies=(),
    matches=_matches,
    explain=_explain,
)
