"""Objects on in-memory SQLite: sample rows, the shared database, and the round trip through a relationship.

Part of the probe child (see child.py): runs in the project's interpreter, so it uses only the
standard library and SQLAlchemy, and is imported as a top-level module (``ormfix_probe_*``).
"""

from __future__ import annotations

import datetime
import decimal
import enum
import itertools
import sys
import uuid
from typing import Any, Dict

from ormfix_probe_mappers import _REMOVED, all_mappers, all_metadatas

# SQLAlchemy's objects are typed Any (SQLAlchemy 1.4 and 2.x); a round trip's outcome is a JSON record
Outcome = Dict[str, str]


def sample_value(column: Any, counter: int) -> Any:
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
    if python_type is datetime.datetime:  # aware for DateTime(timezone=True): SQLModel's UTCDateTime refuses naive
        aware = getattr(column.type, "timezone", False) is True
        return datetime.datetime(2024, 1, 1, 12, 0, 0, tzinfo=datetime.timezone.utc if aware else None)
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


def make_instance(mapper: Any, counter: int) -> Any:
    """A transient object with every required column set. Primary keys get explicit sample values
    unless Python computes them (``default=uuid.uuid4``): SQLite generates a key only for an
    ``INTEGER PRIMARY KEY`` column, not for BigInteger, UUID, String, composite, ``Identity()``,
    sequence or server-default keys, and the counter never repeats within a probe."""
    instance = mapper.class_manager.new_instance()  # no __init__: models may require arguments
    keys = set(mapper.primary_key)
    columns = list(mapper.local_table.columns)
    columns += [c for c in mapper.primary_key if all(c is not other for other in columns)]
    for column in columns:
        if column in keys or column.primary_key:
            if _python_default(column):
                continue
        elif column.default is not None or column.server_default is not None:
            continue
        if column.nullable and not column.primary_key:
            continue
        try:
            prop = mapper.get_property_by_column(column)
        except Exception:
            continue
        setattr(instance, prop.key, sample_value(column, counter))
    _set_polymorphic_identity(mapper, instance)
    return instance


def _set_polymorphic_identity(mapper: Any, instance: Any) -> None:
    """new_instance() skips __init__, where SQLAlchemy sets the discriminator: set it as it would, so
    a sample value never names an identity that no class has (which breaks loading the row back)."""
    if mapper.polymorphic_on is None or mapper.polymorphic_identity is None:
        return
    try:
        prop = mapper.get_property_by_column(mapper.polymorphic_on)
    except Exception:  # noqa: BLE001 - an expression discriminator: nothing to set
        return
    setattr(instance, prop.key, mapper.polymorphic_identity)


def _python_default(column: Any) -> bool:
    """Whether Python fills the column in on insert (a scalar or a callable default, not a Sequence)."""
    default = column.default
    return default is not None and (getattr(default, "is_scalar", False) or getattr(default, "is_callable", False))


def _python_type(column: Any) -> Any:
    """The column's Python type; a TypeDecorator that says ``object`` (SQLModel's UTCDateTime, AutoString) by its impl's."""
    for sql_type in (column.type, getattr(column.type, "impl", None)):
        if sql_type is None:
            continue
        try:
            found = sql_type.python_type
        except (NotImplementedError, AttributeError):
            continue
        if found is not object:
            return found
    return None


def related_items(value: Any, session: Any = None) -> list[Any]:
    if value is None:
        return []
    if hasattr(value, "_sa_instance_state"):  # one object (a pydantic/SQLModel object iterates its fields)
        return [value]
    if session is not None and hasattr(value, "select") and not hasattr(value, "all"):  # WriteOnlyMapped
        return list(session.scalars(value.select()))
    if hasattr(value, "all") and callable(value.all):  # lazy="dynamic"
        return list(value.all())
    try:
        return list(value)
    except TypeError:
        return [value]


def add_related(instance: Any, key: str, other: Any, uselist: bool) -> None:
    if uselist:
        collection = getattr(instance, key)
        if hasattr(collection, "append"):
            collection.append(other)
        else:  # write-only
            collection.add(other)
    else:
        setattr(instance, key, other)


_ENGINE: list[Any] = []


_CREATED: set[Any] = set()


_COUNTER = itertools.count(1)


# lazy= strategies that load nothing when the object itself is loaded
_LOADS_LATER = {"select", "dynamic", "noload", "raise", "raise_on_sql", "write_only", True, None}


def tables_reached(mappers: list[Any]) -> list[Any]:
    """The tables a round trip through these mappers may touch: theirs, their inheritance hierarchy's,
    and, through every relationship loaded together with the object (eager loads), the next ones'."""
    seen: set[Any] = set()
    tables: list[Any] = []
    todo = list(mappers)
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


def shared_engine(mappers: list[Any] | None = None) -> tuple[Any, str | None]:
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


def roundtrip(class_module: str, class_name: str, attribute: str) -> Outcome:
    from sqlalchemy.orm import class_mapper

    cls = getattr(sys.modules.get(class_module), class_name, None)
    if cls is None:
        return {"status": "skipped", "detail": "class %s not found after import" % class_name}
    mapper = class_mapper(cls)
    prop = mapper.relationships.get(attribute)
    if prop is None:
        return {"status": "failed", "detail": "%s.%s is not a relationship" % (class_name, attribute)}
    tables: list[Any] = list(mapper.tables) + [t for t in prop.mapper.tables if t not in mapper.tables]
    if prop.secondary is not None:
        tables.append(prop.secondary)
    for table in tables:
        if getattr(table, "schema", None):
            return {
                "status": "skipped",
                "detail": "table %s uses schema=%r, which SQLite cannot hold" % (table.name, table.schema),
            }
    involved = set(mapper.iterate_to_root()) | set(prop.mapper.iterate_to_root())
    broken = ["%s.%s" % (m.class_.__name__, key) for m, key in _REMOVED if m in involved]
    if broken:  # another diagnosis, not fixed in this copy: such objects cannot be stored yet
        return {
            "status": "skipped",
            "detail": "%s is still broken here (another diagnosis), so these objects "
            "cannot be stored yet" % ", ".join(broken),
        }
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


def _roundtrip_once(engine: Any, cls: type, mapper: Any, prop: Any, class_name: str, attribute: str) -> Outcome:
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
            found = [inspect(item).identity for item in related_items(getattr(loaded, attribute), session)]
            if child_id not in found:
                return {
                    "status": "failed",
                    "detail": "%s.%s did not load back the object stored through it" % (class_name, attribute),
                }
            reverse = ""
            for other in prop._reverse_property:
                child_loaded = session.get(prop.mapper.class_, child_id)
                back = [inspect(item).identity for item in related_items(getattr(child_loaded, other.key), session)]
                if parent_id not in back:
                    return {
                        "status": "failed",
                        "detail": "%s.%s did not load back the parent" % (prop.mapper.class_.__name__, other.key),
                    }
                reverse = " and back through %s.%s" % (prop.mapper.class_.__name__, other.key)
        return {
            "status": "passed",
            "detail": "stored and loaded a %s through %s.%s%s on SQLite"
            % (prop.mapper.class_.__name__, class_name, attribute, reverse),
        }
    except Exception as exc:
        return {
            "status": "failed",
            "detail": "%s: %s" % (type(exc).__name__, str(exc).splitlines()[0] if str(exc) else ""),
        }
