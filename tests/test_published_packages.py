"""ormfix on model code no one here wrote: pinned releases of published packages (see published.py).

On a copy of each package: indexing changes no byte and finds what ``ast`` finds; every codemod's
no-op path returns the source byte-identical; faults injected into the copy (an FK column deleted, a
relationship's target renamed to a missing class) are diagnosed at the right file:line, and the fix
``apply`` writes leaves models that configure in the package's own venv (SQLAlchemy 2.0 for optuna,
1.4 for Flask-AppBuilder). The first run installs the venvs (about a minute); later runs reuse them.
"""

from __future__ import annotations

import ast
import difflib
import json
import pkgutil
from pathlib import Path

import libcst
import pytest
from conftest import configure_in_subprocess, run_ormfix, tree_digest

import ormfix.codemods
from ormfix.codemods import (
    NotApplicable,
    _file_facts,
    add_column_type,
    add_fk_column,
    add_parent_fk,
    add_primary_key,
    add_relationship,
    add_tablename,
    annotate_foreign,
    class_options,
    comment_out,
    fix_fk_target,
    foreign_keys,
    import_model_module,
    relationship_arg,
    remove_trailing_comma,
    rename_reserved_attribute,
    rename_target,
    use_existing_column,
    use_shared_base,
    wrap_in_declared_attr,
    wrap_in_mapped,
)
from ormfix.config import Settings
from ormfix.discover import discover
from ormfix.index import index_file

pytestmark = pytest.mark.slow  # builds venvs and downloads packages
import published  # noqa: E402
from published import FLASK_APPBUILDER, OPTUNA, PACKAGES, Published  # noqa: E402

COLUMN_CALLS = {"Column", "mapped_column"}
CHECKED = {
    "add_fk_column",
    "add_primary_key",
    "annotate_foreign",
    "add_relationship",
    "add_tablename",
    "comment_out",
    "fix_fk_target",
    "foreign_keys",
    "import_model_module",
    "relationship_arg",
    "rename_reserved_attribute",
    "rename_target",
    "wrap_in_mapped",
    "add_parent_fk",
    "remove_trailing_comma",
    "use_shared_base",
    "wrap_in_declared_attr",
    "use_existing_column",
    "add_column_type",
    "class_options",
}


def known_bug(reason: str):
    """Expected to fail, only by an assertion (a crash is a real failure); passing makes the run fail."""
    return pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason)


@pytest.fixture(params=sorted(PACKAGES))
def package(request) -> Published:
    return PACKAGES[request.param]


def copy_of(pkg: Published, tmp_path: Path) -> Path:
    return pkg.copy_into(tmp_path / "project")


def ormfix_json(command: str, project: Path, pkg: Published, *args: str) -> tuple[int, dict]:
    result = run_ormfix(
        command, str(project), "--python", pkg.python, "--models", pkg.models, "--format", "json", *args
    )
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)


def errors(report: dict) -> list[dict]:
    return [d for d in report["diagnoses"] if d["severity"] == "error"]


# --- 1. indexing --------------------------------------------------------------------------------------


def column_aliases(tree: ast.Module) -> set[str]:
    """Names the module binds to Column/mapped_column (optuna: ``_Column = mapped_column``)."""
    names = set(COLUMN_CALLS)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names |= {a.asname for a in node.names if a.asname and a.name in COLUMN_CALLS}
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and node.value.id in COLUMN_CALLS:
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def test_indexing_changes_nothing_and_finds_every_class_and_relationship(package, tmp_path):
    project = copy_of(package, tmp_path)
    before = tree_digest(project)
    found = discover(project, Settings(), models=[package.models], python=package.python)
    discover(project, Settings())  # auto-discovery too: reads every file, writes none
    info = index_file(project / package.models_file, package.models_file, package.models)
    assert tree_digest(project) == before
    assert found.index.files[package.models_file].classes == info.classes
    assert found.files[package.models_file] == (project / package.models_file, package.models)

    tree = ast.parse((project / package.models_file).read_text())
    classes = {cls.name: cls for cls in info.classes}
    expected_classes = published.table_classes(tree)
    assert len(expected_classes) >= 6
    for name, node in expected_classes.items():
        assert (classes[name].line, classes[name].end_line, classes[name].is_mapped) == (
            node.lineno,
            node.end_lineno,
            True,
        )
    expected = published.relationships(tree)
    assert len(expected) >= 8
    for (class_name, attribute), (stmt, call) in expected.items():
        rel = classes[class_name].relationships[attribute]
        target = published.target_of(call)
        assert (rel.line, rel.end_line, rel.target) == (stmt.lineno, stmt.end_lineno, target), (class_name, attribute)
        assert set(rel.kwargs) == {kw.arg for kw in call.keywords}


@pytest.mark.parametrize(
    "package",
    [
        pytest.param(OPTUNA, id="optuna"),
        pytest.param(FLASK_APPBUILDER, id="flask-appbuilder"),
    ],
)
def test_index_finds_every_column_with_its_line_and_foreign_keys(package, tmp_path):
    project = copy_of(package, tmp_path)
    tree = ast.parse((project / package.models_file).read_text())
    aliases = column_aliases(tree)
    info = index_file(project / package.models_file, package.models_file, package.models)
    classes = {cls.name: cls for cls in info.classes}
    count = 0
    for cls, name, stmt, call in published.class_body_calls(tree):
        if published.callee(call) not in aliases or cls.name not in published.table_classes(tree):
            continue
        count += 1
        fks = [a.args[0].value for a in call.args if isinstance(a, ast.Call) and published.callee(a) == "ForeignKey"]
        column = classes[cls.name].columns.get(name)
        assert column is not None, f"{cls.name}.{name} (line {stmt.lineno}) is not indexed"
        assert (column.line, column.end_line, column.foreign_keys) == (stmt.lineno, stmt.end_lineno, fks)
    assert count >= 20


# --- 2. codemod no-op paths ---------------------------------------------------------------------------


class NoOps:
    """Runs codemod transforms whose change is already there (or does not apply) on one parsed module:
    the code must come back byte-identical (``apply(source)`` is parse + transform + ``.code``)."""

    def __init__(self, source: str):
        self.source = source
        self.module = libcst.parse_module(source)  # parsed once: a 600-line module takes 0.2 s to parse
        self.modules: set[str] = set()
        self.count = 0

    def identity(self, transform, **params) -> None:
        label = f"{transform.__module__}.{transform.__name__}{params}"
        try:
            with _file_facts.whole_source(self.source):  # as apply() runs it: the file's aliases are known
                after = transform(self.module, **params).code
        except NotApplicable as error:
            raise AssertionError(f"{label}: NotApplicable({error})")  # noqa: B904
        diff = "".join(difflib.unified_diff(self.source.splitlines(True), after.splitlines(True), n=1))
        assert after == self.source, f"{label} changed:\n{diff}"
        self._count(transform)

    def not_applicable(self, transform, **params) -> None:
        with pytest.raises(NotApplicable), _file_facts.whole_source(self.source):
            transform(self.module, **params)
        self._count(transform)

    def _count(self, transform) -> None:
        self.modules.add(transform.__module__.rsplit(".", 1)[-1])
        self.count += 1


def class_no_ops(noop: NoOps, tree: ast.Module) -> None:
    for name, node in published.table_classes(tree).items():
        noop.not_applicable(comment_out.comment_out, class_name=name, attribute="ormfix_no_such_attribute", reason="x")
        tablename = next(s.value.value for s in node.body if published.assigns(s, "__tablename__"))
        noop.identity(add_tablename.add_tablename, class_name=name, tablename=tablename, replace=True)
        noop.not_applicable(add_tablename.add_tablename, class_name=name, tablename=tablename)
        if any(published.assigns(s, "id") for s in node.body):
            noop.not_applicable(add_primary_key.add_primary_key, class_name=name)
        base = ast.get_source_segment(noop.source, node.bases[0])
        noop.identity(use_shared_base.use_shared_base, class_name=name, old_base=base, new_base=base)
        noop.not_applicable(use_shared_base.use_shared_base, class_name=name, old_base="OrmfixNoBase", new_base="X")
        noop.not_applicable(
            wrap_in_declared_attr.wrap_in_declared_attr, class_name=name, attribute="ormfix_no_such_attribute"
        )
        noop.not_applicable(
            use_existing_column.use_existing_column, class_name=name, attribute="ormfix_no_such_attribute"
        )
        noop.not_applicable(add_column_type.add_column_type, class_name=name, attribute="ormfix_no_such_attribute")
        noop.not_applicable(
            class_options.set_column_keyword,
            class_name=name,
            attribute="ormfix_no_such_attribute",
            keyword="init",
            value="False",
        )
        for keyword in node.keywords:  # a class keyword set to the value it has
            noop.identity(
                class_options.set_class_keyword,
                class_name=name,
                keyword=keyword.arg,
                value=ast.get_source_segment(noop.source, keyword.value),
            )


def relationship_no_ops(noop: NoOps, tree: ast.Module) -> None:
    for (name, attribute), (_, call) in published.relationships(tree).items():
        target = published.target_of(call)
        noop.identity(rename_target.rename_target, class_name=name, attribute=attribute, old=target, new=target)
        noop.identity(
            add_relationship.add_relationship, class_name=name, attribute=attribute, target=target, back_populates="x"
        )
        noop.identity(
            relationship_arg.set_relationship_arg,
            class_name=name,
            attribute=attribute,
            keyword="ormfix_absent",
            remove=True,
        )
        for keyword in call.keywords:  # each keyword set to the value it has
            value = ast.get_source_segment(noop.source, keyword.value)
            noop.identity(
                relationship_arg.set_relationship_arg,
                class_name=name,
                attribute=attribute,
                keyword=keyword.arg,
                value=value,
            )
            if keyword.arg == "foreign_keys":
                noop.identity(foreign_keys.add_foreign_keys, class_name=name, attribute=attribute, foreign_keys=value)
        noop.not_applicable(wrap_in_mapped.wrap_in_mapped, class_name=name, attribute=attribute)  # no annotation
        noop.not_applicable(
            annotate_foreign.annotate_foreign, class_name=name, attribute=attribute, column="OrmfixNoSuchClass.column"
        )  # no primaryjoin, or one that does not mention it
        noop.not_applicable(
            rename_reserved_attribute.rename_reserved_attribute, class_name=name, attribute=attribute
        )  # not a column


def column_no_ops(noop: NoOps, tree: ast.Module) -> None:
    aliases = column_aliases(tree)
    for cls, column, _, call in published.class_body_calls(tree):
        if published.callee(call) not in aliases:
            continue
        noop.not_applicable(
            rename_reserved_attribute.rename_reserved_attribute, class_name=cls.name, attribute=column, new=column
        )  # the new name is taken (by the column itself)
        noop.not_applicable(
            remove_trailing_comma.remove_trailing_comma, class_name=cls.name, attribute=column
        )  # a call, not a 1-tuple
        if not published.callee(call).endswith("mapped_column"):  # the keyword is mapped_column()'s only
            noop.not_applicable(use_existing_column.use_existing_column, class_name=cls.name, attribute=column)
        # the column codemods read the file's aliases of Column()/mapped_column() (optuna's _Column) too
        check = noop.identity
        for fk in (a for a in call.args if isinstance(a, ast.Call) and published.callee(a) == "ForeignKey"):
            target = fk.args[0].value
            noop.identity(add_fk_column.add_fk_column, class_name=cls.name, column_name=column, target=target)
            check(
                fix_fk_target.fix_fk_target,
                class_name=cls.name,
                column_name=column,
                old_target=target,
                new_target=target,
            )
            check(foreign_keys.add_foreign_key, class_name=cls.name, column_name=column, target=target)
            check(add_parent_fk.add_parent_fk, class_name=cls.name, target=target, column_name=column)


def init_no_ops(noop: NoOps, package: str) -> None:
    """Every name the package's __init__.py imports, imported again."""
    for node in ast.parse(noop.source).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level <= 1:
            base = f"{package}.{node.module}" if node.level else node.module
            for alias in node.names:
                noop.identity(
                    import_model_module.import_model_module, from_module=base, name=alias.asname or alias.name
                )


def test_every_codemod_no_op_path_is_the_identity(package, tmp_path):
    project = copy_of(package, tmp_path)
    noop = NoOps((project / package.models_file).read_text())
    tree = ast.parse(noop.source)
    class_no_ops(noop, tree)
    relationship_no_ops(noop, tree)
    column_no_ops(noop, tree)
    init_noop = NoOps((project / package.package / "__init__.py").read_text())
    init_no_ops(init_noop, package.package)
    assert noop.count >= 60 and init_noop.count >= 3
    binds_id = any(published.assigns(s, "id") for node in published.table_classes(tree).values() for s in node.body)
    assert noop.modules | init_noop.modules == CHECKED - (set() if binds_id else {"add_primary_key"})


def test_every_codemod_has_a_no_op_check_here():
    codemods = {m.name for m in pkgutil.iter_modules(ormfix.codemods.__path__) if not m.name.startswith("_")}
    assert codemods == CHECKED, "a codemod without a no-op check in test_every_codemod_no_op_path_is_the_identity"


def test_libcst_round_trips_every_file_of_the_models_subpackage(package, tmp_path):
    """optuna/storages/, flask_appbuilder/security/: the code around the models, byte for byte."""
    project = copy_of(package, tmp_path)
    files = sorted(project.joinpath(*package.models.split(".")[:2]).rglob("*.py"))
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert libcst.parse_module(text).code == text, path


# --- 3. faults injected into a copy -------------------------------------------------------------------


def test_clean_copy_has_no_errors(package, tmp_path):
    project = copy_of(package, tmp_path)
    before = tree_digest(project)
    code, report = ormfix_json("check", project, package)
    assert code == 0 and errors(report) == [], report
    assert report["sqlalchemy_version"] == dict(p.split("==") for p in package.pins)["sqlalchemy"]
    assert tree_digest(project) == before


def test_clean_flask_appbuilder_has_no_diagnoses_at_all(tmp_path):
    project = copy_of(FLASK_APPBUILDER, tmp_path)
    _, report = ormfix_json("check", project, FLASK_APPBUILDER)
    assert report["diagnoses"] == []


def inject(pkg: Published, project: Path, fault: str) -> tuple[str, str, int]:
    """Write the fault into the copy; (class, attribute, line) of the relationship it breaks."""
    path = project / pkg.models_file
    source = path.read_text()
    if fault == "fk":
        class_name, column, attribute = pkg.fk_fault
        source = published.delete_fk_column(source, class_name, column)
    else:
        class_name, attribute = pkg.rename_fault
        source = published.rename_target(source, class_name, attribute)
    path.write_text(source)
    stmt = published.statement_of(ast.parse(source), class_name, attribute)
    return class_name, attribute, stmt.lineno


FAULTS = [
    # (package, fault, code, strategy that apply writes)
    pytest.param(OPTUNA, "fk", "ORM001", "comment-out", id="optuna-fk"),
    pytest.param(FLASK_APPBUILDER, "fk", "ORM001", "comment-out", id="flask-appbuilder-fk"),
    pytest.param(FLASK_APPBUILDER, "rename", "ORM002", "comment-out", id="flask-appbuilder-rename"),
]


@pytest.mark.parametrize("pkg, fault, code, strategy", FAULTS)
def test_injected_fault_is_diagnosed_and_fixed(pkg, fault, code, strategy, tmp_path):
    project = copy_of(pkg, tmp_path)
    class_name, attribute, line = inject(pkg, project, fault)
    broken = (project / pkg.models_file).read_text()
    # the independent check imports the copy (first on sys.path), not the package installed in the venv
    assert "CONFIGURED" not in configure_in_subprocess(project, pkg.models, python=pkg.python).stdout
    status, report = ormfix_json("suggest", project, pkg)
    assert status == 1
    [diagnosis] = errors(report)
    assert (diagnosis["code"], diagnosis["file"], diagnosis["line"]) == (code, pkg.models_file, line), diagnosis
    assert (diagnosis["class"], diagnosis["attribute"]) == (class_name, attribute)
    assert any(f["strategy"] == strategy and f["verified"] for f in diagnosis["fixes"]), diagnosis["fixes"]

    others = {rel: digest for rel, digest in tree_digest(project).items() if rel != pkg.models_file}
    status, report = ormfix_json("apply", project, pkg, f"--strategy={strategy}")
    assert status == 0 and report["written"] == [pkg.models_file], report
    assert [d["severity"] for d in report["remaining"]] in ([], ["warning"]), report["remaining"]
    assert {rel: d for rel, d in tree_digest(project).items() if rel != pkg.models_file} == others
    fixed = (project / pkg.models_file).read_text()
    stmt = published.statement_of(ast.parse(broken), class_name, attribute)
    assert_only_lines_changed(broken, fixed, stmt.lineno, stmt.end_lineno)
    assert "CONFIGURED" in configure_in_subprocess(project, pkg.models, python=pkg.python).stdout


def assert_only_lines_changed(before: str, after: str, first: int, last: int) -> None:
    """Every line outside first..last (1-based) is still there, byte-identical and in order."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag != "equal":
            assert first - 1 <= i1 and i2 <= last, "".join(difflib.unified_diff(old, new))


def test_class_name_target_renamed_to_a_missing_class_is_an_unresolved_target_at_its_line(tmp_path):
    """optuna passes classes, not strings: a missing name raises NameError in the class body, at import;
    it is the relationship's unresolved target (ORM002) at the target as written, not an import failure."""
    project = copy_of(OPTUNA, tmp_path)
    class_name, attribute, line = inject(OPTUNA, project, "rename")
    _, call = published.relationships(ast.parse((project / OPTUNA.models_file).read_text()))[(class_name, attribute)]
    status, report = ormfix_json("check", project, OPTUNA)
    assert status == 1
    [diagnosis] = errors(report)
    target = call.args[0]  # the relationship starts at ``line``; the range is the missing name it passes
    assert line <= target.lineno and (diagnosis["code"], diagnosis["file"]) == ("ORM002", OPTUNA.models_file)
    assert (diagnosis["line"], diagnosis["column"]) == (target.lineno, target.col_offset + 1)
    assert (diagnosis["end_line"], diagnosis["end_column"]) == (target.end_lineno, target.end_col_offset + 1)
    assert (diagnosis["class"], diagnosis["attribute"]) == (class_name, attribute)
    assert f"NameError: name '{call.args[0].id}' is not defined" in diagnosis["sqlalchemy_error"]
    assert "NameError" in diagnosis["message"]


def test_a_class_that_fails_to_build_is_one_diagnosis(tmp_path):
    project = copy_of(FLASK_APPBUILDER, tmp_path)
    path = project / FLASK_APPBUILDER.models_file
    class_name, column, _ = FLASK_APPBUILDER.fk_fault
    path.write_text(published.delete_fk_column(path.read_text(), class_name, column, constraints=False))
    _, report = ormfix_json("check", project, FLASK_APPBUILDER)
    assert [d["code"] for d in errors(report)] == ["ORM004"], errors(report)


PREFERRED = [
    # (package, fault, strategy, a name its diff must add back)
    pytest.param(OPTUNA, "fk", "add-fk-column", "study_id", id="optuna-fk"),
    pytest.param(FLASK_APPBUILDER, "fk", "add-fk-column", "view_menu_id", id="flask-appbuilder-fk"),
    pytest.param(FLASK_APPBUILDER, "rename", "rename-target", "Permission", id="flask-appbuilder-rename"),
    pytest.param(OPTUNA, "rename", "rename-target", "StudyModel", id="optuna-rename"),
]


@pytest.mark.parametrize("pkg, fault, strategy, restored", PREFERRED)
def test_the_fix_a_developer_would_write_is_verified(pkg, fault, strategy, restored, tmp_path):
    """The fix that undoes the fault (not comment-out) is offered and verified."""
    project = copy_of(pkg, tmp_path)
    inject(pkg, project, fault)
    _, report = ormfix_json("suggest", project, pkg, f"--strategy={strategy}")
    fixes = [f for d in errors(report) for f in d["fixes"] if f["strategy"] == strategy]
    assert fixes and fixes[0]["verified"], fixes
    added = [line for line in fixes[0]["diff"].splitlines() if line.startswith("+")]
    assert any(restored in line for line in added), fixes[0]
