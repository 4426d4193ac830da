"""What `apply --strategy=auto --unsafe-fixes` restores on models no one here wrote: faults injected the way
people make them into pinned published packages (a ForeignKey removed from its column, the FK column
deleted, a relationship's target misspelled), and the mapping after the fix (every relationship's target
class and join columns, read from SQLAlchemy in the package's own venv) compared with the mapping before
the fault. The test prints the figure per package; it must be at least 80%, and every fault that only
removed a ForeignKey must be restored."""

from __future__ import annotations

import ast
import json
import subprocess
from pathlib import Path

import pytest
from conftest import run_ormfix
from published import PACKAGES, Published, callee, class_body_calls, delete_fk_column, relationships
from published import rename_target as misspell_target

pytestmark = pytest.mark.slow

MAPPING = """
import importlib, json, sys
from sqlalchemy.orm import configure_mappers
importlib.import_module(sys.argv[1])
try:
    configure_mappers()
except Exception as exc:
    print(json.dumps(None)); raise SystemExit(0)
from sqlalchemy.orm import mapperlib
found = {}
for registry in list(mapperlib._mapper_registries):
    for mapper in registry.mappers:
        for prop in mapper.relationships:
            found[f"{mapper.class_.__name__}.{prop.key}"] = [prop.mapper.class_.__name__, sorted(
                [f"{l.table.name}.{l.name}", f"{r.table.name}.{r.name}"] for l, r in prop.local_remote_pairs)]
print(json.dumps(found, sort_keys=True))
"""


def mapping(project: Path, pkg: Published):
    """{Class.attribute: [target class, join column pairs]} as SQLAlchemy configures it, or None."""
    result = subprocess.run(
        [pkg.python, "-c", MAPPING, pkg.models], cwd=project, capture_output=True, text=True, timeout=120
    )
    return (
        json.loads(result.stdout.strip().splitlines()[-1]) if result.returncode == 0 and result.stdout.strip() else None
    )


def _offset(lines: list[str], line: int, col: int) -> int:
    return sum(len(text.encode()) for text in lines[: line - 1]) + col


def remove_foreign_key(source: str, class_name: str, column: str) -> str:
    """The source with only the ForeignKey(...) argument of ``class_name.column`` removed (and its comma)."""
    for cls, name, _, call in class_body_calls(ast.parse(source)):
        if (cls.name, name) != (class_name, column):
            continue
        args = list(call.args)
        index = next(i for i, arg in enumerate(args) if isinstance(arg, ast.Call) and callee(arg) == "ForeignKey")
        lines = source.splitlines(keepends=True)
        data = source.encode()
        start = _offset(lines, args[index].lineno, args[index].col_offset)
        following = args[index + 1 :] + sorted(call.keywords, key=lambda k: (k.lineno, k.col_offset))
        if following:
            end = _offset(lines, following[0].lineno, following[0].col_offset)
        else:  # the last argument: from the end of the one before it
            end = _offset(lines, args[index].end_lineno, args[index].end_col_offset)
            previous = args[index - 1]
            start = _offset(lines, previous.end_lineno, previous.end_col_offset)
        return (data[:start] + data[end:]).decode()
    raise LookupError(f"{class_name}.{column}")


def faults(source: str) -> list[tuple[str, str, str]]:
    """(kind, class, attribute) for every fault worth injecting into the models file."""
    tree = ast.parse(source)
    found = []
    for cls, name, _, call in class_body_calls(tree):
        if any(isinstance(arg, ast.Call) and callee(arg) == "ForeignKey" for arg in call.args):
            found += [("fk-only", cls.name, name), ("fk-column", cls.name, name)]
    found += [("rename", cls, attr) for cls, attr in relationships(tree)]
    return found


def inject(kind: str, source: str, class_name: str, attribute: str) -> str:
    if kind == "fk-only":
        return remove_foreign_key(source, class_name, attribute)
    if kind == "fk-column":
        return delete_fk_column(source, class_name, attribute)
    return misspell_target(source, class_name, attribute)


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_auto_unsafe_fixes_restore_the_original_mapping(name, tmp_path, capsys):
    pkg = PACKAGES[name]
    pristine = pkg.copy_into(tmp_path / "pristine")
    original = mapping(pristine, pkg)
    assert original, "the package's models configure as published"
    source = (pristine / pkg.models_file).read_text()
    outcomes = {}
    for number, (kind, class_name, attribute) in enumerate(faults(source)):
        project = tmp_path / f"fault-{number}"
        import shutil

        shutil.copytree(pristine, project)
        try:
            broken = inject(kind, source, class_name, attribute)
        except (LookupError, StopIteration, IndexError):
            continue
        (project / pkg.models_file).write_text(broken)
        if mapping(project, pkg) == original:
            continue  # a fault SQLAlchemy does not notice changes no mapping: nothing to restore
        result = run_ormfix(
            "apply",
            str(project),
            "--strategy=auto",
            "--unsafe-fixes",
            "--python",
            pkg.python,
            "--models",
            pkg.models,
            "--format",
            "json",
        )
        assert "Traceback" not in result.stderr, result.stderr
        outcomes[(kind, class_name, attribute)] = mapping(project, pkg) == original
        shutil.rmtree(project)
    restored = sum(outcomes.values())
    only_fk = {fault: ok for fault, ok in outcomes.items() if fault[0] == "fk-only"}
    with capsys.disabled():
        print(
            f"\n{name}: apply --strategy=auto --unsafe-fixes restored the original mapping in {restored} of "
            f"{len(outcomes)} faults ({restored / max(len(outcomes), 1):.0%}); ForeignKey-only: "
            f"{sum(only_fk.values())} of {len(only_fk)}"
        )
        for fault, ok in sorted(outcomes.items()):
            if not ok:
                print(f"  not restored: {' '.join(fault)}")
    assert outcomes
    assert all(only_fk.values()), [f for f, ok in only_fk.items() if not ok]
    assert restored / len(outcomes) >= 0.8
