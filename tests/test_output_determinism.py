"""Output order and determinism: sorted by file then line; two runs on one tree print the same bytes in
every format; timings only on the text summary line; no scratch path in a message."""

from __future__ import annotations

import io
import re

import pytest
from conftest import FIXTURES, SAMPLES, copy_project

from ormfix import formats
from ormfix.cli import _out, _print_text
from ormfix.pipeline import Options, check, suggest

TIMING = re.compile(r"\d+\.\d s")


def _every_format(report, command: str) -> dict[str, str]:
    out = {name: formats.render(report, name, command) for name in formats.NAMES if name != "text"}
    text = io.StringIO()
    _print_text(_out(text), report, command, quiet=False, with_fixes=command != "check", statistics=False)
    out["text"] = text.getvalue()
    return out


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.iterdir() if p.is_dir()))
def test_two_checks_print_the_same_bytes_in_every_format(sample, tmp_path):
    root = copy_project(SAMPLES / sample, tmp_path)
    first, second = check(root, Options()), check(root, Options())
    assert first.diagnoses, "every sample has a fault"
    one, two = _every_format(first, "check"), _every_format(second, "check")
    for name in formats.NAMES:
        if name == "text":  # the timing on the summary line is the one thing that may differ
            assert TIMING.sub("", one[name]) == TIMING.sub("", two[name])
            summary = one[name].rstrip("\n").splitlines()[-1]
            assert all(not TIMING.search(line) for line in one[name].splitlines() if line != summary)
        else:
            assert one[name] == two[name], name
            assert not TIMING.search(one[name]) and "seconds" not in one[name], name
    keys = [(d.file, d.line, d.column or 0, d.code) for d in first.diagnoses]
    assert keys == sorted(keys)  # by file, then line (then column and code)
    for text in one.values():
        assert "ormfix-" not in text and "/tmp/" not in text.replace(str(tmp_path), "")


def test_storefront_is_listed_by_file_then_line(tmp_path):
    report = check(copy_project(SAMPLES / "storefront", tmp_path), Options())
    assert [d.file for d in report.diagnoses] == sorted(d.file for d in report.diagnoses)
    assert len({d.code for d in report.diagnoses}) >= 8  # a probe-phase order would put the import errors first


def test_two_suggests_print_the_same_fixes_and_migrations(tmp_path):
    from workflow_projects import kuwait_with_alembic

    root = kuwait_with_alembic(tmp_path)
    first, second = suggest(root, Options()), suggest(root, Options())
    assert any(f.migration for d in first.diagnoses for f in d.fixes), "the sample's fix adds a column"
    for name in ("json", "sarif"):
        assert formats.render(first, name, "suggest") == formats.render(second, name, "suggest"), name
    assert str(tmp_path) not in formats.render(first, "json", "suggest").replace(f'"root": "{root}"', "")


def test_an_import_error_names_no_scratch_path(tmp_path):
    root = copy_project(FIXTURES / "orm004_raises_at_import", tmp_path)
    report = check(root, Options())
    for text in (formats.render(report, "json", "check"), formats.render(report, "concise", "check")):
        assert "ormfix-" not in text and "/tmp/" not in text.replace(str(root), "")
