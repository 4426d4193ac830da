"""annotate_foreign (ORM022) on real source text: byte-exact before/after, idempotent, no blind guesses."""

from __future__ import annotations

import textwrap

import pytest

from ormfix.codemods import NotApplicable, annotate_foreign


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


STRING_FORM = src("""
    from sqlalchemy.orm import relationship


    class Post(Base):
        comments = relationship(
            "Comment",
            primaryjoin="and_(Post.id == Comment.post_id, Comment.deleted == False)",  # soft delete
            order_by="Comment.id",
        )
""")


def test_string_form_is_rewritten_inside_the_string_without_an_import():
    after = annotate_foreign.apply(STRING_FORM, class_name="Post", attribute="comments", column="Comment.post_id")
    assert after == STRING_FORM.replace("Post.id == Comment.post_id", "Post.id == foreign(Comment.post_id)")
    assert annotate_foreign.apply(after, class_name="Post", attribute="comments", column="Comment.post_id") == after


def test_single_quoted_string_keeps_its_quotes():
    before = "class Customer(db.Model):\n    orders = db.relationship('Order', primaryjoin='Customer.id == Order.customer_id', lazy='dynamic')\n"
    after = annotate_foreign.apply(before, class_name="Customer", attribute="orders", column="Order.customer_id")
    assert after == (
        "class Customer(db.Model):\n    orders = db.relationship('Order', primaryjoin='Customer.id == "
        "foreign(Order.customer_id)', lazy='dynamic')\n"
    )


LAMBDA_FORM = src("""
    from sqlalchemy.orm import Mapped, mapped_column, relationship

    from models.customer import Customer


    class Order(Base):
        customer_id: Mapped[int] = mapped_column()

        customer: Mapped[Customer] = relationship(
            primaryjoin=lambda: Customer.id == Order.customer_id,
        )
""")


def test_lambda_form_wraps_the_column_and_imports_foreign():
    after = annotate_foreign.apply(LAMBDA_FORM, class_name="Order", attribute="customer", column="Order.customer_id")
    assert after == (
        LAMBDA_FORM.replace(
            "import Mapped, mapped_column, relationship\n", "import Mapped, foreign, mapped_column, relationship\n"
        ).replace("Customer.id == Order.customer_id", "Customer.id == foreign(Order.customer_id)")
    )
    assert annotate_foreign.apply(after, class_name="Order", attribute="customer", column="Order.customer_id") == after


def test_expression_form_matches_a_bare_column_of_the_class_itself():
    before = src("""
        from extensions import db


        class Order(db.Model):
            customer_id = db.Column(db.Integer)
            customer = db.relationship(Customer, primaryjoin=Customer.id == customer_id)
    """)
    after = annotate_foreign.apply(before, class_name="Order", attribute="customer", column="Order.customer_id")
    assert after == before.replace(
        "from extensions import db\n", "from extensions import db\nfrom sqlalchemy.orm import foreign\n"
    ).replace("Customer.id == customer_id", "Customer.id == foreign(customer_id)")


def test_an_attribute_name_equal_to_the_column_is_not_wrapped():
    before = "class Order(Base):\n    customer = relationship(Customer, primaryjoin=lambda: Customer.customer_id == Order.customer_id)\n"
    after = annotate_foreign.apply(before, class_name="Order", attribute="customer", column="Order.customer_id")
    assert after.endswith("lambda: Customer.customer_id == foreign(Order.customer_id))\n")


@pytest.mark.parametrize(
    "before, reason",
    [
        ("class A(Base):\n    b = relationship('B')\n", "has no primaryjoin"),
        ("class A(Base):\n    b = relationship('B', primaryjoin='A.id == B.x')\n", "does not mention B.a_id"),
        (
            "class A(Base):\n    b = relationship('B', primaryjoin='or_(A.id == B.a_id, A.alt == B.a_id)')\n",
            "mentions 2 times",
        ),
        ("class A(Base):\n    b = Column(Integer)\n", "not a relationship"),
    ],
)
def test_not_applicable_says_why(before, reason):
    with pytest.raises(NotApplicable, match=reason):
        annotate_foreign.apply(before, class_name="A", attribute="b", column="B.a_id")
