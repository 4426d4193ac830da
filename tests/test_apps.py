"""Real applications in every style (tests/apps/): each healthy, then with breaks injected.

For every break: `check` names the construct at file:line (one diagnosis per cause), `apply
--strategy=auto --unsafe-fixes` writes the fix a person would write (exact bytes; no other file
changes), and a plain configure_mappers(), independent of ormfix, passes afterwards.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import configure_in_subprocess, run_ormfix, tree_digest

pytestmark = pytest.mark.apps

APPS = Path(__file__).resolve().parent / "apps"
# what the application itself imports first (its models, the way it does)
ENTRY = {
    "fastapi_shop": "shop.models",
    "flask_recipes": "app",
    "sqlmodel_league": "league.models",
    "helpdesk": "helpdesk.models",
    "notes_dataclass": "notes.models",
}
# what check -q prints on the healthy app: helpdesk's teams and agents point at each other (a latent flush
# cycle, ORM023): a warning, which neither fails check nor gets a post_update=True from apply --strategy=auto
HEALTHY = {"helpdesk": ["helpdesk/models.py:34: ORM023 circular-dependency-post-update [warning]"]}
HELPDESK_ENV = {"HELPDESK_DATABASE_URL": "sqlite://", "HELPDESK_SUPPORT_EMAIL": "support@example.org"}


@dataclass
class Break:
    """Edits (file, old, new) that break a healthy app; what check reports; the fix apply writes."""

    app: str
    edits: list[tuple[str, str, str]]
    found: list[str]  # check -q lines: "file:line: CODE name [severity]"
    fixed: list[tuple[str, str, str]]  # edits (file, old, new) from the broken text to the fixed text
    env: dict = field(default_factory=dict)


BREAKS = {
    # a @declared_attr relationship on the class; the FK column of a UUID key removed from the child
    "shop_missing_fk_uuid_child": Break(
        "fastapi_shop",
        [
            (
                "shop/models/order.py",
                '    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))\n',
                "",
            )
        ],
        ["shop/models/order.py:30: ORM001 no-foreign-keys [error]"],
        [
            (
                "shop/models/order.py",
                "    unit_price: Mapped[Decimal] = mapped_column(Numeric(10, 2))\n",
                "    unit_price: Mapped[Decimal] = mapped_column(Numeric(10, 2))\n"
                '    order_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("orders.id"), nullable=True)\n',
            )
        ],
    ),
    # a WriteOnlyMapped collection: the FK goes on the child (Order), typed like the BigInteger key
    "shop_missing_fk_write_only": Break(
        "fastapi_shop",
        [
            (
                "shop/models/order.py",
                '    customer_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("customers.id"), index=True)\n',
                "",
            )
        ],
        ["shop/models/customer.py:18: ORM001 no-foreign-keys [error]"],
        [
            (
                "shop/models/order.py",
                '    status: Mapped[str] = mapped_column(String(20), default="new")\n',
                '    status: Mapped[str] = mapped_column(String(20), default="new")\n'
                '    customer_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("customers.id"), nullable=True)\n',
            )
        ],
    ),
    # a typo in a mixin's @declared_attr relationship, inherited by three classes: one diagnosis, fixed in the mixin
    "shop_typo_in_mixin": Break(
        "fastapi_shop",
        [("shop/models/mixins.py", 'return relationship("StaffUser")', 'return relationship("StafUser")')],
        ["shop/models/mixins.py:22: ORM002 unresolved-target [error]"],
        [("shop/models/mixins.py", 'return relationship("StafUser")', 'return relationship("StaffUser")')],
    ),
    # a class that does not exist: the ForeignKey (supplier_id -> suppliers) names the class meant
    "shop_missing_class": Break(
        "fastapi_shop",
        [
            (
                "shop/models/product.py",
                'supplier: Mapped[Supplier | None] = relationship(back_populates="products")',
                'supplier: Mapped["Vendor | None"] = relationship(back_populates="products")',
            )
        ],
        ["shop/models/product.py:21: ORM002 unresolved-target [error]"],
        [("shop/models/product.py", '"Vendor | None"', '"Supplier | None"')],
    ),
    "shop_ambiguous": Break(
        "fastapi_shop",
        [("shop/models/order.py", "relationship(foreign_keys=[shipping_address_id])", "relationship()")],
        ["shop/models/order.py:25: ORM003 ambiguous-foreign-keys [error]"],
        [
            (
                "shop/models/order.py",
                'shipping_address: Mapped["Address | None"] = relationship()',
                'shipping_address: Mapped["Address | None"] = relationship(foreign_keys="Order.shipping_address_id")',
            )
        ],
    ),
    "shop_several": Break(
        "fastapi_shop",
        [
            ("shop/models/mixins.py", 'return relationship("StaffUser")', 'return relationship("StafUser")'),
            ("shop/models/order.py", "relationship(foreign_keys=[shipping_address_id])", "relationship()"),
            (
                "shop/models/order.py",
                '    customer_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("customers.id"), index=True)\n',
                "",
            ),
        ],
        [
            "shop/models/customer.py:18: ORM001 no-foreign-keys [error]",
            "shop/models/mixins.py:22: ORM002 unresolved-target [error]",
            "shop/models/order.py:24: ORM003 ambiguous-foreign-keys [error]",
        ],
        [
            ("shop/models/mixins.py", 'return relationship("StafUser")', 'return relationship("StaffUser")'),
            (
                "shop/models/order.py",
                'shipping_address: Mapped["Address | None"] = relationship()',
                'shipping_address: Mapped["Address | None"] = relationship(foreign_keys="Order.shipping_address_id")',
            ),
            (
                "shop/models/order.py",
                '    status: Mapped[str] = mapped_column(String(20), default="new")\n',
                '    status: Mapped[str] = mapped_column(String(20), default="new")\n'
                '    customer_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("customers.id"), nullable=True)\n',
            ),
        ],
    ),
    # Mega-Tutorial style: the FK column is written back as sa.ForeignKey(User.id), named after the twin (author)
    "recipes_missing_fk": Break(
        "flask_recipes",
        [
            (
                "app/models.py",
                "    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(User.id), index=True)\n    cuisine_id",
                "    cuisine_id",
            )
        ],
        ["app/models.py:24: ORM001 no-foreign-keys [error]"],
        [
            (
                "app/models.py",
                "    cuisine_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey(Cuisine.id))\n",
                "    cuisine_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey(Cuisine.id))\n"
                "    author_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey(User.id), nullable=True)\n",
            )
        ],
    ),
    "recipes_typo": Break(
        "flask_recipes",
        [("app/models.py", 'replies: so.Mapped[list["Comment"]]', 'replies: so.Mapped[list["Coment"]]')],
        ["app/models.py:79: ORM002 unresolved-target [error]"],
        [("app/models.py", '"Coment"', '"Comment"')],
    ),
    # a relationship assigned below the class (Cuisine.recipes = ...): located and fixed there
    "recipes_typo_assigned_below": Break(
        "flask_recipes",
        [
            (
                "app/models.py",
                'Cuisine.recipes = so.relationship(Recipe, back_populates="cuisine")',
                'Cuisine.recipes = so.relationship("Recipes", back_populates="cuisine")',
            )
        ],
        ["app/models.py:103: ORM002 unresolved-target [error]"],
        [("app/models.py", '"Recipes"', '"Recipe"')],
    ),
    "recipes_ambiguous": Break(
        "flask_recipes",
        [
            (
                "app/models.py",
                'so.relationship(foreign_keys="Message.sender_id", back_populates="messages_sent")',
                'so.relationship(back_populates="messages_sent")',
            )
        ],
        ["app/models.py:99: ORM003 ambiguous-foreign-keys [error]"],
        [
            (
                "app/models.py",
                'so.relationship(back_populates="messages_sent")',
                'so.relationship(back_populates="messages_sent", foreign_keys="Message.sender_id")',
            )
        ],
    ),
    # SQLModel: the fix in SQLModel's own spelling
    "league_missing_fk": Break(
        "sqlmodel_league",
        [
            (
                "league/models/player.py",
                '    team_id: Optional[int] = Field(default=None, foreign_key="team.id", index=True)\n',
                "",
            )
        ],
        ["league/models/team.py:30: ORM001 no-foreign-keys [error]"],
        [
            (
                "league/models/player.py",
                "    shirt_number: Optional[int] = None\n",
                '    shirt_number: Optional[int] = None\n    team_id: Optional[int] = Field(default=None, foreign_key="team.id")\n',
            )
        ],
    ),
    "league_typo": Break(
        "sqlmodel_league",
        [("league/models/team.py", 'players: list["Player"]', 'players: list["Playr"]')],
        ["league/models/team.py:30: ORM002 unresolved-target [error]"],
        [("league/models/team.py", '"Playr"', '"Player"')],
    ),
    "league_ambiguous": Break(
        "sqlmodel_league",
        [
            (
                "league/models/player.py",
                'Relationship(sa_relationship_kwargs={"foreign_keys": "[Transfer.from_team_id]"})',
                "Relationship()",
            )
        ],
        ["league/models/player.py:29: ORM003 ambiguous-foreign-keys [error]"],
        [
            (
                "league/models/player.py",
                'from_team: Optional["Team"] = Relationship()',
                'from_team: Optional["Team"] = Relationship(\n'
                '        sa_relationship_kwargs={"foreign_keys": "Transfer.from_team_id"}\n'
                "    )",
            )
        ],
    ),
    # MappedAsDataclass: the added column is no __init__ argument; Mapped[int] is BigInteger by type_annotation_map;
    # wrapped past the file's longest line (no line length configured)
    "notes_missing_fk_dataclass": Break(
        "notes_dataclass",
        [
            (
                "notes/models.py",
                '    notebook_id: Mapped[Optional[int]] = mapped_column(ForeignKey("notebooks.id"), init=False)\n',
                "",
            )
        ],
        ["notes/models.py:20: ORM001 no-foreign-keys [error]"],
        [
            (
                "notes/models.py",
                "    id: Mapped[int] = mapped_column(primary_key=True, init=False)\n    label",
                "    id: Mapped[int] = mapped_column(primary_key=True, init=False)\n"
                "    notebook_id: Mapped[Optional[int]] = mapped_column(\n"
                '        ForeignKey("notebooks.id"), nullable=True, init=False, default=None\n'
                "    )\n    label",
            )
        ],
    ),
    # the relationship whose key is a ForeignKeyConstraint in __table_args__
    "notes_typo": Break(
        "notes_dataclass",
        [
            (
                "notes/models.py",
                'notebook: Mapped[Optional[Notebook]] = relationship(back_populates="notes"',
                'notebook: Mapped[Optional["Notebok"]] = relationship(back_populates="notes"',
            )
        ],
        ["notes/models.py:31: ORM002 unresolved-target [error]"],
        [("notes/models.py", '"Notebok"', '"Notebook"')],
    ),
    # settings at import ([tool.ormfix] env); Annotated primary keys; a relationship assigned below the class
    "helpdesk_missing_fk": Break(
        "helpdesk",
        [("helpdesk/models.py", '    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))\n', "")],
        [
            "helpdesk/models.py:34: ORM023 circular-dependency-post-update [warning]",
            "helpdesk/models.py:63: ORM001 no-foreign-keys [error]",
        ],
        [
            (
                "helpdesk/models.py",
                "    body: Mapped[str] = mapped_column(Text)\n    sent_at",
                '    body: Mapped[str] = mapped_column(Text)\n    ticket_id: Mapped[Optional[int]] = mapped_column(ForeignKey("tickets.id"), nullable=True)\n    sent_at',
            )
        ],
        env=HELPDESK_ENV,
    ),
    "helpdesk_typo": Break(
        "helpdesk",
        [("helpdesk/models.py", 'team: Mapped[Optional["Team"]]', 'team: Mapped[Optional["Teams"]]')],
        ["helpdesk/models.py:24: ORM002 unresolved-target [error]"],  # no cycle: it needs Agent.team
        [("helpdesk/models.py", '"Teams"', '"Team"')],
        env=HELPDESK_ENV,
    ),
}


def _copy(app: str, tmp_path: Path) -> Path:
    target = tmp_path / app
    shutil.copytree(APPS / app, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def _located(stdout: str) -> list[str]:
    """The "file:line: CODE name [severity]" lines of check -q (the column dropped: tests/test_locations.py
    pins ranges), sorted."""
    return sorted(
        re.sub(r"^(\S+?:\d+):\d+: ", r"\1: ", line)
        for line in stdout.splitlines()
        if line and not line[0].isspace() and ": ORM" in line
    )


def _edit(root: Path, edits: list[tuple[str, str, str]]) -> None:
    for rel, old, new in edits:
        path = root / rel
        text = path.read_text()
        assert text.count(old) == 1, f"{rel}: {old!r} must occur once"
        path.write_text(text.replace(old, new))


@pytest.mark.parametrize("app", sorted(ENTRY))
def test_healthy_app_checks_clean_and_the_same_every_run(app, tmp_path, monkeypatch):
    if app == "helpdesk":
        for name, value in HELPDESK_ENV.items():
            monkeypatch.setenv(name, value)
    root = _copy(app, tmp_path)
    assert "CONFIGURED" in configure_in_subprocess(root, ENTRY[app]).stdout
    before = tree_digest(root)
    runs = [run_ormfix("check", "--format", "json", str(root)) for _ in range(3)]
    assert [r.returncode for r in runs] == [0, 0, 0], runs[0].stdout + runs[0].stderr
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
    assert [d["code"] for d in json.loads(runs[0].stdout)["diagnoses"]] == (["ORM023"] if app in HEALTHY else [])
    text = [run_ormfix("check", str(root)) for _ in range(3)]
    assert [r.returncode for r in text] == [0, 0, 0] and text[0].stdout == text[1].stdout == text[2].stdout
    assert _located(text[0].stdout) == HEALTHY.get(app, [])
    assert text[0].stdout.splitlines()[-1] == (
        "Found 0 errors and 1 warning. Run `ormfix suggest` to see verified fixes."
        if app in HEALTHY
        else "No problems found: the mappers configure."
    )
    applied = run_ormfix("apply", "--strategy=auto", "--unsafe-fixes", str(root))
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert tree_digest(root) == before, "apply on a healthy app writes nothing (no post_update=True for ORM023)"


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_break_is_located_and_fixed_as_a_person_would(name, tmp_path, monkeypatch):
    case = BREAKS[name]
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    root = _copy(case.app, tmp_path)
    _edit(root, case.edits)
    assert "CONFIGURED" not in configure_in_subprocess(root, ENTRY[case.app]).stdout
    checked = run_ormfix("check", "-q", str(root))
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert _located(checked.stdout) == case.found, checked.stdout
    broken = tree_digest(root)
    expected = tmp_path / "expected"
    shutil.copytree(root, expected)
    _edit(expected, case.fixed)

    applied = run_ormfix("apply", "--strategy=auto", "--unsafe-fixes", str(root))
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert "Nothing left: configure_mappers() passes." in applied.stdout, applied.stdout
    after = tree_digest(root)
    changed = {rel for rel in after if after[rel] != broken.get(rel)}
    assert changed == {rel for rel, _, _ in case.fixed}, changed  # no other file written or created
    for rel in changed:
        assert (root / rel).read_text() == (expected / rel).read_text(), rel
    result = configure_in_subprocess(root, ENTRY[case.app])
    assert "CONFIGURED" in result.stdout, result.stderr[-800:]
    again = run_ormfix("check", "-q", str(root))
    assert again.returncode == 0 and _located(again.stdout) == HEALTHY.get(case.app, []), again.stdout


def test_settings_missing_at_import_are_named_with_the_setting_to_pass_them(tmp_path, monkeypatch):
    """pydantic-settings raising "2 validation errors for Settings" at import: the diagnosis names the
    variables and [tool.ormfix] env; with them in [tool.ormfix] env (the app's pyproject) check passes."""
    for name in HELPDESK_ENV:
        monkeypatch.delenv(name, raising=False)
    root = _copy("helpdesk", tmp_path)
    assert run_ormfix("check", str(root)).returncode == 0  # [tool.ormfix] env passes them to the probe
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("\nenv = ", "\n# env = "))
    result = run_ormfix("check", str(root))
    assert result.returncode == 1
    assert result.stdout.splitlines()[:2] == [
        "helpdesk/settings.py:12:1: ORM004 import-failure [error]",
        "  The models failed to import: ValidationError: the settings need HELPDESK_DATABASE_URL, "
        "HELPDESK_SUPPORT_EMAIL (not set in the environment; pass them with [tool.ormfix] env = "
        '["HELPDESK_DATABASE_URL", "HELPDESK_SUPPORT_EMAIL"]).',
    ], result.stdout


@pytest.mark.parametrize(
    "app, edit, found",
    [
        # the class statement raises: `from .product import Product` and the ForeignKey into products follow from it
        (
            "fastapi_shop",
            (
                "shop/models/product.py",
                "mapped_column(String(32), unique=True)",
                "mapped_column(Strin(32), unique=True)",
            ),
            ["shop/models/product.py:18: ORM004 import-failure [error]"],
        ),
        # Recipe's class statement raises: every later sa.ForeignKey(Recipe.id) / relationship(Recipe) follows from it
        (
            "flask_recipes",
            (
                "app/models.py",
                "so.mapped_column(sa.String(140))\n    body",
                "so.mapped_column(sa.Strin(140))\n    body",
            ),
            ["app/models.py:56: ORM004 import-failure [error]"],
        ),
        # Cuisine's class statement raises, so Recipe's (sa.ForeignKey(Cuisine.id)) does too, and every later
        # use of Recipe follows from that: knock-ons of a knock-on
        (
            "flask_recipes",
            (
                "app/models.py",
                "so.mapped_column(sa.String(40), unique=True)",
                "so.mapped_column(sa.Strin(40), unique=True)",
            ),
            ["app/models.py:51: ORM004 import-failure [error]"],
        ),
        # User's class statement raises: the followers association table's ForeignKey("user.id") has no table
        # (no class holds that column: the table comes from SQLAlchemy's message), and Recipe's uses of User fail
        (
            "flask_recipes",
            (
                "app/models.py",
                "so.mapped_column(sa.String(64), index=True",
                "so.mapped_column(sa.Strin(64), index=True",
            ),
            ["app/models.py:19: ORM004 import-failure [error]"],
        ),
    ],
)
def test_a_class_statement_that_raises_is_one_diagnosis(app, edit, found, tmp_path):
    root = _copy(app, tmp_path)
    _edit(root, [edit])
    checked = run_ormfix("check", "-q", str(root))
    assert checked.returncode == 1 and _located(checked.stdout) == found, checked.stdout


def test_a_fix_is_wrapped_at_the_project_line_length(tmp_path):
    """[tool.ruff] line-length = 100: the added column would be 107 characters, so it is wrapped as black
    would; the project's own longer lines stay as they are."""
    root = _copy("fastapi_shop", tmp_path)
    _edit(
        root,
        [("pyproject.toml", "line-length = 110", "line-length = 100"), *BREAKS["shop_missing_fk_write_only"].edits],
    )
    before = (root / "shop/models/order.py").read_text()
    applied = run_ormfix("apply", "--strategy=auto", "--unsafe-fixes", str(root))
    assert "Nothing left: configure_mappers() passes." in applied.stdout, applied.stdout + applied.stderr
    assert (root / "shop/models/order.py").read_text() == before.replace(
        '    status: Mapped[str] = mapped_column(String(20), default="new")\n',
        '    status: Mapped[str] = mapped_column(String(20), default="new")\n'
        "    customer_id: Mapped[int | None] = mapped_column(\n"
        '        BigInteger, ForeignKey("customers.id"), nullable=True\n'
        "    )\n",
    )
    assert "CONFIGURED" in configure_in_subprocess(root, ENTRY["fastapi_shop"]).stdout


# what check says about each SQLModel break, in SQLModel's own spelling (Relationship(), Field(foreign_key=...))
SQLMODEL_MESSAGES = {
    "league_missing_fk": 'Team.players: list["Player"] = Relationship() has no join condition: '
    "Player has no Field(foreign_key=...) column to 'team' (expected something like Player.team_id).",
    "league_typo": 'Team.players: list["Playr"] = Relationship() names a class that does not exist '
    "(did you mean 'Player'?).",
    "league_ambiguous": 'Transfer.from_team: Optional["Team"] = Relationship() is ambiguous: ',
}


@pytest.mark.parametrize("name", sorted(SQLMODEL_MESSAGES))
def test_sqlmodel_breaks_are_described_in_sqlmodels_spelling(name, tmp_path):
    case = BREAKS[name]
    root = _copy(case.app, tmp_path)
    _edit(root, case.edits)
    checked = run_ormfix("check", "--format", "json", str(root))
    [diagnosis] = json.loads(checked.stdout)["diagnoses"]
    message = diagnosis["message"]
    assert message.startswith(SQLMODEL_MESSAGES[name]), message
    assert "relationship(" not in message and "ForeignKey(" not in message, message
