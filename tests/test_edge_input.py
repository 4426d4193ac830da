"""Edge input that must simply work: odd files beside the models, odd formatting in the file a fix rewrites."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, configure_in_subprocess, copy_project, run_ormfix
from safety import snapshot

BOOK = "models/book.py"
AUTHOR = "models/author.py"


def _crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def _tabs(text: str) -> str:
    return text.replace("    ", "\t")


def _latin1_cookie(text: str) -> bytes:
    return (
        "# -*- coding: latin-1 -*-\n# Bücher und Autoren\n"
        + text.replace("sa.String(13), unique=True)", 'sa.String(13), unique=True, comment="numéro")')
    ).encode("latin-1")


def _long_and_deep(text: str) -> str:
    nested = "[" * 40 + "1" + "]" * 40
    deep = "".join("    " * (level + 1) + f"if LEVEL > {level}:\n" for level in range(30)) + "    " * 31 + "pass\n"
    long_line = "ISBN_PREFIXES = (" + ", ".join(f'"{n:05d}"' for n in range(800)) + ")  # a very long line\n"
    return (
        text.replace(
            "from models.base import Base\n",
            f"from models.base import Base\n\n{long_line}NESTED = {nested}\nLEVEL = 0\n\n\ndef deep():\n{deep}\n",
        )
        + f"\n    def nested(self):\n        return {nested}\n"
    )


VARIANTS = {  # name -> (file the variant rewrites, transform, strategy whose fix rewrites that file)
    "crlf-tabs-add-fk-column": (BOOK, lambda text: _crlf(_tabs(text)), "add-fk-column"),
    "crlf-tabs-comment-out": (AUTHOR, lambda text: _crlf(_tabs(text)), "comment-out"),
    "latin1-cookie": (BOOK, _latin1_cookie, "add-fk-column"),
    "long-lines-deep-nesting": (BOOK, _long_and_deep, "add-fk-column"),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_fix_keeps_the_files_formatting(tmp_path, variant):
    rel, transform, strategy = VARIANTS[variant]
    project = copy_project(FIXTURES / "orm001_classic_missing_column", tmp_path)
    changed = transform((project / rel).read_text())
    (project / rel).write_bytes(changed if isinstance(changed, bytes) else changed.encode())
    old = (project / rel).read_bytes()
    before = snapshot(project)
    result = run_ormfix("apply", str(project), "--strategy", strategy, "--unsafe-fixes")
    assert result.returncode == 0, (result.stdout, result.stderr)
    new = (project / rel).read_bytes()
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    kept = [line for line in new_lines if line in old_lines]
    assert len(kept) >= len(old_lines) - (0 if strategy == "add-fk-column" else 7)  # comment-out rewrites the call
    if variant.startswith("crlf-tabs"):
        assert new.count(b"\n") == new.count(b"\r\n")
        assert not any(line.startswith(b"    ") for line in new_lines)
    if variant == "latin1-cookie":
        assert 'comment="numéro"'.encode("latin-1") in new and new.startswith(b"# -*- coding: latin-1 -*-\n")
    if variant == "long-lines-deep-nesting":
        assert all(line in new_lines for line in old_lines)  # only an insertion
    assert {k: v for k, v in snapshot(project).items() if k != rel} == {k: v for k, v in before.items() if k != rel}
    assert "CONFIGURED" in configure_in_subprocess(project, "models").stdout


def test_empty_and_comment_only_modules_beside_the_models(tmp_path):
    project = copy_project(FIXTURES / "orm001_classic_missing_column", tmp_path)
    (project / "models/empty.py").write_bytes(b"")
    (project / "models/notes.py").write_text("# nothing here yet\n# (the team keeps notes in comments)\n")
    (project / "models/docstring_only.py").write_text('"""Reserved for future models."""\n')
    (project / "scripts").mkdir()
    (project / "scripts/__init__.py").write_bytes(b"")
    (project / "scripts/todo.py").write_text("# TODO\r\n")
    (project / "models/__init__.py").write_text(
        (project / "models/__init__.py").read_text() + "from models import empty, notes, docstring_only  # noqa\n"
    )
    untouched = {k: v for k, v in snapshot(project).items() if k != BOOK}
    checked = run_ormfix("check", str(project), "--format", "json")
    assert checked.returncode == 1 and '"code": "ORM001"' in checked.stdout, checked.stderr
    result = run_ormfix("apply", str(project), "--strategy", "add-fk-column")
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert {k: v for k, v in snapshot(project).items() if k != BOOK} == untouched


def test_class_statements_that_raise_in_two_modules_of_a_package_do_not_hide_the_modules_after_them(tmp_path):
    """models/__init__ imports a.py, b.py, c.py; a class statement raises in a.py and in b.py (a
    relationship to a class object that does not exist): both are reported at their lines, and c.py,
    imported after them, is still checked (its own broken relationship is found, nothing is reported
    as 'never mapped')."""
    from ormfix.pipeline import Options, check

    models = tmp_path / "models"
    models.mkdir()
    (models / "__init__.py").write_text(
        "from models.base import Base\nfrom models.a import A, Ghostly\n"
        "from models.b import B, Spooky\nfrom models.c import C\n"
    )
    (models / "base.py").write_text("from sqlalchemy.orm import declarative_base\nBase = declarative_base()\n")
    header = "from sqlalchemy import Column, ForeignKey, Integer\nfrom sqlalchemy.orm import relationship\nfrom models.base import Base\n"
    for name, table in (("a", "as_"), ("b", "bs")):
        upper = name.upper()
        broken = "Ghostly" if name == "a" else "Spooky"
        (models / f"{name}.py").write_text(
            header
            + f"class {broken}(Base):\n    __tablename__ = '{broken.lower()}s'\n    id = Column(Integer, primary_key=True)\n"
            f"    nothing = relationship(NoSuchClass{upper})\n"
            f"class {upper}(Base):\n    __tablename__ = '{table}'\n    id = Column(Integer, primary_key=True)\n"
        )
    (models / "c.py").write_text(
        header + "class C(Base):\n    __tablename__ = 'cs'\n    id = Column(Integer, primary_key=True)\n"
        "    a_id = Column(Integer, ForeignKey('as_.id'))\n    a = relationship('A')\n    b = relationship('B')\n"
    )
    report = check(tmp_path, Options())
    found = sorted((d.code, d.file, d.line, d.attribute) for d in report.diagnoses)
    assert found == [
        ("ORM001", "models/c.py", 9, "b"),
        ("ORM002", "models/a.py", 7, "nothing"),
        ("ORM002", "models/b.py", 7, "nothing"),
    ], [d.message for d in report.diagnoses]


def test_a_relationship_that_raises_at_import_does_not_hide_the_faults_behind_its_class(tmp_path):
    """Author.books = relationship(Bok, ...) raises NameError as the class statement runs. The probe builds
    Author without that statement, so Review.author (no ForeignKey to authors: a fault of its own, hidden
    while Author did not exist) is found, and Book.author (whose back_populates partner is the statement
    left out) is folded under the NameError, not reported again."""
    from ormfix.pipeline import Options, check

    models = tmp_path / "models"
    models.mkdir()
    (models / "__init__.py").write_text(
        "from models.base import Base\nfrom models.author import Author\n"
        "from models.book import Book\nfrom models.review import Review\n"
    )
    (models / "base.py").write_text("from sqlalchemy.orm import declarative_base\nBase = declarative_base()\n")
    header = "from sqlalchemy import Column, ForeignKey, Integer\nfrom sqlalchemy.orm import relationship\nfrom models.base import Base\n"
    (models / "author.py").write_text(
        header + "class Author(Base):\n    __tablename__ = 'authors'\n"
        "    id = Column(Integer, primary_key=True)\n"
        "    books = relationship(Bok, back_populates='author')\n"
    )
    (models / "book.py").write_text(
        header + "class Book(Base):\n    __tablename__ = 'books'\n"
        "    id = Column(Integer, primary_key=True)\n"
        "    author_id = Column(Integer, ForeignKey('authors.id'))\n"
        "    author = relationship('Author', back_populates='books')\n"
    )
    (models / "review.py").write_text(
        header + "class Review(Base):\n    __tablename__ = 'reviews'\n"
        "    id = Column(Integer, primary_key=True)\n"
        "    author = relationship('Author')\n"
    )
    report = check(tmp_path, Options())
    found = sorted((d.code, d.file, d.line, d.attribute) for d in report.diagnoses)
    assert found == [("ORM001", "models/review.py", 7, "author"), ("ORM002", "models/author.py", 7, "books")], [
        d.message for d in report.diagnoses
    ]


def test_flask_warnings_from_two_classes_with_the_same_tuple_attribute_are_each_at_their_class(project_copy):
    """Flask-SQLAlchemy warns from its own frame; with two classes assigning `color = db.Column(...),` the
    attribute name does not single one out: the probe records each warning at the class statement that
    caused it (the project's innermost frame), so both are reported, each at its class's tuple assignment."""
    from ormfix.pipeline import Options, check

    root = project_copy("orm044_flask_tag_color")
    (root / "models" / "swatch.py").write_text(
        "from extensions import db\n\n\nclass Swatch(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n"
        "    color = db.Column(db.String(7)),\n"
    )
    init = root / "models" / "__init__.py"
    init.write_text(init.read_text() + "from models.swatch import Swatch  # noqa: E402,F401\n")
    report = check(root, Options())
    found = sorted((d.code, d.file, d.line, d.class_name) for d in report.diagnoses)
    assert found == [("ORM044", "models/label.py", 9, "Label"), ("ORM044", "models/swatch.py", 6, "Swatch")], [
        d.message for d in report.diagnoses
    ]
