"""The `ormfix` command's entry point: Ctrl-C while ormfix itself is still loading ends it quietly."""

import sys


def main() -> None:
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        print("ormfix: interrupted", file=sys.stderr)
        sys.exit(130)
    run()
