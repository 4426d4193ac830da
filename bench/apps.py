"""ormfix on app-shaped trees (issue 13, "Speed on real apps"): suggest and apply against the application's own import.

    python bench/apps.py [--repeat 3] [--styles classic,flask,mapped,sqlmodel] [--models 48] [--keep DIR]

For each style (``app_tree.py``): L = ``python -c "import app.models; configure_mappers()"`` in the HEALTHY
tree; then with K = 1 and K = 5 faults, ``ormfix suggest`` (every shown fix verified) and ``ormfix apply
--strategy=auto`` (on a fresh copy, .git included, each time). Every figure is the median of ``--repeat``
runs, all in the same run. Writes bench/results_apps.md and bench/results_apps.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from app_tree import L_CODE, STYLES, generate_app  # noqa: E402
from measure import run  # noqa: E402
from run import compile_ormfix, find_ormfix, interpreter_of, machine, ormfix_run, source_state  # noqa: E402
from score import suggest_outcome  # noqa: E402

BARS = {"suggest": 3.0, "apply": 2.5}


def median_run(times: int, once) -> tuple[float, float, object]:
    """(median wall seconds, median CPU seconds, the last run's result) of ``times`` calls of ``once()``."""
    results = [once() for _ in range(times)]
    runs = [r[0] if isinstance(r, tuple) else r for r in results]
    return statistics.median(r.seconds for r in runs), statistics.median(r.cpu for r in runs), results[-1]


def measure_style(style: str, work: Path, args, ormfix: str, python: str) -> dict:
    log = lambda text: print(f"  [{style}] {text}", flush=True)  # noqa: E731
    healthy = work / f"{style}_healthy"
    generate_app(healthy, style, args.models, 0)
    row: dict = {"style": style, "models": args.models}
    row["l"], row["l_cpu"], _ = median_run(args.repeat, lambda: run([python, "-c", L_CODE], cwd=healthy))
    log(f"L {row['l']:.2f} s")
    for k in (1, 5):
        broken = work / f"{style}_k{k}"
        generate_app(broken, style, args.models, k)
        seconds, cpu, (_, data) = median_run(
            args.repeat, lambda broken=broken: ormfix_run(ormfix, python, "suggest", broken)
        )
        outcome = suggest_outcome(data.get("diagnoses", []))
        errors = sum(d.get("severity") == "error" for d in data.get("diagnoses", []))
        row[f"suggest_k{k}"] = dict(
            seconds=seconds, cpu=cpu, shown=outcome.shown, verified=outcome.verified, errors=errors
        )
        log(f"K={k} suggest {seconds:.2f} s, {errors} errors, {outcome.verified}/{outcome.shown} fixes verified")

        def apply_once(k=k, broken=broken):
            copy = work / f"{style}_k{k}_apply"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(broken, copy, symlinks=True)
            return ormfix_run(ormfix, python, "apply", copy, "--strategy=auto")

        seconds, cpu, (_, data) = median_run(args.repeat, apply_once)
        left = [d for d in data.get("remaining", data.get("diagnoses", [])) if d.get("severity") == "error"]
        row[f"apply_k{k}"] = dict(seconds=seconds, cpu=cpu, applied=len(data.get("applied", [])), left=len(left))
        log(f"K={k} apply {seconds:.2f} s, applied {len(data.get('applied', []))}, {len(left)} error(s) left")
    return row


def cell(row: dict, key: str) -> str:
    entry = row[key]
    ratio = entry["seconds"] / row["l"]
    bar = BARS[key.split("_")[0]]
    flag = "" if ratio <= bar else " **over**"
    return f"{entry['seconds']:.2f} s ({ratio:.1f}×{flag})"


def table(rows: list[dict]) -> str:
    out = [
        "| style | L (import + configure, healthy) | suggest K=1 | suggest K=5 | apply K=1 | apply K=5 | "
        "K=5: errors found, fixes verified/shown, applied / left |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        s5, a5 = r["suggest_k5"], r["apply_k5"]
        out.append(
            f"| {r['style']} | {r['l']:.2f} s | {cell(r, 'suggest_k1')} | {cell(r, 'suggest_k5')} | "
            f"{cell(r, 'apply_k1')} | {cell(r, 'apply_k5')} | {s5['errors']}/5, {s5['verified']}/{s5['shown']}, "
            f"{a5['applied']} / {a5['left']} |"
        )
    return "\n".join(out)


def header(args, python: str, ormfix: str) -> str:
    return (
        f"{machine()}, {args.models} models per app, median of {args.repeat}; baseline interpreter {python}; {ormfix} "
        f"({source_state() if Path(ormfix).resolve().is_relative_to(HERE.parent) else 'not this checkout'}; its "
        "bytecode compiled first, as pip install does). "
        f"Wall seconds, ratio against the same style's L; bars: suggest ≤ {BARS['suggest']:g}×, apply ≤ {BARS['apply']:g}×."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of every measurement (the median is kept)")
    parser.add_argument("--styles", default=",".join(STYLES))
    parser.add_argument("--models", type=int, default=48)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--out", type=Path, default=HERE / "results_apps.md")
    args = parser.parse_args()
    ormfix = find_ormfix()
    python = interpreter_of(ormfix)
    compile_ormfix(python)
    work = args.keep or Path(tempfile.mkdtemp(prefix="ormfix-bench-apps-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        for style in args.styles.split(","):
            print(style, flush=True)
            rows.append(measure_style(style, work, args, ormfix, python))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    report = header(args, python, ormfix) + "\n\n" + table(rows)
    print("\n" + report)
    args.out.write_text(report + "\n")
    args.out.with_suffix(".json").write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
