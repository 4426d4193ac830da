"""The `ormfix` command's entry point: Ctrl-C while ormfix itself is still loading ends it quietly.

The check probe's process starts before the command line loads (early.py).

When the command is done, the scratch copies and any waiting probe process are removed (the atexit
hooks, run here in their order) and the process ends without the interpreter's teardown, which only
frees memory (LibCST trees, SQLAlchemy's dialects) the ending process gives back anyway, as mypy does.
"""

import atexit
import os
import sys


def main() -> None:
    try:
        from . import early

        early.start(sys.argv[1:])  # the probe child imports SQLAlchemy while the command line loads
        from .cli import main as run
    except KeyboardInterrupt:
        print("ormfix: interrupted", file=sys.stderr)
        sys.exit(130)
    try:
        run()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if code is not None and not isinstance(code, int):  # sys.exit("message"): printed as the interpreter would
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`ormfix ... | head`): nothing more to say
            pass
    os._exit(code or 0)
