"""The codemods of ORM023 and ORM042-ORM045 on real source text, byte for byte: post_update, the
parent ForeignKey of a joined-inheritance subclass, a renamed subclass column, a trailing comma,
use_existing_column= on a single-table subclass column."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from conftest import REPO

from ormfix.codemods import (
    NotApplicable,
    add_parent_fk,
    relationship_arg,
    remove_trailing_comma,
    rename_reserved_attribute,
    use_existing_column,
    wrap_in_declared_attr,
)


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


CLASSIC_MANAGER = src("""
    from sqlalchemy import Column, Integer, Numeric

    from models.base import Base


    class Manager(Employee):
        __tablename__ = "managers"

        id = Column(Integer, primary_key=True)  # own key
        budget = Column(Numeric(12, 2))
""")


def test_add_parent_fk_puts_the_foreign_key_on_the_existing_key_column():
    after = add_parent_fk.apply(CLASSIC_MANAGER, class_name="Manager", target="employees.id")
    assert after == CLASSIC_MANAGER.replace(
        "from sqlalchemy import Column, Integer, Numeric\n",
        "from sqlalchemy import Column, ForeignKey, Integer, Numeric\n",
    ).replace(
        "id = Column(Integer, primary_key=True)  # own key",
        'id = Column(Integer, ForeignKey("employees.id"), primary_key=True)  # own key',
    )
    assert add_parent_fk.apply(after, class_name="Manager", target="employees.id") == after


def test_add_parent_fk_adds_the_key_column_in_flask_style_after_the_preamble():
    before = src('''
        from extensions import db


        class Truck(Vehicle):
            """A vehicle with a payload."""
            __tablename__ = 'trucks'

            payload = db.Column(db.Integer)
    ''')
    after = add_parent_fk.apply(
        before,
        class_name="Truck",
        target="vehicles.uid",
        column_name="uid",
        type_name="String",
        type_args="36",
        python_type="str",
    )
    assert after == before.replace(
        "    __tablename__ = 'trucks'\n",
        "    __tablename__ = 'trucks'\n"
        "    uid = db.Column(db.String(36), db.ForeignKey('vehicles.uid'), primary_key=True)\n",
    )


def test_add_parent_fk_adds_a_mapped_key_column_and_its_import():
    before = src("""
        from sqlalchemy.orm import Mapped, mapped_column


        class Truck(Vehicle):
            __tablename__ = "trucks"

            payload: Mapped[int] = mapped_column()
    """)
    after = add_parent_fk.apply(before, class_name="Truck", target="vehicles.vehicle_id", column_name="vehicle_id")
    assert after == src("""
        from sqlalchemy.orm import Mapped, mapped_column
        from sqlalchemy import ForeignKey


        class Truck(Vehicle):
            __tablename__ = "trucks"
            vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.vehicle_id"), primary_key=True)

            payload: Mapped[int] = mapped_column()
    """)


def test_add_parent_fk_not_applicable_when_the_name_is_not_a_column():
    before = src("""
        class Truck(Vehicle):
            __tablename__ = "trucks"
            id = relationship("Other")
    """)
    with pytest.raises(NotApplicable, match="is not a Column"):
        add_parent_fk.apply(before, class_name="Truck", target="vehicles.id")


@pytest.mark.parametrize(
    "line, expected",
    [
        ("name = Column(String(50)),  # from the Table()", "name = Column(String(50))  # from the Table()"),
        ("name = (Column(String(50)),)", "name = Column(String(50))"),
        ("name = Column(String(50)) ,", "name = Column(String(50))"),
        (
            "price: Mapped[Decimal] = mapped_column(Numeric(10, 2)),",
            "price: Mapped[Decimal] = mapped_column(Numeric(10, 2))",
        ),
    ],
)
def test_remove_trailing_comma_keeps_every_other_byte(line, expected):
    before = src(f"""
        class Tag(Base):
            __tablename__ = "tags"
            {line}
            slug = Column(String(50)),
    """)
    after = remove_trailing_comma.apply(before, class_name="Tag", attribute=line.split()[0].rstrip(":"))
    assert after == before.replace(line, expected)


def test_remove_trailing_comma_multiline_call_and_crlf():
    before = (
        "class Label(db.Model):\r\n"
        "    color = db.Column(\r\n"
        "        db.String(7),\r\n"
        "        default='#fff',  # white\r\n"
        "    ),\r\n"
    )
    after = remove_trailing_comma.apply(before, class_name="Label", attribute="color")
    assert after == before.replace("    ),\r\n", "    )\r\n")


@pytest.mark.parametrize(
    "line", ["name = Column(String(50))", "pair = Column(String), Column(String)", "name = ('a',)"]
)
def test_remove_trailing_comma_not_applicable(line):
    before = f"class Tag(Base):\n    {line}\n"
    with pytest.raises(NotApplicable, match="not a one-element tuple holding a call"):
        remove_trailing_comma.apply(before, class_name="Tag", attribute=line.split()[0])


def test_rename_subclass_attribute_keeps_the_column_name():
    before = src("""
        class Engineer(Person):
            __tablename__ = "engineers"
            name = Column(String(100))  # badge name
    """)
    after = rename_reserved_attribute.apply(before, class_name="Engineer", attribute="name", new="engineer_name")
    assert after == before.replace("name = Column(String(100))", 'engineer_name = Column("name", String(100))')


def test_post_update_on_a_multiline_relationship():
    before = src("""
        class Widget(Base):
            favorite_entry = relationship(
                "Entry",
                primaryjoin="Entry.entry_id == Widget.favorite_entry_id",  # the pick
            )
    """)
    after = relationship_arg.apply(
        before, class_name="Widget", attribute="favorite_entry", keyword="post_update", value="True"
    )
    assert after == before.replace("  # the pick\n", "  # the pick\n        post_update=True,\n")


@pytest.mark.parametrize(
    "command, args, source, expected",
    [
        (
            "add_parent_fk.AddParentFkCommand",
            ["--class-name", "Manager", "--target", "employees.id"],
            CLASSIC_MANAGER,
            add_parent_fk.apply(CLASSIC_MANAGER, class_name="Manager", target="employees.id"),
        ),
        (
            "remove_trailing_comma.RemoveTrailingCommaCommand",
            ["--class-name", "Tag", "--attribute", "name"],
            "class Tag(Base):\n    name = Column(String),  # x\n",
            "class Tag(Base):\n    name = Column(String)  # x\n",
        ),
    ],
)
def test_commands_run_with_libcst_tool(tmp_path, command, args, source, expected):
    target = tmp_path / "models.py"
    target.write_text(source)
    run = subprocess.run(
        [sys.executable, "-m", "libcst.tool", "codemod", "--no-format", "--hide-progress", command, str(target), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert target.read_text() == expected


STI_MANAGER = src("""
    class Manager(Employee):
        level: Mapped[Optional[int]] = mapped_column(Integer)  # grade
        band: Mapped[str] = mapped_column(
            String(10),
            nullable=False,
        )
        title = Column(String(50))
""")


def test_use_existing_column_one_line_and_multi_line():
    assert use_existing_column.apply(STI_MANAGER, class_name="Manager", attribute="level") == STI_MANAGER.replace(
        "mapped_column(Integer)  # grade", "mapped_column(Integer, use_existing_column=True)  # grade"
    )
    assert use_existing_column.apply(STI_MANAGER, class_name="Manager", attribute="band") == STI_MANAGER.replace(
        "        nullable=False,\n", "        nullable=False,\n        use_existing_column=True,\n"
    )


@pytest.mark.parametrize("attribute, reason", [("title", r"not a mapped_column\(\) call"), ("missing", "not found")])
def test_use_existing_column_refuses_column_and_missing_attribute(attribute, reason):
    with pytest.raises(NotApplicable, match=reason):
        use_existing_column.apply(STI_MANAGER, class_name="Manager", attribute=attribute)
    done = use_existing_column.apply(STI_MANAGER, class_name="Manager", attribute="level")
    with pytest.raises(NotApplicable, match="already has use_existing_column"):
        use_existing_column.apply(done, class_name="Manager", attribute="level")


def test_use_existing_column_recipe_for_column_keeps_the_call_and_comment():
    before = src("""
        from sqlalchemy import Column, String
        from sqlalchemy.orm import declared_attr


        class Guard(Staff):
            badge = Column('badge_no', String(20))  # printed on the card

            __mapper_args__ = {'polymorphic_identity': 'guard'}
    """)
    after = wrap_in_declared_attr.apply(
        before, class_name="Guard", attribute="badge", existing_in="Staff", column="badge_no"
    )
    assert after == before.replace(
        "    badge = Column('badge_no', String(20))  # printed on the card\n",
        "    @declared_attr\n    def badge(cls):\n"
        "        return Staff.__table__.c.get('badge_no', Column('badge_no', String(20)))  # printed on the card\n",
    )
    assert wrap_in_declared_attr.apply(after, class_name="Guard", attribute="badge", existing_in="Staff") == after
