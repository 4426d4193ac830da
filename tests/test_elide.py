"""Eliding unrelated classes before a codemod runs (codemods/_elide.py) changes no byte of the result."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import FIXTURES, SAMPLES

from ormfix.codemods import _command, _file_facts, add_tablename, comment_out, relationship_arg
from ormfix.codemods._elide import Elided, split_lines
from ormfix.codemods._errors import NotApplicable

BIG = (
    "".join(
        f"@decorate\nclass Model{i}(Base):\r\n    __tablename__ = 'model_{i}'\r\n    id = Column(Integer, primary_key=True)\r\n"
        f'    owner = relationship("Model{max(i - 1, 0)}")  # keep me\r\n\r\n\x0c\r\n'
        for i in range(40)
    )
    + "def helper():\r\n    return 1\r\n"
)


def test_split_lines_keeps_every_byte_and_ignores_form_feeds():
    text = "a\r\nb\rc\x0cd\ne"
    assert split_lines(text) == ["a\r\n", "b\r", "c\x0cd\n", "e"]
    assert "".join(split_lines(BIG)) == BIG


def test_elided_text_restores_byte_for_byte():
    elided = Elided.of(BIG, {"class_name": "Model7"})
    assert elided is not None and len(elided.text) < len(BIG) // 3
    assert "class Model7(" in elided.text and "class Model8(" not in elided.text
    assert elided.restore(elided.text) == BIG


def test_a_moved_or_lost_marker_falls_back():
    elided = Elided.of(BIG, {"class_name": "Model7"})
    first = elided.runs[0][0]
    assert elided.restore(elided.text.replace(first, "")) is None
    assert elided.restore(elided.text.replace(first, "    " + first)) is None


def test_small_files_and_unparsable_files_are_left_whole():
    assert Elided.of("class A:\n    x = 1\nclass B:\n    y = 2\n", {"class_name": "A"}) is None
    assert Elided.of("class A(:\n", {"class_name": "A"}, always=True) is None


def _classes(path: Path) -> int:
    try:
        return sum(isinstance(n, ast.ClassDef) for n in ast.parse(path.read_bytes()).body)
    except (SyntaxError, ValueError):
        return 0  # the bad-input fixtures


def _model_files() -> list[Path]:
    files = sorted(FIXTURES.glob("*/models/*.py")) + sorted(SAMPLES.rglob("models/*.py"))
    return [f for f in files if _classes(f) >= 2]


def _relationships(tree: ast.Module):
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            for statement in node.body:
                value = getattr(statement, "value", None)
                target = getattr(statement, "target", None) or (getattr(statement, "targets", None) or [None])[0]
                if (
                    isinstance(value, ast.Call)
                    and isinstance(target, ast.Name)
                    and getattr(value.func, "attr", getattr(value.func, "id", "")) == "relationship"
                ):
                    yield node.name, target.id


@pytest.mark.parametrize("path", _model_files(), ids=lambda p: str(p.relative_to(p.parents[2])))
def test_codemods_on_elided_files_equal_whole_files(path, monkeypatch):
    """Every relationship of every multi-class model file in the repository: comment-out, a keyword
    and a __tablename__, each run on the elided file and on the whole file (SELFCHECK compares)."""
    monkeypatch.setattr(_command, "SELFCHECK", True)
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    ran = 0
    for class_name, attribute in _relationships(tree):
        for run in (
            lambda c=class_name, a=attribute: comment_out.apply(source, c, a, "test"),
            lambda c=class_name, a=attribute: relationship_arg.apply(
                source, class_name=c, attribute=a, keyword="overlaps", text="other"
            ),
            lambda c=class_name: add_tablename.apply(source, class_name=c, tablename="t", replace=True),
        ):
            try:
                run()
                ran += 1
            except NotApplicable:
                pass
    assert ran or not list(_relationships(tree))


def test_file_facts_read_the_whole_file():
    assert _file_facts.preferred_quote("x = \"a\"\ny = ForeignKey('t.id')\n") == "'"
    assert _file_facts.preferred_quote("x = 'a'\ny = 'b'\nz = \"c\"\n") == "'"
    assert _file_facts.preferred_quote("x = f'a' f'b'\ny = \"c\"\n'''doc'''\n") == '"'
    assert _file_facts.uses_pipe_optional("x: Mapped[int | None]\n") is True
    assert _file_facts.uses_pipe_optional("x: Optional[int]  # int | None\n") is False
    assert _file_facts.preferred_quote("x = (\n") is None
