"""Scratch copies reused between probes (probe/scratch_pool.py): only when a fresh copy would hold the same."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from ormfix.probe.scratch import copy_project
from ormfix.probe.scratch_pool import ScratchPool


@pytest.fixture
def project(tmp_path):
    base = tmp_path / "app"
    (base / "app" / "models").mkdir(parents=True)
    (base / "app" / "models" / "user.py").write_text("class User:\n    pass\n")
    (base / "static").mkdir()
    (base / "static" / "site.css").write_text("a { color: red }\n")
    (base / ".git").mkdir()
    (base / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    return base


def fresh(base: Path):
    def make(size: int) -> Path:
        scratch = Path(tempfile.mkdtemp(prefix="ormfix-test-pool-"))
        copy_project(base, scratch / "project")
        for sub in ("work", "home", "tmp"):
            (scratch / sub).mkdir()
        return scratch

    return make


def listing(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_copy_left_as_copied_is_reused_with_the_overridden_file_restored(project):
    pool = ScratchPool()
    first = pool.take("k", project, fresh(project))
    expected = listing(first / "project")
    (first / "project" / "app" / "models" / "user.py").write_text("class User:\n    id = 1\n")  # an override
    (first / "work" / "out.txt").write_text("the child's working folder")
    (first / "result.json").write_text("{}")
    pool.give_back(first, project, ["app/models/user.py"])
    again = pool.take("k", project, fresh(project))
    try:
        assert again == first
        assert listing(again / "project") == expected
        assert sorted(os.listdir(again)) == ["home", "project", "tmp", "work"] and not os.listdir(again / "work")
    finally:
        pool.give_back(again, project, [])
        pool.clear()
    assert not first.exists()


def test_a_file_the_probe_wrote_into_the_copy_means_a_fresh_copy(project):
    pool = ScratchPool()
    first = pool.take("k", project, fresh(project))
    pool.give_back(first, project, [])
    (first / "project" / "app.db").write_bytes(b"SQLite format 3\0")  # written after the probe (a daemon)
    again = pool.take("k", project, fresh(project))
    try:
        assert again != first and not first.exists()
        assert "app.db" not in listing(again / "project")
    finally:
        pool.give_back(again, project, [])
        pool.clear()


@pytest.mark.parametrize("edit", ["change", "add", "remove"])
def test_an_edit_to_the_project_between_probes_means_a_fresh_copy(project, edit):
    pool = ScratchPool()
    first = pool.take("k", project, fresh(project))
    pool.give_back(first, project, [])
    model = project / "app" / "models" / "user.py"
    if edit == "change":
        model.write_text("class User:\n    name = 'x'\n")
        os.utime(model, ns=(0, 0))  # even with an old mtime: the size differs
    elif edit == "add":
        (project / "app" / "models" / "post.py").write_text("class Post:\n    pass\n")
    else:
        (project / "static" / "site.css").unlink()
    again = pool.take("k", project, fresh(project))
    try:
        assert again != first
        assert listing(again / "project") == {k: v for k, v in listing(project).items() if not k.startswith(".git/")}
    finally:
        pool.give_back(again, project, [])
        pool.clear()


def test_a_copy_of_another_project_is_not_taken(project, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "models.py").write_text("x = 1\n")
    pool = ScratchPool()
    first = pool.take(("a",), project, fresh(project))
    pool.give_back(first, project, [])
    second = pool.take(("b",), other, fresh(other))
    try:
        assert second != first and listing(second / "project") == {"models.py": b"x = 1\n"}
    finally:
        pool.give_back(second, other, [])
        pool.clear()
