"""The `ormfix` command line: suggest, apply, check, explain, codes.

Exit codes (the same for suggest, check and apply): 0 nothing found / nothing left, 1 diagnoses
remain (or apply refused to write), 2 usage or input error (one line on stderr).
"""

from __future__ import annotations

import functools
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table

from . import codes, report as render
from .errors import UsageError, WriteRefused
from . import migrations
from .interactive import ask as ask_each_fix
from .formats.github import to_github
from .patches import write_series
from .pipeline import STRATEGY_NAMES, Options, apply as run_apply, check as run_check, choose, default_jobs
from .pipeline import suggest as run_suggest
from .progress import no_color, progress

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    no_args_is_help=True,
    help="Find, fix and verify broken SQLAlchemy model mappings.",
)


def _print_version(value: bool) -> None:
    if value:
        from . import __version__

        print(f"ormfix {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                       help="Print ormfix's version and exit.")) -> None:
    """Find, fix and verify broken SQLAlchemy model mappings."""


class Format(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"


def _out() -> Console:
    return Console(highlight=False, soft_wrap=True, no_color=no_color(), emoji=False)  # "file.py:100:" is no emoji code


PathArg = typer.Argument(Path("."), help="The project folder (default: the current folder).", show_default=False)
ModelsOpt = typer.Option(None, "--models", help="Module(s) to import, e.g. app.models (repeatable).")
PythonOpt = typer.Option(None, "--python", help="The project's interpreter (default: active venv, ./.venv, or ormfix's).")
TimeoutOpt = typer.Option(None, "--timeout", help="Seconds the models may take to import (default 60).")
FormatOpt = typer.Option(Format.text, "--format", help="text, json, sarif or github (workflow annotations).",
                         case_sensitive=False)
QuietOpt = typer.Option(False, "--quiet", "-q", help="One line per diagnosis.")
VerboseOpt = typer.Option(False, "--verbose", "-v", help="Also say what was discovered, probed and suppressed (stderr).")
SelectOpt = typer.Option(None, "--select", help="Only these codes or prefixes (comma-separated; replaces [tool.ormfix] select).")
JobsOpt = typer.Option(None, "--jobs", "-j", help="Verification probes run at once (default: the CPU count, at most 4; "
                                                 "each holds the models in memory).")
IgnoreOpt = typer.Option(None, "--ignore", help="Never these codes or prefixes (comma-separated; replaces [tool.ormfix] ignore).")


def _codes(values) -> list[str] | None:
    return [c.strip() for v in values for c in v.split(",") if c.strip()] if values else None


def _options(models, python, timeout, strategy=None, verify=True, unsafe=False, select=None, ignore=None,
             jobs=None) -> Options:
    if strategy is not None and strategy not in STRATEGY_NAMES:
        raise UsageError(f"unknown strategy {strategy!r}; choose one of: {', '.join(STRATEGY_NAMES)}")
    if timeout is not None and timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    if jobs is not None and jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    return Options(models=list(models or []), python=python, timeout=timeout, strategy=strategy,
                   verify=verify, unsafe_fixes=unsafe, select=_codes(select), ignore=_codes(ignore),
                   jobs=jobs or default_jobs())


def _tracked(options: Options, step) -> Options:
    options.progress = step
    return options


def _emit(report, fmt: Format, command: str, quiet: bool, with_fixes: bool = True, verbose: bool = False) -> None:
    console = _out()
    if verbose:
        for line in render.verbose_lines(report):
            print(f"ormfix: {line}", file=sys.stderr)
    if fmt is Format.github:
        console.file.write(to_github(report.diagnoses, report.project.base))
    elif fmt is Format.json:
        render.print_json(console, render.to_json(report, with_fixes=with_fixes))
    elif fmt is Format.sarif:
        render.print_json(console, render.to_sarif(report))
    else:
        render.print_text(console, report, show_fixes=with_fixes, quiet=quiet)
        if not quiet:
            console.print(render.summary_line(report, command))


def guarded(command):
    """Usage and input errors end a command with one line on stderr and exit 2, never a traceback."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            code = command(*args, **kwargs)
        except (UsageError, WriteRefused) as exc:
            print(f"ormfix: error: {exc}", file=sys.stderr)
            raise typer.Exit(2) from None
        raise typer.Exit(code or 0)

    return run


def _exit_code(diagnoses) -> int:
    return 1 if any(d.severity == "error" for d in diagnoses) else 0


@app.command()
@guarded
def check(
    path: Path = PathArg,
    models: Optional[List[str]] = ModelsOpt,
    python: Optional[str] = PythonOpt,
    timeout: Optional[float] = TimeoutOpt,
    fmt: Format = FormatOpt,
    fail_level: Optional[str] = typer.Option(None, "--fail-level",
                                             help="error (default) or warning: what fails the check."),
    select: Optional[List[str]] = SelectOpt,
    ignore: Optional[List[str]] = IgnoreOpt,
    quiet: bool = QuietOpt,
    verbose: bool = VerboseOpt,
) -> int:
    """Diagnose only (no fixes computed): the CI gate."""
    if fail_level not in (None, "error", "warning"):
        raise UsageError("--fail-level must be 'error' or 'warning'")
    with progress(quiet) as step:
        report = run_check(path, _tracked(_options(models, python, timeout, select=select, ignore=ignore), step))
    _emit(report, fmt, "check", quiet, with_fixes=False, verbose=verbose)
    level = fail_level or report.settings.fail_level or "error"
    failing = [d for d in report.diagnoses if d.severity == "error" or level == "warning"]
    return 1 if failing else 0


@app.command()
@guarded
def suggest(
    path: Path = PathArg,
    strategy: Optional[str] = typer.Option(None, "--strategy", help=f"Only this remedy: {', '.join(STRATEGY_NAMES)}."),
    models: Optional[List[str]] = ModelsOpt,
    python: Optional[str] = PythonOpt,
    timeout: Optional[float] = TimeoutOpt,
    fmt: Format = FormatOpt,
    patch_dir: Optional[Path] = typer.Option(None, "--patch-dir",
                                             help="Write the fixes apply would choose as a `git am` series here "
                                                  "(other fixes in DIR/alternatives/)."),
    no_verify: bool = typer.Option(False, "--no-verify", help="Do not verify fixes (faster)."),
    unsafe_fixes: bool = typer.Option(False, "--unsafe-fixes", help="Let the patch series hold unsafe fixes too."),
    jobs: Optional[int] = JobsOpt,
    select: Optional[List[str]] = SelectOpt,
    ignore: Optional[List[str]] = IgnoreOpt,
    quiet: bool = QuietOpt,
    verbose: bool = VerboseOpt,
) -> int:
    """Diagnose, and show every remedy as a verified unified diff. Never writes to PATH."""
    options = _options(models, python, timeout, strategy, not no_verify, unsafe_fixes, select, ignore, jobs)
    with progress(quiet) as step:
        report = run_suggest(path, _tracked(options, step))
    _emit(report, fmt, "suggest", quiet, verbose=verbose)
    if patch_dir is not None:
        options.strategy = options.strategy or report.settings.strategy
        chosen = {id(d): fix for d in report.diagnoses if (fix := choose(d, options)) is not None}
        written = write_series(report.project, report.diagnoses, chosen, patch_dir)
        print(f"ormfix: wrote {len(written['series'])} patch(es) to {patch_dir} (git am {patch_dir}/*.patch) and "
              f"{len(written['alternatives'])} alternative(s) to {patch_dir / 'alternatives'}", file=sys.stderr)
        for reason in written["skipped"]:
            print(f"ormfix: not in the series: {reason}", file=sys.stderr)
    return _exit_code(report.diagnoses)


@app.command()
@guarded
def apply(
    path: Path = PathArg,
    strategy: Optional[str] = typer.Option(None, "--strategy", help=f"Remedy to apply: {', '.join(STRATEGY_NAMES)} "
                                                                 "(default: [tool.ormfix] strategy, else auto)."),
    unsafe_fixes: bool = typer.Option(False, "--unsafe-fixes", help="With auto: also apply unsafe fixes (comment-out)."),
    models: Optional[List[str]] = ModelsOpt,
    python: Optional[str] = PythonOpt,
    timeout: Optional[float] = TimeoutOpt,
    fmt: Format = FormatOpt,
    no_verify: bool = typer.Option(False, "--no-verify", help="Write fixes without verifying them."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be written; write nothing."),
    interactive: bool = typer.Option(False, "--interactive", "-i", help="Accept or skip each fix (y/n/a/q) first."),
    jobs: Optional[int] = JobsOpt,
    select: Optional[List[str]] = SelectOpt,
    ignore: Optional[List[str]] = IgnoreOpt,
    quiet: bool = QuietOpt,
    verbose: bool = VerboseOpt,
) -> int:
    """Write the chosen fixes (verified ones only), atomically, and report what is left."""
    options = _options(models, python, timeout, strategy, not no_verify, unsafe_fixes, select, ignore, jobs)
    console = _out()
    decide = (lambda chosen: ask_each_fix(chosen, console)) if interactive else None
    with progress(quiet or interactive) as step:
        report = run_apply(path, _tracked(options, step), dry_run=dry_run, decide=decide)
    if verbose:
        for line in render.verbose_lines(report):
            print(f"ormfix: {line}", file=sys.stderr)
    if fmt is Format.github:
        console.file.write(to_github(report.remaining, report.project.base))
    elif fmt is not Format.text:
        render.print_json(console, render.to_json(report) if fmt is Format.json else render.to_sarif(report))
    else:
        _print_apply(console, report, dry_run, quiet)
    if report.refused:
        print(f"ormfix: nothing written: {report.refused}", file=sys.stderr)
        return 1
    return _exit_code(report.remaining)


def _print_apply(console: Console, report, dry_run: bool, quiet: bool) -> None:
    if not report.diagnoses:
        console.print(render.summary_line(report, "apply"))
        return
    for diagnosis, fix in report.applied:
        console.print(f"{diagnosis.file}:{diagnosis.line}: {diagnosis.code} {diagnosis.name}: "
                      f"{'would apply' if dry_run else 'refused' if report.refused else 'applied'} {fix.strategy} ({render._fix_label(fix)})")
        if not quiet:
            console.print(render._diff_text(fix.diff))
        if fix.schema_change and not fix.column:
            console.print("  note: this changes the schema: the database needs a migration.")
    if report.migration:
        console.print(("Would write " if dry_run and report.migration["kind"] == "alembic" else "")
                      + migrations.as_text(report.migration), markup=False)
    skipped = [d for d in report.diagnoses if all(d is not a for a, _ in report.applied)]
    declined = {id(d): fix for d, fix in report.declined}
    for diagnosis in skipped:
        reasons = [f"{f.strategy}: {f.verification or f.not_applicable or f.applicability}" for f in diagnosis.fixes]
        if id(diagnosis) in declined:
            reasons = [f"you declined {declined[id(diagnosis)].strategy}"]
        console.print(f"{diagnosis.file}:{diagnosis.line}: {diagnosis.code} {diagnosis.name}: not fixed "
                      f"({'; '.join(reasons) or 'no remedy'})")
    if report.written:
        console.print(f"Wrote {len(report.written)} file(s): {', '.join(report.written)}")
    left = [d for d in report.remaining if d.severity == "error"]
    if report.refused:
        return
    if left:
        console.print(f"{len(left)} problem(s) left:")
        for diagnosis in left:
            console.print(f"  {diagnosis.file}:{diagnosis.line}: {diagnosis.code} {diagnosis.message}")
        hint = "" if report.applied or report.declined else " (unsafe fixes need --unsafe-fixes or a named --strategy)"
        console.print(f"Not everything was fixed{hint}.")
    else:
        console.print("Nothing left: configure_mappers() passes." if not dry_run else "Nothing would be left.")


@app.command()
@guarded
def explain(code: str = typer.Argument(..., help="A code (ORM001) or its name (no-foreign-keys).")) -> int:
    """Show a code's documentation: what it is, why it breaks, an example, the fixes and their safety."""
    found = codes.lookup(code)
    if found is None:
        raise UsageError(f"unknown code {code!r}; `ormfix codes` lists them")
    console = _out()
    console.print(f"{found.code} {found.name} ({found.severity})", style="bold")
    console.print(found.summary)
    console.print()
    console.print(found.doc, markup=False)
    if found.remedies:
        console.print(f"Strategies: {', '.join(found.remedies)}")
    return 0


@app.command(name="codes")
@guarded
def list_codes() -> int:
    """List every diagnosis code, its name and its remedies."""
    table = Table("code", "name", "severity", "remedies", "summary")
    for code in codes.ALL:
        table.add_row(code.code, code.name, code.severity, ", ".join(code.remedies) or "-", code.summary)
    _out().print(table)
    return 0


def _raised_as(exc: BaseException, name: str) -> bool:
    """Is ``exc`` click's exception class ``name``? Matched by class name, not imported: typer >= 0.20
    vendors its own copy of click (typer._click) and older typer uses click itself."""
    return any(cls.__name__ == name for cls in type(exc).__mro__)


def main(argv: list[str] | None = None) -> None:
    try:
        code = app(args=argv, prog_name="ormfix", standalone_mode=False)
    except (UsageError, WriteRefused) as exc:
        print(f"ormfix: error: {exc}", file=sys.stderr)
        code = 2
    except KeyboardInterrupt:
        print("ormfix: interrupted", file=sys.stderr)
        code = 130
    except Exception as exc:
        if _raised_as(exc, "NoArgsIsHelpError"):  # click >= 8.2: `ormfix` alone prints the help
            ctx = getattr(exc, "ctx", None)
            print(ctx.get_help() if ctx else str(exc))
            code = 2
        elif _raised_as(exc, "ClickException"):  # usage errors, bad parameters, unreadable files
            message = exc.format_message().replace("\n", " ")  # type: ignore[attr-defined]
            print(f"ormfix: error: {message}", file=sys.stderr)
            code = 2
        elif _raised_as(exc, "Abort"):
            print("ormfix: aborted", file=sys.stderr)
            code = 130
        else:
            raise
    sys.exit(code if isinstance(code, int) else 0)
