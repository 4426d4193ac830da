"""A fix is verified only when it adds no diagnosis, error or warning, absent before; the ambiguous
collection whose child has its own many-to-one is linked with back_populates, not left to overlap."""

from __future__ import annotations

from functools import partial

from ormfix.codemods import foreign_keys as fk_codemod
from ormfix.discover import discover
from ormfix.config import load_settings
from ormfix.pipeline import Options, apply, check
from ormfix.probe.runner import run_probe
from ormfix.diagnose import diagnose
from ormfix.remedy.base import build_fix
from ormfix.verify import verify_all

from conftest import configure_in_subprocess

PAIR = "orm003_classic_collection_and_many_to_one"


def _diagnoses(root):
    project = discover(root, load_settings(root))
    return project, diagnose(project, run_probe(project))


def test_a_fix_that_leaves_a_new_warning_fails_verification(project_copy):
    root = project_copy(PAIR)
    project, diagnoses = _diagnoses(root)
    (ambiguous,) = diagnoses
    # what foreign-keys wrote before: the column alone, which makes Book.author overlap User.books (ORM016)
    lone = build_fix(project, "foreign-keys", "foreign_keys only", "unsafe",
                     [("models/user.py", partial(fk_codemod.add_foreign_keys_arg, class_name="User",
                                                 attribute="books", foreign_keys='"Book.author_id"'))])
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
