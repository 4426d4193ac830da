"""The probe's round-trip: real tables on in-memory SQLite, objects stored and loaded back through a
relationship in both directions, for every kind of relationship the clean fixtures hold."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from ormfix.config import Settings
from ormfix.discover import discover
from ormfix.probe.runner import run_probe

CASES = [
    ("clean_classic", "models.category", "Category", "children"),  # self-referential, one-to-many side
    ("clean_classic", "models.category", "Category", "parent"),  # self-referential, many-to-one side
    ("clean_classic", "models.user", "User", "posts"),  # lazy="dynamic"
    ("clean_classic", "models.post", "Post", "tags"),  # many-to-many
    ("clean_classic", "models.post", "Post", "category"),  # backref
    ("clean_flask", "models.user", "User", "posts"),  # Flask-SQLAlchemy, dynamic, backref
    ("clean_flask", "models.post", "Post", "tags"),  # db.Table many-to-many, dynamic backref
    ("clean_flask", "models.category", "Category", "parent"),
    ("clean_mapped", "models.user", "User", "posts"),  # 2.0 Mapped[list[...]], Uuid keys
    ("clean_mapped", "models.post", "Post", "tags"),
    ("clean_mapped", "models.category", "Category", "children"),
]


@pytest.mark.parametrize("case", sorted({c[0] for c in CASES}))
def test_round_trip_every_relationship_kind(case):
    project = discover(FIXTURES / case, Settings())
    wanted = [{"module": m, "class": c, "attribute": a} for name, m, c, a in CASES if name == case]
    result = run_probe(project, roundtrip=wanted)
    assert result.clean, (result.errors, result.import_errors)
    outcomes = {(r["class"], r["attribute"]): r for r in result.roundtrips}
    for request in wanted:
        outcome = outcomes[(request["class"], request["attribute"])]
        assert outcome["status"] == "passed", outcome
        assert "stored and loaded" in outcome["detail"]


def test_round_trip_fails_for_a_missing_relationship():
    project = discover(FIXTURES / "clean_classic", Settings())
    result = run_probe(project, roundtrip=[{"module": "models.user", "class": "User", "attribute": "nope"}])
    assert result.roundtrips[0]["status"] == "failed"


def test_round_trip_skips_schemas_sqlite_cannot_hold(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    (models / "__init__.py").write_text("from models.org import Org, Team\n")
    (models / "org.py").write_text(
        "from sqlalchemy import Column, ForeignKey, Integer\n"
        "from sqlalchemy.orm import declarative_base, relationship\n"
        "Base = declarative_base()\n"
        "class Org(Base):\n"
        "    __tablename__ = 'orgs'\n"
        "    __table_args__ = {'schema': 'tenant'}\n"
        "    id = Column(Integer, primary_key=True)\n"
        "    teams = relationship('Team', backref='org')\n"
        "class Team(Base):\n"
        "    __tablename__ = 'teams'\n"
        "    __table_args__ = {'schema': 'tenant'}\n"
        "    id = Column(Integer, primary_key=True)\n"
        "    org_id = Column(Integer, ForeignKey('tenant.orgs.id'))\n"
    )
    project = discover(tmp_path, Settings())
    result = run_probe(project, roundtrip=[{"module": "models.org", "class": "Org", "attribute": "teams"}])
    assert result.clean
    assert result.roundtrips[0]["status"] == "skipped"
    assert "schema" in result.roundtrips[0]["detail"]


def test_round_trip_creates_only_the_tables_it_reaches_and_falls_back_to_all(tmp_path):
    """Tables are created as round trips need them; a column_property reading a table no relationship
    leads to ('no such table') makes the probe create every table and try again."""
    models = tmp_path / "models"
    models.mkdir()
    (models / "__init__.py").write_text("from models.blog import Author, Post, Audit, Unrelated\n")
    (models / "blog.py").write_text(
        "from sqlalchemy import Column, ForeignKey, Integer, String, func, select\n"
        "from sqlalchemy.orm import column_property, declarative_base, relationship\n"
        "Base = declarative_base()\n"
        "class Audit(Base):\n"
        "    __tablename__ = 'audits'\n"
        "    id = Column(Integer, primary_key=True)\n"
        "    author_id = Column(Integer)\n"
        "class Unrelated(Base):\n"
        "    __tablename__ = 'unrelated'\n"
        "    id = Column(Integer, primary_key=True)\n"
        "class Author(Base):\n"
        "    __tablename__ = 'authors'\n"
        "    id = Column(Integer, primary_key=True)\n"
        "    name = Column(String(20))\n"
        "    audits = column_property(select(func.count(Audit.id)).where(Audit.author_id == id).scalar_subquery())\n"
        "    posts = relationship('Post', back_populates='author')\n"
        "class Post(Base):\n"
        "    __tablename__ = 'posts'\n"
        "    id = Column(Integer, primary_key=True)\n"
        "    author_id = Column(Integer, ForeignKey('authors.id'))\n"
        "    author = relationship('Author', back_populates='posts', lazy='joined')\n"
    )
    project = discover(tmp_path, Settings())
    wanted = [{"module": "models.blog", "class": "Post", "attribute": "author"}]
    result = run_probe(project, roundtrip=wanted)
    assert result.clean, (result.errors, result.import_errors)
    (outcome,) = result.roundtrips
    assert outcome["status"] == "passed", outcome
    assert "and back through Author.posts" in outcome["detail"]


def test_a_class_with_another_broken_relationship_skips_the_round_trip_instead_of_failing_the_fix(tmp_path):
    """Post.owner is broken too (a class that does not exist, no safe fix): the foreign-keys fix of
    Author.posts still verifies; its round trip through Post is skipped, naming the other diagnosis."""
    from ormfix.pipeline import Options, suggest

    models = tmp_path / "models"
    models.mkdir()
    (models / "__init__.py").write_text("from models.blog import Author, Post\n")
    (models / "blog.py").write_text(
        "from sqlalchemy import Column, ForeignKey, Integer\n"
        "from sqlalchemy.orm import declarative_base, relationship\n"
        "Base = declarative_base()\n"
        "class Author(Base):\n"
        "    __tablename__ = 'authors'\n"
        "    id = Column(Integer, primary_key=True)\n"
        "    posts = relationship('Post')\n"
        "class Post(Base):\n"
        "    __tablename__ = 'posts'\n"
        "    id = Column(Integer, primary_key=True)\n"
        "    author_id = Column(Integer)\n"
        "    owner = relationship('Nobody')\n"
    )
    report = suggest(tmp_path, Options(strategy="foreign-keys"))
    diagnosis = next(d for d in report.diagnoses if (d.class_name, d.attribute) == ("Author", "posts"))
    (fix,) = diagnosis.fixes
    assert fix.verified, fix.verification
    assert fix.roundtrip.startswith("skipped: Post.owner is still broken here"), fix.roundtrip
