"""Byte-exact tests of the codemods for ORM038 (use_shared_base), ORM039 (wrap_in_declared_attr) and the
quoting rename of an unquoted class target (rename_target quote=True)."""

from __future__ import annotations

import textwrap

import pytest

from ormfix.codemods import NotApplicable, rename_target, use_shared_base, wrap_in_declared_attr


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def test_use_shared_base_replaces_the_base_and_adds_the_import():
    before = src("""
        from sqlalchemy import Column, Integer

        from models.legacy_base import LegacyBase


        class Invoice(AuditMixin, LegacyBase):  # billing
            __tablename__ = "invoices"
            id = Column(Integer, primary_key=True)
    """)
    after = use_shared_base.apply(
        before,
        class_name="Invoice",
        old_base="LegacyBase",
        new_base="Base",
        import_from="models.base",
        import_name="Base",
    )
    assert after == src("""
        from sqlalchemy import Column, Integer

        from models.legacy_base import LegacyBase
        from models.base import Base


        class Invoice(AuditMixin, Base):  # billing
            __tablename__ = "invoices"
            id = Column(Integer, primary_key=True)
    """)
    assert (
        use_shared_base.apply(
            after,
            class_name="Invoice",
            old_base="LegacyBase",
            new_base="Base",
            import_from="models.base",
            import_name="Base",
        )
        == after
    )


def test_use_shared_base_flask_db_model_extends_the_existing_import():
    before = src("""
        from extensions import billing_db


        class Invoice(billing_db.Model):
            id = billing_db.Column(billing_db.Integer, primary_key=True)
    """)
    after = use_shared_base.apply(
        before,
        class_name="Invoice",
        old_base="billing_db.Model",
        new_base="db.Model",
        import_from="extensions",
        import_name="db",
    )
    assert after == src("""
        from extensions import billing_db, db


        class Invoice(db.Model):
            id = billing_db.Column(billing_db.Integer, primary_key=True)
    """)


def test_use_shared_base_refuses_a_name_the_module_binds_otherwise():
    before = src("""
        from sqlalchemy.orm import DeclarativeBase


        class Base(DeclarativeBase):
            pass


        class Review(Base):
            __tablename__ = "reviews"
    """)
    with pytest.raises(NotApplicable, match="already binds Base"):
        use_shared_base.apply(
            before, class_name="Review", old_base="Base", new_base="Base", import_from="models.base", import_name="Base"
        )
    with pytest.raises(NotApplicable, match="does not list"):
        use_shared_base.apply(before, class_name="Review", old_base="Other", new_base="SharedBase")


def test_wrap_in_declared_attr_keeps_the_call_comments_and_layout():
    before = src('''
        from sqlalchemy.orm import relationship


        class HasAddresses:
            """Addresses."""

            # oldest first
            addresses = relationship(
                "Address",
                order_by="Address.id",  # by id
            )  # end
            kind = "x"
    ''')
    after = wrap_in_declared_attr.apply(before, class_name="HasAddresses", attribute="addresses")
    assert after == src('''
        from sqlalchemy.orm import declared_attr, relationship


        class HasAddresses:
            """Addresses."""

            # oldest first
            @declared_attr
            def addresses(cls):
                return relationship(
                    "Address",
                    order_by="Address.id",  # by id
                )  # end

            kind = "x"
    ''')
    assert wrap_in_declared_attr.apply(after, class_name="HasAddresses", attribute="addresses") == after


def test_wrap_in_declared_attr_moves_the_mapped_annotation_to_the_return():
    before = src("""
        from sqlalchemy.orm import Mapped, declared_attr, relationship


        class Taggable:
            tags: Mapped[list["Tag"]] = relationship(back_populates="document")
    """)
    after = wrap_in_declared_attr.apply(before, class_name="Taggable", attribute="tags")
    assert after == src("""
        from sqlalchemy.orm import Mapped, declared_attr, relationship


        class Taggable:
            @declared_attr
            def tags(cls) -> Mapped[list["Tag"]]:
                return relationship(back_populates="document")
    """)


def test_wrap_in_declared_attr_returns_annotation_for_an_unannotated_attribute():
    before = src("""
        from sqlalchemy.orm import relationship


        class HasOwner:
            owner = relationship("User")
    """)
    after = wrap_in_declared_attr.apply(before, class_name="HasOwner", attribute="owner", returns='Mapped["User"]')
    assert after == src("""
        from sqlalchemy.orm import declared_attr, relationship


        class HasOwner:
            @declared_attr
            def owner(cls) -> Mapped["User"]:
                return relationship("User")
    """)


def test_wrap_in_declared_attr_refuses_a_foreign_declared_attr():
    before = src("""
        from mylib import declared_attr


        class HasOwner:
            owner = relationship("User")
    """)
    with pytest.raises(NotApplicable, match="declared_attr"):
        wrap_in_declared_attr.apply(before, class_name="HasOwner", attribute="owner")


def test_rename_target_quote_turns_an_unbound_class_object_into_a_string():
    before = src("""
        class StudyDirectionModel(BaseModel):
            study = orm.relationship(StudyMoedl, backref=orm.backref("directions"))
    """)
    after = rename_target.apply(
        before, class_name="StudyDirectionModel", attribute="study", old="StudyMoedl", new="StudyModel", quote=True
    )
    assert after == before.replace("relationship(StudyMoedl,", 'relationship("StudyModel",')
    assert (
        rename_target.apply(
            after, class_name="StudyDirectionModel", attribute="study", old="StudyMoedl", new="StudyModel", quote=True
        )
        == after
    )
    bare = rename_target.apply(
        before, class_name="StudyDirectionModel", attribute="study", old="StudyMoedl", new="StudyModel"
    )
    assert bare == before.replace("StudyMoedl", "StudyModel")
