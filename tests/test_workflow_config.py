"""[tool.ormfix] select / ignore / per-file-ignores / strategy, CLI flags over them, inline suppression."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner
from workflow_projects import SECOND_BREAK, kuwait_with_alembic

from ormfix.cli import app
from ormfix.suppress import inline_codes

runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "200"})
CAMPAIGN = "backend/models/campaign.py:21:5: ORM001"
USER = "backend/models/user.py:22:5: ORM001"


@pytest.fixture
def two_breaks(tmp_path):
    """kuwait_social with a second ORM001 (User.campaigns) in another file."""
    root = kuwait_with_alembic(tmp_path, second_break=True)
    return root


def found(root, *args) -> tuple[int, set[str]]:
    result = runner.invoke(app, ["check", str(root), "-q", *args])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, {line.split(" no-")[0] for line in result.stdout.splitlines() if ": ORM" in line}


def test_both_problems_are_reported_without_configuration(two_breaks):
    assert SECOND_BREAK[1].splitlines()[1] in (two_breaks / "backend/models/user.py").read_text()
    assert found(two_breaks) == (1, {CAMPAIGN, USER})


def test_inline_ignore_on_any_line_of_the_relationship_statement(two_breaks):
    campaign = two_breaks / "backend/models/campaign.py"
    campaign.write_text(
        campaign.read_text().replace(
            "    posts = db.relationship('Post', backref='campaign', lazy='dynamic')\n",
            "    posts = db.relationship(\n        'Post', backref='campaign', lazy='dynamic'\n    )  # ormfix: ignore[ORM001]\n",
        )
    )
    user = two_breaks / "backend/models/user.py"
    user.write_text(
        user.read_text().replace(
            "campaigns = db.relationship('Campaign', lazy='dynamic')",
            "campaigns = db.relationship('Campaign', lazy='dynamic')  # ormfix: ignore[ORM002]",
        )
    )
    # ORM002 listed: the ORM001 on that line still counts, and the comment, suppressing nothing, is ORM090
    unused = "backend/models/user.py:22:62: ORM090 unused-suppression [warning]"
    assert found(two_breaks) == (1, {USER, unused})
    user.write_text(user.read_text().replace("# ormfix: ignore[ORM002]", "# ormfix: ignore"))
    assert found(two_breaks) == (0, set())


def test_inline_codes_parsing():
    text = "a = 1\nb = rel(  # ormfix: ignore[ORM001, no-foreign-keys]\n  x)\nc = 2  # ormfix: ignore\n"
    assert inline_codes(text, 2, 3) == ["ORM001", "no-foreign-keys"]
    assert inline_codes(text, 4, 4) == []
    assert inline_codes(text, 1, 1) is None


def test_select_ignore_and_per_file_ignores_from_config_and_flags_override_them(two_breaks):
    pyproject = two_breaks / "pyproject.toml"
    pyproject.write_text('[tool.ormfix]\nignore = ["ORM001"]\n')
    assert found(two_breaks) == (0, set())
    assert found(two_breaks, "--ignore", "ORM002") == (1, {CAMPAIGN, USER})  # the flag replaces the config's
    pyproject.write_text('[tool.ormfix]\nselect = ["ORM002", "ORM003"]\n')
    assert found(two_breaks) == (0, set())
    assert found(two_breaks, "--select", "ORM00") == (1, {CAMPAIGN, USER})
    pyproject.write_text(
        '[tool.ormfix]\n[tool.ormfix.per-file-ignores]\n"backend/models/user.py" = ["no-foreign-keys"]\n'
    )
    assert found(two_breaks) == (1, {CAMPAIGN})
    verbose = runner.invoke(app, ["check", str(two_breaks), "-q", "--verbose"])
    assert "suppressed backend/models/user.py:22:5: ORM001 no-foreign-keys" in verbose.stderr


def test_bad_filter_configuration_is_a_usage_error(two_breaks):
    (two_breaks / "pyproject.toml").write_text('[tool.ormfix]\nper-file-ignores = ["x"]\n')
    result = runner.invoke(app, ["check", str(two_breaks)])
    assert result.exit_code == 2 and "per-file-ignores" in result.stderr


def test_strategy_from_config_and_the_flag_overrides_it(project_copy):
    root = project_copy("kuwait_social")
    (root / "pyproject.toml").write_text('[tool.ormfix]\nstrategy = "comment-out"\n')
    by_config = runner.invoke(app, ["apply", str(root), "--dry-run", "-q", "--no-verify"])
    assert by_config.exit_code == 1, by_config.output  # --dry-run exits 1 when it would write
    assert "would apply comment-out" in by_config.stdout
    by_flag = runner.invoke(app, ["apply", str(root), "--dry-run", "-q", "--no-verify", "--strategy", "add-fk-column"])
    assert "would apply add-fk-column" in by_flag.stdout
    (root / "pyproject.toml").write_text('[tool.ormfix]\nstrategy = "rewrite-everything"\n')
    result = runner.invoke(app, ["apply", str(root), "--dry-run"])
    assert result.exit_code == 2 and "rewrite-everything" in result.stderr
