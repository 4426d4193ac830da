"""An argument a fix adds is wrapped past the project's line length; without one configured, past the file's
own longest line, never below black's and ruff's 88 (remedy/wrap.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import configure_in_subprocess, run_ormfix

from ormfix.remedy.wrap import file_line_length, wrap_step

CAMPAIGN = """\
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import relationship

from models.base import Base


class MarketingCampaign(Base):
    __tablename__ = "marketing_campaigns"

    id = Column(Integer, primary_key=True)
    name = Column(String(80))
    posts = relationship("SocialMediaPost")
"""
POST = """\
from sqlalchemy import Column, ForeignKey, Integer, String

from models.base import Base


class SocialMediaPost(Base):
{doc}
    __tablename__ = "social_media_posts"

    id = Column(Integer, primary_key=True)
    body = Column(String(280))
"""
# the column add-fk-column adds: 96 characters on one line
ADDED = '    marketing_campaign_id = Column(Integer, ForeignKey("marketing_campaigns.id"), nullable=True)\n'
WRAPPED = (
    '    marketing_campaign_id = Column(\n        Integer, ForeignKey("marketing_campaigns.id"), nullable=True\n    )\n'
)
DOC_79 = '    """A post published on one of the client\'s social accounts, once a week."""\n'
DOC_120 = (
    '    """A post published on one of the client\'s social media accounts, once a day, '
    'by the scheduler (services/pla.py)."""\n'
)


def make_project(root: Path, doc: str) -> Path:
    (root / "models").mkdir(parents=True)
    (root / ".git").mkdir()  # the project's own top: no pyproject.toml above it is read
    (root / "models" / "__init__.py").write_text(
        "from models.campaign import MarketingCampaign\nfrom models.post import SocialMediaPost\n"
    )
    (root / "models" / "base.py").write_text(
        "from sqlalchemy.orm import declarative_base\n\nBase = declarative_base()\n"
    )
    (root / "models" / "campaign.py").write_text(CAMPAIGN)
    (root / "models" / "post.py").write_text(POST.format(doc=doc.rstrip("\n")))
    return root


def test_the_file_line_length_is_its_longest_line_never_below_the_formatters_88():
    assert file_line_length("x = 1\n" + "y" * 79 + "\n") == 88
    assert file_line_length("x = 1\n" + "y" * 100 + "\n") == 100
    assert len(DOC_79.rstrip("\n")) == 79 and len(DOC_120.rstrip("\n")) == 120 and len(ADDED.rstrip("\n")) == 96


@pytest.mark.parametrize(
    "doc, limit, expected", [(DOC_79, None, WRAPPED), (DOC_120, None, ADDED), (DOC_79, 100, ADDED)]
)
def test_an_added_line_is_wrapped_past_the_limit(doc, limit, expected):
    original = POST.format(doc=doc.rstrip("\n"))
    assert wrap_step(original, limit)(original + ADDED) == original + expected


def test_a_line_the_file_already_had_is_never_wrapped():
    original = POST.format(doc=DOC_79.rstrip("\n")) + ADDED
    assert wrap_step(original, None)(original) == original


@pytest.mark.apps
@pytest.mark.parametrize("doc, expected", [(DOC_79, WRAPPED), (DOC_120, ADDED)], ids=["longest-79", "longest-120"])
def test_apply_wraps_the_added_column_past_the_files_longest_line(tmp_path, doc, expected):
    project = make_project(tmp_path / "project", doc)
    before = (project / "models" / "post.py").read_text()
    done = run_ormfix("apply", str(project), "--strategy=add-fk-column")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (project / "models" / "post.py").read_text() == before + expected
    assert (project / "models" / "campaign.py").read_text() == CAMPAIGN
    configure_in_subprocess(project, "models")


def test_without_a_configured_length_a_fix_that_only_renames_is_not_wrapped():
    """The typo fix makes the file's longest line one letter longer: no argument was added, so it stays whole;
    with a configured line length it is wrapped as any line past it."""
    broken = '    players: list["Playr"] = Relationship(back_populates="team", sa_relationship_kwargs={"lazy": "selectin"})\n'
    fixed = broken.replace('"Playr"', '"Player"')
    assert wrap_step(broken, None)(fixed) == fixed
    assert wrap_step(broken, 100)(fixed) != fixed
