"""The registry: codes found by listing ormfix.codes, their matching order from `supersedes=`, the remedy catalog,
`ormfix codes --format text|markdown|json`, the README tables generated from them, and `check` without LibCST."""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import ormfix
from ormfix import codes, registry_docs, remedies
from ormfix.codes import Code, Explanation, RegistryError, matching_order

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
MATCHING_RECORD = ROOT / "tests" / "recorded" / "matching.json"
# codes.ALL as it was listed by hand, in the order that decided which code wins (before supersedes= existed)
LISTED_BY_HAND = (
    "ORM030 ORM031 ORM032 ORM033 ORM034 ORM035 ORM036 ORM037 ORM042 ORM043 ORM044 ORM045 ORM046 ORM047 ORM048 "
    "ORM038 ORM039 ORM010 ORM011 ORM012 ORM013 ORM014 ORM015 ORM016 ORM017 ORM018 ORM019 ORM020 ORM021 ORM022 "
    "ORM023 ORM001 ORM002 ORM003 ORM004 ORM000 ORM090"
).split()


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=120, env=env, cwd=ROOT, check=False
    )


def _code(name: str, *supersedes: str) -> Code:
    return Code(
        code=name,
        name=name.lower(),
        severity="error",
        summary="",
        doc="",
        remedies=(),
        matches=lambda event: True,
        explain=lambda event, index: Explanation(message=name, why=name),
        supersedes=supersedes,
    )


# -- codes ---------------------------------------------------------------------------------------------------


def test_every_code_module_of_the_package_is_registered_by_number() -> None:
    modules = sorted(p.stem for p in Path(codes.__file__).parent.glob("orm[0-9][0-9][0-9]_*.py"))
    assert [code.code for code in codes.ALL] == [f"ORM{m[3:6]}" for m in modules]
    assert set(codes.ALL) == set(codes.MATCHING)


def test_matching_order_puts_each_code_before_the_codes_it_supersedes() -> None:
    position = {code.code: i for i, code in enumerate(codes.MATCHING)}
    pairs = [(code.code, other) for code in codes.ALL for other in code.supersedes]
    assert pairs, "no code declares supersedes="
    assert all(position[a] < position[b] for a, b in pairs), pairs
    # each declaration keeps an order the hand-written list had
    assert all(LISTED_BY_HAND.index(a) < LISTED_BY_HAND.index(b) for a, b in pairs if b in LISTED_BY_HAND)


def test_matching_order_is_stable_ties_by_code_number() -> None:
    found = matching_order([_code("ORM001"), _code("ORM002"), _code("ORM005", "ORM001"), _code("ORM003")])
    assert [c.code for c in found] == ["ORM002", "ORM003", "ORM005", "ORM001"]


def test_a_supersedes_naming_an_unknown_code_is_an_error() -> None:
    with pytest.raises(RegistryError, match="ORM005 supersedes ORM777, which no module of ormfix.codes declares"):
        matching_order([_code("ORM001"), _code("ORM005", "ORM777")])


def test_a_supersedes_cycle_is_an_error_naming_the_codes() -> None:
    registry = [_code("ORM001", "ORM003"), _code("ORM002"), _code("ORM003", "ORM004"), _code("ORM004", "ORM001")]
    with pytest.raises(RegistryError, match="cycle among ORM001, ORM003, ORM004"):
        matching_order(registry)


def test_the_matching_order_chooses_the_recorded_code_for_every_probe_event() -> None:
    """tests/recorded/matching.json: for each probe event of `check` on every sample and fixture, the codes whose
    matchers claim it and the code the hand-written order chose (refresh: tests/recorded/record_matching.py)."""
    position = {code.code: i for i, code in enumerate(codes.MATCHING)}
    events = json.loads(MATCHING_RECORD.read_text(encoding="utf-8"))
    assert len(events) > 100 and sum(len(e["claims"]) > 1 for e in events) >= 5  # overlaps are what this tests
    for event in events:
        chosen = min(event["claims"], key=position.__getitem__) if event["claims"] else codes.FALLBACK.code
        assert chosen == event["code"], event


# -- remedies ------------------------------------------------------------------------------------------------


def test_every_remedy_a_code_names_is_in_the_catalog() -> None:
    named = {name for code in codes.ALL for name in code.remedies}
    assert named - set(remedies.NAMES) == set()
    assert set(remedies.NAMES) - named == set()  # and every strategy serves a code


def test_every_catalog_entry_names_a_remedy_module_that_plans_it() -> None:
    for remedy in remedies.CATALOG:
        module = importlib.import_module(f"ormfix.remedy.{remedy.module}")
        assert callable(module.plan), remedy
        assert module.STRATEGY == remedy.name
        assert remedy.summary and remedy.safety


def test_the_catalog_decides_what_auto_skips_and_what_keeps_the_relationship() -> None:
    assert remedies.ALWAYS_UNSAFE == {"comment-out"}
    assert remedies.NEVER_AUTOMATIC == {"post-update"}
    assert "comment-out" not in remedies.KEEPS_RELATIONSHIP and "add-fk-column" in remedies.KEEPS_RELATIONSHIP


# -- ormfix codes --------------------------------------------------------------------------------------------


def test_codes_json_lists_codes_and_strategies() -> None:
    done = _run("-m", "ormfix", "codes", "--format", "json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert [c["code"] for c in document["codes"]] == [c.code for c in codes.ALL]
    orm030 = next(c for c in document["codes"] if c["code"] == "ORM030")
    assert orm030 == {
        "code": "ORM030",
        "name": "fk-target-missing",
        "severity": "error",
        "summary": codes.BY_CODE["ORM030"].summary,
        "remedies": ["fix-fk-target"],
        "supersedes": ["ORM001"],
    }
    assert document["matching_order"] == [c.code for c in codes.MATCHING]
    assert [s["name"] for s in document["strategies"]] == list(remedies.NAMES)
    post_update = next(s for s in document["strategies"] if s["name"] == "post-update")
    assert post_update["automatic"] is False and post_update["module"] == "ormfix.remedy.post_update"


def test_codes_text_is_a_table_row_per_code() -> None:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    done = _run("-m", "ormfix", "codes", env=env)
    assert done.returncode == 0, done.stderr
    rows = [line.split("│")[1].strip() for line in done.stdout.splitlines() if re.match(r"│ ORM\d{3} ", line)]
    assert rows == [c.code for c in codes.ALL]
    assert "┃ code   ┃ name" in done.stdout


def _readme_block(text: str, name: str) -> str:
    found = re.search(rf"<!-- begin: {name} -->\n(.*?)<!-- end: {name} -->\n", text, re.S)
    assert found, f"README.md has no <!-- begin: {name} --> ... <!-- end: {name} --> block"
    return found[1]


def test_readme_tables_are_the_registry() -> None:
    done = _run("-m", "ormfix", "codes", "--format", "markdown")
    assert done.returncode == 0, done.stderr
    sections = dict(re.findall(r"^## (\w+)\n\n(.*?)(?=^## |\Z)", done.stdout, re.S | re.M))
    readme = README.read_text(encoding="utf-8")
    for name in registry_docs.TABLES:
        assert _readme_block(readme, name) == sections[name.capitalize()].rstrip("\n") + "\n", (
            f"README.md's {name} table is stale: run `python -m ormfix.registry_docs README.md`"
        )


def test_registry_docs_rewrites_only_the_marked_blocks(tmp_path: Path) -> None:
    stale = tmp_path / "README.md"
    stale.write_text(
        "# x\n<!-- begin: codes -->\nSTALE ROW\n<!-- end: codes -->\nmiddle\n<!-- begin: strategies -->\n"
        "<!-- end: strategies -->\nend\n",
        encoding="utf-8",
    )
    done = _run("-m", "ormfix.registry_docs", str(stale))
    assert done.returncode == 0, done.stderr
    text = stale.read_text(encoding="utf-8")
    assert text.startswith("# x\n<!-- begin: codes -->\n| code |") and text.endswith("<!-- end: strategies -->\nend\n")
    assert _readme_block(text, "codes") == registry_docs.codes_table()
    assert "\nmiddle\n" in text and "STALE ROW" not in text


# -- no LibCST without fixes ---------------------------------------------------------------------------------

_WITHOUT_LIBCST = """
import sys
{body}
assert "libcst" not in sys.modules, sorted(m for m in sys.modules if m.startswith(("libcst", "ormfix.remedy.")))
print("ok")
"""


@pytest.mark.parametrize(
    "body",
    [
        "import ormfix\nreport = ormfix.check('sample_projects/kuwait_social')\nassert report.diagnoses",
        "from ormfix.cli import main\ntry:\n    main(['codes', '--format', 'json'])\nexcept SystemExit:\n    pass",
        "from ormfix.cli import main\ntry:\n    main(['explain', 'ORM001'])\nexcept SystemExit:\n    pass",
    ],
    ids=["check", "codes", "explain"],
)
def test_check_codes_and_explain_never_import_libcst(body: str) -> None:
    done = _run("-c", _WITHOUT_LIBCST.format(body=body))
    assert done.returncode == 0 and done.stdout.endswith("ok\n"), done.stdout[-500:] + done.stderr[-2000:]


# -- a code is one module ------------------------------------------------------------------------------------


def _package_copy(tmp_path: Path) -> Path:
    package = Path(ormfix.__file__).parent
    shutil.copytree(package, tmp_path / "ormfix", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path / "ormfix" / "codes"


def _drop_in(folder: Path, text_changes: dict[str, str]) -> None:
    text = (folder / "orm044_column_is_a_tuple.py").read_text(encoding="utf-8")
    for old, new in {"ORM044": "ORM099", "column-is-a-tuple": "my-new-check", **text_changes}.items():
        assert old in text
        text = text.replace(old, new)
    (folder / "orm099_my_new_check.py").write_text(text, encoding="utf-8")


def _with_copy_first(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tmp_path), "NO_COLOR": "1", "COLUMNS": "200"}


def test_a_code_module_dropped_into_the_package_is_listed_and_explained(tmp_path: Path) -> None:
    _drop_in(_package_copy(tmp_path), {})
    env = _with_copy_first(tmp_path)
    listed = _run("-m", "ormfix", "codes", env=env)
    explained = _run("-m", "ormfix", "explain", "ORM099", env=env)
    assert listed.returncode == 0 and "│ ORM099 │ my-new-check" in listed.stdout, listed.stderr
    assert explained.returncode == 0 and explained.stdout.startswith("ORM099 my-new-check (warning)"), explained.stderr
    here = _run("-m", "ormfix", "codes")  # the installed package is untouched
    assert "ORM099" not in here.stdout


def test_a_dropped_in_code_superseding_an_unknown_code_stops_the_import_with_its_name(tmp_path: Path) -> None:
    _drop_in(
        _package_copy(tmp_path), {"    matches=_matches,\n": '    matches=_matches,\n    supersedes=("ORM777",),\n'}
    )
    done = _run("-m", "ormfix", "codes", env=_with_copy_first(tmp_path))
    assert done.returncode != 0
    assert "RegistryError: ORM099 supersedes ORM777, which no module of ormfix.codes declares" in done.stderr
