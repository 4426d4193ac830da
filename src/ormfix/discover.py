"""Discover a project: its Python files, import roots, the model packages to import, the interpreter."""

from __future__ import annotations

import ast
import heapq
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from .config import Settings
from .errors import UsageError
from .index import ProjectIndex, build_index, index_source, read_source
from .interpreter import find_python

SKIP_DIRS = {
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    "env",
    ".env",
    ".tox",
    ".nox",
    "node_modules",
    "__pycache__",
    "site-packages",
    "build",
    "dist",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
    "tests",
    "test",
    "migrations",
    "alembic",
    "docs",
    ".idea",
    ".vscode",
    ".ormfix",
}
SKIP_FILES = {"setup.py", "conftest.py", "noxfile.py", "manage.py"}


@dataclass
class Project:
    path: Path  # the PATH the user gave, absolute
    base: Path  # the folder mirrored into scratch copies; file paths are relative to it
    roots: list[Path]  # import roots: sys.path entries for the probe
    modules: list[str]  # what the probe imports, in order (the way the application does)
    files: dict[str, tuple[Path, str | None]]  # relative path -> (absolute path, module name)
    index: ProjectIndex
    python: str
    timeout: float = 60.0
    env: list[str] = field(default_factory=list)
    python_reason: str = ""  # why this interpreter (interpreter.find_python)
    max_copy_mb: float = 500.0  # what a scratch copy may hold
    limits: dict[str, float] = field(default_factory=dict)  # the probe's resource limits ([tool.ormfix])
    python_given: bool = False  # --python or [tool.ormfix] python named the interpreter

    def with_overrides(self, overrides: dict[str, str]) -> Project:
        """The same project, its index re-read from the overridden files' new text."""
        index = self.index.detached()
        for rel, text in overrides.items():
            module = self.files.get(rel, (None, None))[1]
            index.files[rel] = index_source(text, rel, module)
        return replace(self, index=index.link())

    def rel(self, absolute: Path | str) -> str:
        return Path(os.path.relpath(absolute, self.base)).as_posix()

    def original_text(self, rel_path: str) -> str:
        """A file's text as diagnosed (what fixes are planned against)."""
        path = self.files[rel_path][0] if rel_path in self.files else self.base / rel_path
        return read_source(path)


def python_files(base: Path) -> list[Path]:
    found = []
    for folder, dirs, files in os.walk(base):
        dirs[:] = sorted(
            d for d in dirs if d not in SKIP_DIRS and not d.startswith(".") and not d.endswith(".egg-info")
        )
        for name in sorted(files):
            if name.endswith(".py") and name not in SKIP_FILES and not name.startswith("test_"):
                found.append(Path(folder) / name)
    return found


def module_for(path: Path, stop: Path) -> tuple[Path, str]:
    """(import root, dotted module name) for a file, climbing while folders are packages.

    The climb stops at ``stop`` (PATH): when PATH is itself a package, PATH is the root (configure
    ``root`` in [tool.ormfix] to go higher)."""
    parts = [] if path.name == "__init__.py" else [path.stem]
    folder = path.parent
    while (
        folder != stop
        and folder.parent != folder
        and ((folder / "__init__.py").exists() or _namespace_inside_package(folder, stop))
    ):
        parts.insert(0, folder.name)
        folder = folder.parent
    return folder, ".".join(parts)


def _namespace_inside_package(folder: Path, stop: Path) -> bool:
    """A folder without ``__init__.py`` inside a regular package (``app/models/`` under ``app/``) is a
    namespace subpackage the application imports as ``app.models``: not an import root."""
    return folder.parent != stop and (folder.parent / "__init__.py").exists() and folder.name.isidentifier()


def _imports_submodule(init_file: Path, package: str, submodules: set[str]) -> bool:
    """Does a package's __init__.py import any of the given submodules (absolute or relative)?"""
    try:
        tree = ast.parse(init_file.read_bytes())
    except (SyntaxError, ValueError, OSError):
        return True  # let the probe import it and report the failure
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and (node.module or "") in submodules:
                return True
            if node.level == 1 and node.module is None and any(a.name in submodules for a in node.names):
                return True
            if node.level == 0 and node.module:
                if (
                    node.module.startswith(package + ".")
                    and node.module[len(package) + 1 :].split(".")[0] in submodules
                ):
                    return True
                if node.module == package and any(a.name in submodules for a in node.names):
                    return True
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(package + ".") and alias.name[len(package) + 1 :].split(".")[0] in submodules:
                    return True
    return False


def choose_modules(model_modules: list[tuple[Path, str]]) -> list[str]:
    """Import a models package when its __init__ imports its model modules (as apps do), else each module."""
    chosen: list[str] = []
    by_package: dict[tuple[Path, str], set[str]] = {}
    for root, module in model_modules:
        package, _, leaf = module.rpartition(".")
        if not package:
            if module not in chosen:
                chosen.append(module)
            continue
        by_package.setdefault((root, package), set()).add(leaf)
    for (root, package), leaves in sorted(by_package.items(), key=lambda item: item[0][1]):
        init_file = root.joinpath(*package.split(".")) / "__init__.py"
        if init_file.exists() and (leaves == {""} or _imports_submodule(init_file, package, leaves)):
            candidates = [package]
        else:
            candidates = [f"{package}.{leaf}" for leaf in sorted(leaves)]
        for name in candidates:
            if name not in chosen:
                chosen.append(name)
    # a package already imported covers its submodules
    return [m for m in chosen if not any(m.startswith(other + ".") for other in chosen if other != m)]


def in_import_order(modules: list[str], imports_first: dict[str | None, set[str]]) -> list[str]:
    """``modules`` with each after those it imports before its first class (a module that imports
    another at its end, to close an import cycle, comes first, as the app's own imports have it); else in
    their given order."""
    chosen = set(modules)

    def covering(name: str) -> str | None:
        """The chosen module that is ``name`` or a package holding it."""
        parts = name.split(".")
        return next((prefix for i in range(len(parts), 0, -1) if (prefix := ".".join(parts[:i])) in chosen), None)

    after: dict[str, set[str]] = {m: set() for m in modules}
    for name, imported in imports_first.items():
        owner = covering(name) if name is not None else None
        if owner is not None:
            after[owner] |= {found for i in imported if (found := covering(i)) not in (None, owner)}
    users: dict[str, list[str]] = {m: [] for m in modules}
    for module, needed in after.items():
        for other in needed:
            users[other].append(module)
    position = {m: i for i, m in enumerate(modules)}
    ready = [position[m] for m in modules if not after[m]]
    heapq.heapify(ready)
    ordered: list[str] = []
    placed: set[str] = set()
    while len(ordered) < len(modules):  # the first module whose needs are met; in a cycle, the first left
        module = modules[heapq.heappop(ready)] if ready else next(m for m in modules if m not in placed)
        if module in placed:
            continue
        ordered.append(module)
        placed.add(module)
        for user in users[module]:
            after[user].discard(module)
            if not after[user] and user not in placed:
                heapq.heappush(ready, position[user])
    return ordered


def _refuse_too_wide(path: Path, base: Path) -> None:
    """``/`` or the home folder is never a project: walking and copying it would never end."""
    try:
        home = Path.home().resolve()
    except (RuntimeError, KeyError, OSError):  # no HOME and no password entry
        home = None
    for folder in dict.fromkeys([path, base]):
        if folder == Path(folder.anchor) or folder == home:
            what = "the whole file system" if folder == Path(folder.anchor) else "your home folder"
            raise UsageError(f"{folder}: is {what}, not a project; give the folder that holds the project")


def discover(
    path: Path,
    settings: Settings,
    *,
    models: list[str] | None = None,
    python: str | None = None,
    timeout: float | None = None,
    env: list[str] | None = None,
) -> Project:
    path = path.expanduser()
    if not path.exists():
        raise UsageError(f"{path}: no such file or directory")
    if not path.is_dir():
        raise UsageError(f"{path}: not a directory (give the folder that holds the project)")
    path = path.resolve()
    base = path
    if settings.root and not settings.root.is_relative_to(path):
        base = settings.root
    _refuse_too_wide(path, base)
    files: dict[str, tuple[Path, str | None]] = {}
    roots: dict[str, Path] = {}
    for file in python_files(base):
        root, module = module_for(file, base)
        rel = file.relative_to(base).as_posix()
        files[rel] = (file, module or None)
        roots[rel] = root
    if settings.root:
        root_override = settings.root
        for rel, (file, _) in list(files.items()):
            if file.is_relative_to(root_override):
                dotted = file.relative_to(root_override).with_suffix("").parts
                dotted = dotted[:-1] if dotted[-1] == "__init__" else dotted
                files[rel] = (file, ".".join(dotted))
                roots[rel] = root_override
    index = build_index(files)
    wanted = list(models or settings.models)
    if wanted:
        modules = wanted
        root_set = (
            [settings.root] if settings.root else sorted({roots[rel] for rel in files}, key=lambda p: len(p.parts))
        )
    else:
        mapped = [rel for rel, info in index.files.items() if any(c.is_mapped for c in info.classes)]
        module_of = {rel: module for rel, (_, module) in files.items() if module}
        packages = {module_of[rel].rpartition(".")[0] for rel in mapped if rel in module_of}
        broken = [
            rel
            for rel, info in index.files.items()
            if info.error and rel in module_of and (not mapped or module_of[rel].rpartition(".")[0] in packages)
        ]
        if not mapped and not broken:
            raise UsageError(f"{path}: no SQLAlchemy mapped classes found (name the models package with --models)")
        model_files = mapped + broken
        modules = choose_modules([(roots[rel], module_of[rel]) for rel in model_files if rel in module_of])
        modules = in_import_order(modules, {info.module: info.imports_first for info in index.files.values()})
        root_set = sorted({roots[rel] for rel in model_files}, key=lambda p: str(p))
    interpreter = find_python(path, settings, python)
    return Project(
        path=path,
        base=base,
        roots=root_set,
        modules=modules,
        files=files,
        index=index,
        python=interpreter.path,
        python_reason=interpreter.reason,
        timeout=timeout or settings.timeout,
        env=[*settings.env, *(env or [])],
        max_copy_mb=settings.max_copy_mb,
        limits=settings.limits,
        python_given=bool(python or settings.python),
    )
