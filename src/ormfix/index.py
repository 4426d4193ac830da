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
from dataclasses import dataclass, field
from pathlib import Path

COLUMN_CALLS = {"Column", "mapped_column", "column_property"}
RELATIONSHIP_CALLS = {"relationship", "relation"}
PYTHON_TYPE_TO_SQL = {
    "int": ("Integer", ""),
    "str": ("String", ""),
    "uuid.UUID": ("Uuid", ""),
    "UUID": ("Uuid", ""),
    "float": ("Float", ""),
    "bool": ("Boolean", ""),
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
    foreign_keys: list[str] = field(default_factory=list)  # "users.id"
    primary_key: bool = False
    column_name: str | None = None  # explicit name given as first positional string
    span: Span | None = None  # the assignment statement
    fk_spans: dict[str, Span] = field(default_factory=dict)  # "users.id" -> its ForeignKey(...) call


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

    @property
    def is_mapped(self) -> bool:
        return not self.abstract and bool(self.tablename_explicit or self.columns or self.relationships)

    @property
    def primary_keys(self) -> list[ColumnInfo]:
        return [c for c in self.columns.values() if c.primary_key]


@dataclass
class FileInfo:
    path: str  # relative to the project PATH, with "/" separators
    module: str | None
    imports: dict[str, str] = field(default_factory=dict)  # local name -> dotted origin
    assignments: dict[str, int] = field(default_factory=dict)  # module-level ``name = ...`` -> its line
    classes: list[ClassInfo] = field(default_factory=list)
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
        return (mapped or candidates or [None])[0]

    def class_for_table(self, table: str) -> ClassInfo | None:
        for cls in self.mapped_classes():
            if cls.tablename == table:
                return cls
        return None


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
    def __init__(self, source: str, rel_path: str, module: str | None):
        self.source = source
        self.info = FileInfo(path=rel_path, module=module)
        self._lines: list[str] | None = None
        self.aliases: dict[str, str] = {}  # module-level names bound to Column / mapped_column / relationship
        self.helpers: set[str] = set()  # of those, functions returning one (their arguments are their own)
        self.templates: dict[str, ast.Call] = {}  # of those, the call each always makes (partial's arguments)

    def segment(self, node: ast.AST) -> str:
        """The source text of a node (ast.get_source_segment re-splits the file on every call)."""
        if self._lines is None:
            self._lines = self.source.splitlines(keepends=True)
        try:
            first, last = node.lineno - 1, node.end_lineno - 1
            if first == last:
                return self._lines[first].encode()[node.col_offset:node.end_col_offset].decode()
            head = self._lines[first].encode()[node.col_offset:].decode()
            tail = self._lines[last].encode()[:node.end_col_offset].decode()
            return head + "".join(self._lines[first + 1:last]) + tail
        except (AttributeError, IndexError, TypeError, UnicodeDecodeError):
            return ast.unparse(node)

    def span(self, node: ast.AST) -> Span:
        """The node's range, its columns counted in characters (ast counts UTF-8 bytes)."""
        end_line = getattr(node, "end_lineno", None) or node.lineno
        end_offset = getattr(node, "end_col_offset", None)
        return (node.lineno, self._char(node.lineno, node.col_offset), end_line,
                self._char(end_line, end_offset if end_offset is not None else node.col_offset))

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
            if isinstance(node, ast.ClassDef):
                self.info.classes.append(self._index_class(node))
            elif isinstance(node, (ast.If, ast.Try)):  # import fallbacks, TYPE_CHECKING blocks
                handlers = [h.body for h in getattr(node, "handlers", [])]
                for sub in node.body + node.orelse + [stmt for body in handlers for stmt in body]:
                    self._record_binding(sub)
            else:
                self._record_binding(node)
        return self.info

    def _record_binding(self, node: ast.AST) -> None:
        """Imports, and aliases of the column/relationship functions (``_Column = mapped_column``)."""
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            self._record_import(node)
            for alias in node.names:
                if alias.asname and alias.name in COLUMN_CALLS | RELATIONSHIP_CALLS:
                    self.aliases[alias.asname] = alias.name
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            self.info.assignments.setdefault(node.targets[0].id, node.lineno)
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
        for stmt in node.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                self._index_statement(cls, stmt, stmt.targets[0].id, None, stmt.value)
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                self._index_statement(cls, stmt, stmt.target.id, stmt.annotation, stmt.value)
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                cls.attributes[stmt.name] = stmt.lineno
                cls.attribute_spans[stmt.name] = self.span(stmt)
        if cls.tablename is None and cls.flask_style:
            cls.tablename = camel_to_snake(cls.name)
        return cls

    def _index_statement(self, cls, stmt, name, annotation, value) -> None:
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
        if callee in COLUMN_CALLS:
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
            rel = cls.relationships[name] = self._relationship(name, stmt.lineno, end, value, annotation_text,
                                                               annotation)
            rel.span = statement
            rel.kwarg_spans = {kw.arg: self.span(kw) for kw in value.keywords if kw.arg}
            rel.target_span = self.span(value.args[0]) if value.args else None

    def _column(self, name: str, line: int, end: int, call: ast.Call, annotation, callee: str) -> ColumnInfo:
        col = ColumnInfo(attribute=name, line=line, end_line=end, call=callee)
        positional = list(call.args)
        if positional and _string(positional[0]) is not None:
            col.column_name = _string(positional.pop(0))
        for arg in positional:
            if isinstance(arg, ast.Call) and _last(_callee(arg)) == "ForeignKey":
                target = _string(arg.args[0]) if arg.args else None
                if target:
                    col.foreign_keys.append(target)
                    col.fk_spans[target] = self.span(arg)
            elif not col.type_name:
                self._set_type(col, arg)
        for kw in call.keywords:
            if kw.arg == "primary_key":
                col.primary_key = isinstance(kw.value, ast.Constant) and kw.value.value is True
            elif kw.arg == "type_" and not col.type_name:
                self._set_type(col, kw.value)
        if annotation is not None:
            col.python_type = _mapped_inner(annotation)
        if not col.python_type and col.type_name:
            col.python_type = SQL_TYPE_TO_PYTHON.get(col.type_name, "")
        if not col.type_name and col.python_type:
            col.type_name, col.type_args = PYTHON_TYPE_TO_SQL.get(col.python_type, ("", ""))
        return col

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

    def _expression(self, node: ast.AST) -> str:
        """An argument's source text (one line), as ast.unparse would give it but faster."""
        text = self.segment(node)
        return text if "\n" not in text and "#" not in text else ast.unparse(node)

    def _relationship(self, name: str, line: int, end: int, call: ast.Call, annotation: str,
                      annotation_node: ast.AST | None) -> RelationshipInfo:
        target = None
        if call.args:
            first = call.args[0]
            target = _string(first)
            if target is None:
                target = _callee(first)  # a class object or a lambda
                if target.startswith("lambda"):
                    target = target.split(":", 1)[1].strip()
        kwargs = {kw.arg: self.segment(kw.value) for kw in call.keywords if kw.arg}
        rel = RelationshipInfo(attribute=name, line=line, end_line=end, target=target, kwargs=kwargs,
                               annotation=annotation)
        if annotation:
            inner = _mapped_inner_node(annotation_node)
            if inner is not None:
                rel.collection, ann_target = _collection_target(inner)
                if rel.target is None:
                    rel.target = ann_target
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
        try:
            inner = ast.parse(inner.value, mode="eval").body
        except SyntaxError:
            return False, inner.value
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
        if isinstance(node, (ast.While, ast.For, ast.AsyncFor)) and node.lineno <= line <= (node.end_lineno or node.lineno):
            if best is None or node.lineno > best.lineno:
                best = node
    return best.lineno if best else line


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
    return index
