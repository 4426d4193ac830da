"""Generate a synthetic SQLAlchemy model package with K injected faults and a manifest of them.

    python bench/generate.py OUT_DIR --models 1000 --faults 50 [--style mapped|classic|flask]
                             [--seed 0] [--import-fault raise|syntax|none]

OUT_DIR receives ``models/`` (``__init__.py`` importing every module, ``base.py`` with the declarative
base, one module per 10 models) and ``manifest.json``: one entry per fault with its true ``code``,
``file`` (relative to OUT_DIR), ``line`` (first line of the construct to change: the relationship
statement, the column with the misspelled ForeignKey or the trailing comma, or the failing line of an
import fault), ``class`` and ``attribute``.

Healthy graph: every model has an Integer primary key and 4-7 scalar columns (String(n), Text,
DateTime, Boolean, Numeric, Integer); most have a ForeignKey or two to earlier models, each used by
exactly one relationship construct (a one-to-many ``back_populates`` pair, or a standalone many-to-one),
some are self-referential (``remote_side``), some pairs are many-to-many through an association table.
Two models are linked by at most one construct, so nothing overlaps and the clean package configures
without errors or warnings.

Faults never share a class (each fault has its own owner class) nor a pair of linked models, and each
one produces exactly one error of its kind:
- ``missing_fk_column`` (ORM001): a standalone relationship between two unlinked models, no FK at all;
- ``fk_without_foreignkey`` (ORM001): the target holds ``<owner>_id`` but without ``ForeignKey``;
- ``missing_class`` (ORM002): a standalone relationship to a class that exists nowhere;
- ``misspelled_target`` (ORM002): a standalone many-to-one whose target class name has a typo;
- ``ambiguous_fks`` (ORM003): the owner has two FKs to the target and the relationship names neither;
- ``back_populates_typo`` (ORM010): a one-to-many's ``back_populates`` has two letters swapped (its
  twin's failure is a knock-on);
- ``foreign_keys_typo`` (ORM017): a standalone many-to-one's ``foreign_keys="Owner.<target>_ident"``
  names no column;
- ``dynamic_many_to_one`` (ORM012): ``lazy="dynamic"`` on a standalone many-to-one;
- ``fk_target_typo`` (ORM030, at the column): the ForeignKey of a standalone many-to-one names a
  misspelled table (SQLAlchemy's message names the relationship; the cause is the column);
- ``unquoted_missing_class`` (ORM002, at import): ``relationship(Ghost)`` with a class object that
  does not exist: NameError while the class statement runs, so the class is never mapped;
- ``trailing_comma`` (ORM044, a warning, at the assignment): ``name = Column(...),`` is a tuple that
  declarative ignores;
- ``import`` (ORM004, at most one, when K >= 5): ``raise`` = a module-level ``os.environ[...]`` lookup
  at the end of the last module (KeyError; every class is mapped before it fails), ``syntax`` = a
  syntax error at the end of the last module (its classes never exist, so nothing else points at
  them and no other fault lives there).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

NOUNS = [
    "Customer",
    "Invoice",
    "Order",
    "Product",
    "Supplier",
    "Warehouse",
    "Shipment",
    "Payment",
    "Account",
    "Ledger",
    "Employee",
    "Department",
    "Project",
    "Ticket",
    "Comment",
    "Review",
    "Category",
    "Coupon",
    "Campaign",
    "Subscriber",
    "Message",
    "Channel",
    "Document",
    "Folder",
    "Contract",
    "Vendor",
    "Asset",
    "License",
    "Device",
    "Sensor",
    "Reading",
    "Region",
    "Branch",
    "Course",
    "Lesson",
    "Student",
    "Teacher",
    "Schedule",
    "Booking",
    "Venue",
    "Event",
    "Speaker",
    "Playlist",
    "Track",
    "Album",
    "Artist",
    "Recipe",
    "Ingredient",
    "Vehicle",
    "Driver",
    "Route",
    "Parcel",
    "Policy",
    "Claim",
    "Patient",
    "Doctor",
    "Clinic",
    "Survey",
    "Question",
    "Answer",
]
GHOSTS = [
    "ArchivedLedger",
    "LegacyAudit",
    "PendingRefund",
    "ShadowProfile",
    "DraftQuote",
    "RetiredBadge",
    "StaleSession",
    "OrphanBlob",
]
FAULT_KINDS = [
    "missing_fk_column",
    "fk_without_foreignkey",
    "missing_class",
    "misspelled_target",
    "ambiguous_fks",
    "back_populates_typo",
    "foreign_keys_typo",
    "dynamic_many_to_one",
    "fk_target_typo",
    "unquoted_missing_class",
    "trailing_comma",
]
CODES = {
    "missing_fk_column": "ORM001",
    "fk_without_foreignkey": "ORM001",
    "missing_class": "ORM002",
    "misspelled_target": "ORM002",
    "ambiguous_fks": "ORM003",
    "import": "ORM004",
    "back_populates_typo": "ORM010",
    "foreign_keys_typo": "ORM017",
    "dynamic_many_to_one": "ORM012",
    "fk_target_typo": "ORM030",
    "unquoted_missing_class": "ORM002",
    "trailing_comma": "ORM044",
}
# the kinds that rewrite one of the owner's standalone many-to-one relationships
ON_MANY_TO_ONE = {"misspelled_target", "foreign_keys_typo", "dynamic_many_to_one", "fk_target_typo"}
# scalar column pool: (attribute, kind, argument)
SCALARS = [
    ("name", "String", 80),
    ("title", "String", 200),
    ("email", "String", 120),
    ("code", "String", 32),
    ("description", "Text", None),
    ("notes", "Text", None),
    ("created_at", "DateTime", None),
    ("updated_at", "DateTime", None),
    ("is_active", "Boolean", None),
    ("is_archived", "Boolean", None),
    ("amount", "Numeric", (10, 2)),
    ("price", "Numeric", (12, 2)),
    ("quantity", "Integer", None),
    ("position", "Integer", None),
]
PY_TYPES = {
    "String": "str",
    "Text": "str",
    "DateTime": "datetime.datetime",
    "Boolean": "bool",
    "Numeric": "decimal.Decimal",
    "Integer": "int",
}


@dataclass
class Column:
    attribute: str
    kind: str  # String, Text, ..., "fk", "plain_int" (an id column without ForeignKey), "pk"
    arg: object = None  # length / (precision, scale) / referenced table
    nullable: bool = True
    trailing_comma: bool = False  # `name = Column(...),`: a tuple declarative ignores (with a warning)
    reported: dict | None = None  # a fault reported at this column's line (trailing comma, misspelled FK target)


@dataclass
class Rel:
    attribute: str
    target: str  # target class name as written
    collection: bool
    back_populates: str | None = None
    secondary: str | None = None
    remote_side: bool = False
    foreign_keys: str | None = None
    lazy: str | None = None
    unquoted: bool = False  # relationship(Target): the class object, evaluated when the class statement runs
    fault: dict | None = None  # manifest entry (without the line) when this is an injected fault


@dataclass
class Model:
    index: int
    name: str
    table: str
    snake: str
    columns: list[Column] = field(default_factory=list)
    rels: list[Rel] = field(default_factory=list)
    assoc_tables: list[tuple[str, str, str]] = field(default_factory=list)  # (name, left table, right table)
    fault: dict | None = None  # a fault reported at the class statement (trailing_comma)


def misspell(name: str, taken: set[str], rng: random.Random) -> str:
    letters = name.rstrip("0123456789")
    digits = name[len(letters) :]
    for _ in range(50):
        i = rng.randrange(1, len(letters) - 2)
        if letters[i] == letters[i + 1]:
            continue
        typo = letters[:i] + letters[i + 1] + letters[i] + letters[i + 2 :] + digits
        if typo not in taken:
            return typo
    return letters[:-1] + digits  # dropped last letter


class Generator:
    def __init__(self, n: int, k: int, style: str, seed: int, import_fault: str):
        self.without: frozenset[str] = frozenset()
        self.n, self.k, self.style, self.import_fault = n, k, style, import_fault
        self.rng = random.Random(seed)
        self.per_module = 10
        self.modules = max(1, (n + self.per_module - 1) // self.per_module)
        self.models: list[Model] = []
        self.linked: set[frozenset[int]] = set()
        # with a syntax error in the last module, its classes never exist: nothing may point at them
        last_start = (self.modules - 1) * self.per_module
        self.dead = set(range(last_start, n)) if import_fault == "syntax" and k >= 5 else set()

    def module_of(self, i: int) -> int:
        return i // self.per_module

    # --- healthy graph -------------------------------------------------------------------------
    def build(self) -> None:
        for i in range(self.n):
            noun = NOUNS[i % len(NOUNS)]
            snake = f"{noun.lower()}_{i}"
            model = Model(index=i, name=f"{noun}{i}", table=f"{snake}s", snake=snake)
            model.columns.append(Column("id", "pk"))
            for attribute, kind, arg in self.rng.sample(SCALARS, self.rng.randint(4, 7)):
                model.columns.append(Column(attribute, kind, arg, nullable=self.rng.random() < 0.6))
            self.models.append(model)
            self._add_parents(model)
            if i % 20 == 7:
                self._add_self_reference(model)
            if i % 33 == 12 and i not in self.dead:
                self._add_many_to_many(model)

    def _earlier_unlinked(self, i: int, exclude: set[int] = frozenset()) -> int | None:
        for _ in range(20):
            low = max(0, i - 60) if self.rng.random() < 0.8 else 0
            p = self.rng.randrange(low, i)
            if frozenset((i, p)) not in self.linked and p not in exclude and p not in self.dead:
                return p
        return None

    def _add_parents(self, model: Model) -> None:
        i = model.index
        if i == 0:
            return
        wanted = self.rng.choice([1, 1, 1, 2]) if i > 1 else 1
        for _ in range(wanted):
            p = self._earlier_unlinked(i)
            if p is None:
                continue
            parent = self.models[p]
            self.linked.add(frozenset((i, p)))
            model.columns.append(Column(f"{parent.snake}_id", "fk", parent.table))
            paired = self.rng.random() < 0.6 and i not in self.dead
            back = f"{model.snake}s" if paired else None
            model.rels.append(Rel(parent.snake, parent.name, False, back_populates=back))
            if paired:
                parent.rels.append(Rel(back, model.name, True, back_populates=parent.snake))

    def _add_self_reference(self, model: Model) -> None:
        model.columns.append(Column("parent_id", "fk", model.table))
        model.rels.append(Rel("parent", model.name, False, back_populates="children", remote_side=True))
        model.rels.append(Rel("children", model.name, True, back_populates="parent"))

    def _add_many_to_many(self, model: Model) -> None:
        i = model.index
        if i == 0:
            return
        p = self._earlier_unlinked(i)
        if p is None:
            return
        other = self.models[p]
        self.linked.add(frozenset((i, p)))
        link = f"{other.snake}_{model.snake}_links"
        model.assoc_tables.append((link, other.table, model.table))
        model.rels.append(Rel(f"{other.snake}s", other.name, True, back_populates=f"{model.snake}s", secondary=link))
        other.rels.append(Rel(f"{model.snake}s", model.name, True, back_populates=f"{other.snake}s", secondary=link))

    # --- faults --------------------------------------------------------------------------------
    def fault_kinds(self) -> list[str]:
        pool = [kind for kind in FAULT_KINDS if kind not in self.without]
        offset = self.rng.randrange(len(pool))
        kinds = [pool[(offset + j) % len(pool)] for j in range(self.k)]
        if self.k >= 5 and self.import_fault != "none":
            kinds[-1] = "import"
        return kinds

    def inject(self) -> list[dict]:
        kinds = self.fault_kinds()
        rel_kinds = [kind for kind in kinds if kind != "import"]
        alive = [m for m in self.models if m.index not in self.dead]
        misspellable = [
            m
            for m in alive
            if any(r.back_populates is None and not r.collection and r.target != m.name for r in m.rels)
        ]
        self.rng.shuffle(misspellable)
        owners_used: set[int] = set()
        faults = []
        for kind in rel_kinds:
            if kind in ON_MANY_TO_ONE:
                owner = next((m for m in misspellable if m.index not in owners_used), None)
            elif kind == "back_populates_typo":
                owner = next(
                    (
                        m
                        for m in alive
                        if m.index not in owners_used
                        and any(
                            r.back_populates and r.collection and not r.secondary and r.target != m.name for r in m.rels
                        )
                    ),
                    None,
                )
            else:
                pool = [m for m in alive if m.index not in owners_used]
                owner = self.rng.choice(pool) if pool else None
            if owner is None:
                raise SystemExit(f"cannot place {kind}: not enough models for {self.k} faults")
            owners_used.add(owner.index)
            faults.append(getattr(self, f"_inject_{kind}")(owner, alive))
        if "import" in kinds:
            faults.append(
                {
                    "code": "ORM004",
                    "kind": "import",
                    "variant": self.import_fault,
                    "module": self.modules - 1,
                    "class": None,
                    "attribute": None,
                }
            )
        return faults

    def _fresh_target(self, owner: Model, alive: list[Model]) -> Model:
        for _ in range(200):
            target = self.rng.choice(alive)
            if target.index != owner.index and frozenset((owner.index, target.index)) not in self.linked:
                self.linked.add(frozenset((owner.index, target.index)))
                return target
        raise SystemExit(f"no unlinked target for {owner.name}")

    @staticmethod
    def _fault(kind: str, owner: Model, rel: Rel, **extra) -> dict:
        rel.fault = {"code": CODES[kind], "kind": kind, "class": owner.name, "attribute": rel.attribute, **extra}
        return rel.fault

    def _inject_missing_fk_column(self, owner: Model, alive: list[Model]) -> dict:
        target = self._fresh_target(owner, alive)
        collection = self.rng.random() < 0.5
        rel = Rel(f"{target.snake}s" if collection else target.snake, target.name, collection)
        owner.rels.append(rel)
        return self._fault("missing_fk_column", owner, rel, target=target.name)

    def _inject_fk_without_foreignkey(self, owner: Model, alive: list[Model]) -> dict:
        target = self._fresh_target(owner, alive)
        target.columns.append(Column(f"{owner.snake}_id", "plain_int"))
        rel = Rel(f"{target.snake}s", target.name, True)
        owner.rels.append(rel)
        return self._fault(
            "fk_without_foreignkey", owner, rel, target=target.name, column=f"{target.name}.{owner.snake}_id"
        )

    def _inject_missing_class(self, owner: Model, alive: list[Model]) -> dict:
        ghost = self.rng.choice(GHOSTS)
        rel = Rel(f"{ghost.lower()}_items", ghost, True)
        owner.rels.append(rel)
        return self._fault("missing_class", owner, rel, target=ghost)

    def _inject_misspelled_target(self, owner: Model, alive: list[Model]) -> dict:
        rel = next(r for r in owner.rels if r.back_populates is None and not r.collection and r.target != owner.name)
        right = rel.target
        rel.target = misspell(right, {m.name for m in self.models}, self.rng)
        return self._fault("misspelled_target", owner, rel, target=rel.target, meant=right)

    @staticmethod
    def _standalone_many_to_one(owner: Model) -> Rel:
        return next(r for r in owner.rels if r.back_populates is None and not r.collection and r.target != owner.name)

    def _inject_back_populates_typo(self, owner: Model, alive: list[Model]) -> dict:
        rel = next(
            r for r in owner.rels if r.back_populates and r.collection and not r.secondary and r.target != owner.name
        )
        right = rel.back_populates
        rel.back_populates = right[:-2] + right[-1] + right[-2] if right[-1] != right[-2] else right + "s"
        return self._fault("back_populates_typo", owner, rel, target=rel.target, meant=right)

    def _inject_foreign_keys_typo(self, owner: Model, alive: list[Model]) -> dict:
        rel = self._standalone_many_to_one(owner)
        target = next(m for m in self.models if m.name == rel.target)
        rel.foreign_keys = f"{owner.name}.{target.snake}_ident"  # the column is <target>_id
        return self._fault("foreign_keys_typo", owner, rel, target=rel.target, meant=f"{target.snake}_id")

    def _inject_dynamic_many_to_one(self, owner: Model, alive: list[Model]) -> dict:
        rel = self._standalone_many_to_one(owner)
        rel.lazy = "dynamic"
        return self._fault("dynamic_many_to_one", owner, rel, target=rel.target)

    def _inject_fk_target_typo(self, owner: Model, alive: list[Model]) -> dict:
        rel = self._standalone_many_to_one(owner)
        target = next(m for m in self.models if m.name == rel.target)
        column = next(c for c in owner.columns if c.kind == "fk" and c.arg == target.table)
        column.arg = misspell(target.table, {m.table for m in self.models}, self.rng)
        column.reported = self._fault("fk_target_typo", owner, rel, target=rel.target, meant=target.table)
        rel.fault = None  # reported at the ForeignKey(...) to change, not at the relationship that fails
        return column.reported

    def _inject_unquoted_missing_class(self, owner: Model, alive: list[Model]) -> dict:
        ghost = self.rng.choice(GHOSTS)
        rel = Rel(f"{ghost.lower()}_records", ghost, True, unquoted=True)
        owner.rels.append(rel)
        return self._fault("unquoted_missing_class", owner, rel, target=ghost)

    def _inject_trailing_comma(self, owner: Model, alive: list[Model]) -> dict:
        column = next(c for c in owner.columns if c.kind not in ("pk", "fk", "plain_int"))
        column.trailing_comma = True
        column.reported = {
            "code": CODES["trailing_comma"],
            "kind": "trailing_comma",
            "class": owner.name,
            "attribute": None,
            "column": column.attribute,
        }
        return column.reported

    def _inject_ambiguous_fks(self, owner: Model, alive: list[Model]) -> dict:
        target = self._fresh_target(owner, alive)
        owner.columns.append(Column(f"{target.snake}_id", "fk", target.table))
        owner.columns.append(Column(f"backup_{target.snake}_id", "fk", target.table))
        rel = Rel(target.snake, target.name, False)
        owner.rels.append(rel)
        return self._fault("ambiguous_fks", owner, rel, target=target.name)


# --- rendering -----------------------------------------------------------------------------------


class Style:
    """How one declarative style spells imports, columns, tables and relationships."""

    def __init__(self, name: str):
        self.name = name
        self.p = "db." if name == "flask" else ""  # prefix for Column, types, relationship

    def base_module(self) -> list[str]:
        if self.name == "mapped":
            return ["from sqlalchemy.orm import DeclarativeBase", "", "", "class Base(DeclarativeBase):", "    pass"]
        if self.name == "classic":
            return ["from sqlalchemy.orm import declarative_base", "", "Base = declarative_base()"]
        return ["from flask_sqlalchemy import SQLAlchemy", "", "db = SQLAlchemy()"]

    def header(self, import_fault: bool) -> list[str]:
        lines = ["import os", ""] if import_fault else []
        if self.name == "flask":
            return lines + ["from models.base import db", "", ""]
        if self.name == "mapped":
            lines = lines[:-1] + ["import datetime", "import decimal", "from typing import List, Optional", ""]
        lines += ["from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, Numeric, String, Table, Text"]
        lines += [
            "from sqlalchemy.orm import Mapped, mapped_column, relationship"
            if self.name == "mapped"
            else "from sqlalchemy.orm import relationship"
        ]
        return lines + ["", "from models.base import Base", "", ""]

    def sql_type(self, column: Column) -> str:
        kind = {"pk": "Integer", "fk": "Integer", "plain_int": "Integer"}.get(column.kind, column.kind)
        if column.kind == "String":
            return f"{self.p}String({column.arg})"
        if column.kind == "Numeric":
            return f"{self.p}Numeric({column.arg[0]}, {column.arg[1]})"
        return f"{self.p}{kind}"

    def column(self, column: Column) -> str:
        args = [self.sql_type(column)]
        if column.kind == "fk":
            args.append(f'{self.p}ForeignKey("{column.arg}.id")')
        if column.kind == "pk":
            args.append("primary_key=True")
        elif not column.nullable:
            args.append("nullable=False")
        if column.kind in ("fk", "plain_int"):
            args.append("index=True")
        if self.name == "mapped":
            py = "int" if column.kind in ("pk", "fk", "plain_int") else PY_TYPES[column.kind]
            annotation = py if column.kind == "pk" or not column.nullable else f"Optional[{py}]"
            return f"    {column.attribute}: Mapped[{annotation}] = mapped_column({', '.join(args)})" + (
                "," if column.trailing_comma else ""
            )
        return f"    {column.attribute} = {self.p}Column({', '.join(args)})" + ("," if column.trailing_comma else "")

    def relationship(self, rel: Rel) -> str:
        args = [rel.target if rel.unquoted else f'"{rel.target}"']
        if rel.foreign_keys:
            args.append(f'foreign_keys="{rel.foreign_keys}"')
        if rel.lazy:
            args.append(f'lazy="{rel.lazy}"')
        if rel.secondary:
            args.append(f'secondary="{rel.secondary}"')
        if rel.remote_side:
            args.append("remote_side=[id]")
        if rel.back_populates:
            args.append(f'back_populates="{rel.back_populates}"')
        call = f"{self.p}relationship({', '.join(args)})"
        if self.name == "mapped":
            annotation = f'List["{rel.target}"]' if rel.collection else f'Optional["{rel.target}"]'
            return f"    {rel.attribute}: Mapped[{annotation}] = {call}"
        return f"    {rel.attribute} = {call}"

    def assoc_table(self, name: str, left: str, right: str) -> list[str]:
        if self.name == "flask":
            return [
                f"{name} = db.Table(",
                f'    "{name}",',
                f'    db.Column("{left}_id", db.Integer, db.ForeignKey("{left}.id"), primary_key=True),',
                f'    db.Column("{right}_id", db.Integer, db.ForeignKey("{right}.id"), primary_key=True),',
                ")",
                "",
                "",
            ]
        return [
            f"{name} = Table(",
            f'    "{name}",',
            "    Base.metadata,",
            f'    Column("{left}_id", Integer, ForeignKey("{left}.id"), primary_key=True),',
            f'    Column("{right}_id", Integer, ForeignKey("{right}.id"), primary_key=True),',
            ")",
            "",
            "",
        ]

    def class_line(self, model: Model) -> str:
        return f"class {model.name}({'db.Model' if self.name == 'flask' else 'Base'}):"


def render(gen: Generator, faults: list[dict], out: Path) -> list[dict]:
    style = Style(gen.style)
    package = out / "models"
    if out.exists():
        shutil.rmtree(out)
    package.mkdir(parents=True)
    (package / "base.py").write_text("\n".join(style.base_module()) + "\n")
    import_fault = next((f for f in faults if f["kind"] == "import"), None)
    manifest = []
    init = ["from models.base import " + ("db" if gen.style == "flask" else "Base")]
    for m in range(gen.modules):
        members = [model for model in gen.models if gen.module_of(model.index) == m]
        rel_path = f"models/mod_{m:04d}.py"
        faulty_import = import_fault is not None and import_fault["module"] == m
        lines = style.header(faulty_import and import_fault["variant"] == "raise")
        for model in members:
            for name, left, right in model.assoc_tables:
                lines += style.assoc_table(name, left, right)
        for model in members:
            if model.fault is not None:
                manifest.append(dict(model.fault, file=rel_path, line=len(lines) + 1))
            lines.append(style.class_line(model))
            lines.append(f'    __tablename__ = "{model.table}"')
            lines.append("")
            for column in model.columns:
                if column.reported is not None:
                    manifest.append(dict(column.reported, file=rel_path, line=len(lines) + 1))
                lines.append(style.column(column))
            if model.rels:
                lines.append("")
            for rel in model.rels:
                if rel.fault is not None:
                    manifest.append(dict(rel.fault, file=rel_path, line=len(lines) + 1))
                lines.append(style.relationship(rel))
            lines += ["", ""]
        if faulty_import:
            if import_fault["variant"] == "raise":
                lines.append('SEARCH_INDEX_URL = os.environ["ORMFIX_BENCH_SEARCH_INDEX_URL"]')
                entry = dict(import_fault, file=rel_path, line=len(lines))
            else:
                lines += ["def region_for(code)", "    return code.upper()"]
                entry = dict(import_fault, file=rel_path, line=len(lines) - 1)
            entry.pop("module")
            manifest.append(entry)
        while lines and lines[-1] == "":
            lines.pop()
        (package / f"mod_{m:04d}.py").write_text("\n".join(lines) + "\n")
        init.append(f"from models.mod_{m:04d} import " + ", ".join(model.name for model in members))
    (package / "__init__.py").write_text("\n".join(init) + "\n")
    manifest.sort(key=lambda f: (f["file"], f["line"]))
    return manifest


def generate(
    out: Path,
    n: int,
    k: int,
    style: str = "mapped",
    seed: int = 0,
    import_fault: str = "raise",
    without: frozenset[str] = frozenset(),
) -> list[dict]:
    """Write the package into ``out`` (replacing it) and return the manifest (also written to out/manifest.json)."""
    if style not in ("mapped", "classic", "flask"):
        raise ValueError(f"unknown style {style!r}")
    gen = Generator(n, k, style, seed, import_fault)
    gen.without = without
    gen.build()
    faults = gen.inject()
    manifest = render(gen, faults, out)
    (out / "manifest.json").write_text(
        json.dumps(
            {"models": n, "faults": k, "style": style, "seed": seed, "import_fault": import_fault, "entries": manifest},
            indent=1,
        )
        + "\n"
    )
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--models", "-n", type=int, default=1000)
    parser.add_argument("--faults", "-k", type=int, default=50)
    parser.add_argument("--style", choices=["mapped", "classic", "flask"], default="mapped")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--import-fault", choices=["raise", "syntax", "none"], default="raise")
    parser.add_argument("--without", default="", help="fault kinds to leave out, comma-separated")
    args = parser.parse_args()
    manifest = generate(
        args.out,
        args.models,
        args.faults,
        args.style,
        args.seed,
        args.import_fault,
        frozenset(filter(None, args.without.split(","))),
    )
    print(f"wrote {args.out}/models ({args.models} models) and manifest.json ({len(manifest)} faults)")


if __name__ == "__main__":
    main()
