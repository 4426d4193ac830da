"""The codemods of ORM035-ORM037 on real source text: qualified target paths, Mapped[] wrapping, reserved names."""

from __future__ import annotations

import textwrap

import pytest

from ormfix.codemods import NotApplicable, add_column_type, rename_reserved_attribute, rename_target, wrap_in_mapped


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def test_rename_target_whole_replaces_a_partial_path_and_stays_backward_compatible():
    before = src("""
        class User(Base):
            invoices = relationship('billing.Invoice')
    """)
    qualified = rename_target.apply(
        before, class_name="User", attribute="invoices", old="Invoice", new="app.models.billing.Invoice", whole=True
    )
    assert "relationship('app.models.billing.Invoice')" in qualified
    renamed = rename_target.apply(before, class_name="User", attribute="invoices", old="Invoice", new="Bill")
    assert "relationship('billing.Bill')" in renamed


def test_wrap_in_mapped_uses_the_module_alias():
    before = src("""
        import sqlalchemy.orm as so


        class Author(Base):
            books: list["Book"] = so.relationship(back_populates="author")  # keep me
    """)
    after = wrap_in_mapped.apply(before, class_name="Author", attribute="books")
    assert after == before.replace('books: list["Book"]', 'books: so.Mapped[list["Book"]]')


def test_wrap_in_mapped_adds_the_import_once():
    before = src("""
        from sqlalchemy.orm import mapped_column


        class User(Base):
            name: str = mapped_column()
    """)
    after = wrap_in_mapped.apply(before, class_name="User", attribute="name")
    assert after.startswith("from sqlalchemy.orm import Mapped, mapped_column\n")
    assert "    name: Mapped[str] = mapped_column()\n" in after
    with pytest.raises(NotApplicable, match="already annotated"):
        wrap_in_mapped.apply(after, class_name="User", attribute="name")


@pytest.mark.parametrize(
    "line, expected",
    [
        ("metadata = Column(JSON)  # raw", 'metadata_ = Column("metadata", JSON)  # raw'),
        ("metadata = db.Column()", 'metadata_ = db.Column("metadata")'),
        (
            'metadata: Mapped[dict] = mapped_column("meta", JSON)',
            'metadata_: Mapped[dict] = mapped_column("meta", JSON)',
        ),
    ],
)
def test_rename_reserved_attribute_keeps_the_column_name(line, expected):
    before = src(f"""
        class Document(Base):
            {line}
    """)
    after = rename_reserved_attribute.apply(before, class_name="Document", attribute="metadata")
    assert after == before.replace(line, expected)


def test_rename_reserved_attribute_refuses_a_taken_name_and_a_non_column():
    before = src("""
        class Document(Base):
            metadata = Column(JSON)
            metadata_ = Column(Text)
            registry = "x"
    """)
    with pytest.raises(NotApplicable, match="already exists"):
        rename_reserved_attribute.apply(before, class_name="Document", attribute="metadata")
    with pytest.raises(NotApplicable, match="not a Column"):
        rename_reserved_attribute.apply(before, class_name="Document", attribute="registry")


PROFILE = src("""
    from sqlalchemy import ForeignKey
    from sqlalchemy.orm import Mapped, mapped_column


    class Profile(Base):
        settings: Mapped[dict] = mapped_column(nullable=True)  # per-user
        legacy: Mapped[dict] = mapped_column("prefs", server_default="{}")
        owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
        tags: Mapped[list[str]]
""")


def test_add_column_type_first_positional_after_a_name_and_bare_annotation():
    one = add_column_type.apply(PROFILE, class_name="Profile", attribute="settings")
    assert one == PROFILE.replace(
        "from sqlalchemy import ForeignKey", "from sqlalchemy import JSON, ForeignKey"
    ).replace("mapped_column(nullable=True)  # per-user", "mapped_column(JSON, nullable=True)  # per-user")
    named = add_column_type.apply(one, class_name="Profile", attribute="legacy")
    assert 'mapped_column("prefs", JSON, server_default="{}")' in named
    bare = add_column_type.apply(named, class_name="Profile", attribute="tags")
    assert bare.endswith("    tags: Mapped[list[str]] = mapped_column(JSON)\n")
    assert bare.count("JSON") == 4 and bare.count("import") == 2  # one import line extended once


def test_add_column_type_module_alias_and_refusals():
    aliased = src("""
        import sqlalchemy as sa
        from sqlalchemy.orm import Mapped


        class Profile(Base):
            tags: Mapped[list[str]]
    """)
    assert add_column_type.apply(aliased, class_name="Profile", attribute="tags") == aliased.replace(
        "from sqlalchemy.orm import Mapped", "from sqlalchemy.orm import Mapped, mapped_column"
    ).replace("tags: Mapped[list[str]]", "tags: Mapped[list[str]] = mapped_column(sa.JSON)")
    with pytest.raises(NotApplicable, match="not an annotated attribute"):
        add_column_type.apply(PROFILE, class_name="Profile", attribute="missing")
    with pytest.raises(NotApplicable, match="not a mapped_column"):
        add_column_type.apply(
            PROFILE.replace("mapped_column(nullable=True)", "Column(nullable=True)"),
            class_name="Profile",
            attribute="settings",
        )
