"""The `ormfix` command line: suggest, apply, check, explain, codes.

Exit codes (the same for suggest, check and apply): 0 nothing found / nothing left, 1 diagnoses
remain (or apply refused to write, or apply --dry-run / --diff would write), 2 usage or input error
(one line on stderr). --exit-zero turns 1 into 0, never 2.
"""

from __future__ import annotations

import functools
import io
import sys
from collections.abc import Callable
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import IO, NoReturn, ParamSpec

import typer
from rich.console import Console
from rich.table import Table

from . import codes, formats
from .config import MAX_TIMEOUT, valid_timeout
from .errors import UsageError, WriteRefused
from .findings import Diagnosis
from .formats import text as render
from .interactive import ask as ask_each_fix
from .patches import check_folder, write_series
from .pipeline import STRATEGY_NAMES, Options, choose, default_jobs, with_settings
from .pipeline import apply as run_apply
from .pipeline import check as run_check
from .pipeline import suggest as run_suggest
from .progress import no_color, progress
from .report import Report

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
def _main(
    version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print ormfix's version and exit."
    ),
) -> None:
    """Find, fix and verify broken SQLAlchemy model mappings."""


# --format's choices (mypy reads the members of a literal only; these come from formats.NAMES)
Format = Enum("Format", {name.replace("-", "_"): name for name in formats.NAMES}, type=str)  # type: ignore[misc]


def _out(file: IO[str] | None = None) -> Console:
    """Plain text, never markup: a message's ``Mapped[dict]`` keeps its ``[dict]``."""
    return Console(
        file=file, highlight=False, soft_wrap=True, no_color=no_color() or file is not None, markup=False, emoji=False
    )


PathArg = typer.Argument(Path("."), help="The project folder (default: the current folder).", show_default=False)
ModelsOpt = typer.Option(None, "--models", help="Module(s) to import, e.g. app.models (repeatable).")
PythonOpt = typer.Option(
    None, "--python", help="The project's interpreter (default: active venv, ./.venv, or ormfix's)."
)
TimeoutOpt = typer.Option(None, "--timeout", help="Seconds the models may take to import (default 60).")
FormatOpt = typer.Option(
    Format("text"),
    "--format",
    help="text, concise, json, json-lines, sarif, github (workflow annotations), gitlab (Code Quality) or junit.",
    case_sensitive=False,
)
QuietOpt = typer.Option(False, "--quiet", "-q", help="One line per diagnosis.")
VerboseOpt = typer.Option(
    False, "--verbose", "-v", help="Also say what was discovered, probed and suppressed (stderr)."
)
SelectOpt = typer.Option(
    None, "--select", help="Only these codes or prefixes (comma-separated; replaces [tool.ormfix] select)."
)
JobsOpt = typer.Option(
    None,
    "--jobs",
    "-j",
    help="Verification probes run at once (default: the CPU count, at most 4; each holds the models in memory).",
)
IgnoreOpt = typer.Option(
    None, "--ignore", help="Never these codes or prefixes (comma-separated; replaces [tool.ormfix] ignore)."
)
OutputFileOpt = typer.Option(
    None, "--output-file", "-o", help="Write the --format output to FILE; the terminal gets the text report."
)
StatisticsOpt = typer.Option(False, "--statistics", help="Count the diagnoses of each code instead of listing them.")
ExitZeroOpt = typer.Option(False, "--exit-zero", help="Exit 0 even when diagnoses remain (usage errors stay 2).")


def _codes(values: list[str] | None) -> list[str] | None:
    return [c.strip() for v in values for c in v.split(",") if c.strip()] if values else None


def _options(
    models: list[str] | None,
    python: str | None,
    timeout: float | None,
    strategy: str | None = None,
    verify: bool = True,
    unsafe: bool = False,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    jobs: int | None = None,
) -> Options:
    if strategy is not None and strategy not in STRATEGY_NAMES:
        raise UsageError(f"unknown strategy {strategy!r}; choose one of: {', '.join(STRATEGY_NAMES)}")
    if timeout is not None and not valid_timeout(timeout):
        raise UsageError(f"--timeout must be a positive number of seconds (at most {MAX_TIMEOUT:g}), not {timeout:g}")
    if jobs is not None and jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    return Options(
        models=list(models or []),
        python=python,
        timeout=timeout,
        strategy=strategy,
        verify=verify,
        unsafe_fixes=unsafe,
        select=_codes(select),
        ignore=_codes(ignore),
        jobs=jobs or default_jobs(),
    )


def _tracked(options: Options, step: Callable[[str], None]) -> Options:
    return replace(options, progress=step)


def _format(fmt: Enum | str) -> str:
    name: str = fmt.value if isinstance(fmt, Enum) else fmt
    if name not in formats.NAMES:
        raise UsageError(f"unknown format {name!r}; choose one of: {', '.join(formats.NAMES)}")
    return name


def _print_text(
    console: Console,
    report: Report,
    command: str,
    quiet: bool,
    with_fixes: bool,
    statistics: bool,
    dry_run: bool = False,
) -> None:
    if statistics:
        for line in render.statistics_lines(formats.shown(report, command)):
            console.print(line)
    elif command == "apply":
        render.print_apply(console, report, dry_run, quiet)
        return
    else:
        render.print_text(console, report, show_fixes=with_fixes, quiet=quiet)
    if not quiet:
        console.print(render.summary_line(report, command))


def _emit(
    report: Report,
    fmt: Enum | str,
    command: str,
    quiet: bool,
    *,
    with_fixes: bool = True,
    verbose: bool = False,
    output_file: Path | None = None,
    statistics: bool = False,
    dry_run: bool = False,
) -> None:
    """The report on stdout in ``fmt``; with --output-file, ``fmt`` goes to the file and text to stdout."""
    if verbose:
        for line in render.verbose_lines(report):
            print(f"ormfix: {line}", file=sys.stderr)
    name = _format(fmt)
    console = _out()
    if output_file is not None:
        if name == "text":
            text = io.StringIO()
            _print_text(_out(text), report, command, quiet, with_fixes, statistics, dry_run)
            body = text.getvalue()
        else:
            body = formats.render(report, name, command, with_fixes=with_fixes)
        try:
            output_file.write_text(body, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write --output-file {output_file}: {exc.strerror}") from None
        name = "text"
    if name == "text":
        _print_text(console, report, command, quiet, with_fixes, statistics, dry_run)
    else:
        console.file.write(formats.render(report, name, command, with_fixes=with_fixes))


class _Stopped(Exception):
    """Ctrl-C (or SIGTERM/SIGHUP in apply's write phase) inside a command: main() says so."""


P = ParamSpec("P")


def guarded(command: Callable[P, int | None]) -> Callable[P, NoReturn]:
    """Usage and input errors end a command with one line on stderr and exit 2, never a traceback."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> NoReturn:
        try:
            code = command(*args, **kwargs)
        except (UsageError, WriteRefused) as exc:
            print(f"ormfix: error: {exc}", file=sys.stderr)
            raise typer.Exit(2) from None
        except KeyboardInterrupt as exc:  # typer would turn it into a silent exit 130
            raise _Stopped(128 + getattr(exc, "signum", 2)) from None
        raise typer.Exit(code or 0)

    return run


def _exit_code(diagnoses: list[Diagnosis], exit_zero: bool = False) -> int:
    return 1 if not exit_zero and any(d.severity == "error" for d in diagnoses) else 0


@app.command()
@guarded
def check(
    path: Path = PathArg,
    models: list[str] | None = ModelsOpt,
    python: str | None = PythonOpt,
    timeout: float | None = TimeoutOpt,
    fmt: Format = FormatOpt,
    fail_level: str | None = typer.Option(
        None, "--fail-level", help="error (default) or warning: what fails the check."
    ),
    select: list[str] | None = SelectOpt,
    ignore: list[str] | None = IgnoreOpt,
    output_file: Path | None = OutputFileOpt,
    statistics: bool = StatisticsOpt,
    exit_zero: bool = ExitZeroOpt,
    quiet: bool = QuietOpt,
    verbose: bool = VerboseOpt,
) -> int:
    """Diagnose only (no fixes computed): the CI gate."""
    if fail_level not in (None, "error", "warning"):
        raise UsageError("--fail-level must be 'error' or 'warning'")
    _format(fmt)
    with progress(quiet) as step:
        report = run_check(path, _tracked(_options(models, python, timeout, select=select, ignore=ignore), step))
    _emit(
        report, fmt, "check", quiet, with_fixes=False, verbose=verbose, output_file=output_file, statistics=statistics
    )
    level = fail_level or report.settings.fail_level or "error"
    failing = [d for d in report.diagnoses if d.severity == "error" or level == "warning"]
    return 1 if failing and not exit_zero else 0


@app.command()
@guarded
def suggest(
    path: Path = PathArg,
    strategy: str | None = typer.Option(None, "--strategy", help=f"Only this remedy: {', '.join(STRATEGY_NAMES)}."),
    models: list[str] | None = ModelsOpt,
    python: str | None = PythonOpt,
    timeout: float | None = TimeoutOpt,
    fmt: Format = FormatOpt,
    patch_dir: Path | None = typer.Option(
        None,
        "--patch-dir",
        help="Write the fixes apply would choose as a `git am` series here (other fixes in DIR/alternatives/).",
    ),
    no_verify: bool = typer.Option(False, "--no-verify", help="Do not verify fixes (faster)."),
    unsafe_fixes: bool = typer.Option(False, "--unsafe-fixes", help="Let the patch series hold unsafe fixes too."),
    jobs: int | None = JobsOpt,
    select: list[str] | None = SelectOpt,
    ignore: list[str] | None = IgnoreOpt,
    output_file: Path | None = OutputFileOpt,
    statistics: bool = StatisticsOpt,
    exit_zero: bool = ExitZeroOpt,
    quiet: bool = QuietOpt,
    verbose: bool = VerboseOpt,
) -> int:
    """Diagnose, and show every remedy as a verified unified diff. Never writes to PATH."""
    options = _options(models, python, timeout, strategy, not no_verify, unsafe_fixes, select, ignore, jobs)
    _format(fmt)
    if patch_dir is not None:
        check_folder(patch_dir)  # before the models are probed, not after
    with progress(quiet) as step:
        report = run_suggest(path, _tracked(options, step))
    _emit(report, fmt, "suggest", quiet, verbose=verbose, output_file=output_file, statistics=statistics)
    if patch_dir is not None:
        options = with_settings(options, report.settings)
        chosen = {id(d): fix for d in report.diagnoses if (fix := choose(d, options)) is not None}
        written = write_series(report.project, report.diagnoses, chosen, patch_dir)
        for line in render.series_lines(written, patch_dir):
            print(line, file=sys.stderr)
    return _exit_code(report.diagnoses, exit_zero)


@app.command()
@guarded
def apply(
    path: Path = PathArg,
    strategy: str | None = typer.Option(
        None,
        "--strategy",
        help=f"Remedy to apply: {', '.join(STRATEGY_NAMES)} (default: [tool.ormfix] strategy, else auto).",
    ),
    unsafe_fixes: bool = typer.Option(
        False, "--unsafe-fixes", help="With auto: also apply unsafe fixes (comment-out)."
    ),
    models: list[str] | None = ModelsOpt,
    python: str | None = PythonOpt,
    timeout: float | None = TimeoutOpt,
    fmt: Format = FormatOpt,
    no_verify: bool = typer.Option(False, "--no-verify", help="Write fixes without verifying them."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be written; write nothing."),
    diff: bool = typer.Option(
        False, "--diff", help="Print the unified diff apply would write, and write nothing (exit 1 when there is one)."
    ),
    interactive: bool = typer.Option(False, "--interactive", "-i", help="Accept or skip each fix (y/n/a/q) first."),
    jobs: int | None = JobsOpt,
    select: list[str] | None = SelectOpt,
    ignore: list[str] | None = IgnoreOpt,
    output_file: Path | None = OutputFileOpt,
    statistics: bool = StatisticsOpt,
    exit_zero: bool = ExitZeroOpt,
    quiet: bool = QuietOpt,
    verbose: bool = VerboseOpt,
) -> int:
    """Write the chosen fixes (verified ones only), atomically, and report what is left.

    Exit 0 when nothing is left (with --dry-run / --diff: when nothing would be written either), else 1."""
    if diff and interactive:
        raise UsageError("--diff and --interactive do not go together")
    options = _options(models, python, timeout, strategy, not no_verify, unsafe_fixes, select, ignore, jobs)
    _format(fmt)
    console = _out()
    decide = (lambda chosen: ask_each_fix(chosen, console)) if interactive else None
    preview = dry_run or diff
    with progress(quiet or interactive) as step:
        report = run_apply(path, _tracked(options, step), dry_run=preview, decide=decide)
    if diff:
        if verbose:
            for line in render.verbose_lines(report):
                print(f"ormfix: {line}", file=sys.stderr)
        console.file.write(report.diff)
    else:
        _emit(
            report,
            fmt,
            "apply",
            quiet,
            verbose=verbose,
            output_file=output_file,
            statistics=statistics,
            dry_run=dry_run,
        )
    if report.refused:
        print(f"ormfix: nothing written: {report.refused}", file=sys.stderr)
        return 0 if exit_zero else 1
    would_write = preview and bool(report.diff or report.migration)
    return 0 if exit_zero else 1 if would_write else _exit_code(report.remaining)


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


CodesFormat = Enum("CodesFormat", {name: name for name in ("text", "markdown", "json")}, type=str)  # type: ignore[misc]
CodesFormatOpt = typer.Option(
    CodesFormat("text"),
    "--format",
    help="text (a table), markdown (the README's code and strategy tables) or json (codes and strategies).",
    case_sensitive=False,
)


@app.command(name="codes")
@guarded
def list_codes(fmt: CodesFormat = CodesFormatOpt) -> int:
    """List every diagnosis code, its name and its remedies (and, in markdown and json, every strategy)."""
    if fmt.value != "text":
        from . import registry_docs  # the registry rendered (markdown, json)

        print(registry_docs.markdown() if fmt.value == "markdown" else registry_docs.as_json(), end="")
        return 0
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
        if code == 130:  # Ctrl-C while typer parsed the command line: it returns 130, silently
            print("ormfix: interrupted", file=sys.stderr)
    except (UsageError, WriteRefused) as exc:
        print(f"ormfix: error: {exc}", file=sys.stderr)
        code = 2
    except (KeyboardInterrupt, _Stopped) as exc:
        print("ormfix: interrupted", file=sys.stderr)
        code = exc.args[0] if isinstance(exc, _Stopped) else 130
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
