"""The did-you-mean remedies of ORM017-ORM019 never guess blindly: with no close match they do not apply,
while the diagnosis (and comment-out) stays."""

from __future__ import annotations

import pytest

from ormfix.pipeline import Options, suggest

CASES = [
    # fixture, file, written -> replaced by, code, the strategy that must not apply
    ("orm017_flask_fk_typo", "models/user.py", ("'Post.autor_id'", "'Post.zzz'"), "ORM017", "fix-foreign-keys-arg"),
    ("orm018_flask_secondary_typo", "models/post.py", ("'post_tag'", "'qqq'"), "ORM018", "fix-secondary"),
    # a table that no class maps (the association table): no class to point at
    (
        "orm018_flask_secondary_typo",
        "models/post.py",
        ("'Tag', secondary='post_tag'", "'post_tags'"),
        "ORM019",
        "target-to-class",
    ),
]


@pytest.mark.parametrize("name, file, edit, code, strategy", CASES)
def test_no_close_match_no_guess(name, file, edit, code, strategy, project_copy):
    root = project_copy(name)
    path = root / file
    text = path.read_text()
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1]))
    report = suggest(root, Options())
    assert [d.code for d in report.diagnoses] == [code], [d.message for d in report.diagnoses]
    fixes = {fix.strategy: fix for fix in report.diagnoses[0].fixes}
    assert fixes[strategy].not_applicable and not fixes[strategy].applies
    assert fixes["comment-out"].applies and fixes["comment-out"].verified


BASE = "from sqlalchemy.orm import DeclarativeBase\n\n\nclass Base(DeclarativeBase):\n    pass\n"
TABLE = """

class {cls}(Base):
    __tablename__ = "{table}"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
"""
HEAD = (
    "from typing import Optional\n\nfrom sqlalchemy import ForeignKey, Integer\n"
    "from sqlalchemy.orm import Mapped, mapped_column, relationship\n\nfrom models.base import Base\n"
)


def _fk_project(root, tables: list[tuple[str, str]], holder: str) -> None:
    package = root / "models"
    package.mkdir()
    (package / "base.py").write_text(BASE)
    (package / "tables.py").write_text(HEAD + "".join(TABLE.format(cls=c, table=t) for c, t in tables) + holder)
    (package / "__init__.py").write_text("from models.base import Base\nfrom models import tables\n")


def test_fk_target_typo_prefers_the_relationships_target_table(tmp_path):
    # 'ingredient_617s' is one letter from 'ingredient_767s' but the relationship says Ingredient167
    holder = """

class Vendor(Base):
    __tablename__ = "vendors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ingredient_167_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ingredient_617s.id"))

    ingredient_167: Mapped[Optional["Ingredient167"]] = relationship("Ingredient167")
"""
    _fk_project(tmp_path, [("Ingredient767", "ingredient_767s"), ("Ingredient167", "ingredient_167s")], holder)
    report = suggest(tmp_path, Options())
    assert [d.code for d in report.diagnoses] == ["ORM030"], [d.message for d in report.diagnoses]
    assert "did you mean 'ingredient_167s.id'" in report.diagnoses[0].message
    fix = next(f for f in report.diagnoses[0].fixes if f.strategy == "fix-fk-target")
    assert fix.verified, fix.verification
    assert '+    ingredient_167_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ingredient_167s.id"))' in fix.diff


def test_fk_target_typo_with_two_equally_close_tables_is_not_guessed(tmp_path):
    holder = """

class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    part_ref: Mapped[Optional[int]] = mapped_column(ForeignKey("parts.id"))
"""
    _fk_project(tmp_path, [("PartA", "partsa"), ("PartB", "partsb")], holder)
    report = suggest(tmp_path, Options())
    assert [d.code for d in report.diagnoses] == ["ORM030"], [d.message for d in report.diagnoses]
    assert "did you mean" not in report.diagnoses[0].message
    fix = next(f for f in report.diagnoses[0].fixes if f.strategy == "fix-fk-target")
    assert not fix.applies and "no existing table.column is close" in fix.not_applicable


def test_a_fix_that_breaks_its_own_lines_fails_without_bisecting_the_batch(tmp_path):
    """One batch holds the fix of every diagnosis. Removing Manager.name's trailing comma makes the
    column real, and in single-table inheritance it clashes with Person.name: a new error inside the
    lines that fix changed, so that fix fails and the rest runs again once (3 probes: diagnose, batch,
    rerun), not a bisection (6)."""
    holder = """

class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(50))
    __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_identity": "person"}


class Manager(Person):
    name = mapped_column(String(80)),
    __mapper_args__ = {"polymorphic_identity": "manager"}
"""
    for number in range(4):
        holder += f"""

class Note{number}(Base):
    __tablename__ = "notes{number}"

    id = mapped_column(Integer, primary_key=True)
    body = mapped_column(Integer),
"""
    _fk_project(tmp_path, [], holder)
    tables = tmp_path / "models" / "tables.py"
    tables.write_text(tables.read_text().replace("import ForeignKey, Integer", "import ForeignKey, Integer, String"))
    report = suggest(tmp_path, Options())
    assert sorted(d.class_name for d in report.diagnoses) == ["Manager"] + [f"Note{n}" for n in range(4)], [
        d.message for d in report.diagnoses
    ]
    fixes = {d.class_name: d.fixes[0] for d in report.diagnoses}
    assert fixes["Manager"].verified is False and "causes a new problem" in fixes["Manager"].verification
    for number in range(4):
        assert fixes[f"Note{number}"].verified, fixes[f"Note{number}"].verification
    assert report.probes == 3
