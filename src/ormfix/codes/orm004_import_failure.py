"""ORM004 import-failure: the models could not be imported at all."""

from __future__ import annotations

from .base import Code, Explanation
from ._facts import first_line

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


def _matches(event: dict) -> bool:
    return event.get("phase") == "import"


def _explain(event: dict, index) -> Explanation:
    kind = event.get("type", "Error")
    message = first_line(event.get("message", ""))
    if kind == "ProbeExit":
        text = f"the models called {message.replace(' called', '')} while being imported"
    elif kind == "SystemExit":
        text = f"the models called sys.exit({message}) while being imported"
    elif kind == "Timeout":
        text = message
    elif kind == "ModuleNotFoundError":
        text = f"{kind}: {message} (is ormfix using the project's interpreter? pass --python)"
    elif kind == "KeyError" and event.get("environ"):
        name = message.strip("'\"")
        text = f"environment variable {message} is not set (pass it with [tool.ormfix] env = [\"{name}\"])"
    else:
        text = f"{kind}: {message}" if message else kind
    return Explanation(
        message=f"The models failed to import: {text}.",
        why="ormfix imports the models the way the application does; this import fails before any mapper exists.",
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
