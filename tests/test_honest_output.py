"""Summaries and selections say what is true: suppressed errors, unknown codes, unused suppressions,
apply with filters, --dry-run / --diff / --exit-zero exits, text never read as markup, whose words."""

from __future__ import annotations

from conftest import FIXTURES, SAMPLES, copy_project, tree_digest
from typer.testing import CliRunner
from workflow_projects import SECOND_BREAK

from ormfix.cli import app

runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "200"})
POSTS = "    posts = db.relationship('Post', backref='campaign', lazy='dynamic')\n"


def _two_breaks(tmp_path):
    """kuwait_social with a second ORM001 (User.campaigns in user.py) beside Campaign.posts."""
    root = copy_project(SAMPLES / "kuwait_social", tmp_path)
    user = root / "backend/models/user.py"
    user.write_text(user.read_text().replace(*SECOND_BREAK))
    return root


def test_ignoring_the_only_error_says_configure_mappers_still_fails(tmp_path):
    root = copy_project(SAMPLES / "kuwait_social", tmp_path)
    result = runner.invoke(app, ["check", str(root), "--ignore", "ORM001"])
    assert result.exit_code == 0, result.output
    assert "No problems found" not in result.stdout
    assert result.stdout.startswith("1 error suppressed: configure_mappers() still fails")
    campaign = root / "backend/models/campaign.py"  # an inline ignore: the same truth
    campaign.write_text(campaign.read_text().replace(POSTS, POSTS.rstrip("\n") + "  # ormfix: ignore[ORM001]\n"))
    inline = runner.invoke(app, ["check", str(root)])
    assert inline.exit_code == 0 and inline.stdout.startswith("1 error suppressed:"), inline.output


def test_unknown_codes_are_usage_errors_with_a_did_you_mean(tmp_path):
    root = copy_project(SAMPLES / "kuwait_social", tmp_path)
    for flag, typo, meant in (
        ("--select", "ORM999", "did you mean"),
        ("--ignore", "no-foreign-key", "no-foreign-keys"),
    ):
        result = runner.invoke(app, ["check", str(root), flag, f"ORM002,{typo}"])
        assert result.exit_code == 2, result.output
        assert f"{flag}: unknown code '{typo.upper()}'" in result.stderr
        assert meant in result.stderr.lower() and result.stderr.count("\n") == 1
    assert runner.invoke(app, ["check", str(root), "--select", "ORM00", "-q"]).exit_code == 1  # a prefix is fine
    (root / "pyproject.toml").write_text('[tool.ormfix]\nignore = ["ORM01"]\nselect = ["ORM0001"]\n')
    result = runner.invoke(app, ["check", str(root)])
    assert result.exit_code == 2 and "[tool.ormfix] select: unknown code 'ORM0001'" in result.stderr
    (root / "pyproject.toml").unlink()
    campaign = root / "backend/models/campaign.py"
    before = tree_digest(root)
    campaign.write_text(campaign.read_text().replace(POSTS, POSTS.rstrip("\n") + "  # ormfix: ignore[ORM00]\n"))
    result = runner.invoke(app, ["check", str(root)])  # a prefix of codes: fine
    assert result.exit_code == 0, result.output
    campaign.write_text(campaign.read_text().replace("ignore[ORM00]", "ignore[ORM0O1]"))
    result = runner.invoke(app, ["check", str(root)])
    assert result.exit_code == 2, result.output
    assert (
        "backend/models/campaign.py:21: `# ormfix: ignore[...]`: unknown code 'ORM0O1' (did you mean ORM0"
        in result.stderr
    )
    assert set(tree_digest(root)) == set(before)


def test_a_models_module_that_maps_nothing_is_no_mapped_classes(tmp_path):
    root = tmp_path / "proj"
    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "helpers.py").write_text("def slug(text):\n    return text.lower()\n")
    result = runner.invoke(app, ["check", str(root), "--models", "app.helpers"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("No mapped classes: importing app.helpers maps no class")
    assert "No problems found" not in result.stdout


def test_an_unused_suppression_is_orm090_and_fail_level_warning_gates_it(tmp_path):
    root = copy_project(FIXTURES / "clean_flask", tmp_path)
    model = sorted((root / "models").glob("*.py"))[-1]
    lines = model.read_text().splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if "Column(" in line)
    lines[number] = lines[number].rstrip("\n") + "  # ormfix: ignore[ORM001]\n"
    model.write_text("".join(lines))
    rel = model.relative_to(root).as_posix()
    result = runner.invoke(app, ["check", str(root), "-q"])
    assert result.exit_code == 0, result.output
    column = lines[number].index("# ormfix") + 1
    assert result.stdout.splitlines()[0] == f"{rel}:{number + 1}:{column}: ORM090 unused-suppression [warning]"
    assert runner.invoke(app, ["check", str(root), "--fail-level", "warning"]).exit_code == 1
    assert runner.invoke(app, ["check", str(root), "--fail-level", "warning", "--ignore", "ORM090"]).exit_code == 0


def test_apply_writes_the_selected_fixes_while_a_suppressed_error_remains(tmp_path):
    root = _two_breaks(tmp_path)
    (root / "pyproject.toml").write_text(
        '[tool.ormfix]\n[tool.ormfix.per-file-ignores]\n"backend/models/user.py" = ["ORM001"]\n'
    )
    result = runner.invoke(app, ["apply", str(root)])
    assert result.exit_code == 0, result.output
    assert "nothing written" not in result.stderr
    assert (
        "campaign_id = db.Column(db.Integer, db.ForeignKey('campaigns.id')"
        in (root / "backend/models/post.py").read_text()
    )
    assert "1 suppressed error left: configure_mappers() still fails." in result.stdout
    assert "user_id" not in (root / "backend/models/campaign.py").read_text()  # the suppressed one: not fixed


def test_dry_run_diff_and_exit_zero_exit_codes(tmp_path):
    root = copy_project(SAMPLES / "kuwait_social", tmp_path)
    before = tree_digest(root)
    assert runner.invoke(app, ["apply", str(root), "--dry-run", "-q"]).exit_code == 1  # it would write
    diff = runner.invoke(app, ["apply", str(root), "--diff"])
    assert diff.exit_code == 1, diff.output
    assert diff.stdout.startswith("--- a/backend/models/post.py\n+++ b/backend/models/post.py\n@@ ")
    assert "+    campaign_id = db.Column(db.Integer, db.ForeignKey('campaigns.id'), nullable=True)\n" in diff.stdout
    assert runner.invoke(app, ["apply", str(root), "--diff", "--exit-zero"]).exit_code == 0
    assert runner.invoke(app, ["check", str(root), "--exit-zero"]).exit_code == 0
    assert runner.invoke(app, ["check", str(root), "--exit-zero", "--select", "ORM999"]).exit_code == 2  # never 2 -> 0
    assert tree_digest(root) == before
    clean = copy_project(FIXTURES / "clean_mapped", tmp_path)
    nothing = runner.invoke(app, ["apply", str(clean), "--diff"])
    assert nothing.exit_code == 0 and nothing.stdout == "", nothing.output
    assert runner.invoke(app, ["apply", str(clean), "--dry-run"]).exit_code == 0


def test_messages_are_text_not_markup(tmp_path):
    root = copy_project(FIXTURES / "orm036_mapped_no_column_type", tmp_path)
    result = runner.invoke(app, ["apply", str(root)])  # add-column-type is unsafe: not applied automatically
    assert result.exit_code == 1, result.output
    left = result.stdout.split("problem(s) left:\n")[1]
    assert "Mapped[dict]" in left, left


def test_a_python_import_error_is_what_python_said(tmp_path):
    root = copy_project(FIXTURES / "orm004_missing_package", tmp_path)
    result = runner.invoke(app, ["check", str(root)])
    assert result.exit_code == 1
    assert "  Python said: ModuleNotFoundError" in result.stdout and "SQLAlchemy said" not in result.stdout
    sqlalchemy = runner.invoke(app, ["check", str(copy_project(SAMPLES / "kuwait_social", tmp_path))])
    assert "  SQLAlchemy said: NoForeignKeysError" in sqlalchemy.stdout


def test_no_git_am_advice_when_no_patch_is_written(tmp_path):
    root = copy_project(FIXTURES / "clean_mapped", tmp_path)
    result = runner.invoke(app, ["suggest", str(root), "--patch-dir", str(tmp_path / "patches")])
    assert result.exit_code == 0, result.output
    assert "git am" not in result.stderr and "no patch written" in result.stderr
    assert not list((tmp_path / "patches").glob("*.patch"))


def test_a_patch_series_never_holds_an_empty_patch(tmp_path):
    """Two diagnoses whose chosen fixes make the same change (a pair's twin): one patch, the other skipped."""
    import copy as copying

    from ormfix.patches import write_series
    from ormfix.pipeline import Options, choose, suggest

    root = copy_project(SAMPLES / "kuwait_social", tmp_path)
    report = suggest(root, Options())
    (diagnosis,) = report.diagnoses
    twin = copying.copy(diagnosis)
    twin.attribute = "posts_twin"
    fix = choose(diagnosis, Options(strategy="add-fk-column"))
    written = write_series(report.project, [diagnosis, twin], {id(diagnosis): fix, id(twin): fix}, tmp_path / "p")
    assert [p.name for p in written["series"]] == ["0001-orm001-campaign-posts-add-fk-column.patch"]
    assert "[PATCH 1/1]" in written["series"][0].read_text()
    assert written["skipped"] == ["Campaign.posts_twin add-fk-column: an earlier patch already makes this change"]
