"""ormfix benchmark: generate model packages, measure baselines and ormfix in the same run, print a table.

    python bench/run.py [--quick] [--repeat R] [--style mapped|classic|flask] [--seed S] [--keep DIR]

Full run: N=1000 K=50 (the issue's main figures), N scaling at K=10 (100, 1000, 5000), K scaling at
N=1000 (1, 10, 50). ``--quick``: N=100 and N=1000 at K=10. Writes bench/results.md and bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from measure import l_ast, l_import, run, static_pass  # noqa: E402
from score import score, short, suggest_outcome  # noqa: E402

FULL = [(1000, 50), (1000, 1), (1000, 10), (100, 10), (5000, 10)]
QUICK = [(100, 10), (1000, 10)]
TARGETS = {"check": 2.0, "suggest": 5.0, "apply": 4.0, "static": 2.0, "memory": 1.5}


def find_ormfix() -> str:
    found = shutil.which("ormfix") or shutil.which("ormfix", path=str(Path(sys.executable).parent))
    if not found:
        raise SystemExit("ormfix is not installed (pip install -e . in the repository)")
    return found


def interpreter_of(script: str) -> str:
    """The interpreter in the ormfix script's shebang: the probe and L_import both use it (--python)."""
    first = Path(script).read_text(errors="replace").splitlines()[0]
    return first[2:].strip() if first.startswith("#!") else sys.executable


def compile_ormfix(python: str) -> None:
    """Write ormfix's bytecode, as ``pip install`` does for a wheel: an editable checkout run with
    PYTHONDONTWRITEBYTECODE would otherwise compile every module on every run, which no user pays."""
    import subprocess

    where = subprocess.run(
        [python, "-c", "import ormfix, os; print(os.path.dirname(ormfix.__file__))"], capture_output=True, text=True
    ).stdout.strip()
    if where:
        subprocess.run([python, "-m", "compileall", "-q", where], check=False)


def ormfix_run(ormfix: str, python: str, command: str, path: Path, *extra: str):
    """Run one ormfix command with --format json; retried (up to 3 times) when ormfix itself fails to start,
    as it can while the source tree is being edited."""
    argv = [ormfix, command, str(path), "--python", python, "--timeout", "900", "--format", "json", *extra]
    for attempt in range(3):
        result = run(argv, cwd=path)
        try:
            return result, json.loads(result.stdout)
        except ValueError:
            data = {"diagnoses": [], "error": (result.stderr or result.stdout)[-2000:]}
        if "Traceback" not in result.stderr or attempt == 2:
            break
        print(
            f"    ormfix {command} did not start ({result.stderr.strip().splitlines()[-1][:200]}); retrying", flush=True
        )
        time.sleep(20)
    return result, data


def measure_config(n: int, k: int, work: Path, args, ormfix: str, python: str) -> dict:
    root = work / f"n{n}_k{k}"
    manifest = generate(root, n, k, args.style, args.seed, args.import_fault, args.without)
    row: dict = {"n": n, "k": k, "faults": len(manifest)}
    log = lambda text: print(f"  [N={n} K={k}] {text}", flush=True)  # noqa: E731
    base = l_import(python, root)
    row.update(
        l_import=base.seconds, l_import_cpu=base.cpu, l_import_mb=base.tree_peak_mb, l_import_max_mb=base.max_rss_mb
    )
    log(f"L_import {base.seconds:.2f} s, {base.tree_peak_mb:.0f} MB")
    # the floor of finding *every* fault: import plus configure of every mapper. L_import of a broken
    # package stops at the first mapper that fails; the same N and seed without faults configures all.
    clean = generate(work / f"n{n}_clean", n, 0, args.style, args.seed, "none")
    assert not clean
    full = l_import(python, work / f"n{n}_clean")
    row.update(l_full=full.seconds, l_full_cpu=full.cpu, l_full_mb=full.tree_peak_mb)
    log(f"L_full (clean, every mapper configured) {full.seconds:.2f} s, {full.tree_peak_mb:.0f} MB")
    row["l_ast"], row["l_ast_cpu"] = l_ast(root)
    row["static"], row["static_cpu"] = static_pass(root)
    log(f"L_ast {row['l_ast']:.3f} s, static pass {row['static']:.3f} s")

    check, data = min(
        (ormfix_run(ormfix, python, "check", root) for _ in range(args.repeat)), key=lambda pair: pair[0].seconds
    )
    accuracy = score(manifest, data.get("diagnoses", []))
    row.update(
        check=check.seconds,
        check_cpu=check.cpu,
        check_mb=check.tree_peak_mb,
        check_max_mb=check.max_rss_mb,
        found=accuracy.found,
        false_positives=len(accuracy.false_positives),
        missed_list=[short(e) for e in accuracy.missed],
        fp_list=[short(d) for d in accuracy.false_positives],
        check_error=data.get("error"),
    )
    log(
        f"check {check.seconds:.2f} s, found {accuracy.found}/{accuracy.expected}, "
        f"{len(accuracy.false_positives)} false positive(s), {check.tree_peak_mb:.0f} MB"
    )

    if not args.skip_fixes and (n <= 1000 or args.all_fixes):
        suggest, data = ormfix_run(ormfix, python, "suggest", root)
        outcome = suggest_outcome(data.get("diagnoses", []))
        row.update(
            suggest=suggest.seconds,
            suggest_cpu=suggest.cpu,
            suggest_mb=suggest.tree_peak_mb,
            fixes_shown=outcome.shown,
            fixes_verified=outcome.verified,
            diagnoses_fixable=outcome.diagnoses_with_verified_fix,
            suggest_error=data.get("error"),
        )
        log(f"suggest {suggest.seconds:.2f} s, {outcome.verified}/{outcome.shown} fixes shown verified")

        copy = work / f"n{n}_k{k}_apply"
        shutil.copytree(root, copy)
        apply, data = ormfix_run(ormfix, python, "apply", copy, "--strategy=auto")
        remaining = [d for d in data.get("remaining", data.get("diagnoses", [])) if d.get("severity") == "error"]
        row.update(
            apply=apply.seconds,
            apply_cpu=apply.cpu,
            apply_mb=apply.tree_peak_mb,
            applied=len(data.get("applied", [])),
            remaining=len(remaining),
            written=len(data.get("written", [])),
            refused=data.get("refused", ""),
            apply_error=data.get("error"),
        )
        log(
            f"apply {apply.seconds:.2f} s, applied {row['applied']}, {row['remaining']} error(s) left"
            + (f", refused: {row['refused']}" if row["refused"] else "")
        )
        if (n, k) == (1000, 50):  # the errors left above have only unsafe fixes (guesses, comment-out)
            copy = work / f"n{n}_k{k}_apply_unsafe"
            shutil.copytree(root, copy)
            unsafe, data = ormfix_run(ormfix, python, "apply", copy, "--strategy=auto", "--unsafe-fixes")
            left = [d for d in data.get("remaining", data.get("diagnoses", [])) if d.get("severity") == "error"]
            row.update(
                apply_unsafe=unsafe.seconds, applied_unsafe=len(data.get("applied", [])), remaining_unsafe=len(left)
            )
            log(
                f"apply --unsafe-fixes {unsafe.seconds:.2f} s, applied {row['applied_unsafe']}, {len(left)} error(s) left"
            )
    return row


def ratio(value: float | None, base: float) -> str:
    return "-" if value is None else f"{value:.2f} s ({value / base:.1f}×)"


def time_table(rows: list[dict], title: str, suffix: str) -> list[str]:
    """Seconds and ratios; ``suffix`` picks wall time ("") or CPU time ("_cpu")."""
    out = [
        title,
        "",
        "| N | K | L_import | L_ast | static pass (×L_ast) | check (×L_import) | suggest (×L_import) | apply --strategy=auto (×L_import) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        get = lambda name: r.get(name + suffix)  # noqa: B023, E731
        out.append(
            f"| {r['n']} | {r['k']} | {get('l_import'):.2f} s | {get('l_ast'):.3f} s | "
            f"{get('static'):.3f} s ({get('static') / get('l_ast'):.1f}×) | {ratio(get('check'), get('l_import'))} | "
            f"{ratio(get('suggest'), get('l_import'))} | {ratio(get('apply'), get('l_import'))} |"
        )
    return out


def tables(rows: list[dict]) -> str:
    out = time_table(rows, "### Wall time (seconds; ratio against the same run's baseline)", "")
    out += [""] + time_table(
        rows, "### CPU seconds (user+system of the process tree; less sensitive to other load on the machine)", "_cpu"
    )
    out += [
        "",
        "### Against the floor: L_full = import + configure_mappers() of every mapper (same N and seed, "
        "no faults; what finding every fault needs at least). CPU seconds",
        "",
        "| N | K | L_import | L_full (×L_import) | check (×L_full) | suggest (×L_full) | apply (×L_full) | peak MB L_full | check MB (×L_full) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if "l_full_cpu" not in r:
            continue
        full = r["l_full_cpu"]
        out.append(
            f"| {r['n']} | {r['k']} | {r['l_import_cpu']:.2f} s | {full:.2f} s ({full / r['l_import_cpu']:.1f}×) | "
            f"{ratio(r.get('check_cpu'), full)} | {ratio(r.get('suggest_cpu'), full)} | {ratio(r.get('apply_cpu'), full)} | "
            f"{r['l_full_mb']:.0f} | {r['check_mb']:.0f} ({r['check_mb'] / r['l_full_mb']:.2f}×) |"
        )
    out += [
        "",
        "### Accuracy, fixes and memory",
        "",
        "| N | K | check found/K (exact code+file+line) | false positives | suggest: verified/shown fixes | "
        "apply: applied, errors left | peak MB L_import | peak MB check (×) | peak MB suggest (×) | max single process MB check / L_import |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        base = r["l_import_mb"]
        fixes = f"{r['fixes_verified']}/{r['fixes_shown']}" if "fixes_shown" in r else "-"
        applied = (
            (f"{r['applied']}, {r['remaining']}" + (" (refused)" if r.get("refused") else ""))
            if "applied" in r
            else "-"
        )
        suggest_mb = f"{r['suggest_mb']:.0f} ({r['suggest_mb'] / base:.2f}×)" if "suggest_mb" in r else "-"
        out.append(
            f"| {r['n']} | {r['k']} | {r['found']}/{r['faults']} | {r['false_positives']} | {fixes} | {applied} | "
            f"{base:.0f} | {r['check_mb']:.0f} ({r['check_mb'] / base:.2f}×) | {suggest_mb} | "
            f"{r['check_max_mb']:.0f} / {r['l_import_max_mb']:.0f} |"
        )
    return "\n".join(out)


def verdicts(rows: list[dict]) -> str:
    main = next((r for r in rows if (r["n"], r["k"]) == (1000, 50)), None)
    biggest = max(rows, key=lambda r: r["n"])
    out = ["### Targets (issue 3)", "", "| target | measured | verdict |", "|---|---|---|"]

    def line(name: str, value: float | None, limit: float, extra_ok: bool = True, note: str = "") -> None:
        if value is None:
            return
        ok = value <= limit and extra_ok
        out.append(f"| {name} ≤ {limit:g}× | {value:.2f}×{note} | {'pass' if ok else '**FAIL**'} |")

    if main:
        line(
            "N=1000 K=50: check, all 50 found",
            main["check"] / main["l_import"],
            TARGETS["check"],
            main["found"] == main["faults"] and not main["false_positives"],
            f", {main['found']}/{main['faults']} found, {main['false_positives']} FP",
        )
        if "suggest" in main:
            line(
                "N=1000 K=50: suggest, every shown fix verified",
                main["suggest"] / main["l_import"],
                TARGETS["suggest"],
                main["fixes_verified"] == main["fixes_shown"],
                f", {main['fixes_verified']}/{main['fixes_shown']} verified",
            )
            line(
                "N=1000 K=50: apply --strategy=auto",
                main["apply"] / main["l_import"],
                TARGETS["apply"],
                not main["refused"],
                f", {main['applied']} applied, {main['remaining']} left",
            )
            if "apply_unsafe" in main:
                line(
                    "N=1000 K=50: apply --strategy=auto --unsafe-fixes",
                    main["apply_unsafe"] / main["l_import"],
                    TARGETS["apply"],
                    True,
                    f", {main['applied_unsafe']} applied, {main['remaining_unsafe']} left",
                )
        line("N=1000 K=50: peak memory of check vs L_import", main["check_mb"] / main["l_import_mb"], TARGETS["memory"])
    line(f"static pass at N={biggest['n']} vs L_ast", biggest["static"] / biggest["l_ast"], TARGETS["static"])
    return "\n".join(out)


def details(rows: list[dict]) -> str:
    out = []
    for r in rows:
        items = [f"missed: {m}" for m in r["missed_list"]] + [f"false positive: {f}" for f in r["fp_list"]]
        for key in ("check_error", "suggest_error", "apply_error"):
            if r.get(key):
                items.append(f"{key}: {r[key][-300:]}")
        if r.get("refused"):
            items.append(f"apply refused: {r['refused']}")
        if items:
            out.append(f"- N={r['n']} K={r['k']}:\n" + "\n".join(f"  - {item}" for item in items[:20]))
    return ("### Misses, false positives, errors\n\n" + "\n".join(out)) if out else ""


def source_state() -> str:
    """The commit, and the newest modification time of src/ and codemods/ (the tree is edited while we run)."""
    import subprocess

    repo = HERE.parent
    head = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(repo), "status", "--porcelain", "--", "src", "codemods"], capture_output=True, text=True
    ).stdout.strip()
    newest = max(
        (p.stat().st_mtime for folder in ("src", "codemods") for p in (repo / folder).rglob("*.py")), default=0
    )
    return f"ormfix at {head or '?'}{' + uncommitted changes' if dirty else ''} (newest source {time.strftime('%H:%M:%S', time.localtime(newest))})"


def machine() -> str:
    """When, under what load, on what: the start of every results header."""
    import sqlalchemy

    load = " / ".join(f"{x:.1f}" for x in __import__("os").getloadavg())
    return (
        f"Run {time.strftime('%Y-%m-%d %H:%M')} (load average at the end {load}) on {platform.machine()} ({__import__('os').cpu_count()} cores), "
        f"Python {platform.python_version()}, SQLAlchemy {sqlalchemy.__version__}"
    )


def header(args, python: str) -> str:
    return (
        f"{machine()}, style `{args.style}`, "
        f"seed {args.seed}, import fault `{args.import_fault}`, {('without ' + ', '.join(sorted(args.without)) + ', ') if args.without else ''}{'quick' if args.quick else 'full'} matrix; "
        f"baseline interpreter {python}; {source_state()}."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="only N=100 and N=1000 at K=10")
    parser.add_argument("--repeat", type=int, default=1, help="runs of `ormfix check` (best is kept)")
    parser.add_argument("--style", choices=["mapped", "classic", "flask"], default="mapped")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--import-fault", choices=["raise", "syntax", "none"], default="raise")
    parser.add_argument("--skip-fixes", action="store_true", help="time check only (no suggest/apply)")
    parser.add_argument("--all-fixes", action="store_true", help="also run suggest/apply above N=1000")
    parser.add_argument("--only", help="one configuration, e.g. 1000x50")
    parser.add_argument(
        "--without",
        type=lambda text: frozenset(filter(None, text.split(","))),
        default=frozenset(),
        help="fault kinds to leave out, comma-separated (e.g. unquoted_missing_class: its NameError "
        "stops L_import's import at the first one)",
    )
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    args = parser.parse_args()
    configs = QUICK if args.quick else FULL
    if args.only:
        n, k = args.only.lower().split("x")
        configs = [(int(n), int(k))]
    ormfix = find_ormfix()
    python = interpreter_of(ormfix)
    compile_ormfix(python)
    work = args.keep or Path(tempfile.mkdtemp(prefix="ormfix-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        for n, k in configs:
            print(f"N={n} K={k}", flush=True)
            rows.append(measure_config(n, k, work, args, ormfix, python))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    report = "\n\n".join(part for part in (header(args, python), tables(rows), verdicts(rows), details(rows)) if part)
    print("\n" + report)
    args.out.write_text(report + "\n")
    if not args.quick and not args.only:
        readme = HERE / "README.md"
        text = readme.read_text()
        marker = "## Results"
        if marker in text:  # the full run's tables replace the README's Results section
            readme.write_text(text[: text.index(marker)] + f"{marker}\n\n{report}\n")
    args.out.with_suffix(".json").write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
