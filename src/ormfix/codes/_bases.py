"""Which declarative base a class is mapped on, read from the static index (where the base is bound)."""

from __future__ import annotations

from dataclasses import dataclass

from ..index import ClassInfo, FileInfo, ProjectIndex

DECLARATIVE_CLASSES = {"DeclarativeBase", "DeclarativeBaseNoMeta", "DeclarativeMeta"}


@dataclass(frozen=True)
class BaseRef:
    written: str  # the base as the class statement writes it: "Base", "billing_db.Model"
    module: str  # the module that binds its first name
    name: str  # that first name ("Base", "billing_db"): what another module imports
    file: str
    line: int

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def _file_of_module(index: ProjectIndex, module: str) -> FileInfo | None:
    return next((info for info in index.files.values() if info.module == module), None)


def _absolute(origin: str, info: FileInfo) -> str:
    """``..base.Base`` imported in ``info`` -> ``models.base.Base``."""
    if not origin.startswith("."):
        return origin
    level = len(origin) - len(origin.lstrip("."))
    package = (info.module or "") if info.path.endswith("__init__.py") else (info.module or "").rpartition(".")[0]
    for _ in range(level - 1):
        package = package.rpartition(".")[0]
    rest = origin.lstrip(".")
    return f"{package}.{rest}" if package else rest


def binding(index: ProjectIndex, info: FileInfo, name: str, depth: int = 0) -> tuple[FileInfo, int] | None:
    """Where ``name`` as seen in ``info`` is bound: (file, line) of its assignment or class statement."""
    if name in info.assignments:
        return info, info.assignments[name]
    defined = next((c for c in info.classes if c.name == name), None)
    if defined is not None:
        return info, defined.line
    origin = info.imports.get(name)
    if origin is None or depth > 3:
        return None
    module, _, leaf = _absolute(origin, info).rpartition(".")
    source = _file_of_module(index, module)
    return binding(index, source, leaf, depth + 1) if source is not None else None


def declarative_base_of(cls: ClassInfo, index: ProjectIndex, depth: int = 0) -> BaseRef | None:
    """The declarative base ``cls`` is mapped on: the first base that is bound by an assignment
    (``Base = declarative_base()``, ``db = SQLAlchemy()`` for ``db.Model``) or is a class deriving from
    ``DeclarativeBase``; a mapped parent class is followed (inheritance), a mixin skipped."""
    info = index.files.get(cls.file)
    if info is None or depth > 5:
        return None
    for written in cls.bases:
        root = written.split(".")[0]
        found = binding(index, info, root)
        if found is None:
            continue
        where, line = found
        parent = next((c for c in where.classes if c.line == line), None)
        if parent is None or any(b.rsplit(".", 1)[-1] in DECLARATIVE_CLASSES for b in parent.bases):
            return BaseRef(written=written, module=where.module or "", name=root, file=where.path, line=line)
        if parent.tablename_explicit or parent.flask_style:
            inherited = declarative_base_of(parent, index, depth + 1)
            if inherited is not None:
                return inherited
    return None
