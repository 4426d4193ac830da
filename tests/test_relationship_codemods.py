"""The relationship codemods of ORM010-ORM016 on real source text: layout kept, idempotent, styles."""

from __future__ import annotations

import textwrap

import pytest

from ormfix.codemods import NotApplicable, add_relationship, relationship_arg


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


MULTILINE = src("""
    from sqlalchemy.orm import relationship


    class Author(Base):
        books = relationship(
            "Book",
            back_populates="author",
            backref="author",
        )
""")


def test_remove_last_keyword_keeps_the_layout():
    after = relationship_arg.apply(MULTILINE, class_name="Author", attribute="books", keyword="backref", remove=True)
    assert after == MULTILINE.replace('        backref="author",\n', "")
    assert (
        relationship_arg.apply(after, class_name="Author", attribute="books", keyword="backref", remove=True) == after
    )


def test_remove_last_keyword_without_trailing_comma():
    before = "class A(Base):\n    b = relationship('B', backref='a', back_populates='a')\n"
    after = relationship_arg.apply(before, class_name="A", attribute="b", keyword="back_populates", remove=True)
    assert after == "class A(Base):\n    b = relationship('B', backref='a')\n"


def test_replace_turns_backref_into_back_populates_in_place_with_the_files_quotes():
    before = "class A(db.Model):\n    b = db.relationship('B', backref=db.backref('a'), lazy='dynamic')\n"
    after = relationship_arg.apply(
        before, class_name="A", attribute="b", keyword="back_populates", text="a", replace="backref"
    )
    assert after == "class A(db.Model):\n    b = db.relationship('B', back_populates='a', lazy='dynamic')\n"
    assert (
        relationship_arg.apply(
            after, class_name="A", attribute="b", keyword="back_populates", text="a", replace="backref"
        )
        == after
    )


def test_set_value_source_appends_and_overwrites():
    before = "class N(Base):\n    parent = relationship('N', lazy='dynamic')\n"
    once = relationship_arg.apply(before, class_name="N", attribute="parent", keyword="remote_side", value="[id]")
    assert once.endswith("relationship('N', lazy='dynamic', remote_side=[id])\n")
    twice = relationship_arg.apply(once, class_name="N", attribute="parent", keyword="lazy", text="select")
    assert twice.endswith("relationship('N', lazy='select', remote_side=[id])\n")


def test_not_a_relationship_is_not_applicable():
    with pytest.raises(NotApplicable):
        relationship_arg.apply(
            "class A(Base):\n    b = Column(Integer)\n", class_name="A", attribute="b", keyword="lazy", text="select"
        )


@pytest.mark.parametrize(
    "header, column, expected",
    [
        (
            "import sqlalchemy as sa\n",
            "id = sa.Column(sa.Integer, primary_key=True)",
            "team = sa.orm.relationship('Team', back_populates='players')",
        ),
        (
            "import sqlalchemy.orm as so\n",
            "id: so.Mapped[int] = so.mapped_column(primary_key=True)",
            "team: so.Mapped[list['Team']] = so.relationship(back_populates='players')",
        ),
        (
            "from sqlalchemy import Column, Integer\n",
            "id = Column(Integer, primary_key=True)",
            "team = relationship('Team', back_populates='players')",
        ),
    ],
)
def test_add_relationship_in_the_class_style(header, column, expected):
    before = f"{header}\n\nclass Player(Base):\n    {column}\n    name = 'x'\n"
    after = add_relationship.apply(
        before,
        class_name="Player",
        attribute="team",
        target="Team",
        back_populates="players",
        collection="Mapped" in column,
    )
    assert f"    {column}\n    {expected}\n    name = 'x'\n" in after
    if "Column(Integer" in column:
        assert "from sqlalchemy.orm import relationship\n" in after
    assert (
        add_relationship.apply(after, class_name="Player", attribute="team", target="Team", back_populates="players")
        == after
    )


def test_add_relationship_refuses_to_shadow_a_column():
    before = "class Player(Base):\n    team = Column(Integer)\n"
    with pytest.raises(NotApplicable):
        add_relationship.apply(before, class_name="Player", attribute="team", target="Team", back_populates="players")
