"""Property: on generated model modules in the three styles, every codemod that applies keeps the module
parseable, changes only the lines its fix is about, and (checked in a subprocess) the fixed module configures."""

from __future__ import annotations

import ast
import difflib
import subprocess
import sys
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ormfix.codemods import add_fk_column, comment_out, foreign_keys

HEADERS = {
    "flask": "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n",
    "classic": (
        "from sqlalchemy import Boolean, Column, Integer, String\n"
        "from sqlalchemy.orm import declarative_base, relationship\n\nBase = declarative_base()\n"
    ),
    "mapped": (
        "from typing import List, Optional\n\nfrom sqlalchemy import String\n"
        "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship\n\n\n"
        "class Base(DeclarativeBase):\n    pass\n"
    ),
}
BASES = {"flask": "db.Model", "classic": "Base", "mapped": "Base"}
EXTRAS = ["name", "age", "active"]
RELATIONSHIP_KWARGS = ['backref="parent"', 'lazy="select"', 'order_by="Child.id"', 'cascade="all, delete-orphan"']


def column(style: str, name: str, fk: str | None = None, pk: bool = False) -> str:
    kind = {"name": ("String(50)", "str"), "age": ("Integer", "int"), "active": ("Boolean", "bool")}.get(
        name, ("Integer", "int")
    )
    if style == "mapped":
        if pk:
            return f"    {name}: Mapped[int] = mapped_column(primary_key=True)"
        args = f'ForeignKey("{fk}")' if fk else (kind[0] if kind[0].startswith("String") else "")
        return f"    {name}: Mapped[Optional[{kind[1]}]] = mapped_column({args})"
    prefix = "db." if style == "flask" else ""
    args = [f"{prefix}{kind[0]}"]
    if fk:
        args.append(f'{prefix}ForeignKey("{fk}")')
    if pk:
        args.append("primary_key=True")
    return f"    {name} = {prefix}Column({', '.join(args)})"


@dataclass
class Model:
    style: str
    fault: str  # missing-fk | missing-target | ambiguous
    source: str
    relationship_lines: tuple[int, int]  # 1-based, inclusive: the Parent.children statement


@st.composite
def models(draw) -> Model:
    style = draw(st.sampled_from(sorted(HEADERS)))
    fault = draw(st.sampled_from(["missing-fk", "missing-target", "ambiguous"]))
    parent_extras = draw(st.lists(st.sampled_from(EXTRAS), unique=True, max_size=3))
    child_extras = draw(st.lists(st.sampled_from(EXTRAS), unique=True, max_size=3))
    kwargs = draw(st.lists(st.sampled_from(RELATIONSHIP_KWARGS), unique=True, max_size=3))
    multiline = draw(st.booleans())
    target = "Ghost" if fault == "missing-target" else "Child"
    kwargs = [k.replace("Child.id", f"{target}.id") for k in kwargs]
    if style == "mapped" and draw(st.booleans()):
        call_args = kwargs  # the target comes from Mapped[List["Child"]] alone
    else:
        call_args = [f'"{target}"', *kwargs]
    relationship = "db.relationship" if style == "flask" else "relationship"
    annotation = f': Mapped[List["{target}"]]' if style == "mapped" else ""
    if multiline and call_args:
        call = f"{relationship}(\n" + "".join(f"        {a},  # note {i}\n" for i, a in enumerate(call_args)) + "    )"
    else:
        call = f"{relationship}({', '.join(call_args)})"
    fk_columns = {"missing-fk": [], "missing-target": ["parent_id"], "ambiguous": ["parent_id", "editor_id"]}[fault]
    header = HEADERS[style]
    if fk_columns and style != "flask":  # missing-fk leaves ForeignKey for add-fk-column to import
        header = header.replace("from sqlalchemy import ", "from sqlalchemy import ForeignKey, ", 1)
    lines = header.rstrip("\n").split("\n")
    lines += [
        "",
        "",
        f"class Parent({BASES[style]}):",
        '    __tablename__ = "parents"',
        "",
        column(style, "id", pk=True),
        *(column(style, name) for name in parent_extras),
    ]
    start = len(lines) + 1
    lines += [f"    children{annotation} = {call}"]
    lines = "\n".join(lines).split("\n")
    end = len(lines)
    lines += [
        "",
        "",
        f"class Child({BASES[style]}):",
        '    __tablename__ = "children"',
        "",
        column(style, "id", pk=True),
        *(column(style, name) for name in child_extras),
        *(column(style, name, fk="parents.id") for name in fk_columns),
    ]
    return Model(style, fault, "\n".join(lines) + "\n", (start, end))


def fixes_for(model: Model) -> list[tuple[str, str]]:
    """(strategy, fixed source) for every codemod that applies to the model's fault."""
    src = model.source
    reason = "Parent.children is broken (generated); disabled so the mappers configure."
    fixed = [("comment-out", comment_out.apply(src, "Parent", "children", reason))]
    if model.fault == "missing-fk":
        fixed.append(("add-fk-column", add_fk_column.apply(src, "Child", "parent_id", "parents.id")))
    if model.fault == "ambiguous":
        fixed.append(
            ("foreign-keys", foreign_keys.add_foreign_keys_arg(src, "Parent", "children", '"Child.parent_id"'))
        )
    return fixed


def is_import(line: str) -> bool:
    return line.startswith(("from ", "import "))


def check_only_expected_lines_changed(model: Model, strategy: str, after: str) -> None:
    before_lines, after_lines = model.source.splitlines(), after.splitlines()
    first, last = model.relationship_lines
    matcher = difflib.SequenceMatcher(a=before_lines, b=after_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        removed, added = before_lines[i1:i2], after_lines[j1:j2]
        in_relationship = first - 1 <= i1 and i2 <= last
        if strategy == "comment-out":
            assert in_relationship or not removed, (removed, added)
            assert all(line.lstrip().startswith("#") for line in added), added
        elif strategy == "foreign-keys":
            assert all(is_import(line) for line in removed) or in_relationship, (removed, added)
        else:  # add-fk-column: a new line in Child, perhaps one import extended
            assert all(is_import(line) for line in removed), (removed, added)
            assert all(is_import(line) or "parent_id" in line for line in added), added


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models())
def test_codemods_keep_modules_parseable_and_change_only_their_lines(model):
    compile(model.source, "generated.py", "exec")
    for strategy, after in fixes_for(model):
        ast.parse(after)
        assert after != model.source
        check_only_expected_lines_changed(model, strategy, after)


CONFIGURE = (
    "import importlib.util, sys\n"
    "spec = importlib.util.spec_from_file_location('generated', sys.argv[1])\n"
    "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)\n"
    "from sqlalchemy.orm import configure_mappers; configure_mappers(); print('CONFIGURED')\n"
)


def configures(tmp_path, source: str) -> subprocess.CompletedProcess:
    path = tmp_path / "generated.py"
    path.write_text(source)
    return subprocess.run(
        [sys.executable, "-B", "-c", CONFIGURE, str(path)], capture_output=True, text=True, timeout=60
    )


@pytest.mark.slow  # a configure subprocess per generated model and fix
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(models())
def test_fixed_modules_really_configure(tmp_path, model):
    broken = configures(tmp_path, model.source)
    assert broken.returncode != 0 and "CONFIGURED" not in broken.stdout, "the generated fault did not break it"
    for strategy, after in fixes_for(model):
        fixed = configures(tmp_path, after)
        assert "CONFIGURED" in fixed.stdout, (strategy, after, fixed.stderr[-2000:])
