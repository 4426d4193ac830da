"""ORM004 import-failure: the models could not be imported at all."""

from __future__ import annotations

import re

from ..index import ProjectIndex
from ..probe.events import ProbeEvent
from ._facts import first_line
from .base import Code, Explanation

DOC = """\
## What it is
Importing the models package failed before SQLAlchemy could configure anything: a syntax error, a
file that is not valid UTF-8 (or its declared encoding), an exception raised at import, `sys.exit()`
or `os._exit()` at import, an import that never finishes, a missing package or environment variable.
ormfix reports the file and line where the import failed and the error's one-line message.

## Why it breaks
The application imports the same models at start-up and fails the same way. ormfix cannot check the
mappings of models it cannot import; everything else it would report waits behind this.

## Example
```python
# models/settings.py
DATABASE_URL = os.environ["DATABASE_URL"]  # ORM004 when the variable is not set
```

## Fixes
None automatic: fix the line shown. When the models need an environment variable at import, pass
it to the probe with `[tool.ormfix] env = ["DATABASE_URL"]` (or `NAME=value`); when they need a
package, run ormfix with the project's interpreter (`--python .venv/bin/python`, or activate its
virtualenv).
"""


def _matches(event: ProbeEvent) -> bool:
    return event.get("phase") == "import"


def _explain(event: ProbeEvent, index: ProjectIndex) -> Explanation:
    kind = event.get("type", "Error")
    message = first_line(event.get("message", ""))
    if kind == "ProbeExit":
        text = f"the models called {message.replace(' called', '')} while being imported"
    elif kind == "SystemExit":
        text = f"the models called sys.exit({message}) while being imported"
    elif kind == "Timeout":
        text = message
    elif kind == "ModuleNotFoundError" and _own_module(message, index):
        text = (
            f"{kind}: {message} (a module of the project itself: is it imported the way the application "
            "imports it? name the models with [tool.ormfix] models)"
        )
    elif kind == "ModuleNotFoundError" and event.get("python_given"):
        text = f"{kind}: {message} (not installed in the interpreter ormfix was given)"
    elif kind == "ModuleNotFoundError":
        text = f"{kind}: {message} (is ormfix using the project's interpreter? pass --python)"
    elif kind == "KeyError" and event.get("environ"):
        name = message.strip("'\"")
        text = f'environment variable {message} is not set (pass it with [tool.ormfix] env = ["{name}"])'
    elif names := missing_settings(event.get("message", "")):
        listed = ", ".join(f'"{name}"' for name in names)
        text = (
            f"{kind}: the settings need {', '.join(names)} (not set in the environment; pass "
            f"{'it' if len(names) == 1 else 'them'} with [tool.ormfix] env = [{listed}])"
        )
    else:
        text = f"{kind}: {message}" if message else kind
    return Explanation(
        message=f"The models failed to import: {text}.",
        why="ormfix imports the models the way the application does; this import fails before any mapper exists.",
    )


_SETTINGS_FIELD = re.compile(r"^(?P<name>[A-Za-z_][\w.]*)\n\s+Field required", re.MULTILINE)
_ENV_WORDS = re.compile(r"environment variables?|env(?:ironment)? vars?|not set|missing", re.IGNORECASE)
_ENV_NAME = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")


def missing_settings(message: str) -> list[str]:
    """The environment variables a settings object at import said it misses: pydantic-settings'
    "N validation errors for Settings / database_url / Field required", or a message naming
    UPPER_CASE variables as missing or not set."""
    fields = _SETTINGS_FIELD.findall(message)
    if fields and "validation error" in message:
        return list(dict.fromkeys(name.upper() for name in fields))
    if _ENV_WORDS.search(message):
        return list(dict.fromkeys(_ENV_NAME.findall(message)))
    return []


def _own_module(message: str, index: ProjectIndex) -> bool:
    """Whether "No module named 'x'" names a package of the project itself."""
    found = re.search(r"No module named '([^']+)'", message)
    if not found or index is None:
        return False
    top = found.group(1).split(".")[0]
    return any(
        (info.module or "").split(".")[0] == top or info.path.split("/")[0] == top for info in index.files.values()
    )


CODE = Code(
    code="ORM004",
    name="import-failure",
    severity="error",
    summary="The models cannot be imported (syntax error, exception, exit or hang at import)",
    doc=DOC,
    remedies=(),
    matches=_matches,
    explain=_explain,
)
