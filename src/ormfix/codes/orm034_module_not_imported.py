"""ORM034 module-not-imported: a relationship's target class lives in a module nothing imports."""

from __future__ import annotations

from ..index import ClassInfo, FileInfo, ProjectIndex
from ..probe.events import ProbeEvent
from ._facts import rel_label
from .base import Code, Explanation
from .orm002_unresolved_target import failed_to_locate, missing_name

DOC = """\
## What it is
`relationship("Invoice")` resolves the name among the classes *mapped so far*, and a class is mapped
only when its module runs. `Invoice` is defined in `models/invoice.py`, but nothing imports that module
(typically the models package's `__init__.py` lists every model module but this new one), so
`configure_mappers()` raises `InvalidRequestError: ... expression 'Invoice' failed to locate a name`,
exactly as if the class did not exist.

## Why it breaks
The lookup happens in `configure_mappers()`, before the first query; one failing mapper makes every
query on every model raise "One or more mappers failed to initialize". It often works in tests (which
import the module themselves) and fails in production.

## Example
```python
# models/__init__.py
from models.user import User          # ORM034: models/invoice.py is never imported

# models/user.py
class User(Base):
    invoices = relationship("Invoice", back_populates="user")
```

## Fixes
- `import-model-module` (safe): import the module from the models package's `__init__.py`, in the
  style it already uses (`from models.invoice import Invoice`, `from .invoice import Invoice` or
  `from . import invoice`).
- `comment-out` (unsafe: disables the relationship).
"""


def _target(event: ProbeEvent, index: ProjectIndex) -> ClassInfo | None:
    name = (missing_name(event) or "").rsplit(".", 1)[-1]
    found = [cls for cls in index.classes() if cls.name == name and cls.module]
    return found[0] if len(found) == 1 else None


def imported_by(index: ProjectIndex, module: str) -> list[str]:
    """Project files that import ``module`` (absolutely, or relatively from its own package)."""
    package, _, leaf = module.rpartition(".")
    hits = []
    for info in index.files.values():
        if info.module == module:
            continue
        here = info.module if info.path.endswith("__init__.py") else (info.module or "").rpartition(".")[0]
        for origin in info.imports.values():
            relative = origin.startswith(".")
            if (relative and here == package and origin.lstrip(".").split(".")[0] == leaf) or (
                not relative and (origin == module or origin.startswith(module + "."))
            ):
                hits.append(info.path)
                break
    return hits


def package_init(index: ProjectIndex, module: str) -> FileInfo | None:
    package = module.rpartition(".")[0]
    return next(
        (info for info in index.files.values() if info.module == package and info.path.endswith("__init__.py")), None
    )


def _matches_index(event: ProbeEvent, index: ProjectIndex) -> bool:
    target = _target(event, index)
    return target is not None and target.is_mapped and not imported_by(index, target.module or "")


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    target = _target(event, index)
    init = package_init(index, target.module or "") if target else None  # _target has a module
    name = target.name if target else missing_name(event)
    context = {"missing": name}
    if target is not None:
        context.update({"defined_in": target.file, "module": target.module, "init_file": init.path if init else None})
    return Explanation(
        message=(
            f"{rel_label(event)} = relationship({name!r}): class {name} is defined in "
            f"{target.file if target else '?'}:{target.line if target else '?'}, but no module imports "
            f"{target.module if target else 'it'}, so SQLAlchemy never maps it"
            + (f" (add it to {init.path})." if init else ".")
        ),
        why=(
            "SQLAlchemy resolves the name among the classes mapped so far; a module that is never imported "
            "maps nothing, so configure_mappers() fails, and with it every query on every model."
        ),
        target=name,
        context=context,
    )


CODE = Code(
    code="ORM034",
    name="module-not-imported",
    severity="error",
    summary="relationship() target defined in a module the models package never imports",
    doc=DOC,
    remedies=("import-model-module", "comment-out"),
    matches=failed_to_locate,
    explain=_explain,
    matches_index=_matches_index,
    # a class in a module nobody imports also "failed to locate a name"
    supersedes=("ORM002", "ORM018", "ORM038"),
)
