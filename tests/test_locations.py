"""Every diagnosis at the range of the construct that is wrong (1-based, columns in characters), with
related places, and inline suppression on any line of that range or its statement."""

from __future__ import annotations

import json

from conftest import FIXTURES, SAMPLES, copy_project
from typer.testing import CliRunner

from ormfix import formats
from ormfix.cli import app
from ormfix.pipeline import Options, check

runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "200"})


def text_of(root, diagnosis) -> str:
    """The source text a diagnosis's range covers."""
    lines = (root / diagnosis.file).read_text(encoding="utf-8").splitlines(keepends=True)
    if diagnosis.line == diagnosis.end_line:
        return lines[diagnosis.line - 1][diagnosis.column - 1 : diagnosis.end_column - 1]
    return (
        lines[diagnosis.line - 1][diagnosis.column - 1 :]
        + "".join(lines[diagnosis.line : diagnosis.end_line - 1])
        + lines[diagnosis.end_line - 1][: diagnosis.end_column - 1]
    )


def test_storefront_points_at_each_construct(tmp_path):
    root = copy_project(SAMPLES / "storefront", tmp_path)
    found = {d.code: d for d in check(root, Options()).diagnoses}
    assert text_of(root, found["ORM030"]) == 'ForeignKey("categorys.id")'
    assert found["ORM030"].file == "models/product.py"  # the ForeignKey, not the relationship that fails
    assert text_of(root, found["ORM036"]) == "Mapped[dict]"
    assert text_of(root, found["ORM044"]).rstrip().endswith(",") and text_of(root, found["ORM044"]).startswith("body")
    assert text_of(root, found["ORM045"]).startswith("level")
    assert text_of(root, found["ORM012"]) == 'lazy="dynamic"'
    assert text_of(root, found["ORM001"]).startswith("items") and "relationship(" in text_of(root, found["ORM001"])
    (related,) = found["ORM030"].related  # the relationship that cannot join
    assert (related["file"], related["message"]) == (
        "models/product.py",
        "Product.category, the relationship that cannot join",
    )
    for diagnosis in found.values():
        assert diagnosis.column and diagnosis.end_line >= diagnosis.line, diagnosis


def test_the_classic_fixtures_point_at_the_construct(tmp_path):
    cases = {
        "orm015_classic_twin_exists": ("ORM015", 'backref="author"'),
        "orm037_classic_metadata_column": ("ORM037", "metadata = "),
        "orm042_classic_manager_pk": ("ORM042", "id = Column("),
        "orm014_classic_category": ("ORM014", "parent = relationship("),
    }
    for name, (code, start) in cases.items():
        root = copy_project(FIXTURES / name, tmp_path / name)
        (diagnosis,) = [d for d in check(root, Options()).diagnoses if d.code == code]
        assert text_of(root, diagnosis).startswith(start), (name, text_of(root, diagnosis))
        if code in ("ORM015", "ORM042", "ORM014"):
            assert diagnosis.related, name  # the twin, the parent class, the other end of the pair


def test_columns_count_characters_not_bytes(tmp_path):
    root = copy_project(FIXTURES / "orm036_mapped_no_column_type", tmp_path)
    model = root / "models" / "profile.py"
    model.write_text(
        model.read_text().replace("    settings: Mapped[dict]", "    réglages: Mapped[dict]"), encoding="utf-8"
    )
    (diagnosis,) = check(root, Options()).diagnoses
    assert (diagnosis.column, diagnosis.end_column) == (15, 27)  # 4 spaces, "réglages: " is 10 characters
    assert text_of(root, diagnosis) == "Mapped[dict]"


def test_related_places_in_text_json_and_sarif(tmp_path):
    root = copy_project(SAMPLES / "kuwait_social", tmp_path)
    result = runner.invoke(app, ["check", str(root)])
    assert "backend/models/campaign.py:21:5: ORM001 no-foreign-keys [error]" in result.stdout
    assert (
        "  note: backend/models/post.py:" in result.stdout
        and "class Post, where the ForeignKey column goes" in result.stdout
    )
    report = check(root, Options())
    (diagnosis,) = json.loads(formats.render(report, "json", "check"))["diagnoses"]
    assert (diagnosis["line"], diagnosis["column"], diagnosis["end_line"], diagnosis["end_column"]) == (21, 5, 21, 72)
    (related,) = diagnosis["related"]
    assert related["file"] == "backend/models/post.py" and related["column"] == 1
    (sarif,) = json.loads(formats.render(report, "sarif", "check"))["runs"][0]["results"]
    assert sarif["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 21,
        "endLine": 21,
        "startColumn": 5,
        "endColumn": 72,
    }
    assert sarif["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "backend/models/post.py"


def test_inline_suppression_on_the_construct_line(tmp_path):
    root = copy_project(SAMPLES / "storefront", tmp_path)
    product = root / "models" / "product.py"
    product.write_text(
        product.read_text().replace(
            'ForeignKey("categorys.id"))', 'ForeignKey("categorys.id"))  # ormfix: ignore[ORM030]'
        )
    )
    audit = root / "models" / "audit.py"
    lines = audit.read_text().splitlines(keepends=True)
    comma = next(i for i, line in enumerate(lines) if line.startswith("    body") and line.rstrip().endswith(","))
    lines[comma] = lines[comma].rstrip("\n") + "  # ormfix: ignore[ORM044]\n"
    audit.write_text("".join(lines))
    report = check(root, Options())
    assert {d.code for d in report.suppressed} == {"ORM030", "ORM044"}
    assert not {"ORM030", "ORM044", "ORM090"} & {d.code for d in report.diagnoses}
