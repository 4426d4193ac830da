"""A fix is verified only when it adds no diagnosis, error or warning, absent before; the ambiguous
collection whose child has its own many-to-one is linked with back_populates, not left to overlap."""

from __future__ import annotations

from functools import partial

import pytest
from conftest import configure_in_subprocess

from ormfix.codemods import foreign_keys as fk_codemod
from ormfix.config import load_settings
from ormfix.diagnose import diagnose
from ormfix.discover import discover
from ormfix.pipeline import Options, apply, check
from ormfix.probe.runner import run_probe
from ormfix.remedy.base import build_fix
from ormfix.verify import verify_all

PAIR = "orm003_classic_collection_and_many_to_one"


def _diagnoses(root):
    project = discover(root, load_settings(root))
    return project, diagnose(project, run_probe(project))


def test_a_fix_that_leaves_a_new_warning_fails_verification(project_copy):
    root = project_copy(PAIR)
    project, diagnoses = _diagnoses(root)
    (ambiguous,) = diagnoses
    # what foreign-keys wrote before: the column alone, which makes Book.author overlap User.books (ORM016)
    lone = build_fix(
        project,
        "foreign-keys",
        "foreign_keys only",
        "unsafe",
        [
            (
                "models/user.py",
                partial(
                    fk_codemod.add_foreign_keys_arg,
                    class_name="User",
                    attribute="books",
                    foreign_keys='"Book.author_id"',
                ),
            )
        ],
    )
    ambiguous.fixes = [lone]
    verify_all(project, [ambiguous])
    assert lone.verified is False
    assert "ORM016" in lone.verification, lone.verification


def test_foreign_keys_links_the_pair_and_leaves_no_warning(project_copy):
    root = project_copy(PAIR)
    report = apply(root, Options(strategy="auto", unsafe_fixes=True))
    assert [fix.strategy for _, fix in report.applied] == ["foreign-keys"]
    assert report.remaining == [] and not report.refused
    user, book = (root / "models/user.py").read_text(), (root / "models/book.py").read_text()
    assert 'foreign_keys="Book.author_id", back_populates="author"' in user
    assert 'foreign_keys=[author_id], back_populates="books"' in book
    assert check(root, Options()).diagnoses == []
    # independently of ormfix: SQLAlchemy configures with every SAWarning raised as an error
    assert "CONFIGURED" in configure_in_subprocess(root, "models", strict=True).stdout


# -- rename-target weighs the evidence ------------------------------------------------------------

from conftest import FIXTURES, SAMPLES, copy_project, run_ormfix  # noqa: E402

from ormfix.pipeline import suggest  # noqa: E402

VIVIDLY_MODELS = "backend/app/models"


def _rename_fix(report):
    [diagnosis] = report.diagnoses
    assert diagnosis.code == "ORM002"
    return next(f for f in diagnosis.fixes if f.strategy == "rename-target")


def test_rename_follows_the_back_populates_name_and_completes_the_pair(tmp_path):
    """Organization.schools = relationship("School", back_populates="organization"): Class.organization
    points back at Organization and is nobody's twin yet, so Class is the target, linked both ways."""
    root = copy_project(SAMPLES / "vividly", tmp_path)
    fix = _rename_fix(suggest(root, Options(strategy="rename-target")))
    assert fix.applies and fix.verified and fix.applicability == "unsafe"
    assert "Class.organization is a relationship back to Organization" in fix.summary
    report = apply(root, Options(strategy="auto", unsafe_fixes=True))
    assert [fix.strategy for _, fix in report.applied] == ["rename-target"]
    assert '"Class",\n        back_populates="organization"' in (root / VIVIDLY_MODELS / "organization.py").read_text()
    assert (
        'relationship("Organization", back_populates="schools")'
        in (root / VIVIDLY_MODELS / "class_model.py").read_text()
    )
    assert check(root, Options()).diagnoses == []
    assert "CONFIGURED" in configure_in_subprocess(root / "backend", "app.models", strict=True).stdout


def test_a_tie_gives_no_rename_and_auto_comments_out(tmp_path):
    """A second class with an unlinked `organization` relationship back: the evidence no longer singles
    one out, so no rename is offered and auto --unsafe-fixes falls back to comment-out."""
    root = copy_project(SAMPLES / "vividly", tmp_path)
    (root / VIVIDLY_MODELS / "campus.py").write_text(
        "import uuid\n\nfrom sqlalchemy import ForeignKey\nfrom sqlalchemy.orm import Mapped, mapped_column, relationship\n\n"
        'from app.core.database import Base\n\n\nclass Campus(Base):\n    __tablename__ = "campuses"\n\n'
        "    id: Mapped[int] = mapped_column(primary_key=True)\n"
        '    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"))\n'
        '    organization = relationship("Organization")\n'
    )
    init = root / VIVIDLY_MODELS / "__init__.py"
    init.write_text(init.read_text() + "from app.models.campus import Campus\n")
    fix = _rename_fix(suggest(root, Options(strategy="rename-target")))
    assert not fix.applies
    assert "tie" in fix.not_applicable and "Campus" in fix.not_applicable and "Class" in fix.not_applicable
    report = apply(root, Options(strategy="auto", unsafe_fixes=True))
    assert [fix.strategy for _, fix in report.applied] == ["comment-out"]


def test_weak_evidence_gives_no_rename(project_copy):
    """Only a ForeignKey between the tables of a class the owner already relates to, no close name:
    the evidence is shown, and no rename is offered."""
    root = project_copy("orm002_flask_missing_class")
    fix = _rename_fix(suggest(root, Options(strategy="rename-target")))
    assert not fix.applies, fix.summary
    assert "too weak" in fix.not_applicable and "a ForeignKey links orders and customers" in fix.not_applicable


# -- remedies read columns however the project spells them -----------------------------------------

ALIASED = """import functools

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()
_Column = functools.partial(sa.Column, nullable=False)


def id_column():
    return sa.Column(sa.Integer, primary_key=True)


def ref_column(*args, **kwargs):
    return sa.Column(sa.Integer, *args, **kwargs)


class User(Base):
    __tablename__ = "users"
    id = id_column()
    name = _Column(sa.String(50))
    posts = relationship("Post", back_populates="user")


class Post(Base):
    __tablename__ = "posts"
    id = _Column(sa.Integer, primary_key=True)
    user_id = _Column(sa.Integer)
    user = relationship("User", back_populates="posts")


class Tag(Base):
    __tablename__ = "tags"
    id = id_column()
    post_id = ref_column(index=True)
    post = relationship("Post")
"""


def test_foreign_keys_reads_aliased_partial_and_helper_columns(tmp_path):
    """Only the ForeignKey is gone; the columns are spelled through functools.partial and a helper:
    foreign-keys puts the ForeignKey back (not comment-out), spelled like the file (sa.ForeignKey)."""
    models = tmp_path / "proj" / "models"
    models.mkdir(parents=True)
    (models / "__init__.py").write_text("from models.tables import Base, User, Post, Tag\n")
    (models / "tables.py").write_text(ALIASED)
    report = apply(tmp_path / "proj", Options(strategy="auto", unsafe_fixes=True))
    assert sorted(fix.strategy for _, fix in report.applied) == ["foreign-keys", "foreign-keys"]
    text = (models / "tables.py").read_text()
    assert 'user_id = _Column(sa.Integer, sa.ForeignKey("users.id"))' in text
    assert 'post_id = ref_column(sa.ForeignKey("posts.id"), index=True)' in text
    assert "from sqlalchemy import ForeignKey" not in text
    assert "CONFIGURED" in configure_in_subprocess(tmp_path / "proj", "models", strict=True).stdout


def test_add_fk_column_styles_a_new_column_like_the_aliased_ones():
    from ormfix.codemods import add_fk_column

    source = ALIASED.replace("    post_id = ref_column(index=True)\n", "")
    after = add_fk_column.apply(
        source,
        class_name="Tag",
        column_name="post_id",
        target="posts.id",
        type_name="Integer",
        type_args="",
        type_module="sqlalchemy",
        python_type="int",
        nullable=True,
    )
    assert 'post_id = sa.Column(sa.Integer, sa.ForeignKey("posts.id"), nullable=True)' in after, after


# -- add-fk-column restores the column the code had -----------------------------------------------

import shutil  # noqa: E402

from workflow_projects import git  # noqa: E402

WAS = (
    '    author_id = sa.Column(\n        sa.Integer,\n        sa.ForeignKey("authors.id", ondelete="CASCADE"),'
    "  # the writer\n        index=True,{null}\n    )\n"
)


def _committed_then_lost(tmp_path, null: str):
    """orm001_classic_missing_column as committed with Book.author_id, the column then deleted (uncommitted)."""
    root = copy_project(FIXTURES / "orm001_classic_missing_column", tmp_path)
    book = root / "models" / "book.py"
    broken = book.read_text()
    book.write_text(broken + WAS.format(null=null))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "books have authors")
    book.write_text(broken)
    return root, book, broken


def test_add_fk_column_restores_the_line_from_head_byte_for_byte(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("needs git")
    root, book, broken = _committed_then_lost(tmp_path, "")
    report = apply(root, Options(strategy="add-fk-column"))
    assert [fix.strategy for _, fix in report.applied] == ["add-fk-column"], report.refused
    assert book.read_text() == broken + WAS.format(null="")
    assert "as the repository's HEAD has it" in report.applied[0][1].summary


def test_a_not_null_column_comes_back_nullable_with_a_backfill_note(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("needs git")
    root, book, broken = _committed_then_lost(tmp_path, " nullable=False,")
    report = apply(root, Options(strategy="add-fk-column"))
    [(_, fix)] = report.applied
    assert book.read_text() == broken + WAS.format(null=" nullable=True,")
    assert "backfill" in fix.summary and "NOT NULL" in fix.summary


def test_a_location_at_line_100_is_printed_as_written(tmp_path):
    """`models.py:100:` holds rich's emoji code `:100:`; the output shows the location, not an emoji."""
    models = tmp_path / "proj" / "models"
    models.mkdir(parents=True)
    (models / "__init__.py").write_text("from models.tables import Base\n")
    padding = "\n" * (99 - ALIASED.count("\n", 0, ALIASED.index("    posts = relationship")))
    (models / "tables.py").write_text(ALIASED.replace("class User(Base):", padding + "class User(Base):"))
    result = run_ormfix("apply", str(tmp_path / "proj"), "--dry-run")
    assert "models/tables.py:100:5: ORM001" in result.stdout, result.stdout


EVIDENCE = """\
from typing import Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)


class Campaign(Base):
    __tablename__ = "campaigns"
    id: Mapped[int] = mapped_column(primary_key=True)
    posts: Mapped[list["Post"]] = relationship(back_populates="campaign")


class Post(Base):
    __tablename__ = "posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    author: Mapped[Optional["User"]] = relationship()
    campaign: Mapped["Campaign"] = relationship(back_populates="posts")
"""


def test_an_added_column_takes_ondelete_index_and_not_null_intent_from_the_evidence(tmp_path):
    """The class's other foreign keys are CASCADE and indexed, and Post.campaign is never None: the column
    comes back that way, added nullable with a backfill note (a table with rows cannot take NOT NULL)."""
    models = tmp_path / "proj" / "models"
    models.mkdir(parents=True)
    (models / "__init__.py").write_text("from models.tables import Base, Campaign, Post, User\n")
    (models / "tables.py").write_text(EVIDENCE)
    shown = run_ormfix("suggest", str(tmp_path / "proj"), "--strategy=add-fk-column", "--no-verify")
    assert "ondelete='CASCADE' like its other foreign keys, index=True like its other foreign keys" in shown.stdout
    assert "meant NOT NULL" in shown.stdout and "backfill" in shown.stdout, shown.stdout
    assert "REFERENCES campaigns (id) ON DELETE CASCADE;" in shown.stdout  # the SQL migration (no Alembic here)
    assert "CREATE INDEX ix_posts_campaign_id ON posts (campaign_id);" in shown.stdout, shown.stdout
    result = run_ormfix("apply", str(tmp_path / "proj"), "--strategy=add-fk-column")
    assert result.returncode == 0, result.stdout + result.stderr
    added = set((models / "tables.py").read_text().splitlines()) - set(EVIDENCE.splitlines())
    # wrapped: the line would pass the file's own longest line (the project configures no line length)
    assert added == {
        "    campaign_id: Mapped[Optional[int]] = mapped_column(",
        '        ForeignKey("campaigns.id", ondelete="CASCADE"), nullable=True, index=True',
        "    )",
    }, added
    assert configure_in_subprocess(tmp_path / "proj", "models").returncode == 0
