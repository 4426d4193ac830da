"""The probe's child process: import the models, configure the mappers, report as JSON.

Runs in the *project's* interpreter, so it may use only the standard library and SQLAlchemy (never
ormfix, never a third-party package). Started as ``python -B child.py REQUEST.json RESULT.json``.

It imports once, then keeps going past every relationship that fails: the failing property is
removed from its mapper and configuration runs again, so one run finds every broken relationship
(SQLAlchemy itself stops at the first and blames every other mapper after it).
"""

import __future__
import ast
import datetime
import decimal
import enum
import faulthandler
import gc
import importlib
import itertools
import json
import os
import sys
import traceback
import types
import uuid
import warnings

MAX_ROUNDS = 500


class ProbeExit(BaseException):
    """Raised in place of os._exit() so an exit at import gets a location."""


def _fake_os_exit(code=0):
    raise ProbeExit("os._exit(%r) called" % (code,))


def frames_of(exc):
    frames = []
    for frame in traceback.extract_tb(exc.__traceback__):
        frames.append({"file": frame.filename, "line": frame.lineno, "function": frame.name})
    if isinstance(exc, SyntaxError) and exc.filename and exc.lineno:
        frames.append({"file": exc.filename, "line": exc.lineno, "function": "<module>"})
    return frames


def describe(exc):
    message = str(exc)
    if isinstance(exc, SyntaxError):
        message = exc.msg or message
    return {
        "type": type(exc).__name__,
        "module": type(exc).__module__,
        "message": message,
        "frames": frames_of(exc),
    }


MAX_RECOVERIES = 200


def import_models(modules, result, roots):
    """Import each module; when a class statement raises, skip that class and run the rest of its module."""
    for name in modules:
        for _ in range(MAX_RECOVERIES):
            try:
                importlib.import_module(name)
                break
            except BaseException as exc:  # noqa: B036 - SystemExit, ProbeExit and KeyboardInterrupt included
                record_import_error(exc, name, result)
                if not continue_past_class(exc, name, result, roots):
                    break


def record_import_error(exc, name, result):
    error = describe(exc)
    error["import"] = name
    result["import_errors"].append(error)


def _module_frame(exc, roots):
    """The innermost module-level frame of a project file in exc's traceback, with its line."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name == "<module>" and any(os.path.abspath(code.co_filename).startswith(r + os.sep) for r in roots):
            found = (tb.tb_frame, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _class_at(tree, line):
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            if first <= line <= (node.end_lineno or node.lineno):
                return node
    return None


def continue_past_class(exc, name, result, roots):
    """A class statement raised: run the rest of its module without it, so later classes are checked too."""
    found = _module_frame(exc, roots)
    if found is None or isinstance(exc, SyntaxError):
        return False
    frame, line = found
    namespace = frame.f_globals
    filename = frame.f_code.co_filename
    try:
        with open(filename, "rb") as handle:
            tree = ast.parse(handle.read(), filename)
    except (OSError, SyntaxError, ValueError):
        return False
    flags = 0
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
            for alias in stmt.names:
                flags |= getattr(__future__, alias.name).compiler_flag
    while True:
        node = _class_at(tree, line)
        if node is None:
            return False
        rest = [stmt for stmt in tree.body if stmt.lineno > (node.end_lineno or node.lineno)]
        try:
            exec(compile(ast.Module(body=rest, type_ignores=[]), filename, "exec", flags=flags, dont_inherit=True), namespace)
            break
        except BaseException as again:  # noqa: B036
            record_import_error(again, name, result)
            inner = _module_frame(again, roots)
            if inner is None or inner[0].f_globals is not namespace:
                return False
            line = inner[1]
    module_name = namespace.get("__name__")
    module = types.ModuleType(module_name)
    module.__dict__.update(namespace)
    sys.modules[module_name] = module
    parent, _, leaf = module_name.rpartition(".")
    if parent and parent in sys.modules:
        setattr(sys.modules[parent], leaf, module)
    return True


def all_registries():
    from sqlalchemy.orm import mapperlib

    return list(mapperlib._mapper_registries)


def all_mappers():
    mappers = []
    for registry in all_registries():
        # a class statement that raised leaves an unmapped class manager behind: skip it
        managers = getattr(registry, "_managers", None)
        if managers is None:
            mappers.extend(registry.mappers)
        else:
            mappers.extend(manager.mapper for manager in list(managers) if manager.is_mapped)
    return mappers


def class_record(mapper):
    cls = mapper.class_
    table = getattr(mapper, "local_table", None)
    return {
        "class": cls.__name__,
        "module": cls.__module__,
        "table": getattr(table, "name", None),
        "schema": getattr(table, "schema", None),
        "registry": id(mapper.registry),
    }


def culprit_of(exc):
    """The RelationshipProperty (or Mapper) that was being configured when ``exc`` was raised."""
    from sqlalchemy.orm import Mapper
    from sqlalchemy.orm.relationships import RelationshipProperty

    prop = mapper = None
    tb = exc.__traceback__
    while tb is not None:
        owner = tb.tb_frame.f_locals.get("self")
        if isinstance(owner, RelationshipProperty):
            prop = owner
        elif isinstance(owner, Mapper):
            mapper = owner
        tb = tb.tb_next
    return prop, mapper


def relationship_record(prop):
    record = {
        "class": prop.parent.class_.__name__,
        "class_module": prop.parent.class_.__module__,
        "attribute": prop.key,
        "parent_table": getattr(prop.parent.local_table, "name", None),
    }
    argument = prop.argument
    if isinstance(argument, str):
        record["target"] = argument
    elif isinstance(argument, type):
        record["target"] = argument.__name__
    elif callable(argument):
        try:
            resolved = argument()
            record["target"] = getattr(resolved, "__name__", repr(resolved))
        except Exception:
            record["target"] = None
    if record.get("target") is None:
        try:
            record["target"] = prop.entity.class_.__name__
        except Exception:
            record["target"] = None
    try:
        target_mapper = prop.entity.mapper
        record["target_class"] = target_mapper.class_.__name__
        record["target_module"] = target_mapper.class_.__module__
        record["target_table"] = getattr(target_mapper.local_table, "name", None)
    except Exception:
        pass
    record["back_populates"] = getattr(prop, "back_populates", None)
    backref = getattr(prop, "backref", None)
    record["backref"] = backref[0] if isinstance(backref, tuple) else backref
    secondary = getattr(prop, "secondary", None)
    if secondary is not None and not isinstance(secondary, str):
        secondary = getattr(secondary, "name", None) or repr(secondary)
    record["secondary"] = secondary
    return record


def mapped_elsewhere(prop, name):
    """Classes called ``name`` mapped on another registry (declarative base) than ``prop``'s class, and the
    number of classes each registry maps."""
    short = (name or "").rsplit(".", 1)[-1]
    found = []
    for registry in all_registries():
        if registry is prop.parent.registry:
            continue
        for mapper in list(registry.mappers):
            if mapper.class_.__name__ == short:
                found.append({"class": short, "module": mapper.class_.__module__, "size": len(registry.mappers),
                              "owner_size": len(prop.parent.registry.mappers)})
    return found


_REMOVED = []  # (mapper, key) of each relationship taken out so that configuration could go on


def configure_all(result):
    """configure_mappers(), continuing past each failing relationship."""
    from sqlalchemy.orm import configure_mappers

    for _ in range(MAX_ROUNDS):
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                configure_mappers()
            record_warnings(caught, result)
            return True
        except Exception as exc:
            record_warnings(caught, result)
            prop, mapper = culprit_of(exc)
            error = describe(exc)
            error["phase"] = "configure"
            if prop is not None:
                error.update(relationship_record(prop))
                if "failed to locate a name" in error["message"]:
                    error["mapped_elsewhere"] = mapped_elsewhere(prop, error.get("target"))
                result["errors"].append(error)
                prop.parent._props.pop(prop.key, None)
                _REMOVED.append((prop.parent, prop.key))
                for each in all_mappers():
                    each._configure_failed = False
                continue
            if mapper is not None:
                error["class"] = mapper.class_.__name__
                error["class_module"] = mapper.class_.__module__
            result["errors"].append(error)
            return False
    return False


def record_warnings(caught, result):
    for item in caught:
        category = item.category
        result["warnings"].append({
            "type": category.__name__,
            "module": category.__module__,
            "message": str(item.message),
            "file": item.filename,
            "line": item.lineno,
        })


def all_metadatas(mappers):
    """The distinct MetaData objects the mapped tables belong to, in mapper order."""
    found = []
    for mapper in mappers:
        metadata = getattr(getattr(mapper, "local_table", None), "metadata", None)
        if metadata is not None and all(metadata is not other for other in found):
            found.append(metadata)
    return found


def check_foreign_key_targets(result):
    """What create_all() would hit: every ForeignKey('table.col') must name an existing table and column."""
    mappers = all_mappers()
    owners = {}
    for each in mappers:
        owners.setdefault(getattr(each.local_table, "name", None), each)
    for metadata in all_metadatas(mappers):
        for each_table in list(metadata.tables.values()):
            for fk in list(each_table.foreign_keys):
                try:
                    fk.column
                except Exception as exc:
                    error = describe(exc)
                    error.update({"phase": "create_all", "table": each_table.name, "column": fk.parent.name,
                                  "fk_target": fk.target_fullname})
                    owner = owners.get(each_table.name)
                    if owner is not None:
                        error["class"] = owner.class_.__name__
                        error["class_module"] = owner.class_.__module__
                        try:
                            error["column_attribute"] = owner.get_property_by_column(fk.parent).key
                        except Exception:
                            pass
                    result["errors"].append(error)


def check_back_populates_pairs(result):
    """What the first use would hit: a back_populates pair that is not mutual (A.x names B.y, B.y names
    another attribute) configures, then fails when an object is assigned. Assign one on transient objects
    and record the error once, at the relationship whose back_populates is wrong."""
    from sqlalchemy.orm.relationships import RelationshipProperty

    def partner(prop):
        other = prop.mapper._props.get(prop.back_populates) if isinstance(prop.back_populates, str) else None
        return other if isinstance(other, RelationshipProperty) else None

    def culprit(prop):  # its partner is paired with a third relationship, or another relationship claims it
        other = partner(prop)
        third = partner(other) if other is not None else None
        claimed = any(partner(each) is prop for each in prop.mapper.relationships if each is not other)
        return (third is not None and partner(third) is other) or claimed

    reported = set()
    for mapper in all_mappers():
        for prop in list(mapper.relationships):
            other = partner(prop)
            if other is None or other.back_populates in (None, prop.key):
                continue
            try:
                add_related(make_instance(prop.parent, 1), prop.key, make_instance(prop.mapper, 2), prop.uselist)
                continue
            except Exception as exc:
                error = describe(exc)
            wrong = prop if culprit(prop) or not culprit(other) else other
            if wrong not in reported:
                reported.add(wrong)
                error.update(relationship_record(wrong), phase="use")
                error["partner_back_populates"] = getattr(partner(wrong), "back_populates", None)
                result["errors"].append(error)


# --- round trip: create the tables on in-memory SQLite and move objects through a relationship ---

def sample_value(column, counter):
    python_type = _python_type(column) or str
    if isinstance(python_type, type) and issubclass(python_type, enum.Enum):
        return list(python_type)[0]
    enums = getattr(column.type, "enums", None)
    if enums:
        return enums[0]
    if python_type is bool:
        return False
    if python_type is int:
        return counter
    if python_type is float:
        return float(counter)
    if python_type is decimal.Decimal:
        return decimal.Decimal(counter)
    if python_type is datetime.datetime:
        return datetime.datetime(2024, 1, 1, 12, 0, 0)
    if python_type is datetime.date:
        return datetime.date(2024, 1, 1)
    if python_type is datetime.time:
        return datetime.time(12, 0)
    if python_type is uuid.UUID:
        return uuid.uuid4()
    if python_type is bytes:
        return b"x"
    if python_type is dict:
        return {}
    if python_type is list:
        return []
    length = getattr(column.type, "length", None) or 32
    return ("v%d" % counter)[:length]


def make_instance(mapper, counter):
    instance = mapper.class_manager.new_instance()  # no __init__: models may require arguments
    single_int_pk = (len(mapper.primary_key) == 1 and
                     _python_type(mapper.primary_key[0]) is int)
    for column in mapper.local_table.columns:
        if column.primary_key and single_int_pk:
            continue
        if column.default is not None or column.server_default is not None:
            continue
        if column.nullable and not column.primary_key:
            continue
        try:
            prop = mapper.get_property_by_column(column)
        except Exception:
            continue
        setattr(instance, prop.key, sample_value(column, counter))
    return instance


def _python_type(column):
    try:
        return column.type.python_type
    except (NotImplementedError, AttributeError):
        return None


def related_items(value):
    if value is None:
        return []
    if hasattr(value, "all") and callable(value.all):  # lazy="dynamic"
        return list(value.all())
    try:
        return list(value)
    except TypeError:
        return [value]


def add_related(instance, key, other, uselist):
    if uselist:
        collection = getattr(instance, key)
        if hasattr(collection, "append"):
            collection.append(other)
        else:  # write-only
            collection.add(other)
    else:
        setattr(instance, key, other)


_ENGINE = []
_CREATED = set()
_COUNTER = itertools.count(1)
# lazy= strategies that load nothing when the object itself is loaded
_LOADS_LATER = {"select", "dynamic", "noload", "raise", "raise_on_sql", "write_only", True, None}


def tables_reached(mappers):
    """The tables a round trip through these mappers may touch: theirs, their inheritance hierarchy's,
    and, through every relationship loaded together with the object (eager loads), the next ones'."""
    seen, tables, todo = set(), [], list(mappers)
    while todo:
        mapper = todo.pop()
        if mapper in seen:
            continue
        seen.add(mapper)
        todo.extend(mapper.base_mapper.self_and_descendants)
        tables.extend(t for t in mapper.tables if t not in tables)
        for prop in mapper.relationships:
            if prop.lazy not in _LOADS_LATER:
                todo.append(prop.mapper)
                if prop.secondary is not None and prop.secondary not in tables:
                    tables.append(prop.secondary)
    return tables


def shared_engine(mappers=None):
    """One in-memory SQLite database for every round trip of a probe. Tables are created as round
    trips need them (``tables_reached`` of ``mappers``; every table when ``mappers`` is None): on
    1,000 models, creating all of them costs a fifth of a probe. Returns (engine, problem)."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    if not _ENGINE:
        _ENGINE.append(create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}))
        _ENGINE.append(all_metadatas(all_mappers()))  # the mappers are configured: they no longer change
    engine, metadatas = _ENGINE
    wanted = tables_reached(mappers) if mappers is not None else None
    try:
        extra = [] if wanted is None else [t.metadata for t in wanted if all(t.metadata is not m for m in metadatas)]
        for metadata in metadatas + [m for i, m in enumerate(extra) if all(m is not o for o in extra[:i])]:
            every = metadata.tables.values() if wanted is None else [t for t in wanted if t.metadata is metadata]
            tables = [t for t in every if t not in _CREATED]
            if tables:  # create_all orders them by their foreign keys
                metadata.create_all(engine, tables=tables)
                _CREATED.update(tables)
    except Exception as exc:
        return None, (str(exc).splitlines() or [type(exc).__name__])[0]
    return engine, None


# --- flush: rows of two tables that point at each other (CircularDependencyError at the first flush) ---

def _table_cycles(mappers):
    """Pairs of distinct tables with ForeignKeys both ways: the only places a flush can go round in a circle."""
    edges = set()
    for metadata in all_metadatas(mappers):
        for each_table in list(metadata.tables.values()):
            for fk in list(each_table.foreign_keys):
                try:
                    edges.add((each_table, fk.column.table))
                except Exception:
                    continue  # an unresolved ForeignKey is check_foreign_key_targets' business
    return {frozenset(pair) for pair in edges if pair[0] is not pair[1] and (pair[1], pair[0]) in edges}


def _fk_table(prop):
    """The table holding the foreign key of a relationship: its rows are written after the other side's."""
    return next(iter(prop._calculated_foreign_keys)).table


def _dependency_sides(mappers, pair):
    """The relationships between the two tables of ``pair``, grouped by the table that holds their key."""
    from sqlalchemy.orm.interfaces import MANYTOONE, ONETOMANY

    sides = {}
    for mapper in mappers:
        for prop in mapper.relationships:
            if (prop.parent is mapper and prop.direction in (MANYTOONE, ONETOMANY) and not prop.post_update
                    and prop.secondary is None and prop._calculated_foreign_keys
                    and frozenset((mapper.local_table, prop.mapper.local_table)) == pair):
                sides.setdefault(_fk_table(prop), []).append(prop)
    return list(sides.values())


def _fix_side(sides):
    """The relationship to give post_update=True: on the side with the fewest relationships, its
    many-to-one (what SQLAlchemy's docs do), with a nullable foreign key (post_update inserts NULL first)."""
    from sqlalchemy.orm.interfaces import MANYTOONE

    def nullable(prop):
        return all(column.nullable for column in prop._calculated_foreign_keys)

    def score(side):
        return (len(side), not any(p.direction is MANYTOONE for p in side), not nullable(side[0]))

    side = min(sides, key=score)
    fixed = next((p for p in side if p.direction is MANYTOONE), side[0])
    other = next(p for s in sides if s is not side for p in s)
    return fixed, other, nullable(fixed)


def _link(prop, instances):
    owner, target = instances.get(prop.parent.local_table), instances.get(prop.mapper.local_table)
    if not isinstance(owner, prop.parent.class_) or not isinstance(target, prop.mapper.class_):
        return False
    add_related(owner, prop.key, target, prop.uselist)
    return True


def check_flush_cycles(result):
    """For two tables with ForeignKeys both ways and relationships on both keys, flush two rows linked
    both ways on SQLite; a CircularDependencyError is an error naming the relationship that needs
    post_update=True."""
    from sqlalchemy.exc import CircularDependencyError
    from sqlalchemy.orm import Session

    mappers = all_mappers()
    for pair in _table_cycles(mappers):
        sides = _dependency_sides(mappers, pair)
        if len(sides) != 2:
            continue
        first, second = sides[0][0], sides[1][0]
        engine, problem = shared_engine([first.parent, first.mapper])
        if engine is None:
            return
        instances = {}
        session = Session(engine)
        try:
            for mapper in (first.parent, first.mapper):
                instances.setdefault(mapper.local_table, make_instance(mapper, next(_COUNTER)))
            if not (_link(first, instances) and _link(second, instances)):
                continue
            session.add_all(list(instances.values()))
            session.flush()
        except CircularDependencyError as exc:
            fixed, other, nullable = _fix_side(sides)
            error = describe(exc)
            error.update(relationship_record(fixed))
            error.update({"phase": "flush", "frames": [], "nullable": nullable,
                          "cycle_class": other.parent.class_.__name__, "cycle_attribute": other.key,
                          "message": "Circular dependency detected: flushing %s.%s together with %s.%s" % (
                              first.parent.class_.__name__, first.key, second.parent.class_.__name__, second.key)})
            result["errors"].append(error)
        except Exception:
            pass  # other flush problems (constraints, sample values) are not this check's business
        finally:
            session.rollback()
            session.close()


def roundtrip(class_module, class_name, attribute):
    from sqlalchemy.orm import class_mapper

    cls = getattr(sys.modules.get(class_module), class_name, None)
    if cls is None:
        return {"status": "skipped", "detail": "class %s not found after import" % class_name}
    mapper = class_mapper(cls)
    prop = mapper.relationships.get(attribute)
    if prop is None:
        return {"status": "failed", "detail": "%s.%s is not a relationship" % (class_name, attribute)}
    tables = list(mapper.tables) + [t for t in prop.mapper.tables if t not in mapper.tables]
    if prop.secondary is not None:
        tables.append(prop.secondary)
    for table in tables:
        if getattr(table, "schema", None):
            return {"status": "skipped", "detail": "table %s uses schema=%r, which SQLite cannot hold" % (table.name, table.schema)}
    involved = set(mapper.iterate_to_root()) | set(prop.mapper.iterate_to_root())
    broken = ["%s.%s" % (m.class_.__name__, key) for m, key in _REMOVED if m in involved]
    if broken:  # another diagnosis, not fixed in this copy: such objects cannot be stored yet
        return {"status": "skipped", "detail": "%s is still broken here (another diagnosis), so these objects "
                "cannot be stored yet" % ", ".join(broken)}
    engine, problem = shared_engine([mapper, prop.mapper])
    if engine is None:
        return {"status": "skipped", "detail": "SQLite cannot hold the schema: %s" % problem}
    outcome = _roundtrip_once(engine, cls, mapper, prop, class_name, attribute)
    if outcome["status"] == "failed" and "no such table" in outcome["detail"]:
        engine, problem = shared_engine()  # a column_property or a loader reached further: every table
        if engine is None:
            return {"status": "skipped", "detail": "SQLite cannot hold the schema: %s" % problem}
        outcome = _roundtrip_once(engine, cls, mapper, prop, class_name, attribute)
    return outcome


def _roundtrip_once(engine, cls, mapper, prop, class_name, attribute):
    from sqlalchemy import inspect
    from sqlalchemy.orm import Session

    try:
        with Session(engine) as session:
            parent = make_instance(mapper, next(_COUNTER))
            child = make_instance(prop.mapper, next(_COUNTER))
            add_related(parent, attribute, child, prop.uselist)
            session.add_all([parent, child])
            session.commit()
            parent_id = inspect(parent).identity
            child_id = inspect(child).identity
        with Session(engine) as session:
            loaded = session.get(cls, parent_id)
            found = [inspect(item).identity for item in related_items(getattr(loaded, attribute))]
            if child_id not in found:
                return {"status": "failed", "detail": "%s.%s did not load back the object stored through it" % (class_name, attribute)}
            reverse = ""
            for other in prop._reverse_property:
                child_loaded = session.get(prop.mapper.class_, child_id)
                back = [inspect(item).identity for item in related_items(getattr(child_loaded, other.key))]
                if parent_id not in back:
                    return {"status": "failed", "detail": "%s.%s did not load back the parent" % (prop.mapper.class_.__name__, other.key)}
                reverse = " and back through %s.%s" % (prop.mapper.class_.__name__, other.key)
        return {"status": "passed", "detail": "stored and loaded a %s through %s.%s%s on SQLite" % (
            prop.mapper.class_.__name__, class_name, attribute, reverse)}
    except Exception as exc:
        return {"status": "failed", "detail": "%s: %s" % (type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "")}


def main():
    request_path, result_path = sys.argv[1], sys.argv[2]
    with open(request_path, encoding="utf-8") as handle:
        request = json.load(handle)
    script_dir = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != script_dir]
    sys.path[:0] = request["roots"]
    result = {"status": "ok", "import_errors": [], "errors": [], "warnings": [], "classes": [], "roundtrips": []}
    hang_file = open(request["hang_file"], "w")
    faulthandler.dump_traceback_later(request["timeout"], exit=True, file=hang_file)
    real_exit = os._exit
    os._exit = _fake_os_exit
    # Declaring and configuring thousands of mapped classes allocates millions of objects and little
    # cyclic garbage; the collector's passes cost a quarter of the CPU time, and this process is short
    # lived (it ends with os._exit), so it runs without them.
    gc.disable()
    try:
        try:
            import sqlalchemy  # noqa: F401
            result["sqlalchemy_version"] = sqlalchemy.__version__
        except ImportError as exc:
            result["status"] = "no-sqlalchemy"
            result["detail"] = str(exc)
        else:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                import_models(request["modules"], result, [os.path.abspath(r) for r in request["roots"]])
            record_warnings(caught, result)
            configured = configure_all(result)
            check_foreign_key_targets(result)
            if configured:
                check_back_populates_pairs(result)
            result["classes"] = [class_record(m) for m in all_mappers()]
            if configured:
                check_flush_cycles(result)
                for item in request.get("roundtrip", []):
                    outcome = roundtrip(item["module"], item["class"], item["attribute"])
                    outcome.update(item)
                    result["roundtrips"].append(outcome)
    except BaseException as exc:  # the probe must always report
        result["status"] = "crashed"
        result["detail"] = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    faulthandler.cancel_dump_traceback_later()
    with open(result_path, "w", encoding="utf-8") as handle:
        json.dump(result, handle, default=str)
    sys.stdout.flush()
    sys.stderr.flush()
    real_exit(0)  # skip interpreter teardown: it costs time and runs user atexit hooks


if __name__ == "__main__":
    main()
