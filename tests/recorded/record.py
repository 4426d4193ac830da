"""Record (or compare) the text and JSON of `ormfix check` and `ormfix suggest` on every sample project and
fixture: the outputs issue 11's redesign must keep byte for byte.

    python tests/recorded/record.py            # rewrite tests/recorded/outputs/
    python tests/recorded/record.py --check    # exit 1 and name each output that differs

Timings ("1.7 s, 3 probe runs") vary between runs and the repository's folder between clones: both are masked.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = HERE / "outputs"
RUNS = (("check", "text"), ("check", "json"), ("suggest", "text"), ("suggest", "json"))
TIMING = re.compile(r"\(\d+(\.\d+)? s(?=[,)])")


def projects() -> list[Path]:
    found = [p for p in sorted((ROOT / "sample_projects").iterdir()) if p.is_dir()]
    found += [p for p in sorted((ROOT / "tests" / "fixtures").iterdir()) if p.is_dir()]
    return found


def run(project: Path, command: str, fmt: str) -> str:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", "TERM": "dumb"}
    env.pop("FORCE_COLOR", None)
    args = [sys.executable, "-m", "ormfix", command, str(project.relative_to(ROOT)), "--format", fmt]
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    text = TIMING.sub("(<time> s", done.stdout).replace(str(ROOT), "<repo>")  # JSON's absolute "path"
    return text + f"\n[exit {done.returncode}]\n"


def name_of(project: Path, command: str, fmt: str) -> str:
    kind = "sample" if project.parent.name == "sample_projects" else "fixture"
    return f"{kind}-{project.name}.{command}.{'txt' if fmt == 'text' else 'json'}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true", help="compare with the recording instead of writing it")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args()
    jobs = [(p, c, f) for p in projects() for c, f in RUNS]
    with ThreadPoolExecutor(args.jobs) as pool:
        outputs = list(pool.map(lambda job: (name_of(*job), run(*job)), jobs))
    OUT.mkdir(exist_ok=True)
    differ = []
    for name, text in outputs:
        path = OUT / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                differ.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(outputs)} outputs, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
