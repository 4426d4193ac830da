"""Record (or compare) which codes claim each probe event of `ormfix check` on every sample and fixture: for each
event classify() sees, the codes whose matchers accept it and the code chosen. tests/test_registry.py checks that
the registry's matching order (``supersedes=``) still chooses that code wherever several codes claim one event.

    python tests/recorded/record_matching.py            # rewrite tests/recorded/matching.json (about 3 minutes)
    python tests/recorded/record_matching.py --check    # exit 1 when a chosen code or a claim differs
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import ormfix
from ormfix import codes
from ormfix.index import ProjectIndex

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = HERE / "matching.json"


def claims(event: dict, index: ProjectIndex | None) -> list[str]:
    """Every code whose matchers accept ``event``, by number (ORM000 and ORM004 are never matched)."""
    return [
        code.code
        for code in codes.ALL
        if code is not codes.FALLBACK
        and code is not codes.IMPORT_FAILURE
        and code.matches(event)
        and (code.matches_index is None or (index is not None and code.matches_index(event, index)))
    ]


def record() -> list[dict]:
    seen: list[dict] = []
    classify = codes.classify
    project = ""

    def recording(event: dict, index: ProjectIndex | None = None) -> codes.Code:
        chosen = classify(event, index)
        message = str(event.get("message", "")).splitlines()[0][:100] if event.get("message") else ""
        seen.append(
            {
                "project": project,
                "event": f"{event.get('type')}: {message}",
                "claims": claims(event, index),
                "code": chosen.code,
            }
        )
        return chosen

    codes.classify = recording  # diagnose.py calls codes.classify(...) through the module
    try:
        for path in [*sorted((ROOT / "sample_projects").iterdir()), *sorted((ROOT / "tests" / "fixtures").iterdir())]:
            if path.is_dir():
                project = path.relative_to(ROOT).as_posix()
                ormfix.check(path)
    finally:
        codes.classify = classify
    return seen


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true", help="compare with the recording instead of writing it")
    args = parser.parse_args()
    seen = record()
    text = json.dumps(seen, indent=1) + "\n"
    if args.check:
        same = OUT.read_text(encoding="utf-8") == text
        print("matching.json: same" if same else "matching.json: differs", file=sys.stderr)
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"{len(seen)} events recorded in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
