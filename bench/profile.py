"""Where ormfix's time goes: cProfile of the parent process (check, suggest) and of the probe child.

    python bench/profile.py [--models 1000] [--faults 50] [--top 25] [--keep DIR]
    python bench/profile.py --app mapped [--models 48] [--faults 5]   # an app-shaped tree (app_tree.py)

Profiles are written next to the generated package (``*.prof``, readable with ``python -m pstats``);
the top functions by cumulative and by own time are printed.
"""

from __future__ import annotations

import argparse
import io
import json
import pstats
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from app_tree import STYLES, generate_app  # noqa: E402
from generate import generate  # noqa: E402
from run import find_ormfix, interpreter_of  # noqa: E402

# Runs probe/child.py under cProfile; the child ends with os._exit(), so the profile is dumped there.
CHILD_WRAPPER = """\
import cProfile, os, runpy, sys
out, child = sys.argv[1], sys.argv[2]
profile, real_exit = cProfile.Profile(), os._exit
def finish(code=0):
    profile.disable()
    profile.dump_stats(out)
    real_exit(code)
os._exit = finish
sys.argv = sys.argv[2:]
profile.enable()
runpy.run_path(child, run_name="__main__")
"""


def top(path: Path, sort: str, count: int) -> str:
    stream = io.StringIO()
    stats = pstats.Stats(str(path), stream=stream)
    stats.sort_stats(sort).print_stats(count)
    text = stream.getvalue()
    return text[text.index("   ncalls") :] if "   ncalls" in text else text


def profile_parent(ormfix: str, python: str, command: str, root: Path, out: Path) -> None:
    subprocess.run(
        [
            python,
            "-m",
            "cProfile",
            "-o",
            str(out),
            ormfix,
            command,
            str(root),
            "--python",
            python,
            "--timeout",
            "900",
            "--format",
            "json",
        ],
        stdout=subprocess.DEVNULL,
        check=False,
    )


def profile_child(python: str, root: Path, out: Path) -> None:
    """The probe child alone, on a scratch copy, with the request ormfix's runner would write."""
    from ormfix.config import load_settings
    from ormfix.discover import discover
    from ormfix.probe.runner import CHILD, make_scratch

    project = discover(root, load_settings(root), python=python, timeout=900)
    scratch = make_scratch(project)
    try:
        copy = scratch / "project"
        request = {
            "roots": [str(copy / r.relative_to(project.base)) for r in project.roots],
            "modules": project.modules,
            "timeout": 900,
            "hang_file": str(scratch / "hang.txt"),
            "roundtrip": [],
        }
        (scratch / "request.json").write_text(json.dumps(request))
        wrapper = scratch / "profile_child.py"
        wrapper.write_text(CHILD_WRAPPER)
        subprocess.run(
            [
                python,
                "-B",
                str(wrapper),
                str(out),
                str(CHILD),
                str(scratch / "request.json"),
                str(scratch / "result.json"),
            ],
            cwd=scratch / "work",
            check=False,
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", "-n", type=int, default=1000)
    parser.add_argument("--faults", "-k", type=int, default=50)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--commands", default="check,suggest,child")
    parser.add_argument("--app", choices=STYLES, help="profile an app-shaped tree of this style instead")
    args = parser.parse_args()
    ormfix = find_ormfix()
    python = interpreter_of(ormfix)
    work = args.keep or Path(tempfile.mkdtemp(prefix="ormfix-profile-"))
    root = work / f"{args.app or 'n'}{args.models}_k{args.faults}"
    if args.app:
        generate_app(root, args.app, args.models, args.faults)
    else:
        generate(root, args.models, args.faults)
    for command in args.commands.split(","):
        out = work / f"{command}.prof"
        if command == "child":
            profile_child(python, root, out)
        else:
            profile_parent(ormfix, python, command, root, out)
        for sort in ("cumulative", "tottime"):
            print(f"\n===== {command} (N={args.models} K={args.faults}), by {sort} =====")
            print(top(out, sort, args.top))
    print(f"profiles in {work}")


if __name__ == "__main__":
    main()
