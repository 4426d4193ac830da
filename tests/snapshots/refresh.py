"""Refresh the probe recordings and the plan snapshots of every fixture and sample project.

    python tests/snapshots/refresh.py                # run the real probe on each, then rewrite the snapshots
    python tests/snapshots/refresh.py --plans-only   # keep the recordings; rewrite the snapshots from them
    python tests/snapshots/refresh.py orm001 sample  # only the projects whose name contains one of these

Review the change with `git diff tests/snapshots/` before committing it: a snapshot is an expected result.
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import replay  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("only", nargs="*", help="substrings of the project names to refresh (default: all)")
    parser.add_argument("--plans-only", action="store_true", help="rewrite the snapshots from the recordings")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="probes at once")
    args = parser.parse_args()
    names = [n for n in replay.projects() if not args.only or any(part in n for part in args.only)]
    if not args.plans_only:
        replay.RECORDINGS.mkdir(parents=True, exist_ok=True)
        with ThreadPoolExecutor(args.jobs) as pool:
            recordings = list(pool.map(replay.probe, names))
        for name, recording in zip(names, recordings):
            text = json.dumps(recording, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
            replay.recording_path(name).write_text(text, encoding="utf-8")
    replay.PLANS.mkdir(parents=True, exist_ok=True)
    for name in names:
        replay.snapshot_path(name).write_text(replay.render(replay.replay(name)), encoding="utf-8")
    print(f"{len(names)} project(s): {'snapshots' if args.plans_only else 'recordings and snapshots'} written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
