"""Generate an app-shaped project tree: a model package among the files a real web application carries.

    python bench/app_tree.py OUT_DIR [--style classic|flask|mapped|sqlmodel] [--models 48] [--faults 0|1|5]

OUT_DIR receives a project (``pyproject.toml``, ``app/`` with ``models/``, ``views/`` or ``routes/``,
``services/``, ``schemas/``; ``static/`` with a few hundred assets, ``templates/``, ``migrations/``
(an Alembic env and revisions), ``tests/``) and a ``.git`` made by real ``git init`` and commits.
Every model inherits a shared abstract base model (``id``, ``created_at``, ``updated_at``); every
fourth uses an ``OwnedMixin`` whose ``owner_id`` column and ``owner`` relationship are
``@declared_attr`` methods (SQLModel has no declared_attr relationships: there the owner pair is
written on the class). Model 0 is ``User``; each further model has a one-to-many ``back_populates``
pair with an earlier model, every third also a standalone many-to-one.

Faults (K = 1 or 5, each on its own class): ``missing_fk_column`` (a pair's child loses its FK
column: ORM001), ``misspelled_target`` (ORM002), ``back_populates_typo`` (ORM010),
``ambiguous_fks`` (ORM003), ``fk_target_typo`` (ORM030). ``manifest.json`` lists each fault's
code, class and attribute; ``L_CODE`` is the application's own import + configure.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from generate import NOUNS

STYLES = ("classic", "flask", "mapped", "sqlmodel")
FAULTS = ["missing_fk_column", "misspelled_target", "back_populates_typo", "ambiguous_fks", "fk_target_typo"]
CODES = {
    "missing_fk_column": "ORM001",
    "misspelled_target": "ORM002",
    "back_populates_typo": "ORM010",
    "ambiguous_fks": "ORM003",
    "fk_target_typo": "ORM030",
}
PER_MODULE = 6
# the application's own import of its models, then the first configure (what L measures)
L_CODE = "import app.models\nfrom sqlalchemy.orm import configure_mappers\nconfigure_mappers()\n"


@dataclass
class Model:
    index: int
    name: str
    table: str
    snake: str
    owned: bool  # uses OwnedMixin (owner_id + owner via @declared_attr)
    fks: list[list] = field(default_factory=list)  # [column, table, fault-marker]
    rels: list[dict] = field(default_factory=list)  # attribute, target, collection, back_populates, fk


def build(n: int) -> list[Model]:
    models = []
    for i in range(n):
        noun = "User" if i == 0 else NOUNS[(i - 1) % len(NOUNS)] + ("" if i <= len(NOUNS) else str(i))
        snake = "".join("_" + c.lower() if c.isupper() else c for c in noun).lstrip("_")
        models.append(Model(i, noun, snake + "s", snake, owned=False))
    rng = random.Random(0)
    for model in models[1:]:
        parent = models[rng.randrange(max(0, model.index - 8), model.index)]
        fk = f"{parent.snake}_id"
        model.fks.append([fk, parent.table, None])
        model.rels.append(dict(attribute=parent.snake, target=parent.name, collection=False, back=f"{model.snake}s"))
        parent.rels.append(dict(attribute=f"{model.snake}s", target=model.name, collection=True, back=parent.snake))
        if model.index % 3 == 0 and model.index > 3:
            other = models[rng.randrange(0, model.index - 1)]
            if other is not parent:
                model.fks.append([f"{other.snake}_ref_id", other.table, None])
                model.rels.append(dict(attribute=f"{other.snake}_ref", target=other.name, collection=False, back=None))
    for model in models[4::4]:  # a second foreign key to users would make the relationships ambiguous
        model.owned = all(table != "users" for _, table, _ in model.fks)
    return models


def inject(models: list[Model], k: int) -> list[dict]:
    """K faults (the first K kinds, in FAULTS order), each on its own class, counting down from the end."""
    manifest, used = [], set()
    for kind in FAULTS[:k]:
        owner = next(m for m in reversed(models) if m.index not in used and _fits(kind, m))
        used.add(owner.index)
        manifest.append(getattr(_Faults, kind)(owner, models))
    return manifest


def _fits(kind: str, model: Model) -> bool:
    standalone = [r for r in model.rels if not r["collection"] and r["back"] is None]
    if kind in ("misspelled_target", "ambiguous_fks", "fk_target_typo"):
        return bool(standalone)
    return any(not r["collection"] and r["back"] for r in model.rels)


class _Faults:
    @staticmethod
    def missing_fk_column(owner: Model, models: list[Model]) -> dict:
        rel = next(r for r in owner.rels if not r["collection"] and r["back"])
        owner.fks = [fk for fk in owner.fks if fk[0] != f"{rel['attribute']}_id"]
        parent = next(m for m in models if m.name == rel["target"])
        return dict(kind="missing_fk_column", code="ORM001", **{"class": parent.name}, attribute=rel["back"])

    @staticmethod
    def misspelled_target(owner: Model, models: list[Model]) -> dict:
        rel = next(r for r in owner.rels if not r["collection"] and r["back"] is None)
        name = rel["target"]
        i = next(i for i in range(1, len(name) - 1) if name[i] != name[i + 1])
        rel["target"] = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        return dict(kind="misspelled_target", code="ORM002", **{"class": owner.name}, attribute=rel["attribute"])

    @staticmethod
    def back_populates_typo(owner: Model, models: list[Model]) -> dict:
        rel = next(r for r in owner.rels if not r["collection"] and r["back"])
        rel["back"] = rel["back"][:-2] + rel["back"][-1] + rel["back"][-2]
        return dict(kind="back_populates_typo", code="ORM010", **{"class": owner.name}, attribute=rel["attribute"])

    @staticmethod
    def ambiguous_fks(owner: Model, models: list[Model]) -> dict:
        rel = next(r for r in owner.rels if not r["collection"] and r["back"] is None)
        fk = next(fk for fk in owner.fks if fk[0] == f"{rel['attribute']}_id")
        owner.fks.append([f"backup_{fk[0]}", fk[1], None])
        return dict(kind="ambiguous_fks", code="ORM003", **{"class": owner.name}, attribute=rel["attribute"])

    @staticmethod
    def fk_target_typo(owner: Model, models: list[Model]) -> dict:
        rel = next(r for r in owner.rels if not r["collection"] and r["back"] is None)
        fk = next(fk for fk in owner.fks if fk[0] == f"{rel['attribute']}_id")
        fk[1] = fk[1][:-1]  # "invoices" -> "invoice"
        return dict(kind="fk_target_typo", code="ORM030", **{"class": owner.name}, attribute=fk[0])


# --- the model package, one style at a time ------------------------------------------------------


class Render:
    def __init__(self, style: str):
        self.style = style
        self.p = "db." if style == "flask" else ""

    def base_module(self) -> str:
        if self.style == "sqlmodel":
            return (
                '"""The shared base model: every table has an id and timestamps."""\n\n'
                "from datetime import datetime, timezone\nfrom typing import Optional\n\nfrom sqlmodel import Field, SQLModel\n\n\n"
                "class BaseModel(SQLModel):\n"
                "    id: Optional[int] = Field(default=None, primary_key=True)\n"
                "    created_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))\n"
                "    updated_at: Optional[datetime] = None\n"
            )
        if self.style == "mapped":
            return (
                '"""The declarative base, the shared base model (id, timestamps) and the mixins."""\n\n'
                "from datetime import datetime\nfrom typing import TYPE_CHECKING, Optional\n\n"
                "from sqlalchemy import ForeignKey, func\n"
                "from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship\n\n"
                "if TYPE_CHECKING:\n    from app.models.mod_00 import User\n\n\n"
                "class Base(DeclarativeBase):\n    pass\n\n\n"
                "class BaseModel(Base):\n    __abstract__ = True\n\n"
                "    id: Mapped[int] = mapped_column(primary_key=True)\n"
                "    created_at: Mapped[datetime] = mapped_column(server_default=func.now())\n"
                "    updated_at: Mapped[Optional[datetime]] = mapped_column(onupdate=func.now())\n\n\n"
                "class OwnedMixin:\n"
                "    @declared_attr\n    def owner_id(cls) -> Mapped[Optional[int]]:\n"
                '        return mapped_column(ForeignKey("users.id"), index=True)\n\n'
                '    @declared_attr\n    def owner(cls) -> Mapped[Optional["User"]]:\n'
                '        return relationship("User")\n'
            )
        p = self.p
        head = (
            "from datetime import datetime\n\nfrom sqlalchemy.orm import declared_attr\n\nfrom app.extensions import db\n\n\n"
            if self.style == "flask"
            else "from datetime import datetime\n\nfrom sqlalchemy import Column, DateTime, ForeignKey, Integer\n"
            "from sqlalchemy.orm import declarative_base, declared_attr, relationship\n\nBase = declarative_base()\n\n\n"
        )
        return (
            '"""The shared base model (id, timestamps) and the mixins."""\n\n'
            + head
            + f"class BaseModel({'db.Model' if self.style == 'flask' else 'Base'}):\n    __abstract__ = True\n\n"
            f"    id = {p}Column({p}Integer, primary_key=True)\n"
            f"    created_at = {p}Column({p}DateTime, default=datetime.utcnow)\n"
            f"    updated_at = {p}Column({p}DateTime, onupdate=datetime.utcnow)\n\n\n"
            "class OwnedMixin:\n"
            f'    @declared_attr\n    def owner_id(cls):\n        return {p}Column({p}Integer, {p}ForeignKey("users.id"), index=True)\n\n'
            f'    @declared_attr\n    def owner(cls):\n        return {p}relationship("User")\n'
        )

    def header(self) -> str:
        if self.style == "sqlmodel":
            return (
                "from typing import List, Optional\n\nfrom sqlmodel import Field, Relationship\n\n"
                "from app.models.base import BaseModel\n\n\n"
            )
        if self.style == "mapped":
            return (
                "from typing import List, Optional\n\nfrom sqlalchemy import ForeignKey, String, Text\n"
                "from sqlalchemy.orm import Mapped, mapped_column, relationship\n\n"
                "from app.models.base import BaseModel, OwnedMixin\n\n\n"
            )
        if self.style == "flask":
            return "from app.extensions import db\nfrom app.models.base import BaseModel, OwnedMixin\n\n\n"
        return (
            "from sqlalchemy import Column, ForeignKey, Integer, String, Text\nfrom sqlalchemy.orm import relationship\n\n"
            "from app.models.base import BaseModel, OwnedMixin\n\n\n"
        )

    def model(self, m: Model) -> str:
        p, s = self.p, self.style
        if s == "sqlmodel":
            out = [f"class {m.name}(BaseModel, table=True):", f'    __tablename__ = "{m.table}"', ""]
            out += ["    name: str = Field(max_length=120, index=True)", "    notes: Optional[str] = None"]
            if m.owned:
                out.append('    owner_id: Optional[int] = Field(default=None, foreign_key="users.id", index=True)')
            for column, table, _ in m.fks:
                out.append(f'    {column}: Optional[int] = Field(default=None, foreign_key="{table}.id", index=True)')
            out.append("")
            if m.owned:
                out.append('    owner: Optional["User"] = Relationship()')
            for r in m.rels:
                kind = f'List["{r["target"]}"]' if r["collection"] else f'Optional["{r["target"]}"]'
                back = f'back_populates="{r["back"]}"' if r["back"] else ""
                out.append(f"    {r['attribute']}: {kind} = Relationship({back})")
            return "\n".join(out) + "\n"
        bases = ("OwnedMixin, " if m.owned else "") + "BaseModel"
        out = [f"class {m.name}({bases}):", f'    __tablename__ = "{m.table}"', ""]
        if s == "mapped":
            out += [
                "    name: Mapped[str] = mapped_column(String(120), index=True)",
                "    notes: Mapped[Optional[str]] = mapped_column(Text)",
            ]
            out += [
                f'    {c}: Mapped[Optional[int]] = mapped_column(ForeignKey("{t}.id"), index=True)' for c, t, _ in m.fks
            ]
        else:
            out += [f"    name = {p}Column({p}String(120), index=True)", f"    notes = {p}Column({p}Text)"]
            out += [f'    {c} = {p}Column({p}Integer, {p}ForeignKey("{t}.id"), index=True)' for c, t, _ in m.fks]
        out.append("")
        for r in m.rels:
            args = [f'"{r["target"]}"'] + ([f'back_populates="{r["back"]}"'] if r["back"] else [])
            call = f"{p}relationship({', '.join(args)})"
            if s == "mapped":
                kind = f'List["{r["target"]}"]' if r["collection"] else f'Optional["{r["target"]}"]'
                out.append(f"    {r['attribute']}: Mapped[{kind}] = {call}")
            else:
                out.append(f"    {r['attribute']} = {call}")
        return "\n".join(out) + "\n"


# --- the rest of the application -----------------------------------------------------------------

VIEW = '''"""{title}: request handlers."""

from app.models.{module} import {names}
from app.services.{service} import {service}_summary


def list_{snake}(session, page=1, per_page=20):
    query = session.query({first}).order_by({first}.created_at.desc())
    return query.offset((page - 1) * per_page).limit(per_page).all()


def show_{snake}(session, item_id):
    item = session.get({first}, item_id)
    if item is None:
        raise LookupError(f"no {snake} {{item_id}}")
    return {{"item": item, "summary": {service}_summary(session, item)}}


def update_{snake}(session, item_id, form):
    item = show_{snake}(session, item_id)["item"]
    for key, value in form.items():
        if key in ("name", "notes"):
            setattr(item, key, value.strip() if isinstance(value, str) else value)
    session.commit()
    return item
'''

SERVICE = '''"""{title}: business rules kept out of the handlers."""

from datetime import datetime, timedelta


def {service}_summary(session, item):
    age = datetime.utcnow() - (item.created_at or datetime.utcnow())
    return {{"id": item.id, "name": item.name, "stale": age > timedelta(days=30), "notes": bool(item.notes)}}


def {service}_rename(session, item, name):
    if not name or len(name) > 120:
        raise ValueError("a name has 1 to 120 characters")
    item.name = name
    item.updated_at = datetime.utcnow()
    return item
'''

SCHEMA = '''"""{title}: the shapes the API reads and writes."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional


@dataclass
class {first}In:
    name: str
    notes: Optional[str] = None


@dataclass
class {first}Out:
    id: int
    name: str
    created_at: datetime
    notes: Optional[str] = None
    tags: list = field(default_factory=list)
'''

REVISION = '''"""{title}

Revision ID: {rev}
Revises: {down}
"""

import sqlalchemy as sa
from alembic import op

revision = "{rev}"
down_revision = {down_repr}


def upgrade():
    op.create_table(
        "{table}",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade():
    op.drop_table("{table}")
'''


def _write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)


def write_project(out: Path, style: str, models: list[Model], rng: random.Random) -> None:
    render = Render(style)
    app = out / "app"
    _write(app / "__init__.py", '"""The application package."""\n')
    if style == "flask":
        _write(app / "extensions.py", "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n")
    _write(app / "models" / "base.py", render.base_module())
    modules = [models[i : i + PER_MODULE] for i in range(0, len(models), PER_MODULE)]
    init = ["from app.models.base import BaseModel"]
    for number, members in enumerate(modules):
        body = render.header() + "\n\n".join(render.model(m) for m in members)
        _write(app / "models" / f"mod_{number:02d}.py", body)
        init.append(f"from app.models.mod_{number:02d} import " + ", ".join(m.name for m in members))
    _write(app / "models" / "__init__.py", "\n".join(init) + "\n")
    handlers = "routes" if style in ("mapped", "sqlmodel") else "views"
    for folder in (handlers, "services", "schemas"):
        _write(app / folder / "__init__.py", "")
    for number, members in enumerate(modules):
        for m in members:
            fields = dict(
                title=m.name, module=f"mod_{number:02d}", names=m.name, first=m.name, snake=m.snake, service=m.snake
            )
            _write(app / handlers / f"{m.snake}.py", VIEW.format(**fields))
            _write(app / "services" / f"{m.snake}.py", SERVICE.format(**fields))
            _write(app / "schemas" / f"{m.snake}.py", SCHEMA.format(**fields))
    for m in models:
        _write(out / "templates" / f"{m.snake}" / "list.html", f"<h1>{m.name}</h1>\n{{% for item in items %}}\n" * 20)
        _write(out / "templates" / f"{m.snake}" / "show.html", f"<h1>{{{{ item.name }}}}</h1>\n<p>{m.name}</p>\n" * 20)
    for number in range(300):  # stylesheets, scripts, images: a few megabytes
        kind = ("css", "js", "png", "svg")[number % 4]
        size = rng.randrange(2_000, 40_000)
        data = (
            rng.randbytes(size)
            if kind == "png"
            else (f"/* asset {number} */\n" + "a{color:red}\n" * (size // 12)).encode()
        )
        _write(out / "static" / kind / f"asset_{number:03d}.{kind}", data)
    _write(out / "migrations" / "env.py", "from alembic import context\n\nconfig = context.config\n")
    previous = None
    for number, m in enumerate(models):
        rev = f"{number:04d}abcd{number:04d}"
        _write(
            out / "migrations" / "versions" / f"{rev}_create_{m.table}.py",
            REVISION.format(title=f"create {m.table}", rev=rev, down=previous, down_repr=repr(previous), table=m.table),
        )
        previous = rev
    _write(out / "tests" / "test_models.py", "import app.models\n\n\ndef test_import():\n    assert app.models\n")
    _write(out / "pyproject.toml", f'[project]\nname = "{style}-app"\nversion = "1.0"\n')
    _write(out / "README.md", f"# {style} app\n\nA generated application for the ormfix benchmark.\n")


def git_commit(out: Path) -> None:
    """A real repository: the tree committed, then a few edits committed on top (history in .git)."""
    git = ["git", "-C", str(out), "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "initial"], check=True)
    for number in range(5):
        with (out / "README.md").open("a") as handle:
            handle.write(f"\nChange {number}.\n")
        subprocess.run([*git, "commit", "-q", "-am", f"change {number}"], check=True)


def generate_app(out: Path, style: str, n: int = 48, k: int = 0, seed: int = 0) -> list[dict]:
    """Write the project into ``out`` (replacing it); the manifest of its faults (also out/manifest.json, untracked)."""
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}")
    if out.exists():
        shutil.rmtree(out)
    models = build(n)
    manifest = inject(models, k)
    write_project(out, style, models, random.Random(seed))
    git_commit(out)
    (out / ".git" / "info" / "exclude").write_text("manifest.json\n")
    (out / "manifest.json").write_text(json.dumps({"style": style, "models": n, "entries": manifest}, indent=1) + "\n")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--style", choices=STYLES, default="mapped")
    parser.add_argument("--models", "-n", type=int, default=48)
    parser.add_argument("--faults", "-k", type=int, default=0, choices=range(len(FAULTS) + 1))
    args = parser.parse_args()
    manifest = generate_app(args.out, args.style, args.models, args.faults)
    print(f"wrote {args.out} ({args.style}, {args.models} models, {len(manifest)} faults)")


if __name__ == "__main__":
    main()
