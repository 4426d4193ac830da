"""The mappers: configure them all, continuing past each failing relationship, and record them.

Part of the probe child (see child.py): runs in the project's interpreter, so it uses only the
standard library and SQLAlchemy, and is imported as a top-level module (``ormfix_probe_*``).
"""

from __future__ import annotations

import sys
import warnings
from types import FrameType
from typing import Any, Callable, Dict, Literal

from ormfix_probe_imports import describe, in_roots

# SQLAlchemy's objects are typed Any here: the child runs under SQLAlchemy 1.4 and 2.x and reads private
# attributes (_props, _managers, _configure_registries) that neither version types.
Record = Dict[str, Any]  # a JSON record (the parent reads an error as ormfix.probe.events.ProbeEvent)

MAX_ROUNDS = 500


def all_registries() -> list[Any]:
    from sqlalchemy.orm import mapperlib

    return list(mapperlib._mapper_registries)


def all_mappers() -> list[Any]:
    mappers: list[Any] = []
    for registry in all_registries():
        # a class statement that raised leaves an unmapped class manager behind: skip it
        managers = getattr(registry, "_managers", None)
        if managers is None:
            mappers.extend(registry.mappers)
        else:
            mappers.extend(manager.mapper for manager in list(managers) if manager.is_mapped)
    return mappers


def class_record(mapper: Any) -> Record:
    cls = mapper.class_
    table = getattr(mapper, "local_table", None)
    return {
        "class": cls.__name__,
        "module": cls.__module__,
        "table": getattr(table, "name", None),
        "schema": getattr(table, "schema", None),
        "registry": id(mapper.registry),
    }


def culprit_of(exc: BaseException) -> tuple[Any, Any]:
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


def relationship_record(prop: Any) -> Record:
    record: Record = {
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


def mapped_elsewhere(prop: Any, name: str | None) -> list[Record]:
    """Classes called ``name`` mapped on another registry (declarative base) than ``prop``'s class, and the
    number of classes each registry maps."""
    short = (name or "").rsplit(".", 1)[-1]
    found: list[Record] = []
    for registry in all_registries():
        if registry is prop.parent.registry:
            continue
        for mapper in list(registry.mappers):
            if mapper.class_.__name__ == short:
                found.append(
                    {
                        "class": short,
                        "module": mapper.class_.__module__,
                        "size": len(registry.mappers),
                        "owner_size": len(prop.parent.registry.mappers),
                    }
                )
    return found


_REMOVED: list[tuple[Any, str]] = []  # (mapper, key) of each relationship taken out so that configuration could go on


def configure_all(result: Record, configure: Callable[[], Any] | None = None) -> bool:
    """configure_mappers() (or ``configure``), continuing past each failing relationship."""
    from sqlalchemy.orm import configure_mappers

    configure = configure or configure_mappers
    for _ in range(MAX_ROUNDS):
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                configure()
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


class ConfigureAtImport:
    """Models that configure the mappers while they import (a module-level ``aliased()``, a ``select()``
    over mapped classes in a ``column_property``, ``class_mapper()``, a query): SQLAlchemy's error would
    stop the import at that line. Instead, as ``configure_all`` does afterwards, the relationship it names
    is recorded and taken out, and the import goes on; an error no relationship explains is raised as it was."""

    def __init__(self, result: Record) -> None:
        self.result = result
        self.mapperlib: Any = None
        self.original: Any = None

    def __enter__(self) -> ConfigureAtImport:
        try:
            from sqlalchemy.orm import mapperlib
        except ImportError:
            return self
        original = getattr(mapperlib, "_configure_registries", None)
        if original is None:
            return self
        self.mapperlib, self.original = mapperlib, original
        result = self.result
        busy: list[bool] = []

        def guarded(registries: Any, cascade: bool) -> Any:
            if busy:  # recording an error reads the relationship, which asks for configuration again
                return original(registries, cascade)
            busy.append(True)
            try:
                if configure_all(result, lambda: original(registries, cascade)):
                    return None
            finally:
                busy.pop()
            return original(registries, cascade)  # not a relationship's error: raise it where it was

        mapperlib._configure_registries = guarded
        return self

    def __exit__(self, *exc_info: object) -> Literal[False]:
        if self.mapperlib is not None:
            self.mapperlib._configure_registries = self.original
        return False


class ImportWarnings:
    """Record the warnings raised while the models import, each at the project's innermost frame when the
    warning names a library's own (Flask-SQLAlchemy warns from its __init_subclass__: the class statement
    that caused it is the place to report, and two classes may warn the same text)."""

    def __init__(self, result: Record, roots: list[str]) -> None:
        self.result, self.roots = result, roots
        self.caught: list[warnings.WarningMessage] = []

    def __enter__(self) -> ImportWarnings:
        self._context = warnings.catch_warnings()
        self._context.__enter__()
        warnings.simplefilter("always")
        warnings.showwarning = self._show
        return self

    def _show(
        self,
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: object = None,
        line: str | None = None,
    ) -> None:
        if not in_roots(filename, self.roots):
            frame: FrameType | None = sys._getframe(1)
            while frame is not None and not in_roots(frame.f_code.co_filename, self.roots):
                frame = frame.f_back
            if frame is not None:
                filename, lineno = frame.f_code.co_filename, frame.f_lineno
        self.caught.append(warnings.WarningMessage(message, category, filename, lineno))

    def __exit__(self, *exc_info: Any) -> Literal[False]:
        self._context.__exit__(*exc_info)
        record_warnings(self.caught, self.result)
        return False


def record_warnings(caught: list[warnings.WarningMessage], result: Record) -> None:
    for item in caught:
        category = item.category
        result["warnings"].append(
            {
                "type": category.__name__,
                "module": category.__module__,
                "message": str(item.message),
                "file": item.filename,
                "line": item.lineno,
            }
        )


def all_metadatas(mappers: list[Any]) -> list[Any]:
    """The distinct MetaData objects the mapped tables belong to, in mapper order."""
    found: list[Any] = []
    for mapper in mappers:
        metadata = getattr(getattr(mapper, "local_table", None), "metadata", None)
        if metadata is not None and all(metadata is not other for other in found):
            found.append(metadata)
    return found
