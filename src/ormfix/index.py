"""Static index of model files: classes, tables, columns, ForeignKeys and relationships, with lines.

Built with the stdlib ``ast`` parser (about 10x faster than LibCST): the index only reads. LibCST is
used later, and only on the files a fix rewrites.
"""

from __future__ import annotations

import ast
import functools
import io
import re
import tokenize
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

COLUMN_CALLS = {"Column", "mapped_column", "column_property"}
RELATIONSHIP_CALLS = {"relationship", "relation"}
SQLMODEL_CALLS = {"Field": "column", "Relationship": "relationship"}  # only when imported from sqlmodel
DECLARED_ATTR = {"declared_attr", "declared_attr.directive", "declared_attr.cascading"}
# Mapped[...] spellings whose relationship is a collection whatever the inner type (no list[...] needed)
COLLECTION_MAPPED = {"WriteOnlyMapped", "DynamicMapped"}
PYTHON_TYPE_TO_SQL = {
    "int": ("Integer", ""),
    "str": ("String", ""),
    "uuid.UUID": ("Uuid", ""),
    "UUID": ("Uuid", ""),
    "float": ("Float", ""),
    "bool": ("Boolean", ""),
}
# other Python types a bare ``x: Mapped[...]`` maps to a column
SCALAR_PYTHON_TYPES = {
    "datetime",
    "datetime.datetime",
    "date",
    "datetime.date",
    "Decimal",
    "decimal.Decimal",
    "bytes",
    "dict",
    "time",
    "datetime.time",
}
SQL_TYPE_TO_PYTHON = {
    "Integer": "int",
    "BigInteger": "int",
    "SmallInteger": "int",
    "INTEGER": "int",
    "BIGINT": "int",
    "String": "str",
    "Unicode": "str",
    "Text": "str",
    "VARCHAR": "str",
    "CHAR": "str",
    "Uuid": "uuid.UUID",
    "UUID": "uuid.UUID",
}


# (line, column, end line, end column): 1-based, columns count characters, the end is exclusive (as LSP)
Span = tuple[int, int, int, int]
Located = ast.expr | ast.stmt | ast.keyword  # a node with a position in the source


@dataclass
class ColumnInfo:
    attribute: str
    line: int
    end_line: int
    call: str  # the callee as written: "db.Column", "Column", "mapped_column"
    type_name: str = ""  # "Integer", "String", "UUID" ("" when not given)
    type_args: str = ""  # "36", "as_uuid=True"
    type_module: str = "sqlalchemy"
    python_type: str = ""  # from a Mapped[...] annotation or the SQL type
    ondelete: str | None = None  # ForeignKey(..., ondelete="CASCADE") as written
    indexed: bool = False  # index=True
    foreign_keys: list[str] = field(default_factory=list)  # "users.id"
    primary_key: bool = False
    column_name: str | None = None  # explicit name given as first positional string
    span: Span | None = None  # the assignment statement
    fk_spans: dict[str, Span] = field(default_factory=dict)  # "users.id" -> its ForeignKey(...) call
    foreign_key_refs: list[str] = field(default_factory=list)  # ForeignKey(User.id) as written: "User.id"
    type_from_annotation: bool = False  # no SQL type written: Mapped[int] decides (type_annotation_map may)
    file: str | None = None  # where the statement is, when not in the class's own file (a mixin's)
    defined_in: str | None = None  # the class whose body holds it (a mixin or abstract base), else None
    site: str = "body"  # "body", "declared_attr" (a @declared_attr method) or "assigned" (Cls.x = ... below)
    linked: bool = field(default=False, repr=False)  # added by ProjectIndex.link() (inherited or assigned)


@functools.lru_cache(maxsize=8192)
def _string_literal(text: str) -> str | None:
    """The value of a source text that is a plain string literal (asked for again and again)."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, str) else None


@dataclass
class RelationshipInfo:
    attribute: str
    line: int
    end_line: int
    target: str | None  # class name (or expression) the relationship points at
    kwargs: dict[str, str] = field(default_factory=dict)  # keyword -> source text
    annotation: str = ""  # the Mapped[...] annotation, if any
    collection: bool | None = None  # from the annotation: list -> True, scalar -> False
    span: Span | None = None  # the assignment statement
    kwarg_spans: dict[str, Span] = field(default_factory=dict)  # keyword -> its ``keyword=value``
    target_span: Span | None = None  # the first argument (the target as written)
    file: str | None = None  # where the statement is, when not in the class's own file (a mixin's)
    defined_in: str | None = None  # the class whose body holds it (a mixin or abstract base), else None
    site: str = "body"  # "body", "declared_attr" (a @declared_attr method) or "assigned" (Cls.x = ... below)
    linked: bool = field(default=False, repr=False)  # added by ProjectIndex.link() (inherited or assigned)

    def kwarg_str(self, name: str) -> str | None:
        """The keyword's value when it is a plain string literal."""
        text = self.kwargs.get(name)
        return None if text is None else _string_literal(text)


@dataclass
class ClassInfo:
    name: str
    file: str  # relative to the project PATH
    module: str | None
    line: int
    end_line: int
    bases: list[str]
    tablename: str | None = None
    tablename_explicit: bool = False
    abstract: bool = False
    columns: dict[str, ColumnInfo] = field(default_factory=dict)
    relationships: dict[str, RelationshipInfo] = field(default_factory=dict)
    attributes: dict[str, int] = field(default_factory=dict)  # every name bound in the body
    tuple_columns: dict[str, int] = field(default_factory=dict)  # `name = Column(...),`: a 1-tuple -> its line
    flask_style: bool = False
    span: Span | None = None  # ``class Name`` (the keyword to the end of the name)
    attribute_spans: dict[str, Span] = field(default_factory=dict)  # name -> the statement binding it
    annotation_spans: dict[str, Span] = field(default_factory=dict)  # name -> its annotation (``x: Mapped[...]``)
    sqlmodel_table: bool = False  # class X(SQLModel, table=True)

    @property
    def is_mapped(self) -> bool:
        if self.abstract:
            return False
        own = any(
            c.site == "body" and not c.defined_in and _last(c.call) != "Field" for c in self.columns.values()
        ) or any(r.site == "body" and not r.defined_in for r in self.relationships.values())
        return bool(self.tablename_explicit or self.sqlmodel_table or own)

    @property
    def primary_keys(self) -> list[ColumnInfo]:
        return [c for c in self.columns.values() if c.primary_key]


@dataclass
class FileInfo:
    path: str  # relative to the project PATH, with "/" separators
    module: str | None
    imports: dict[str, str] = field(default_factory=dict)  # local name -> dotted origin
    # modules its top-level imports before its first class need whole (absolute; "pkg.name" and "pkg" for
    # ``from pkg import name``): discovery imports those first, as the app's own import order does
    imports_first: set[str] = field(default_factory=set)
    assignments: dict[str, int] = field(default_factory=dict)  # module-level ``name = ...`` -> its line
    classes: list[ClassInfo] = field(default_factory=list)
    assigned: list[tuple[str, RelationshipInfo | ColumnInfo]] = field(default_factory=list)  # Cls.x = ... below
    type_map: dict[str, tuple[str, str]] = field(default_factory=dict)  # type_annotation_map: "int" -> BigInteger
    error: str | None = None
    error_line: int | None = None
    line_count: int = 0


@dataclass
class ProjectIndex:
    files: dict[str, FileInfo] = field(default_factory=dict)

    def classes(self) -> list[ClassInfo]:
        return [cls for info in self.files.values() for cls in info.classes]

    def mapped_classes(self) -> list[ClassInfo]:
        return [cls for cls in self.classes() if cls.is_mapped]

    def _by_name(self) -> dict[str, list[ClassInfo]]:
        key = id(self.files), len(self.files)
        if getattr(self, "_cache_key", None) != key:
            table: dict[str, list[ClassInfo]] = {}
            for cls in self.classes():
                table.setdefault(cls.name, []).append(cls)
            self._cache, self._cache_key = table, key
        return self._cache

    def find_class(self, name: str, module: str | None = None) -> ClassInfo | None:
        """The class called ``name`` (a dotted path's last part counts); prefer the given module."""
        short = name.rsplit(".", 1)[-1]
        candidates = self._by_name().get(short, [])
        if module:
            for cls in candidates:
                if cls.module == module:
                    return cls
        mapped = [cls for cls in candidates if cls.is_mapped]
        return mapped[0] if mapped else candidates[0] if candidates else None

    def class_for_table(self, table: str) -> ClassInfo | None:
        for cls in self.mapped_classes():
            if cls.tablename == table:
                return cls
        return None

    def detached(self) -> ProjectIndex:
        """A copy whose classes can be linked again without touching this index's."""
        return ProjectIndex(files={rel: _detached_file(info) for rel, info in self.files.items()})

    def link(self) -> ProjectIndex:
        """Complete each class with what declarative gives it from elsewhere: relationships and columns
        assigned below the class (``Author.books = relationship(...)``), columns and ``@declared_attr``
        relationships of its mixins and abstract bases, and ``ForeignKey(User.id)`` read as "users.id"."""
        for info in self.files.values():
            for cls in info.classes:
                cls.columns = {k: v for k, v in cls.columns.items() if not v.linked}
                cls.relationships = {k: v for k, v in cls.relationships.items() if not v.linked}
        for info in self.files.values():
            for class_name, item in info.assigned:
                owner = self._resolve(class_name, info)
                if owner is None:
                    continue
                # the relationships or the columns, as item is one or the other
                table: dict[str, Any] = owner.relationships if isinstance(item, RelationshipInfo) else owner.columns
                if item.attribute not in table:
                    table[item.attribute] = replace(
                        item, file=info.path if info.path != owner.file else None, linked=True
                    )
        for info in self.files.values():
            for cls in info.classes:
                for col in cls.columns.values():
                    self._resolve_fk_refs(col, info)
        for info in self.files.values():
            for cls in info.classes:
                self._inherit(cls, info)
        type_map = {k: v for info in self.files.values() for k, v in info.type_map.items()}
        if type_map:  # registry(type_annotation_map=...): what Mapped[int] maps to in this project
            for cls in self.classes():
                for col in cls.columns.values():
                    if col.type_from_annotation and col.python_type in type_map:
                        col.type_name, col.type_args = type_map[col.python_type]
        return self

    def inherits(self, cls: ClassInfo, base_name: str) -> bool:
        """Whether ``cls`` has ``base_name`` (e.g. "MappedAsDataclass") among its bases, however far up."""
        todo, seen = [cls], set()
        while todo:
            current = todo.pop()
            if id(current) in seen:
                continue
            seen.add(id(current))
            if any(_last(base) == base_name for base in current.bases):
                return True
            info = self.files.get(current.file)
            todo.extend(parent for base in current.bases if info and (parent := self._resolve(base, info)) is not None)
        return False

    def _resolve(self, name: str, info: FileInfo) -> ClassInfo | None:
        """The class ``name`` means in file ``info``: defined there, imported from a module, else any."""
        short = name.rsplit(".", 1)[-1]
        for cls in info.classes:
            if cls.name == short:
                return cls
        origin = info.imports.get(name.split(".")[0], "")
        module = origin.rpartition(".")[0] if "." not in name else origin
        return self.find_class(short, module.lstrip(".") or None)

    def _resolve_fk_refs(self, col: ColumnInfo, info: FileInfo) -> None:
        for ref in col.foreign_key_refs:
            class_name, _, attribute = ref.rpartition(".")
            target = self._resolve(class_name, info) if class_name else None
            if target is None or not target.tablename:
                continue
            column = target.columns.get(attribute)
            text = f"{target.tablename}.{(column.column_name if column else None) or attribute}"
            if text not in col.foreign_keys:
                col.foreign_keys.append(text)

    def _copy_sources(self, cls: ClassInfo, info: FileInfo, seen: set[int]) -> list[tuple[ClassInfo, FileInfo]]:
        """The mixins and abstract bases declarative copies attributes from, nearest first."""
        found = []
        for base in cls.bases:
            parent = self._resolve(base, info)
            if parent is None or id(parent) in seen or parent is cls:
                continue
            seen.add(id(parent))
            if parent.abstract or (not parent.tablename and not parent.sqlmodel_table):
                parent_info = self.files.get(parent.file, info)
                found.append((parent, parent_info))
                found.extend(self._copy_sources(parent, parent_info, seen))
        return found

    def _inherit(self, cls: ClassInfo, info: FileInfo) -> None:
        for source, _ in self._copy_sources(cls, info, {id(cls)}):
            for name, col in source.columns.items():
                if name not in cls.columns and name not in cls.relationships:
                    cls.columns[name] = replace(
                        col,
                        file=col.file or source.file,
                        defined_in=col.defined_in or source.name,
                        linked=True,
                        foreign_keys=list(col.foreign_keys),
                    )
            for name, rel in source.relationships.items():
                if rel.site == "declared_attr" and name not in cls.relationships and name not in cls.columns:
                    cls.relationships[name] = replace(
                        rel, file=rel.file or source.file, defined_in=rel.defined_in or source.name, linked=True
                    )


def _detached_file(info: FileInfo) -> FileInfo:
    classes = [replace(cls, columns=dict(cls.columns), relationships=dict(cls.relationships)) for cls in info.classes]
    return replace(info, classes=classes)


def camel_to_snake(name: str) -> str:
    """Flask-SQLAlchemy's default ``__tablename__`` for a class name."""
    name = re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", name)
    return name.lower().lstrip("_")


def read_source(path: Path) -> str:
    """Decode a Python file the way the interpreter does (coding cookie, BOM); raises on bad bytes."""
    data = path.read_bytes()
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    text = data.decode(encoding)
    return text[1:] if text.startswith("\ufeff") else text


def _dotted(node: ast.AST) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, without ast.unparse (which is slow)."""
    if type(node) is ast.Name:  # the common case, first
        return node.id
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _callee(node: ast.AST) -> str:
    if type(node) is ast.Call:
        node = node.func
    if type(node) is ast.Name:
        return node.id
    dotted = _dotted(node)
    if dotted is not None:
        return dotted
    try:
        return ast.unparse(node)
    except Exception:  # pragma: no cover - ast.unparse handles every expression node
        return ""


def _last(dotted: str) -> str:
    return dotted.rsplit(".", 1)[-1]


def _string(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


class _FileIndexer:
    def __init__(self, source: str, rel_path: str, module: str | None) -> None:
        self.source = source
        self.info = FileInfo(path=rel_path, module=module)
        self._lines: list[str] | None = None
        self.aliases: dict[str, str] = {}  # module-level names bound to Column / mapped_column / relationship
        self.helpers: set[str] = set()  # of those, functions returning one (their arguments are their own)
        self.templates: dict[str, ast.Call] = {}  # of those, the call each always makes (partial's arguments)
        self.annotated: dict[str, tuple[ast.AST, ast.Call]] = {}  # intpk = Annotated[int, mapped_column(...)]

    def segment(self, node: Located) -> str:
        """The source text of a node (ast.get_source_segment re-splits the file on every call)."""
        if self._lines is None:
            self._lines = self.source.splitlines(keepends=True)
        if node.end_lineno is None:  # a node built by hand
            return ast.unparse(node)
        try:
            first, last = node.lineno - 1, node.end_lineno - 1
            if first == last:
                return self._lines[first].encode()[node.col_offset : node.end_col_offset].decode()
            head = self._lines[first].encode()[node.col_offset :].decode()
            tail = self._lines[last].encode()[: node.end_col_offset].decode()
            return head + "".join(self._lines[first + 1 : last]) + tail
        except (AttributeError, IndexError, TypeError, UnicodeDecodeError):
            return ast.unparse(node)

    def span(self, node: Located) -> Span:
        """The node's range, its columns counted in characters (ast counts UTF-8 bytes)."""
        end_line = getattr(node, "end_lineno", None) or node.lineno
        end_offset = getattr(node, "end_col_offset", None)
        return (
            node.lineno,
            self._char(node.lineno, node.col_offset),
            end_line,
            self._char(end_line, end_offset if end_offset is not None else node.col_offset),
        )

    def _char(self, line: int, offset: int) -> int:
        if self._lines is None:
            self._lines = self.source.splitlines(keepends=True)
        text = self._lines[line - 1] if 0 < line <= len(self._lines) else ""
        if text.isascii():
            return offset + 1
        return len(text.encode()[:offset].decode("utf-8", "ignore")) + 1

    def run(self) -> FileInfo:
        try:
            tree = ast.parse(self.source, filename=self.info.path)
        except SyntaxError as exc:
            self.info.error = f"SyntaxError: {exc.msg}"
            self.info.error_line = exc.lineno
            return self.info
        self.info.line_count = self.source.count("\n") + 1
        for node in tree.body:
            if not self.info.classes and isinstance(node, (ast.Import, ast.ImportFrom)):
                self.info.imports_first |= _imported_modules(node, self.info.module, self.info.path)
            if isinstance(node, ast.ClassDef):
                self.info.classes.append(self._index_class(node))
            elif isinstance(node, (ast.If, ast.Try)):  # import fallbacks, TYPE_CHECKING blocks
                handlers = [h.body for h in getattr(node, "handlers", [])]
                for sub in node.body + node.orelse + [stmt for body in handlers for stmt in body]:
                    if isinstance(sub, ast.ClassDef):  # a class defined under a condition
                        self.info.classes.append(self._index_class(sub))
                    else:
                        self._record_binding(sub)
            else:
                self._record_binding(node)
                self._record_assigned(node)
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                    self._record_registry_call(node)
        return self.info

    def _record_registry_call(self, node: ast.AST) -> None:
        for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
            for kw in call.keywords:
                if kw.arg == "type_annotation_map":
                    self._record_type_map(kw.value)

    def _record_assigned(self, node: ast.AST) -> None:
        """``Author.books = relationship(...)`` below the class: declarative adds it to the class."""
        if not (isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Call)):
            return
        target = (
            node.targets[0]
            if isinstance(node, ast.Assign) and len(node.targets) == 1
            else getattr(node, "target", None)
        )
        owner_name = _dotted(target.value) if isinstance(target, ast.Attribute) else None
        if not isinstance(target, ast.Attribute) or owner_name is None:
            return
        holder = ClassInfo(
            name="",
            file=self.info.path,
            module=self.info.module,
            line=node.lineno,
            end_line=node.end_lineno or node.lineno,
            bases=[],
        )
        annotation = node.annotation if isinstance(node, ast.AnnAssign) else None
        self._index_statement(holder, node, target.attr, annotation, node.value)
        items: list[ColumnInfo | RelationshipInfo] = [*holder.columns.values(), *holder.relationships.values()]
        for item in items:
            item.site = "assigned"
            self.info.assigned.append((owner_name, item))

    def _record_binding(self, node: ast.AST) -> None:
        """Imports, and aliases of the column/relationship functions (``_Column = mapped_column``)."""
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            self._record_import(node)
            for alias in node.names:
                if alias.asname and alias.name in COLUMN_CALLS | RELATIONSHIP_CALLS:
                    self.aliases[alias.asname] = alias.name
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            self.info.assignments.setdefault(node.targets[0].id, node.lineno)
            value = node.value
            if (
                isinstance(value, ast.Subscript)
                and _last(_callee(value.value)) == "Annotated"
                and isinstance(value.slice, ast.Tuple)
                and len(value.slice.elts) >= 2
            ):
                call = next(
                    (e for e in value.slice.elts[1:] if isinstance(e, ast.Call) and _last(_callee(e)) in COLUMN_CALLS),
                    None,
                )
                if call is not None:
                    self.annotated[node.targets[0].id] = (value.slice.elts[0], call)
            aliased = _last(_dotted(node.value) or "")
            if aliased in COLUMN_CALLS or aliased in RELATIONSHIP_CALLS:
                self.aliases[node.targets[0].id] = aliased
            elif _makes_calls(node.value) and (spelled := self._spelled(node.value)) is not None:  # partial, lambda
                self.aliases[node.targets[0].id], self.templates[node.targets[0].id] = spelled
                if isinstance(node.value, ast.Lambda):
                    self.helpers.add(node.targets[0].id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            returned = [self._spelled(r.value) for r in ast.walk(node) if isinstance(r, ast.Return) and r.value]
            if len(returned) == 1 and returned[0] is not None:  # a helper that returns a Column
                self.aliases[node.name], self.templates[node.name] = returned[0]
                self.helpers.add(node.name)

    def _spelled(self, value: ast.AST | None) -> tuple[str, ast.Call] | None:
        """(the SQLAlchemy call a value stands for, the call it always makes) for ``partial(Column, ...)``,
        a call of Column (a helper's return value) or a lambda returning one."""
        if isinstance(value, ast.Lambda):
            value = value.body
        if not isinstance(value, ast.Call):
            return None
        callee = _last(_callee(value))
        template = value
        if callee == "partial" and value.args:
            callee = _last(_dotted(value.args[0]) or "")
            template = ast.Call(func=value.args[0], args=value.args[1:], keywords=value.keywords)
        callee = self.aliases.get(callee, callee)
        return (callee, template) if callee in COLUMN_CALLS or callee in RELATIONSHIP_CALLS else None

    def _record_import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                self.info.imports[local] = alias.name if alias.asname else alias.name.split(".")[0]
        else:
            base = ("." * node.level) + (node.module or "")
            for alias in node.names:
                self.info.imports[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name

    def _index_class(self, node: ast.ClassDef) -> ClassInfo:
        cls = ClassInfo(
            name=node.name,
            file=self.info.path,
            module=self.info.module,
            line=node.lineno,
            end_line=node.end_lineno or node.lineno,
            bases=[_callee(base) for base in node.bases],
        )
        cls.flask_style = any(_last(base) == "Model" and "." in base for base in cls.bases)
        line, column, _, _ = self.span(node)
        cls.span = (line, column, line, column + len("class ") + len(node.name))
        cls.sqlmodel_table = any(
            kw.arg == "table" and isinstance(kw.value, ast.Constant) and kw.value.value is True for kw in node.keywords
        )
        for stmt in node.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                self._index_statement(cls, stmt, stmt.targets[0].id, None, stmt.value)
            elif (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and stmt.value is None
                and (inner := _mapped_inner_node(stmt.annotation)) is not None
            ):
                self._annotation_only_column(cls, stmt, stmt.target.id, inner)
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                self._index_statement(cls, stmt, stmt.target.id, stmt.annotation, stmt.value)
                if (
                    cls.sqlmodel_table
                    and stmt.target.id not in cls.columns
                    and stmt.target.id not in cls.relationships
                    and not isinstance(stmt.value, ast.Call)
                    and "ClassVar" not in self.segment(stmt.annotation)
                ):
                    cls.columns[stmt.target.id] = ColumnInfo(  # a plain SQLModel field is a column
                        attribute=stmt.target.id,
                        line=stmt.lineno,
                        end_line=stmt.end_lineno or stmt.lineno,
                        call="",
                        python_type=_plain_type(stmt.annotation),
                    )
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                cls.attributes[stmt.name] = stmt.lineno
                cls.attribute_spans[stmt.name] = self.span(stmt)
                self._index_declared_attr(cls, stmt)
            elif isinstance(stmt, ast.ClassDef):
                cls.attributes[stmt.name] = stmt.lineno
                cls.attribute_spans[stmt.name] = self.span(stmt)
        for stmt in node.body:
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
                target = stmt.targets[0] if isinstance(stmt, ast.Assign) else stmt.target
                if isinstance(target, ast.Name) and target.id == "__table_args__":
                    self._table_args_foreign_keys(cls, stmt.value)
                elif isinstance(target, ast.Name) and target.id == "type_annotation_map":
                    self._record_type_map(stmt.value)
        if cls.tablename is None and cls.flask_style:
            cls.tablename = camel_to_snake(cls.name)
        if cls.tablename is None and cls.sqlmodel_table:
            cls.tablename = cls.name.lower()  # SQLModel's default __tablename__
        return cls

    def _table_args_foreign_keys(self, cls: ClassInfo, value: ast.AST) -> None:
        """``ForeignKeyConstraint(["author_id"], ["authors.id"])`` in ``__table_args__``: keys of those columns."""
        items = value.elts if isinstance(value, (ast.Tuple, ast.List)) else [value]
        for item in items:
            if not (
                isinstance(item, ast.Call) and _last(_callee(item)) == "ForeignKeyConstraint" and len(item.args) >= 2
            ):
                continue
            local, remote = item.args[0], item.args[1]
            if not (isinstance(local, (ast.List, ast.Tuple)) and isinstance(remote, (ast.List, ast.Tuple))):
                continue
            for name_node, target_node in zip(local.elts, remote.elts):
                name, target = _string(name_node), _string(target_node)
                col = next((c for c in cls.columns.values() if (c.column_name or c.attribute) == name), None)
                if col is not None and target and target not in col.foreign_keys:
                    col.foreign_keys.append(target)

    def _record_type_map(self, value: ast.AST) -> None:
        """``type_annotation_map={int: BigInteger, str: String(200)}``: the SQL type a Mapped[int] gets."""
        if not isinstance(value, ast.Dict):
            return
        for key, sql in zip(value.keys, value.values):
            python_type = _dotted(key) if key is not None else None
            expr = sql.func if isinstance(sql, ast.Call) else sql
            type_name = _last(_dotted(expr) or "")
            if python_type and type_name:
                args = ", ".join(self._expression(a) for a in sql.args) if isinstance(sql, ast.Call) else ""
                self.info.type_map[python_type] = (type_name, args)

    def _annotation_only_column(self, cls: ClassInfo, stmt: ast.AnnAssign, name: str, inner: ast.AST) -> None:
        """``id: Mapped[intpk]`` (an ``Annotated`` alias carrying mapped_column()) or ``name: Mapped[str]``."""
        end = stmt.end_lineno or stmt.lineno
        cls.attributes[name] = stmt.lineno
        statement = cls.attribute_spans[name] = self.span(stmt)
        cls.annotation_spans[name] = self.span(stmt.annotation)
        alias = self.annotated.get(_dotted(inner) or "")
        if alias is not None:
            alias_type, call = alias
            col = self._column(name, stmt.lineno, end, call, None, _callee(call))
            col.python_type = _plain_type(alias_type)
            if not col.type_name:
                col.type_name, col.type_args = PYTHON_TYPE_TO_SQL.get(col.python_type, ("", ""))
                col.type_from_annotation = True
            col.span = statement
            cls.columns[name] = col
            return
        python_type = _mapped_inner(stmt.annotation)
        if python_type in PYTHON_TYPE_TO_SQL or python_type in SCALAR_PYTHON_TYPES:
            type_name, type_args = PYTHON_TYPE_TO_SQL.get(python_type, ("", ""))
            cls.columns[name] = ColumnInfo(
                attribute=name,
                line=stmt.lineno,
                end_line=end,
                call="",
                python_type=python_type,
                type_name=type_name,
                type_args=type_args,
                type_from_annotation=True,
                span=statement,
            )

    def _index_declared_attr(self, cls: ClassInfo, func: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """``@declared_attr def orders(cls) -> Mapped[...]: return relationship(...)``: the relationship (or
        column) it returns, at the ``return`` statement's lines."""
        if not any(
            _callee(d) in DECLARED_ATTR
            or _last(_callee(d)) == "declared_attr"
            or _callee(d).endswith(("declared_attr.directive", "declared_attr.cascading"))
            for d in func.decorator_list
        ):
            return
        returned = [stmt for stmt in func.body if isinstance(stmt, ast.Return) and isinstance(stmt.value, ast.Call)]
        if len(returned) != 1:
            return
        stmt = returned[0]
        before = set(cls.columns) | set(cls.relationships)
        self._index_statement(cls, stmt, func.name, func.returns, stmt.value)
        cls.attributes[func.name] = func.lineno
        for table in (cls.columns, cls.relationships):
            if func.name in table and func.name not in before:
                table[func.name].site = "declared_attr"

    def _index_statement(
        self, cls: ClassInfo, stmt: ast.stmt, name: str, annotation: ast.expr | None, value: ast.expr | None
    ) -> None:
        cls.attributes[name] = stmt.lineno
        statement = cls.attribute_spans[name] = self.span(stmt)
        if annotation is not None:
            cls.annotation_spans[name] = self.span(annotation)
        if name == "__tablename__":
            cls.tablename = _string(value)
            cls.tablename_explicit = True
            return
        if name == "__abstract__":
            cls.abstract = isinstance(value, ast.Constant) and value.value is True
            return
        if isinstance(value, ast.Tuple) and len(value.elts) == 1 and isinstance(value.elts[0], ast.Call):
            cls.tuple_columns[name] = stmt.lineno  # a trailing comma: declarative ignores the tuple
        if not isinstance(value, ast.Call):
            return
        dotted = _callee(value)
        callee = _last(dotted)
        callee = self.aliases.get(callee, callee)
        end = stmt.end_lineno or stmt.lineno
        if callee in SQLMODEL_CALLS and self._from_sqlmodel(dotted):
            if SQLMODEL_CALLS[callee] == "column":
                cls.columns[name] = self._sqlmodel_field(name, stmt.lineno, end, value, annotation, dotted)
                cls.columns[name].span = statement
            else:
                rel = cls.relationships[name] = self._sqlmodel_relationship(name, stmt.lineno, end, value, annotation)
                rel.span = statement
                rel.kwarg_spans = {kw.arg: self.span(kw) for kw in value.keywords if kw.arg}
        elif callee in COLUMN_CALLS:
            cls.columns[name] = col = self._column(name, stmt.lineno, end, value, annotation, dotted)
            col.span = statement
            template = self.templates.get(_last(dotted))
            if template is not None:  # what the alias always passes: the type, primary_key, ForeignKeys
                if _last(dotted) in self.helpers:
                    col.column_name = None  # a helper's first string is its own argument
                    col.type_name = col.type_name if any(isinstance(a, ast.Call) for a in value.args) else ""
                base = self._column(name, stmt.lineno, end, template, annotation, dotted)
                col.primary_key = col.primary_key or base.primary_key
                col.foreign_keys = base.foreign_keys + col.foreign_keys
                if base.type_name and not col.type_name:
                    col.type_name, col.type_args, col.type_module = base.type_name, base.type_args, base.type_module
                    col.python_type = col.python_type or base.python_type
        elif callee in RELATIONSHIP_CALLS:
            annotation_text = self.segment(annotation) if annotation is not None else ""
            rel = cls.relationships[name] = self._relationship(
                name, stmt.lineno, end, value, annotation_text, annotation
            )
            rel.span = statement
            rel.kwarg_spans = {kw.arg: self.span(kw) for kw in value.keywords if kw.arg}
            rel.target_span = self.span(value.args[0]) if value.args else None

    def _column(
        self, name: str, line: int, end: int, call: ast.Call, annotation: ast.expr | None, callee: str
    ) -> ColumnInfo:
        col = ColumnInfo(attribute=name, line=line, end_line=end, call=callee)
        positional = list(call.args)
        if positional and _string(positional[0]) is not None:
            col.column_name = _string(positional.pop(0))
        for arg in positional:
            if isinstance(arg, ast.Call) and _last(_callee(arg)) == "ForeignKey":
                target = _string(arg.args[0]) if arg.args else None
                ondelete = next((_string(k.value) for k in arg.keywords if k.arg == "ondelete"), None)
                col.ondelete = col.ondelete or ondelete
                if target:
                    col.foreign_keys.append(target)
                    col.fk_spans[target] = self.span(arg)
                elif arg.args and (ref := _dotted(arg.args[0])) and "." in ref:
                    col.foreign_key_refs.append(ref)  # ForeignKey(User.id): read as "user.id" by link()
            elif not col.type_name:
                self._set_type(col, arg)
        for kw in call.keywords:
            if kw.arg == "primary_key":
                col.primary_key = isinstance(kw.value, ast.Constant) and kw.value.value is True
            elif kw.arg == "type_" and not col.type_name:
                self._set_type(col, kw.value)
            elif kw.arg == "index":
                col.indexed = isinstance(kw.value, ast.Constant) and kw.value.value is True
        if annotation is not None:
            col.python_type = _mapped_inner(annotation)
        if not col.python_type and col.type_name:
            col.python_type = SQL_TYPE_TO_PYTHON.get(col.type_name, "")
        if not col.type_name and col.python_type:
            col.type_name, col.type_args = PYTHON_TYPE_TO_SQL.get(col.python_type, ("", ""))
            col.type_from_annotation = True
        return col

    def _from_sqlmodel(self, dotted: str) -> bool:
        origin = self.info.imports.get(dotted.split(".")[0], "")
        return origin == "sqlmodel" or origin.startswith("sqlmodel.")

    def _sqlmodel_field(
        self, name: str, line: int, end: int, call: ast.Call, annotation: ast.expr | None, callee: str
    ) -> ColumnInfo:
        """``Field(primary_key=True)`` / ``Field(foreign_key="team.id")`` / ``Field(sa_column=Column(...))``."""
        keywords = {kw.arg: kw.value for kw in call.keywords if kw.arg}
        sa_column = keywords.get("sa_column")
        if isinstance(sa_column, ast.Call) and _last(_callee(sa_column)) == "Column":
            col = self._column(name, line, end, sa_column, None, _callee(sa_column))
            col.call = callee
        else:
            col = ColumnInfo(attribute=name, line=line, end_line=end, call=callee)
        if foreign_key := _string(keywords.get("foreign_key")):
            col.foreign_keys.append(foreign_key)
        if "primary_key" in keywords:
            col.primary_key = (
                isinstance(keywords["primary_key"], ast.Constant) and keywords["primary_key"].value is True
            )
        if annotation is not None and not col.python_type:
            col.python_type = _plain_type(annotation)
        if not col.type_name and col.python_type:
            col.type_name, col.type_args = PYTHON_TYPE_TO_SQL.get(col.python_type, ("", ""))
        return col

    def _sqlmodel_relationship(
        self, name: str, line: int, end: int, call: ast.Call, annotation: ast.expr | None
    ) -> RelationshipInfo:
        """``Relationship(back_populates=..., sa_relationship_kwargs={...})``: the target is the annotation's."""
        kwargs = {kw.arg: self.segment(kw.value) for kw in call.keywords if kw.arg}
        extra = next((kw.value for kw in call.keywords if kw.arg == "sa_relationship_kwargs"), None)
        if isinstance(extra, ast.Dict):
            for key, value in zip(extra.keys, extra.values):
                if (name_of := _string(key)) and name_of not in kwargs:
                    kwargs[name_of] = self.segment(value)
        rel = RelationshipInfo(
            attribute=name,
            line=line,
            end_line=end,
            target=None,
            kwargs=kwargs,
            annotation=self.segment(annotation) if annotation is not None else "",
        )
        if annotation is not None:
            rel.collection, rel.target = _collection_target(annotation)
        if "uselist" in kwargs:
            rel.collection = kwargs["uselist"].strip() != "False"
        return rel

    def _set_type(self, col: ColumnInfo, node: ast.AST) -> None:
        expr = node.func if isinstance(node, ast.Call) else node
        dotted = _callee(expr)
        col.type_name = _last(dotted)
        if isinstance(node, ast.Call):
            col.type_args = ", ".join(self._expression(a) for a in node.args)
            extra = ", ".join(f"{kw.arg}={self._expression(kw.value)}" for kw in node.keywords if kw.arg)
            col.type_args = ", ".join(part for part in (col.type_args, extra) if part)
        origin = self.info.imports.get(dotted.split(".")[0], "")
        if "dialects" in origin:
            col.type_module = origin.rsplit(".", 1)[0] if not origin.endswith("dialects") else origin
            if "." in dotted:  # postgresql.UUID
                col.type_module = origin
        elif "dialects" in dotted:
            col.type_module = "sqlalchemy.dialects." + dotted.split("dialects.")[1].split(".")[0]

    def _expression(self, node: ast.expr) -> str:
        """An argument's source text (one line), as ast.unparse would give it but faster."""
        text = self.segment(node)
        return text if "\n" not in text and "#" not in text else ast.unparse(node)

    def _relationship(
        self, name: str, line: int, end: int, call: ast.Call, annotation: str, annotation_node: ast.AST | None
    ) -> RelationshipInfo:
        target = None
        if call.args:
            first = call.args[0]
            target = _string(first)
            if target is None:
                target = _callee(first)  # a class object or a lambda
                if target.startswith("lambda"):
                    target = target.split(":", 1)[1].strip()
        kwargs = {kw.arg: self.segment(kw.value) for kw in call.keywords if kw.arg}
        rel = RelationshipInfo(
            attribute=name, line=line, end_line=end, target=target, kwargs=kwargs, annotation=annotation
        )
        if annotation:
            inner = _mapped_inner_node(annotation_node)
            if inner is not None:
                rel.collection, ann_target = _collection_target(inner)
                if rel.target is None:
                    rel.target = ann_target
                if _mapped_outer(annotation_node) in COLLECTION_MAPPED:  # WriteOnlyMapped["Post"]: a collection
                    rel.collection = True
        if "uselist" in kwargs:
            rel.collection = kwargs["uselist"].strip() != "False"
        return rel


def _makes_calls(value: ast.AST) -> bool:
    """A module-level value that is a way to call Column (``partial(Column, ...)``, a lambda), not a column."""
    return isinstance(value, ast.Lambda) or (isinstance(value, ast.Call) and _last(_callee(value)) == "partial")


def _mapped_inner_node(node: ast.AST | None) -> ast.AST | None:
    """What ``Mapped[...]`` (or a quoted "Mapped[...]") wraps, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            node = ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return None
    if isinstance(node, ast.Subscript) and _last(_callee(node.value)) in {"Mapped", "WriteOnlyMapped", "DynamicMapped"}:
        return node.slice
    return None


def _mapped_outer(node: ast.AST | None) -> str:
    """ "Mapped", "WriteOnlyMapped" or "DynamicMapped" for such an annotation (quoted or not), else ""."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            node = ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return ""
    return _last(_callee(node.value)) if isinstance(node, ast.Subscript) else ""


def _plain_type(annotation: ast.AST) -> str:
    """The Python type of a plain annotation (SQLModel's ``Optional[int]``, ``uuid.UUID``, ``int | None``)."""
    inner = annotation
    if isinstance(inner, ast.Subscript) and _last(_callee(inner.value)) == "Optional":
        inner = inner.slice
    if isinstance(inner, ast.BinOp) and isinstance(inner.op, ast.BitOr):
        inner = inner.right if isinstance(inner.left, ast.Constant) and inner.left.value is None else inner.left
    return _dotted(inner) or ""


def _mapped_inner(annotation: ast.AST) -> str:
    inner = _mapped_inner_node(annotation)
    if inner is None:
        return ""
    if isinstance(inner, ast.Subscript) and _last(_callee(inner.value)) == "Optional":
        inner = inner.slice
    if isinstance(inner, ast.BinOp) and isinstance(inner.op, ast.BitOr):
        inner = inner.right if isinstance(inner.left, ast.Constant) and inner.left.value is None else inner.left
    return _dotted(inner) or ast.unparse(inner)


def _unquote(node: ast.AST) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return ast.unparse(node)


def _collection_target(inner: ast.AST) -> tuple[bool, str]:
    """(is a collection, target class name) from what ``Mapped[...]`` wraps."""
    if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
        text = inner.value
        try:
            inner = ast.parse(text, mode="eval").body
        except SyntaxError:
            return False, text
    if isinstance(inner, ast.Subscript):
        outer = _last(_callee(inner.value))
        if outer in {"list", "List", "set", "Set", "Sequence", "Collection", "AppenderQuery", "WriteOnlyCollection"}:
            return True, _unquote(inner.slice)
        if outer == "Optional":
            return False, _unquote(inner.slice)
    if isinstance(inner, ast.BinOp):  # "X" | None
        side = inner.left if not (isinstance(inner.left, ast.Constant) and inner.left.value is None) else inner.right
        return False, _unquote(side)
    return False, _unquote(inner)


def enclosing_loop_line(path: Path, line: int) -> int:
    """The first line of the innermost loop around ``line`` (where a hang is best shown), else ``line``."""
    try:
        tree = ast.parse(read_source(path))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return line
    best = None
    for node in ast.walk(tree):
        if isinstance(node, (ast.While, ast.For, ast.AsyncFor)) and node.lineno <= line <= (
            node.end_lineno or node.lineno
        ):
            if best is None or node.lineno > best.lineno:
                best = node
    return best.lineno if best else line


def _imported_modules(node: ast.Import | ast.ImportFrom, module: str | None, path: str) -> set[str]:
    """The absolute modules an import statement may import (``from pkg import name``: pkg and pkg.name)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    base = node.module or ""
    if node.level:
        if module is None:
            return set()
        package = module.split(".") if path.endswith("__init__.py") else module.split(".")[:-1]
        if node.level - 1 > len(package):
            return set()
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, *([base] if base else [])])
    if not base:
        return set()
    return {base, *(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")}


def index_source(source: str, rel_path: str, module: str | None) -> FileInfo:
    return _FileIndexer(source, rel_path, module).run()


def index_file(path: Path, rel_path: str, module: str | None) -> FileInfo:
    try:
        source = read_source(path)
    except (UnicodeDecodeError, SyntaxError, LookupError) as exc:
        info = FileInfo(path=rel_path, module=module)
        reason = exc.reason if isinstance(exc, UnicodeDecodeError) else str(exc)
        info.error = f"file is not valid text in its declared encoding (UTF-8 by default): {reason}"
        info.error_line = _bad_byte_line(path)
        return info
    except OSError as exc:
        info = FileInfo(path=rel_path, module=module)
        info.error = f"cannot read file: {exc.strerror}"
        return info
    return _FileIndexer(source, rel_path, module).run()


def _bad_byte_line(path: Path) -> int | None:
    try:
        for number, raw in enumerate(path.read_bytes().splitlines(), start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return number
    except OSError:
        return None
    return None


def build_index(files: dict[str, tuple[Path, str | None]]) -> ProjectIndex:
    """Index ``{relative path: (absolute path, module name)}``."""
    index = ProjectIndex()
    for rel_path, (path, module) in files.items():
        index.files[rel_path] = index_file(path, rel_path, module)
    return index.link()
