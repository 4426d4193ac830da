"""What configure_mappers() does not check: ForeignKey targets (create_all), back_populates pairs
(first use), rows of two tables pointing at each other (first flush).

Part of the probe child (see child.py): runs in the project's interpreter, so it uses only the
standard library and SQLAlchemy, and is imported as a top-level module (``ormfix_probe_*``).
"""

from __future__ import annotations

from typing import Any, Dict

from ormfix_probe_imports import describe
from ormfix_probe_mappers import all_mappers, all_metadatas, relationship_record
from ormfix_probe_objects import _COUNTER, add_related, make_instance, shared_engine

# SQLAlchemy's objects are typed Any (SQLAlchemy 1.4 and 2.x, private attributes); results are JSON records
Record = Dict[str, Any]


def check_foreign_key_targets(result: Record) -> None:
    """What create_all() would hit: every ForeignKey('table.col') must name an existing table and column."""
    mappers = all_mappers()
    owners: dict[str | None, Any] = {}
    for each in mappers:
        owners.setdefault(getattr(each.local_table, "name", None), each)
    for metadata in all_metadatas(mappers):
        for each_table in list(metadata.tables.values()):
            for fk in list(each_table.foreign_keys):
                try:
                    fk.column  # noqa: B018
                except Exception as exc:
                    error = describe(exc)
                    error.update(
                        {
                            "phase": "create_all",
                            "table": each_table.name,
                            "column": fk.parent.name,
                            "fk_target": fk.target_fullname,
                        }
                    )
                    owner = owners.get(each_table.name)
                    if owner is not None:
                        error["class"] = owner.class_.__name__
                        error["class_module"] = owner.class_.__module__
                        try:
                            error["column_attribute"] = owner.get_property_by_column(fk.parent).key
                        except Exception:
                            pass
                    result["errors"].append(error)


def check_back_populates_pairs(result: Record) -> None:
    """What the first use would hit: a back_populates pair that is not mutual (A.x names B.y, B.y names
    another attribute) configures, then fails when an object is assigned. Assign one on transient objects
    and record the error once, at the relationship whose back_populates is wrong."""
    from sqlalchemy.orm.relationships import RelationshipProperty

    def partner(prop: Any) -> Any:
        other = prop.mapper._props.get(prop.back_populates) if isinstance(prop.back_populates, str) else None
        return other if isinstance(other, RelationshipProperty) else None

    def culprit(
        prop: Any,
    ) -> bool:  # its partner is paired with a third relationship, or another relationship claims it
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


def _table_cycles(mappers: list[Any]) -> list[frozenset[Any]]:
    """Pairs of distinct tables with ForeignKeys both ways: the only places a flush can go round in a circle."""
    edges: set[tuple[Any, Any]] = set()
    for metadata in all_metadatas(mappers):
        for each_table in list(metadata.tables.values()):
            for fk in list(each_table.foreign_keys):
                try:
                    edges.add((each_table, fk.column.table))
                except Exception:
                    continue  # an unresolved ForeignKey is check_foreign_key_targets' business
    pairs = {frozenset(pair) for pair in edges if pair[0] is not pair[1] and (pair[1], pair[0]) in edges}
    return sorted(pairs, key=lambda pair: sorted(_table_key(t) for t in pair))  # the same order every run


def _table_key(table: Any) -> tuple[str, str]:
    return (table.schema or "", table.name)


def _fk_table(prop: Any) -> Any:
    """The table holding the foreign key of a relationship: its rows are written after the other side's."""
    return min(prop._calculated_foreign_keys, key=lambda column: (_table_key(column.table), column.name)).table


def _dependency_sides(mappers: list[Any], pair: frozenset[Any]) -> list[list[Any]]:
    """The relationships between the two tables of ``pair``, grouped by the table that holds their key."""
    from sqlalchemy.orm.interfaces import MANYTOONE, ONETOMANY

    sides: dict[Any, list[Any]] = {}
    for mapper in mappers:
        for prop in mapper.relationships:
            if (
                prop.parent is mapper
                and prop.direction in (MANYTOONE, ONETOMANY)
                and not prop.post_update
                and prop.secondary is None
                and prop._calculated_foreign_keys
                and frozenset((mapper.local_table, prop.mapper.local_table)) == pair
            ):
                sides.setdefault(_fk_table(prop), []).append(prop)
    return [sides[table] for table in sorted(sides, key=_table_key)]


def _fix_side(sides: list[list[Any]]) -> tuple[Any, Any, bool]:
    """The relationship to give post_update=True: on the side with the fewest relationships, its
    many-to-one (what SQLAlchemy's docs do), with a nullable foreign key (post_update inserts NULL first)."""
    from sqlalchemy.orm.interfaces import MANYTOONE

    def nullable(prop: Any) -> bool:
        return all(column.nullable for column in prop._calculated_foreign_keys)

    def score(side: list[Any]) -> tuple[int, bool, bool]:
        return (len(side), not any(p.direction is MANYTOONE for p in side), not nullable(side[0]))

    side = min(sides, key=score)
    fixed = next((p for p in side if p.direction is MANYTOONE), side[0])
    other = next(p for s in sides if s is not side for p in s)
    return fixed, other, nullable(fixed)


def _link(prop: Any, instances: dict[Any, Any]) -> bool:
    owner, target = instances.get(prop.parent.local_table), instances.get(prop.mapper.local_table)
    if not isinstance(owner, prop.parent.class_) or not isinstance(target, prop.mapper.class_):
        return False
    add_related(owner, prop.key, target, prop.uselist)
    return True


def check_flush_cycles(result: Record) -> None:
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
            continue  # SQLite cannot hold this pair's tables: the next pair may still be checked
        instances: dict[Any, Any] = {}
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
            error.update(
                {
                    "phase": "flush",
                    "frames": [],
                    "nullable": nullable,
                    "cycle_class": other.parent.class_.__name__,
                    "cycle_attribute": other.key,
                    "message": "Circular dependency detected: flushing %s.%s together with %s.%s"
                    % (first.parent.class_.__name__, first.key, second.parent.class_.__name__, second.key),
                }
            )
            result["errors"].append(error)
        except Exception:
            pass  # other flush problems (constraints, sample values) are not this check's business
        finally:
            session.rollback()
            session.close()
